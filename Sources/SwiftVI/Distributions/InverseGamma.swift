import RealModule

/// The inverse-gamma distribution with shape `concentration` α and scale `rate` β:
/// the law of β/G for G ~ Gamma(α, 1), density βᵅ x^(−α−1) e^(−β/x) / Γ(α) on x > 0.
public struct InverseGamma: Distribution {
    public let concentration: Tensor
    public let rate: Tensor
    public let batchShape: [Int]

    /// Throws unless `concentration` and `rate` are positive and finite and their shapes broadcast.
    public init(concentration: Tensor, rate: Tensor = 1) throws {
        batchShape = try Gamma.checkShapeAndRate("InverseGamma", concentration, rate)
        self.concentration = concentration
        self.rate = rate
    }

    public var familyName: String { "InverseGamma" }
    public var eventShape: [Int] { [] }
    public var support: Constraint { .positive }
    /// Samples are β/G with G a reparameterized Gamma(α, 1) draw.
    public var hasReparameterizedSample: Bool { true }

    public func logProb(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        return Tensor.map(value, concentration, rate) { x, a, b in
            let y = b / x
            guard x > 0, x.isFinite, y.isFinite else { return (-.infinity, 0, 0, 0) }
            // log(yᵅe⁻ʸ/Γ(α)) − log x with y = β/x, stable for large α.
            return (logGammaPrefix(a, y) - Double.log(x), (y - a - 1) / x, Double.log(y) - digamma(a), a / b - 1 / x)
        }
    }

    public func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor {
        rate / Tensor.standardGamma(concentration: concentration.broadcasted(to: batchShape),
                                    shape: sampleShape + batchShape, key: key)
    }

    /// β/(α − 1) for α > 1, +inf otherwise (as scipy).
    public var mean: Tensor {
        Tensor.map(concentration, rate) { a, b in
            a > 1 ? (b / (a - 1), -b / ((a - 1) * (a - 1)), 1 / (a - 1)) : (.infinity, 0, 0)
        }.broadcasted(to: batchShape)
    }

    /// β²/((α − 1)²(α − 2)) for α > 2, +inf otherwise (as scipy).
    public var variance: Tensor {
        Tensor.map(concentration, rate) { a, b in
            guard a > 2 else { return (.infinity, 0, 0) }
            let v = b * b / ((a - 1) * (a - 1) * (a - 2))
            return (v, -v * (2 / (a - 1) + 1 / (a - 2)), 2 * v / b)
        }.broadcasted(to: batchShape)
    }

    /// α + log β + log Γ(α) − (1 + α) ψ(α).
    public func entropy() -> Tensor {
        let entropy = Tensor.map(concentration) { a in
            (a + Double.logGamma(a) - (1 + a) * digamma(a), 1 - (1 + a) * trigamma(a))
        }
        return (entropy + rate.log()).broadcasted(to: batchShape)
    }

    /// Q(α, β/x), the regularized upper incomplete gamma function.
    public func cdf(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        return Tensor.map(value, concentration, rate) { x, a, b in
            guard x > 0 else { return (0, 0, 0, 0) }
            let y = b / x
            guard y.isFinite else { return (0, 0, 0, 0) }
            let prefix = gammaPrefix(a, y)  // yᵅe⁻ʸ/Γ(α)
            return (regularizedGammaQ(a, y), prefix / x, -regularizedGammaPDerivativeA(a, y), -prefix / b)
        }
    }

    /// β / Q⁻¹(α, p), solved on p as the upper tail of the Gamma.
    public func icdf(_ probability: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: probability.shape)
        return Tensor.map(probability, concentration, rate) { p, a, b in
            let y = gammaQuantile(a, p: 1 - p, q: p)
            let x = b / y
            guard y > 0, y.isFinite else { return (x, 0, 0, 0) }
            // x = β/y(p, α): dx/dp = −x/y · dy/dp with dy/dp = −y/prefix (Q decreasing in y).
            return (x, x / gammaPrefix(a, y), -x / y * standardGammaSampleDerivative(a, y), 1 / y)
        }
    }
}
