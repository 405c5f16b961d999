import RealModule

/// The geometric distribution of the number of failures {0, 1, 2, …} before the
/// first success in trials of success probability p, given as `probs` or `logits`:
/// P(k) = p (1 − p)^k, as NumPyro (scipy's `geom` shifted by loc = −1).
public struct Geometric: BernoulliTrials {
    public let success: SuccessProbability

    /// Throws unless every probability is in (0, 1].
    public init(probs: Tensor) throws {
        success = try SuccessProbability("Geometric", probs: probs, requirement: "in (0, 1]") { $0 > 0 && $0 <= 1 }
    }

    /// Throws unless every logit is finite.
    public init(logits: Tensor) throws {
        success = try SuccessProbability("Geometric", logits: logits)
    }

    public var familyName: String { "Geometric" }
    public var batchShape: [Int] { success.parameter.shape }
    public var support: Constraint { .nonnegativeInteger }

    public func logProb(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        let success = success
        return Tensor.map(value, success.parameter) { k, theta in
            guard isInteger(k, from: 0, through: .infinity) else { return (-.infinity, 0, 0) }
            let t = success.terms(theta)
            return (t.logP + weighted(k, t.logQ), 0, t.dLogP + weighted(k, t.dLogQ))
        }
    }

    /// Draws by inversion: ⌊log U / log(1 − p)⌋.
    public func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor {
        let shape = sampleShape + batchShape
        let theta = success.parameter.detached.broadcasted(to: shape).scalars
        let u = key.uniform(theta.count)
        return Tensor(shape: shape, scalars: theta.indices.map { i in
            (Double.log(u[i]) / success.terms(theta[i]).logQ).rounded(.down)
        })
    }

    /// P(X ≤ x) = 1 − (1 − p)^(⌊x⌋ + 1) for x ≥ 0.
    public func cdf(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        let success = success
        return Tensor.map(value, success.parameter) { x, theta in
            guard x >= 0 else { return (0, 0, 0) }
            let t = success.terms(theta)
            let trials = x.rounded(.down) + 1
            let survival = Double.exp(trials * t.logQ)
            return (-Double.expMinusOne(trials * t.logQ), 0, survival == 0 ? 0 : -survival * trials * t.dLogQ)
        }
    }

    /// (1 − p)/p.
    public var mean: Tensor { success.power(p: -1, q: 1) }
    /// (1 − p)/p².
    public var variance: Tensor { success.power(p: -2, q: 1) }

    /// −log p − (1 − p)/p · log(1 − p).
    public func entropy() -> Tensor {
        let success = success
        return Tensor.map(success.parameter) { theta in
            let t = success.terms(theta)
            let odds = Double.exp(t.logQ - t.logP)
            // dH/dθ = −log p′ − odds (log q′ − log p′) log q − odds log q′.
            return (-t.logP - weighted(odds, t.logQ),
                    -t.dLogP - weighted(odds, (t.dLogQ - t.dLogP) * t.logQ + t.dLogQ))
        }
    }
}
