/// Packs a vector of n(n+1)/2 reals into an n × n lower-triangular matrix
/// (TFP's `FillTriangular`, lower form). The order is NumPyro's
/// (`vec_to_tril_matrix`, NumPy's `tril_indices`): row by row, left to right —
/// (0,0), (1,0), (1,1), (2,0), (2,1), (2,2), … — not TFP's clockwise spiral.
/// Entries above the diagonal are zero. The map only rearranges values, so
/// its log-determinant (on the packed entries) is 0.
public struct FillTriangular: Transform {
    public init() {}

    public var name: String { "FillTriangular" }
    public var domain: Constraint { .realVector }
    public var codomain: Constraint { .lowerTriangular }

    public func forwardShape(_ shape: [Int]) throws -> [Int] { try filledShape(shape) }
    public func inverseShape(_ shape: [Int]) throws -> [Int] { try packedShape(shape) }

    public func forward(_ x: Tensor) throws -> Tensor {
        TriangularLayout.rowMajor(try packedOrder(x.shape, strict: false)).fill(x)
    }

    /// The lower triangle read back in the same order (entries above the diagonal are ignored).
    public func inverse(_ y: Tensor) throws -> Tensor {
        TriangularLayout.rowMajor(try matrixOrder(y.shape)).pack(y)
    }

    public func logAbsDetJacobian(_ x: Tensor, _ y: Tensor) throws -> Tensor {
        _ = try forwardShape(x.shape)
        return .zeros(Array(x.shape.dropLast()))
    }
}
