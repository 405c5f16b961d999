import RealModule

/// The negative binomial distribution, as PyTorch and NumPyro: the number of
/// successes {0, 1, 2, …} before `totalCount` failures in trials of success
/// probability p, given as `probs` or `logits`:
/// P(k) = Γ(k + r)/(Γ(r) k!) · p^k (1 − p)^r with r = `totalCount` > 0 (real).
/// It is the Poisson mixture Poisson(λ), λ ~ Gamma(r, scale p/(1 − p)); scipy's
/// `nbinom(n = r, p = 1 − p)`. Gradients flow to both parameters.
public struct NegativeBinomial: BernoulliTrials {
    public let totalCount: Tensor
    public let success: SuccessProbability
    public let batchShape: [Int]

    /// Throws unless `totalCount` is positive and finite, every probability is
    /// in [0, 1), and the shapes broadcast.
    public init(totalCount: Tensor, probs: Tensor) throws {
        try self.init(totalCount, try SuccessProbability("NegativeBinomial", probs: probs, requirement: "in [0, 1)") {
            $0 >= 0 && $0 < 1
        })
    }

    /// Throws unless `totalCount` is positive and finite, every logit is finite,
    /// and the shapes broadcast.
    public init(totalCount: Tensor, logits: Tensor) throws {
        try self.init(totalCount, try SuccessProbability("NegativeBinomial", logits: logits))
    }

    private init(_ totalCount: Tensor, _ success: SuccessProbability) throws {
        try ParameterCheck.positive(totalCount, "NegativeBinomial", "total_count")
        batchShape = try ParameterCheck.batchShape("NegativeBinomial", [("total_count", totalCount), (success.parameterName, success.parameter)])
        self.totalCount = totalCount
        self.success = success
    }

    public var familyName: String { "NegativeBinomial" }
    public var support: Constraint { .nonnegativeInteger }

    /// log P(k) and its partials with respect to r and the probability parameter.
    private static func logMass(_ k: Double, _ r: Double, _ t: SuccessProbability.Terms) -> (Double, Double, Double) {
        // P(k) = r/(k + r) · Binomial(r | k + r, 1 − p), so the binomial saddle-point form keeps its accuracy.
        let binomial = binomialLogMass(r, n: k + r, p: t.q, q: t.p, logP: t.logQ, logQ: t.logP)
        return (Double.log(r / (k + r)) + binomial,
                digamma(k + r) - digamma(r) + t.logQ,
                weighted(k, t.dLogP) + r * t.dLogQ)
    }

    public func logProb(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        let success = success
        return Tensor.map(value, totalCount, success.parameter) { k, r, theta in
            guard isInteger(k, from: 0, through: .infinity) else { return (-.infinity, 0, 0, 0) }
            let (value, dr, dTheta) = NegativeBinomial.logMass(k, r, success.terms(theta))
            return (value, 0, dr, dTheta)
        }
    }

    /// Draws Poisson(λ) with λ a Gamma(r, scale p/(1 − p)) draw.
    public func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor {
        let shape = sampleShape + batchShape
        let r = totalCount.detached.broadcasted(to: shape).scalars
        let theta = success.parameter.detached.broadcasted(to: shape).scalars
        return Tensor(shape: shape, scalars: r.indices.map { i in
            let keys = key.foldIn(UInt32(truncatingIfNeeded: i)).split(2)
            let t = success.terms(theta[i])
            let rate = standardGammaSample(r[i], key: keys[0]) * Double.exp(t.logP - t.logQ)
            return poissonDraw(rate: rate, key: keys[1])
        })
    }

    /// r p/(1 − p).
    public var mean: Tensor { (totalCount * success.power(p: 1, q: -1)).broadcasted(to: batchShape) }
    /// r p/(1 − p)².
    public var variance: Tensor { (totalCount * success.power(p: 1, q: -2)).broadcasted(to: batchShape) }

    /// The exact series −Σ p log p, summed outward from the mode.
    public func entropy() throws -> Tensor {
        let success = success
        return try Tensor.throwingMap(totalCount, success.parameter) { r, theta in
            let t = success.terms(theta)
            let mode = r > 1 ? ((r - 1) * Double.exp(t.logP - t.logQ)).rounded(.down) : 0
            // variance r p/q², formed in logarithms
            let deviation = Double.exp(0.5 * (Double.log(r) + t.logP - 2 * t.logQ))
            return try unimodalEntropy("NegativeBinomial", mode: mode, lower: 0, upper: .infinity, tailRatio: t.p,
                                       standardDeviation: deviation) { k in
                NegativeBinomial.logMass(k, r, t)
            }
        }
    }
}
