import RealModule

/// The Pareto (type I) distribution with minimum `scale` and tail index `alpha`:
/// density alpha scaleᵅ / x^(alpha + 1) for x ≥ scale.
public struct Pareto: Distribution {
    public let scale: Tensor
    public let alpha: Tensor
    public let batchShape: [Int]

    /// Throws when `scale` or `alpha` is not positive and finite, or the shapes
    /// do not broadcast.
    public init(scale: Tensor, alpha: Tensor) throws {
        try ParameterCheck.positive(scale, "Pareto", "scale")
        try ParameterCheck.positive(alpha, "Pareto", "alpha")
        batchShape = try ParameterCheck.batchShape("Pareto", [("scale", scale), ("alpha", alpha)])
        self.scale = scale
        self.alpha = alpha
    }

    public var familyName: String { "Pareto" }
    public var eventShape: [Int] { [] }
    public var support: Constraint { .greaterThan(scale) }
    public var hasReparameterizedSample: Bool { true }

    /// log alpha - log scale - (alpha + 1) log(x / scale) for x ≥ scale.
    public func logProb(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        return Tensor.map(value, scale, alpha) { x, m, a in
            guard x >= m else { return (-.infinity, 0, 0, 0) }
            let r = Double.log(x / m)
            return (Double.log(a) - Double.log(m) - (a + 1) * r, -(a + 1) / x, a / m, 1 / a - r)
        }
    }

    public func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor {
        inverseTransformSample(sampleShape, batchShape, key: key, quantile)
    }

    /// alpha scale / (alpha - 1), infinite for alpha ≤ 1.
    public var mean: Tensor {
        Tensor.map(scale, alpha) { m, a in
            guard a > 1 else { return (.infinity, 0, 0) }
            return (a * m / (a - 1), a / (a - 1), -m / ((a - 1) * (a - 1)))
        }.broadcasted(to: batchShape)
    }

    /// scale² alpha / ((alpha - 1)² (alpha - 2)), infinite for alpha ≤ 2.
    public var variance: Tensor {
        Tensor.map(scale, alpha) { m, a in
            guard a > 2 else { return (.infinity, 0, 0) }
            let v = m * m * a / ((a - 1) * (a - 1) * (a - 2))
            return (v, 2 * v / m, v * (1 / a - 2 / (a - 1) - 1 / (a - 2)))
        }.broadcasted(to: batchShape)
    }

    /// log(scale / alpha) + 1/alpha + 1.
    public func entropy() -> Tensor {
        (scale.log() - alpha.log() + 1 / alpha + 1).broadcasted(to: batchShape)
    }

    /// 1 - (scale / x)^alpha, as -expm1(-alpha log(x / scale)).
    public func cdf(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        return Tensor.map(value, scale, alpha) { x, m, a in
            guard x > m else { return (0, 0, 0, 0) }
            let r = Double.log(x / m), survival = Double.exp(-a * r)
            return (-Double.expMinusOne(-a * r), a * survival / x, -a * survival / m, r * survival)
        }
    }

    public func icdf(_ probability: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: probability.shape)
        return quantile(probability)
    }

    /// scale (1 - p)^(-1/alpha).
    private func quantile(_ probability: Tensor) -> Tensor {
        Tensor.map(probability, scale, alpha) { p, m, a in
            let logSurvival = Double.log(onePlus: -p), x = m * Double.exp(-logSurvival / a)
            guard x.isFinite else { return (x, 0, 0, 0) }
            return (x, x / (a * (1 - p)), x / m, x * logSurvival / (a * a))
        }
    }
}
