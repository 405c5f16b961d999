import RealModule

/// y = exp(x), from the real line onto (0, ∞) (NumPyro's `ExpTransform`).
public struct ExpTransform: Transform {
    public init() {}

    public var name: String { "ExpTransform" }
    public var domain: Constraint { .real }
    public var codomain: Constraint { .positive }
    public var monotonicity: Tensor? { Tensor(1) }

    public func forward(_ x: Tensor) -> Tensor { x.exp() }
    public func inverse(_ y: Tensor) -> Tensor { y.log() }
    /// log |dy/dx| = x.
    public func logAbsDetJacobian(_ x: Tensor, _ y: Tensor) -> Tensor { x }
}
