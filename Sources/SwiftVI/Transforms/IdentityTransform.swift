/// y = x on the real line (NumPyro's `IdentityTransform`).
public struct IdentityTransform: Transform {
    public init() {}

    public var name: String { "IdentityTransform" }
    public var domain: Constraint { .real }
    public var codomain: Constraint { .real }
    public var monotonicity: Tensor? { Tensor(1) }

    public func forward(_ x: Tensor) -> Tensor { x }
    public func inverse(_ y: Tensor) -> Tensor { y }
    /// Zero, shaped like x.
    public func logAbsDetJacobian(_ x: Tensor, _ y: Tensor) -> Tensor { .zeros(x.shape) }
}
