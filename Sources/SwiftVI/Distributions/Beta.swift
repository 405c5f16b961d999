import RealModule

/// The beta distribution on [0, 1] with `concentration1` α (the exponent of x)
/// and `concentration0` β (that of 1 − x): density xᵅ⁻¹(1 − x)^(β−1)/B(α, β).
public struct Beta: Distribution {
    public let concentration1: Tensor
    public let concentration0: Tensor
    public let batchShape: [Int]

    /// Throws unless both concentrations are positive and finite and their shapes broadcast.
    public init(concentration1: Tensor, concentration0: Tensor) throws {
        try ParameterCheck.positive(concentration1, "Beta", "concentration1")
        try ParameterCheck.positive(concentration0, "Beta", "concentration0")
        batchShape = try ParameterCheck.batchShape(
            "Beta", [("concentration1", concentration1), ("concentration0", concentration0)])
        self.concentration1 = concentration1
        self.concentration0 = concentration0
    }

    public var familyName: String { "Beta" }
    public var eventShape: [Int] { [] }
    public var support: Constraint { .unitInterval }
    /// Samples are X/(X + Y) with X, Y reparameterized Gamma(α, 1), Gamma(β, 1) draws.
    public var hasReparameterizedSample: Bool { true }

    /// log(xᵅ(1 − x)ᵝ/B(α, β)) − log x − log(1 − x), the first term formed stably for
    /// large α, β; at x = 0 or 1 the density's limit.
    public func logProb(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        return Tensor.map(value, concentration1, concentration0) { x, a, b in
            guard x >= 0, x <= 1 else { return (-.infinity, 0, 0, 0) }
            if x == 0 { return (logPowerLimitAtZero(a - 1) - logBeta(a, b), 0, 0, 0) }
            if x == 1 { return (logPowerLimitAtZero(b - 1) - logBeta(a, b), 0, 0, 0) }
            let y = 1 - x, total = digamma(a + b)
            let logX = Double.log(x), logY = Double.log(onePlus: -x)
            return (logIncompleteBetaPrefix(a, b, x: x, y: y) - logX - logY,
                    (a - 1) / x - (b - 1) / y, logX - digamma(a) + total, logY - digamma(b) + total)
        }
    }

    /// X/(X + Y) = sigmoid(log X − log Y), in log space so that small
    /// concentrations, whose Gamma draws underflow, still give the right law.
    public func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor {
        let shape = sampleShape + batchShape, keys = key.split(2)
        let logX = Tensor.standardGammaLog(concentration: concentration1.broadcasted(to: batchShape), shape: shape, key: keys[0])
        let logY = Tensor.standardGammaLog(concentration: concentration0.broadcasted(to: batchShape), shape: shape, key: keys[1])
        return (logX - logY).sigmoid()
    }

    private var total: Tensor { concentration1 + concentration0 }

    public var mean: Tensor { (concentration1 / total).broadcasted(to: batchShape) }

    /// αβ/((α + β)²(α + β + 1)).
    public var variance: Tensor {
        (concentration1 * concentration0 / (total.squared() * (total + 1))).broadcasted(to: batchShape)
    }

    /// log B(α, β) − (α − 1)ψ(α) − (β − 1)ψ(β) + (α + β − 2)ψ(α + β).
    public func entropy() -> Tensor {
        Tensor.map(concentration1, concentration0) { a, b in
            let (da, db, dt) = (digamma(a), digamma(b), digamma(a + b))
            let (ta, tb, tt) = (trigamma(a), trigamma(b), trigamma(a + b))
            let value = logBeta(a, b) - (a - 1) * da - (b - 1) * db + (a + b - 2) * dt
            return (value, -(a - 1) * ta + (a + b - 2) * tt, -(b - 1) * tb + (a + b - 2) * tt)
        }.broadcasted(to: batchShape)
    }

    /// Iₓ(α, β); derivatives in α and β are numerical (`richardsonDerivative`),
    /// formed only for recorded parameters.
    public func cdf(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        let differentiate = (concentration1.isTracked, concentration0.isTracked)
        return Tensor.map(value, concentration1, concentration0) { x, a, b in
            guard x > 0 else { return (0, 0, 0, 0) }
            guard x < 1 else { return (1, 0, 0, 0) }
            let density = Double.exp(logIncompleteBetaPrefix(a, b, x: x, y: 1 - x)) / (x * (1 - x))
            return (regularizedIncompleteBeta(a, b, x), density,
                    differentiate.0 ? richardsonDerivative(at: a) { regularizedIncompleteBeta($0, b, x) } : 0,
                    differentiate.1 ? richardsonDerivative(at: b) { regularizedIncompleteBeta(a, $0, x) } : 0)
        }
    }

    /// I⁻¹(α, β, p); derivatives in α and β are numerical (`richardsonDerivative`),
    /// formed only for recorded parameters.
    public func icdf(_ probability: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: probability.shape)
        let differentiate = (concentration1.isTracked, concentration0.isTracked)
        return Tensor.map(probability, concentration1, concentration0) { p, a, b in
            let (x, y) = incompleteBetaQuantile(a, b, p: p, q: 1 - p)
            guard x > 0, y > 0 else { return (x, 0, 0, 0) }
            let density = Double.exp(logIncompleteBetaPrefix(a, b, x: x, y: y)) / (x * y)
            return (x, 1 / density,
                    differentiate.0 ? richardsonDerivative(at: a) { inverseRegularizedIncompleteBeta($0, b, p) } : 0,
                    differentiate.1 ? richardsonDerivative(at: b) { inverseRegularizedIncompleteBeta(a, $0, p) } : 0)
        }
    }
}
