import RealModule

/// The normal distribution with location `loc` and scale `scale` restricted to
/// [`low`, `high`] (either bound may be infinite) and renormalized.
///
/// Everything is computed for the standardized value z = (x - loc)/scale
/// between α = (low - loc)/scale and β = (high - loc)/scale, with the
/// normalizer Φ(β) - Φ(α) handled in log space (`logStandardNormalMass`), so
/// log-density, cdf, quantile and moments stay accurate when the interval
/// lies far in a tail (say α = 30, where Φ(β) - Φ(α) ≈ 5e-198).
public struct TruncatedNormal: Distribution {
    public let loc: Tensor
    public let scale: Tensor
    public let low: Tensor
    public let high: Tensor
    public let batchShape: [Int]

    /// Throws when `loc` is not finite, `scale` is not positive and finite,
    /// `low` < `high` fails anywhere, or the shapes do not broadcast. The
    /// defaults leave a side untruncated.
    public init(loc: Tensor, scale: Tensor, low: Tensor = Tensor(-.infinity), high: Tensor = Tensor(.infinity)) throws {
        try ParameterCheck.finite(loc, "TruncatedNormal", "loc")
        try ParameterCheck.positive(scale, "TruncatedNormal", "scale")
        batchShape = try ParameterCheck.batchShape(
            "TruncatedNormal", [("loc", loc), ("scale", scale), ("low", low), ("high", high)])
        try ParameterCheck.ordered(low, high, "TruncatedNormal")
        self.loc = loc
        self.scale = scale
        self.low = low
        self.high = high
    }

    public var familyName: String { "TruncatedNormal" }
    public var eventShape: [Int] { [] }
    public var hasReparameterizedSample: Bool { true }

    /// real, greaterThan(low), lessThan(high) or interval(low, high), as the bounds are infinite.
    public var support: Constraint {
        let lowerOpen = low.scalars.allSatisfy { $0 == -.infinity }
        let upperOpen = high.scalars.allSatisfy { $0 == .infinity }
        switch (lowerOpen, upperOpen) {
        case (true, true): return .real
        case (false, true): return .greaterThan(low)
        case (true, false): return .lessThan(high)
        case (false, false): return .interval(low: low, high: high)
        }
    }

    public func logProb(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        return Tensor.map(standardized(value), alpha, beta) { z, a, b in
            guard z >= a, z <= b else { return (-.infinity, 0, 0, 0) }
            let logMass = logStandardNormalMass(a, b)
            return (logStandardNormalDensity(z) - logMass, -z,
                    Double.exp(logStandardNormalDensity(a) - logMass), -Double.exp(logStandardNormalDensity(b) - logMass))
        } - scale.log()
    }

    /// Draws by the inverse cdf of uniform draws, reparameterized in all four parameters.
    public func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor {
        inverseTransformSample(sampleShape, batchShape, key: key, quantile)
    }

    /// (Φ(z) - Φ(α)) / (Φ(β) - Φ(α)), as a ratio of masses in log space.
    public func cdf(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        return Tensor.map(standardized(value), alpha, beta) { z, a, b in
            if z <= a { return (0, 0, 0, 0) }
            if z >= b { return (1, 0, 0, 0) }
            let logMass = logStandardNormalMass(a, b)
            let f = Double.exp(logStandardNormalMass(a, z) - logMass)
            let density = { (t: Double) in Double.exp(logStandardNormalDensity(t) - logMass) }
            return (f, density(z), -density(a) * (1 - f), -density(b) * f)
        }
    }

