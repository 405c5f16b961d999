import RealModule

/// y = tanh(x), from the real line onto [-1, 1] (NumPyro's `TanhTransform`).
public struct TanhTransform: Transform {
    public init() {}

    public var name: String { "TanhTransform" }
    public var domain: Constraint { .real }
    public var codomain: Constraint { .interval(low: Tensor(-1), high: Tensor(1)) }
    public var monotonicity: Tensor? { Tensor(1) }

    public func forward(_ x: Tensor) -> Tensor { x.tanh() }

    /// atanh(y) = ½ log((1 + y) / (1 - y)).
    public func inverse(_ y: Tensor) -> Tensor {
        Tensor.map(y) { v in (0.5 * Double.log(onePlus: 2 * v / (1 - v)), 1 / ((1 - v) * (1 + v))) }
    }

    /// log(1 - tanh²x) = 2 (log 2 - x - softplus(-2x)), accurate for large |x|.
    public func logAbsDetJacobian(_ x: Tensor, _ y: Tensor) -> Tensor {
        Tensor.map(x) { v in (logOneMinusTanhSquared(v), -2 * Double.tanh(v)) }
    }
}

/// log(1 - tanh²x) without cancellation: 2 (log 2 - |x| - softplus(-2|x|)).
func logOneMinusTanhSquared(_ x: Double) -> Double {
    2 * (Double.log(2) - abs(x) - softplus(-2 * abs(x)))
}
