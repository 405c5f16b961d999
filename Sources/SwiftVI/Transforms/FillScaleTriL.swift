import RealModule

/// TFP's `FillScaleTriL`: `FillTriangular` (NumPyro's row-major order), then
/// softplus(·) + `diagShift` on the diagonal, giving a lower Cholesky factor
/// (a scale matrix) from n(n+1)/2 reals. The log-determinant, on the packed
/// entries, is Σ log σ(x) over the diagonal entries.
public struct FillScaleTriL: Transform {
    /// The shift added after softplus, keeping the diagonal away from 0 (TFP's default 1e-5).
    public let diagShift: Double

    /// Throws when `diagShift` is negative or not finite.
    public init(diagShift: Double = 1e-5) throws {
        guard diagShift >= 0, diagShift.isFinite else {
            throw SVIError.invalidArgument("FillScaleTriL: diag_shift must be nonnegative and finite; got \(diagShift)")
        }
        self.diagShift = diagShift
    }

    public var name: String { "FillScaleTriL" }
    public var domain: Constraint { .realVector }
    public var codomain: Constraint { .lowerCholesky }
    public var parameters: [Tensor] { [Tensor(diagShift)] }

    public func forwardShape(_ shape: [Int]) throws -> [Int] { try filledShape(shape) }
    public func inverseShape(_ shape: [Int]) throws -> [Int] { try packedShape(shape) }

    public func forward(_ x: Tensor) throws -> Tensor {
        let layout = TriangularLayout.rowMajor(try packedOrder(x.shape, strict: false))
        let shift = diagShift
        return layout.fill(x.mappingMasked(layout.diagonalMask) { v in (softplus(v) + shift, sigmoid(v)) })
    }

    public func inverse(_ y: Tensor) throws -> Tensor {
        let layout = TriangularLayout.rowMajor(try matrixOrder(y.shape))
        let shift = diagShift
        return layout.pack(y).mappingMasked(layout.diagonalMask) { v in
            (inverseSoftplus(v - shift), -1 / Double.expMinusOne(shift - v))
        }
    }

    public func logAbsDetJacobian(_ x: Tensor, _ y: Tensor) throws -> Tensor {
        let layout = TriangularLayout.rowMajor(try packedOrder(x.shape, strict: false))
        return x.summingMasked(layout.diagonalMask) { v in (-softplus(-v), sigmoid(-v)) }
    }
}
