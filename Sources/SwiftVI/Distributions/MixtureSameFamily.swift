/// A mixture of K distributions of one family: a Categorical picks which of the
/// components (the last batch axis of `components`) a draw comes from.
public struct MixtureSameFamily: Distribution {
    public let mixture: Categorical
    public let components: any Distribution
    public let batchShape: [Int]

    /// Throws unless the components' last batch extent equals the mixture's
    /// number of categories and the remaining batch shapes broadcast.
    public init(mixture: Categorical, components: any Distribution) throws {
        guard let k = components.batchShape.last, k == mixture.categoryCount else {
            throw SVIError.shapeMismatch(
                "MixtureSameFamily: components of batch shape \(components.batchShape) do not end in the mixture's \(mixture.categoryCount) categories")
        }
        guard let shape = broadcastShapes(mixture.batchShape, Array(components.batchShape.dropLast())) else {
            throw SVIError.shapeMismatch(
                "MixtureSameFamily: mixture batch shape \(mixture.batchShape) does not broadcast with components' \(components.batchShape.dropLast())")
        }
        self.mixture = mixture
        self.components = components
        self.batchShape = shape
    }

    public var familyName: String { "MixtureSameFamily" }
    public var eventShape: [Int] { components.eventShape }
    public var support: Constraint { components.support }
    public var hasReparameterizedSample: Bool { false }

    /// Mixture weights as log-probabilities with one axis per event dimension appended.
    private var eventAlignedLogits: Tensor {
        var w = mixture.logits
        for _ in eventShape { w = w.expandingShape(at: -1) }
        return w
    }

    /// The weighted sum over components of per-component quantities (batch + [K] + event).
    private func weightedSum(_ perComponent: Tensor) -> Tensor {
        (eventAlignedLogits.exp() * perComponent).sum(alongAxis: -1 - eventShape.count)
    }

    public func logProb(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        let perComponent = try components.logProb(value.expandingShape(at: value.rank - eventShape.count))
        return (perComponent + mixture.logits).logSumExp(alongAxis: -1)
    }

    public func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor {
        let keys = key.split(2)
        let leading = sampleShape + batchShape
        let picks = mixture.sample(sampleShape + batchShape.dropLast(mixture.batchShape.count), key: keys[0])
            .broadcasted(to: leading)
        let all = components.sample(sampleShape + batchShape.dropLast(components.batchShape.count - 1), key: keys[1])
        let k = mixture.categoryCount, e = eventShape.reduce(1, *)
        let aligned = all.broadcasted(to: leading + [k] + eventShape)
        let offsets = (0..<leading.reduce(1, *)).flatMap { i in
            (0..<e).map { ((i * k + Int(picks.scalars[i])) * e) + $0 }
        }
        return aligned.gathering(offsets, shape: leading + eventShape).detached
    }

    public var mean: Tensor {
        get throws { weightedSum(try components.mean).broadcasted(to: batchShape + eventShape) }
    }

    public var variance: Tensor {
        get throws {
            let m = try components.mean
            let secondMoment = weightedSum(try components.variance + m * m)
            let first = try mean
            return (secondMoment - first * first).broadcasted(to: batchShape + eventShape)
        }
    }

    public func entropy() throws -> Tensor {
        throw SVIError.notImplemented("MixtureSameFamily has no closed-form entropy")
    }

    public func cdf(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        return weightedSum(try components.cdf(value.expandingShape(at: -1)))
    }
}