    public func icdf(_ probability: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: probability.shape)
        return quantile(probability)
    }

    /// loc + scale · (λ(α) - λ(β)) with λ(t) = φ(t) / (Φ(β) - Φ(α)).
    public var mean: Tensor { (loc + scale * standardizedSummary(\.mean)).broadcasted(to: batchShape) }
    /// scale² · (1 + αλ(α) - βλ(β) - (λ(α) - λ(β))²).
    public var variance: Tensor { (scale.squared() * standardizedSummary(\.variance)).broadcasted(to: batchShape) }
    /// log(√(2πe) scale (Φ(β) - Φ(α))) + (αλ(α) - βλ(β)) / 2.
    public func entropy() -> Tensor { (scale.log() + standardizedSummary(\.entropy)).broadcasted(to: batchShape) }

    /// (t - loc) / scale, with zero partials where t is infinite (an open side).
    private func standardized(_ t: Tensor) -> Tensor {
        Tensor.map(t, loc, scale) { x, m, s in
            let z = (x - m) / s
            return z.isFinite ? (z, 1 / s, -1 / s, -z / s) : (z, 0, 0, 0)
        }
    }

    private var alpha: Tensor { standardized(low) }
    private var beta: Tensor { standardized(high) }

    /// loc + scale · z with z solving (Φ(z) - Φ(α)) / (Φ(β) - Φ(α)) = p. Φ(z) is
    /// formed in log space as Φ(α) + p·mass when that is below ½, otherwise
    /// 1 - Φ(z) as Q(β) + (1 - p)·mass, and inverted by `standardNormalQuantileOfLog`,
    /// so no digits are lost to 1 - Φ in either tail.
    private func quantile(_ probability: Tensor) -> Tensor {
        let z = Tensor.map(probability, alpha, beta) { p, a, b in
            let logMass = logStandardNormalMass(a, b)
            let logLower = logSumExp([logStandardNormalCDF(a), Double.log(p) + logMass])
            var z = logLower <= -Double.log(2) ? standardNormalQuantileOfLog(logLower)
                : -standardNormalQuantileOfLog(logSumExp([logStandardNormalCDF(-b), Double.log(onePlus: -p) + logMass]))
            z = min(max(z, a), b)
            guard z.isFinite else { return (z, 0, 0, 0) }
            let logDensity = logStandardNormalDensity(z)
            return (z, Double.exp(logMass - logDensity),
                    (1 - p) * Double.exp(logStandardNormalDensity(a) - logDensity),
                    p * Double.exp(logStandardNormalDensity(b) - logDensity))
        }
        return loc + scale * z
    }

    /// One of the standardized mean, variance and entropy (those of the
    /// distribution with loc 0 and scale 1 on [α, β]), with its partials in α and β.
    private func standardizedSummary(_ part: KeyPath<StandardizedSummary, (Double, Double, Double)>) -> Tensor {
        Tensor.map(alpha, beta) { a, b in StandardizedSummary(a, b)[keyPath: part] }
    }
}

/// Mean, variance and entropy of the standard normal truncated to [a, b], each
/// as (value, ∂/∂a, ∂/∂b). With λa = φ(a)/M, λb = φ(b)/M and M = Φ(b) - Φ(a):
/// ∂λa/∂a = λa(λa - a), ∂λa/∂b = -λaλb, ∂λb/∂a = λaλb, ∂λb/∂b = -λb(b + λb).
private struct StandardizedSummary {
    let mean: (Double, Double, Double)
    let variance: (Double, Double, Double)
    let entropy: (Double, Double, Double)

    init(_ a: Double, _ b: Double) {
        let logMass = logStandardNormalMass(a, b)
        let (la, lb) = inverseMillsRatios(a, b, logMass: logMass)  // 0 at an infinite bound
        let (a, b) = (a.isFinite ? a : 0, b.isFinite ? b : 0)  // only ever multiplied by la or lb = 0
        let m = la - lb
        let dm = (la * (m - a), lb * (b - m))
        let tailA = a * la, tailB = b * lb  // aλa, bλb
        let dTailA = (la * (1 + a * la - a * a), -a * la * lb)
        let dTailB = (b * la * lb, lb * (1 - b * b - b * lb))
        mean = (m, dm.0, dm.1)
        variance = (1 + tailA - tailB - m * m,
                    dTailA.0 - dTailB.0 - 2 * m * dm.0, dTailA.1 - dTailB.1 - 2 * m * dm.1)
        entropy = (0.5 + halfLogTwoPi + logMass + 0.5 * (tailA - tailB),
                   -la + 0.5 * (dTailA.0 - dTailB.0), lb + 0.5 * (dTailA.1 - dTailB.1))
    }
}

/// (φ(a), φ(b)) / (Φ(b) - Φ(a)). When [a, b] lies in one tail they are formed
/// from Mills ratios, φ(a)/M = 1/(R(a) - e^((a² - b²)/2) R(b)) for a ≥ 0 and its
/// mirror image for b ≤ 0, because exp(log φ - log M) would carry the rounding
/// of two large logarithms (about 1e-13 relative at 30 scales out) into the
/// variance's cancellation 1 + aλa - λa².
private func inverseMillsRatios(_ a: Double, _ b: Double, logMass: Double) -> (Double, Double) {
    if a >= 0 || b <= 0 {
        let (near, far) = a >= 0 ? (a, b) : (-b, -a)  // near: the bound closer to the centre, mirrored to ≥ 0
        let decay = far.isFinite ? Double.exp(-0.5 * (far - near) * (far + near)) : 0  // φ(far)/φ(near)
        let lambdaNear = 1 / (standardNormalMillsRatio(near) - decay * (far.isFinite ? standardNormalMillsRatio(far) : 0))
        return a >= 0 ? (lambdaNear, decay * lambdaNear) : (decay * lambdaNear, lambdaNear)
    }
    return (Double.exp(logStandardNormalDensity(a) - logMass), Double.exp(logStandardNormalDensity(b) - logMass))
}
