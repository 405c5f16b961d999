import RealModule

/// y = 1 / (1 + exp(-x)), from the real line onto [0, 1] (NumPyro's
/// `SigmoidTransform`). Never NaN: at |x| beyond about 37 the result rounds to
/// 1 (or underflows towards 0), where the inverse gives ±inf.
public struct SigmoidTransform: Transform {
    public init() {}

    public var name: String { "SigmoidTransform" }
    public var domain: Constraint { .real }
    public var codomain: Constraint { .unitInterval }
    public var monotonicity: Tensor? { Tensor(1) }

    public func forward(_ x: Tensor) -> Tensor { x.sigmoid() }

    /// The logit log(y / (1 - y)).
    public func inverse(_ y: Tensor) -> Tensor {
        Tensor.map(y) { v in (Double.log(v) - Double.log(onePlus: -v), 1 / (v * (1 - v))) }
    }

    /// log σ'(x) = -softplus(x) - softplus(-x), finite for every finite x.
    public func logAbsDetJacobian(_ x: Tensor, _ y: Tensor) -> Tensor {
        Tensor.map(x) { v in (-softplus(v) - softplus(-v), sigmoid(-v) - sigmoid(v)) }
    }
}
