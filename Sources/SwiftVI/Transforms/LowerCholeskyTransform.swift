import RealModule

/// NumPyro's `LowerCholeskyTransform`: a vector of n(n+1)/2 reals to an n × n
/// lower-triangular matrix with positive diagonal. The first n(n-1)/2 entries
/// fill the strictly lower triangle row by row ((1,0), (2,0), (2,1), …); the
/// last n, exponentiated, are the diagonal. The log-determinant, on the
/// packed entries, is the sum of the last n entries.
public struct LowerCholeskyTransform: Transform {
    public init() {}

    public var name: String { "LowerCholeskyTransform" }
    public var domain: Constraint { .realVector }
    public var codomain: Constraint { .lowerCholesky }

    public func forwardShape(_ shape: [Int]) throws -> [Int] { try filledShape(shape) }
    public func inverseShape(_ shape: [Int]) throws -> [Int] { try packedShape(shape) }

    public func forward(_ x: Tensor) throws -> Tensor {
        let layout = TriangularLayout.strictlyLowerThenDiagonal(try packedOrder(x.shape, strict: false))
        return layout.fill(x.mappingMasked(layout.diagonalMask) { v in let e = Double.exp(v); return (e, e) })
    }

    public func inverse(_ y: Tensor) throws -> Tensor {
        let layout = TriangularLayout.strictlyLowerThenDiagonal(try matrixOrder(y.shape))
        return layout.pack(y).mappingMasked(layout.diagonalMask) { v in (Double.log(v), 1 / v) }
    }

    public func logAbsDetJacobian(_ x: Tensor, _ y: Tensor) throws -> Tensor {
        let layout = TriangularLayout.strictlyLowerThenDiagonal(try packedOrder(x.shape, strict: false))
        return x.summingMasked(layout.diagonalMask) { v in (v, 1) }
    }
}
