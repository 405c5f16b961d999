/// How a layer's weights start, as the variance-scaling initializers of Keras,
/// Flax and PyTorch: draws with variance `scale / fan`, where the fan is the
/// number of inputs (He, LeCun) or the mean of inputs and outputs (Glorot).
/// The normal variants draw from an untruncated normal distribution.
public enum Initializer: String, CaseIterable, Sendable {
    /// Uniform on ±√(6 / (fanIn + fanOut)) (Glorot & Bengio, 2010; Xavier uniform).
    case glorotUniform
    /// Normal with standard deviation √(2 / (fanIn + fanOut)).
    case glorotNormal
    /// Uniform on ±√(6 / fanIn) (He et al., 2015), for ReLU layers.
    case heUniform
    /// Normal with standard deviation √(2 / fanIn).
    case heNormal
    /// Uniform on ±√(3 / fanIn) (LeCun et al., 1998).
    case lecunUniform
    /// Normal with standard deviation √(1 / fanIn).
    case lecunNormal
    /// All zeros (the usual start of biases).
    case zeros

    /// `count` initial values for a weight of `fanIn` inputs and `fanOut`
    /// outputs, depending only on `key`.
    public func values(count: Int, fanIn: Int, fanOut: Int, key: PRNGKey) -> [Double] {
        let fanIn = Double(max(fanIn, 1)), fanOut = Double(max(fanOut, 1))
        switch self {
        case .glorotUniform: return uniform(count, limit: (6 / (fanIn + fanOut)).squareRoot(), key: key)
        case .glorotNormal: return normal(count, deviation: (2 / (fanIn + fanOut)).squareRoot(), key: key)
        case .heUniform: return uniform(count, limit: (6 / fanIn).squareRoot(), key: key)
        case .heNormal: return normal(count, deviation: (2 / fanIn).squareRoot(), key: key)
        case .lecunUniform: return uniform(count, limit: (3 / fanIn).squareRoot(), key: key)
        case .lecunNormal: return normal(count, deviation: (1 / fanIn).squareRoot(), key: key)
        case .zeros: return [Double](repeating: 0, count: count)
        }
    }

    private func uniform(_ count: Int, limit: Double, key: PRNGKey) -> [Double] {
        key.uniform(count).map { (2 * $0 - 1) * limit }
    }

    private func normal(_ count: Int, deviation: Double, key: PRNGKey) -> [Double] {
        key.normal(count).map { $0 * deviation }
    }
}
