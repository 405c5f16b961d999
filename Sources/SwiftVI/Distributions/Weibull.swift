import RealModule

/// The Weibull distribution with scale λ = `scale` and shape k = `concentration`
/// (PyTorch's and NumPyro's order): density (k/λ)(x/λ)^(k-1) exp(-(x/λ)^k) for x ≥ 0.
public struct Weibull: Distribution {
    public let scale: Tensor
    public let concentration: Tensor
    public let batchShape: [Int]

    /// Throws when `scale` or `concentration` is not positive and finite, or
    /// the shapes do not broadcast.
    public init(scale: Tensor, concentration: Tensor) throws {
        try ParameterCheck.positive(scale, "Weibull", "scale")
        try ParameterCheck.positive(concentration, "Weibull", "concentration")
        batchShape = try ParameterCheck.batchShape("Weibull", [("scale", scale), ("concentration", concentration)])
        self.scale = scale
        self.concentration = concentration
    }

    public var familyName: String { "Weibull" }
    public var eventShape: [Int] { [] }
    public var support: Constraint { .positive }
    public var hasReparameterizedSample: Bool { true }

    /// At x = 0 the density is +inf, 1/λ or 0 as k <, = or > 1 (as scipy), with zero partials.
    public func logProb(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        return Tensor.map(value, scale, concentration) { x, lambda, k in
            guard x > 0 else {
                let atZero = k < 1 ? Double.infinity : k == 1 ? -Double.log(lambda) : -.infinity
                return (x == 0 ? atZero : -.infinity, 0, 0, 0)
            }
            let logZ = Double.log(x / lambda), t = Double.exp(k * logZ)  // t = (x/λ)^k
            return (Double.log(k) - Double.log(lambda) + (k - 1) * logZ - t,
                    (k - 1 - k * t) / x, k * (t - 1) / lambda, 1 / k + logZ * (1 - t))
        }
    }

    public func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor {
        inverseTransformSample(sampleShape, batchShape, key: key, quantile)
    }

    /// λ Γ(1 + 1/k).
    public var mean: Tensor {
        Tensor.map(scale, concentration) { lambda, k in
            let g = Double.exp(Double.logGamma(1 + 1 / k))
            return (lambda * g, g, -lambda * g * digamma(1 + 1 / k) / (k * k))
        }.broadcasted(to: batchShape)
    }

    /// λ² (Γ(1 + 2/k) - Γ(1 + 1/k)²), as λ² Γ(1 + 2/k) (-expm1(2 log Γ(1 + 1/k) - log Γ(1 + 2/k))).
    public var variance: Tensor {
        Tensor.map(scale, concentration) { lambda, k in
            let logG1 = Double.logGamma(1 + 1 / k), logG2 = Double.logGamma(1 + 2 / k)
            let v = lambda * lambda * Double.exp(logG2) * -Double.expMinusOne(2 * logG1 - logG2)
            let dk = lambda * lambda * -2 / (k * k)
                * (Double.exp(logG2) * digamma(1 + 2 / k) - Double.exp(2 * logG1) * digamma(1 + 1 / k))
            return (v, 2 * v / lambda, dk)
        }.broadcasted(to: batchShape)
    }

    /// γ (1 - 1/k) + log(λ/k) + 1, γ the Euler–Mascheroni constant.
    public func entropy() -> Tensor {
        (eulerMascheroni * (1 - 1 / concentration) + scale.log() - concentration.log() + 1).broadcasted(to: batchShape)
    }

    /// -expm1(-(x/λ)^k).
    public func cdf(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        return Tensor.map(value, scale, concentration) { x, lambda, k in
            guard x > 0 else { return (0, 0, 0, 0) }
            let logZ = Double.log(x / lambda), t = Double.exp(k * logZ), slope = t * Double.exp(-t)
            return (-Double.expMinusOne(-t), k * slope / x, -k * slope / lambda, logZ * slope)
        }
    }

    public func icdf(_ probability: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: probability.shape)
        return quantile(probability)
    }

    /// λ (-log(1 - p))^(1/k).
    private func quantile(_ probability: Tensor) -> Tensor {
        Tensor.map(probability, scale, concentration) { p, lambda, k in
            let h = -Double.log(onePlus: -p), x = lambda * Double.pow(h, 1 / k)
            guard x > 0, x.isFinite else { return (x, 0, 0, 0) }
            return (x, x / (k * h * (1 - p)), x / lambda, -x * Double.log(h) / (k * k))
        }
    }
}
