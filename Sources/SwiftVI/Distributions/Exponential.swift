import RealModule

/// The exponential distribution with `rate` λ: density λe^(−λx) on x > 0 (Gamma(1, λ)).
public struct Exponential: Distribution {
    public let rate: Tensor

    /// Throws unless `rate` is positive and finite.
    public init(rate: Tensor = 1) throws {
        try ParameterCheck.positive(rate, "Exponential", "rate")
        self.rate = rate
    }

    public var familyName: String { "Exponential" }
    public var batchShape: [Int] { rate.shape }
    public var eventShape: [Int] { [] }
    public var support: Constraint { .positive }
    public var hasReparameterizedSample: Bool { true }

    /// log λ − λx; at x = 0 the density's limit log λ.
    public func logProb(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        return Tensor.map(value, rate) { x, r in
            x >= 0 && x.isFinite ? (Double.log(r) - r * x, -r, 1 / r - x) : (-.infinity, 0, 0)
        }
    }

    /// −log(U)/λ: the inverse distribution function, exact and differentiable in λ.
    public func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor {
        let shape = sampleShape + batchShape
        return Tensor(shape: shape, scalars: key.uniform(shape.reduce(1, *)).map { -Double.log($0) }) / rate
    }

    public var mean: Tensor { 1 / rate }
    public var variance: Tensor { 1 / rate.squared() }
    /// 1 − log λ.
    public func entropy() -> Tensor { 1 - rate.log() }

    /// 1 − e^(−λx).
    public func cdf(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        return Tensor.map(value, rate) { x, r in
            guard x > 0 else { return (0, 0, 0) }
            let survival = Double.exp(-r * x)
            return (-Double.expMinusOne(-r * x), r * survival, x * survival)
        }
    }

    /// −log(1 − p)/λ.
    public func icdf(_ probability: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: probability.shape)
        return Tensor.map(probability, rate) { p, r in
            let x = -Double.log(onePlus: -p) / r
            return (x, 1 / (r * (1 - p)), -x / r)
        }
    }
}
