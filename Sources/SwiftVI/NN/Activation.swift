/// An elementwise nonlinearity between layers, each one fused tape node.
public enum Activation: String, CaseIterable, Sendable {
    /// max(x, 0).
    case relu
    /// tanh x.
    case tanh
    /// log(1 + eˣ).
    case softplus
    /// 1 / (1 + e⁻ˣ).
    case sigmoid
    /// x itself.
    case identity

    /// The activation applied to every element of `x`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch self {
        case .relu: x.relu()
        case .tanh: x.tanh()
        case .softplus: x.softplus()
        case .sigmoid: x.sigmoid()
        case .identity: x
        }
    }
}
