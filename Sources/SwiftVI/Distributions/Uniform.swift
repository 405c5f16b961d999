import RealModule

/// The uniform distribution on [`low`, `high`].
public struct Uniform: Distribution {
    public let low: Tensor
    public let high: Tensor
    public let batchShape: [Int]

    /// Throws when a bound is not finite, `low` < `high` fails anywhere, or the
    /// shapes do not broadcast.
    public init(low: Tensor, high: Tensor) throws {
        try ParameterCheck.finite(low, "Uniform", "low")
        try ParameterCheck.finite(high, "Uniform", "high")
        batchShape = try ParameterCheck.batchShape("Uniform", [("low", low), ("high", high)])
        try ParameterCheck.ordered(low, high, "Uniform")
        self.low = low
        self.high = high
    }

    public var familyName: String { "Uniform" }
    public var eventShape: [Int] { [] }
    public var support: Constraint { .interval(low: low, high: high) }
    public var hasReparameterizedSample: Bool { true }

    public func logProb(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        return Tensor.map(value, low, high) { x, a, b in
            guard x >= a, x <= b else { return (-.infinity, 0, 0, 0) }
            let w = b - a
            return (-Double.log(w), 0, 1 / w, -1 / w)
        }
    }

    public func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor {
        inverseTransformSample(sampleShape, batchShape, key: key, quantile)
    }

    /// (low + high) / 2.
    public var mean: Tensor { (0.5 * (low + high)).broadcasted(to: batchShape) }
    /// (high - low)² / 12.
    public var variance: Tensor { ((high - low).squared() / 12).broadcasted(to: batchShape) }
    /// log(high - low).
    public func entropy() -> Tensor { (high - low).log().broadcasted(to: batchShape) }

    public func cdf(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        return Tensor.map(value, low, high) { x, a, b in
            if x <= a { return (0, 0, 0, 0) }
            if x >= b { return (1, 0, 0, 0) }
            let w = b - a
            return ((x - a) / w, 1 / w, (x - b) / (w * w), -(x - a) / (w * w))
        }
    }

    public func icdf(_ probability: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: probability.shape)
        return quantile(probability)
    }

    /// low + p (high - low).
    private func quantile(_ probability: Tensor) -> Tensor {
        Tensor.map(probability, low, high) { p, a, b in (a + p * (b - a), b - a, 1 - p, p) }
    }
}
