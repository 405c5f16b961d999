import RealModule

/// y = log(1 + exp(x)), from the real line onto (0, ∞) (NumPyro's `SoftplusTransform`).
public struct SoftplusTransform: Transform {
    public init() {}

    public var name: String { "SoftplusTransform" }
    public var domain: Constraint { .real }
    public var codomain: Constraint { .positive }
    public var monotonicity: Tensor? { Tensor(1) }

    public func forward(_ x: Tensor) -> Tensor { x.softplus() }

    /// x = log(exp(y) - 1), computed without overflow for large y.
    public func inverse(_ y: Tensor) -> Tensor {
        Tensor.map(y) { v in (inverseSoftplus(v), -1 / Double.expMinusOne(-v)) }
    }

    /// log |dy/dx| = log σ(x) = -softplus(-x).
    public func logAbsDetJacobian(_ x: Tensor, _ y: Tensor) -> Tensor {
        Tensor.map(x) { v in (-softplus(-v), sigmoid(-v)) }
    }
}
