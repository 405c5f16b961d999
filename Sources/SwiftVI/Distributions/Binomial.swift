import RealModule

/// The binomial distribution: the number of successes in `totalCount`
/// independent trials of success probability p, given as `probs` or `logits`.
/// Gradients flow to p; `totalCount` is an integer count and is not differentiated.
public struct Binomial: BernoulliTrials {
    /// The number of trials, detached from any tape.
    public let totalCount: Tensor
    public let success: SuccessProbability
    public let batchShape: [Int]

    /// Throws unless `totalCount` holds non-negative integers, every probability
    /// is in [0, 1], and the shapes broadcast.
    public init(totalCount: Tensor, probs: Tensor) throws {
        try self.init(totalCount, try SuccessProbability("Binomial", probs: probs, requirement: "in [0, 1]") {
            $0 >= 0 && $0 <= 1
        })
    }

    /// Throws unless `totalCount` holds non-negative integers, every logit is
    /// finite, and the shapes broadcast.
    public init(totalCount: Tensor, logits: Tensor) throws {
        try self.init(totalCount, try SuccessProbability("Binomial", logits: logits))
    }

    private init(_ totalCount: Tensor, _ success: SuccessProbability) throws {
        try ParameterCheck.require(totalCount, "Binomial", "total_count", "a non-negative integer below 2^53") {
            isInteger($0, from: 0, through: 0x1p53)
        }
        batchShape = try ParameterCheck.batchShape("Binomial", [("total_count", totalCount), (success.parameterName, success.parameter)])
        self.totalCount = totalCount.detached
        self.success = success
    }

    public var familyName: String { "Binomial" }
    public var support: Constraint { .integerInterval(low: Tensor(0), high: totalCount) }

    public func logProb(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        let success = success
        return Tensor.map(value, totalCount, success.parameter) { k, n, theta in
            guard isInteger(k, from: 0, through: n) else { return (-.infinity, 0, 0, 0) }
            let t = success.terms(theta)
            let logMass = binomialLogMass(k, n: n, p: t.p, q: t.q, logP: t.logP, logQ: t.logQ)
            return (logMass, 0, 0, weighted(k, t.dLogP) + weighted(n - k, t.dLogQ))
        }
    }

    /// Draws by inversion when n·min(p, 1 − p) < 10 and by BTRS rejection otherwise.
    public func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor {
        let shape = sampleShape + batchShape
        let n = totalCount.broadcasted(to: shape).scalars
        let theta = success.parameter.detached.broadcasted(to: shape).scalars
        return Tensor(shape: shape, scalars: n.indices.map { i in
            let t = success.terms(theta[i])
            return binomialDraw(n: n[i], p: t.p, q: t.q, key: key.foldIn(UInt32(truncatingIfNeeded: i)))
        })
    }

    /// P(X ≤ x) = I₁₋ₚ(n − ⌊x⌋, ⌊x⌋ + 1), the regularized incomplete beta
    /// function; its derivative in p is −n P(Y = k) at k = ⌊x⌋, Y ~ Binomial(n − 1, p).
    public func cdf(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        let success = success
        return Tensor.map(value, totalCount, success.parameter) { x, n, theta in
            guard x >= 0 else { return (0, 0, 0, 0) }
            let k = x.rounded(.down)
            guard k < n else { return (1, 0, 0, 0) }
            let t = success.terms(theta)
            let below = regularizedIncompleteBetaPair(n - k, k + 1, x: t.q, y: t.p).value
            let logMass = binomialLogMass(k, n: n - 1, p: t.p, q: t.q, logP: t.logP, logQ: t.logQ)
            return (below, 0, 0, -n * Double.exp(logMass) * t.dP)
        }
    }

    public var mean: Tensor { (totalCount * probs).broadcasted(to: batchShape) }
    public var variance: Tensor { (totalCount * success.power(p: 1, q: 1)).broadcasted(to: batchShape) }

    /// The exact series −Σ p log p over the support, summed outward from the mode.
    public func entropy() throws -> Tensor {
        let success = success
        return try Tensor.throwingMap(totalCount, success.parameter) { n, theta in
            let t = success.terms(theta)
            let (value, _, derivative) = try unimodalEntropy(
                "Binomial", mode: ((n + 1) * t.p).rounded(.down).clamped(to: 0...n), lower: 0, upper: n, tailRatio: 0,
                standardDeviation: Double.exp(0.5 * (Double.log(n) + t.logP + t.logQ))) { k in
                (binomialLogMass(k, n: n, p: t.p, q: t.q, logP: t.logP, logQ: t.logQ),
                 0, weighted(k, t.dLogP) + weighted(n - k, t.dLogQ))
            }
            return (value, 0, derivative)
        }
    }
}

extension Double {
    /// The value limited to `range`.
    func clamped(to range: ClosedRange<Double>) -> Double { Swift.min(Swift.max(self, range.lowerBound), range.upperBound) }
}
