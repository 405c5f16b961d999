import RealModule

/// The gamma distribution with shape `concentration` α and inverse scale `rate` β:
/// density βᵅ xᵅ⁻¹ e^(−βx) / Γ(α) on x > 0.
public struct Gamma: Distribution {
    public let concentration: Tensor
    public let rate: Tensor
    public let batchShape: [Int]

    /// Throws unless `concentration` and `rate` are positive and finite and their shapes broadcast.
    public init(concentration: Tensor, rate: Tensor = 1) throws {
        batchShape = try Gamma.checkShapeAndRate("Gamma", concentration, rate)
        self.concentration = concentration
        self.rate = rate
    }

    /// Checks a positive, finite concentration and rate of `family` and returns their broadcast shape.
    static func checkShapeAndRate(_ family: String, _ concentration: Tensor, _ rate: Tensor) throws -> [Int] {
        try ParameterCheck.positive(concentration, family, "concentration")
        try ParameterCheck.positive(rate, family, "rate")
        return try ParameterCheck.batchShape(family, [("concentration", concentration), ("rate", rate)])
    }

    public var familyName: String { "Gamma" }
    public var eventShape: [Int] { [] }
    public var support: Constraint { .positive }
    /// Samples carry implicit reparameterization gradients to both parameters.
    public var hasReparameterizedSample: Bool { true }

    /// At x = 0 the density's limit: log β for α = 1, +inf for α < 1, −inf for α > 1.
    public func logProb(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        return Tensor.map(value, concentration, rate) { x, a, b in
            let y = b * x
            guard x > 0, y.isFinite else {
                let atZero = a == 1 ? Double.log(b) : logPowerLimitAtZero(a - 1)
                return (x == 0 ? atZero : -.infinity, 0, 0, 0)
            }
            // log(yᵅe⁻ʸ/Γ(α)) − log x, stable for large α.
            return (logGammaPrefix(a, y) - Double.log(x), (a - 1) / x - b, Double.log(y) - digamma(a), a / b - x)
        }
    }

    public func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor {
        let shape = sampleShape + batchShape
        return Tensor.standardGamma(concentration: concentration.broadcasted(to: batchShape), shape: shape, key: key)
            / rate
    }

    public var mean: Tensor { (concentration / rate).broadcasted(to: batchShape) }
    public var variance: Tensor { (concentration / rate.squared()).broadcasted(to: batchShape) }

    /// α − log β + log Γ(α) + (1 − α) ψ(α).
    public func entropy() -> Tensor {
        let entropy = Tensor.map(concentration) { a in
            (a + Double.logGamma(a) + (1 - a) * digamma(a), 1 + (1 - a) * trigamma(a))
        }
        return (entropy - rate.log()).broadcasted(to: batchShape)
    }

    /// P(α, βx), the regularized lower incomplete gamma function.
    public func cdf(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        return Tensor.map(value, concentration, rate) { x, a, b in
            guard x > 0 else { return (0, 0, 0, 0) }
            let y = b * x
            let prefix = gammaPrefix(a, y)  // yᵅe⁻ʸ/Γ(α) = y · density of Gamma(α, 1) at y
            return (regularizedGammaP(a, y), prefix / x, regularizedGammaPDerivativeA(a, y), prefix / b)
        }
    }

    /// P⁻¹(α, p)/β.
    public func icdf(_ probability: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: probability.shape)
        return Tensor.map(probability, concentration, rate) { p, a, b in
            let y = gammaQuantile(a, p: p, q: 1 - p)
            guard y > 0, y.isFinite else { return (y / b, 0, 0, 0) }
            return (y / b, y / gammaPrefix(a, y) / b, standardGammaSampleDerivative(a, y) / b, -y / (b * b))
        }
    }
}
