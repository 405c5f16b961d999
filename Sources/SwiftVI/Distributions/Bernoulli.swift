import RealModule

/// The Bernoulli distribution on {0, 1}: 1 with probability p, given as
/// `probs` or `logits`.
public struct Bernoulli: BernoulliTrials {
    public let success: SuccessProbability

    /// Throws unless every probability is in [0, 1].
    public init(probs: Tensor) throws {
        success = try SuccessProbability("Bernoulli", probs: probs, requirement: "in [0, 1]") { $0 >= 0 && $0 <= 1 }
    }

    /// Throws unless every logit is finite.
    public init(logits: Tensor) throws {
        success = try SuccessProbability("Bernoulli", logits: logits)
    }

    public var familyName: String { "Bernoulli" }
    public var batchShape: [Int] { success.parameter.shape }
    public var support: Constraint { .boolean }

    public func logProb(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        let success = success
        return Tensor.map(value, success.parameter) { x, theta in
            guard x == 0 || x == 1 else { return (-.infinity, 0, 0) }
            let t = success.terms(theta)
            return x == 1 ? (t.logP, 0, t.dLogP) : (t.logQ, 0, t.dLogQ)
        }
    }

    public func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor {
        let shape = sampleShape + batchShape
        let p = probs.detached.broadcasted(to: shape).scalars
        return Tensor(shape: shape, scalars: zip(key.uniform(p.count), p).map { $0 < $1 ? 1 : 0 })
    }

    /// P(X ≤ x): 0 below 0, 1 − p on [0, 1), 1 from 1 on.
    public func cdf(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        let success = success
        return Tensor.map(value, success.parameter) { x, theta in
            if x < 0 { return (0, 0, 0) }
            if x >= 1 { return (1, 0, 0) }
            let t = success.terms(theta)
            return (t.q, 0, -t.dP)
        }
    }

    public var mean: Tensor { probs }
    public var variance: Tensor { success.power(p: 1, q: 1) }

    public func entropy() -> Tensor {
        let success = success
        return Tensor.map(success.parameter) { theta in
            let t = success.terms(theta)
            // H = −p log p − q log q; dH/dθ = p′ (log q − log p).
            return (-weighted(t.p, t.logP) - weighted(t.q, t.logQ), t.dP * (t.logQ - t.logP))
        }
    }
}
