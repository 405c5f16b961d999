import RealModule

/// The Poisson distribution on {0, 1, 2, …} with mean `rate`.
public struct Poisson: Distribution {
    public let rate: Tensor

    /// Throws unless every rate is non-negative and finite (rate 0 is the point mass at 0).
    public init(rate: Tensor) throws {
        try ParameterCheck.require(rate, "Poisson", "rate", "non-negative and finite") { $0 >= 0 && $0.isFinite }
        self.rate = rate
    }

    public var familyName: String { "Poisson" }
    public var batchShape: [Int] { rate.shape }
    public var eventShape: [Int] { [] }
    public var support: Constraint { .nonnegativeInteger }
    public var hasReparameterizedSample: Bool { false }

    public func logProb(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        return Tensor.map(value, rate) { k, lambda in
            guard isInteger(k, from: 0, through: .infinity) else { return (-.infinity, 0, 0) }
            return (poissonLogMass(k, rate: lambda), 0, k == 0 ? -1 : k / lambda - 1)
        }
    }

    /// Draws by inversion for rates below 10 and by PTRS rejection above.
    public func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor {
        let shape = sampleShape + batchShape
        let rates = rate.detached.broadcasted(to: shape).scalars
        return Tensor(shape: shape, scalars: rates.indices.map { i in
            poissonDraw(rate: rates[i], key: key.foldIn(UInt32(truncatingIfNeeded: i)))
        })
    }

    /// P(X ≤ x) = Q(⌊x⌋ + 1, λ), the regularized upper incomplete gamma function;
    /// its derivative in λ is −P(X = ⌊x⌋).
    public func cdf(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        return Tensor.map(value, rate) { x, lambda in
            guard x >= 0 else { return (0, 0, 0) }
            guard x.isFinite else { return (1, 0, 0) }
            let k = x.rounded(.down)
            return (regularizedGammaQ(k + 1, lambda), 0, -Double.exp(poissonLogMass(k, rate: lambda)))
        }
    }

    public var mean: Tensor { rate }
    public var variance: Tensor { rate }

    /// The exact series −Σ p log p; above rate 10⁵, its asymptotic expansion
    /// ½ log(2πeλ) − 1/(12λ) − 1/(24λ²) − 19/(360λ³), whose next term is below 1e-20.
    public func entropy() throws -> Tensor {
        try Tensor.throwingMap(rate) { lambda in
            if lambda == 0 { return (0, .infinity) }
            if lambda > 1e5 {
                let x = 1 / lambda
                return (0.5 * Double.log(2 * Double.pi * Double.exp(1) * lambda) - x * (1.0 / 12 + x * (1.0 / 24 + x * 19 / 360)),
                        x * (0.5 + x * (1.0 / 12 + x * (1.0 / 12 + x * 19 / 120))))
            }
            let (value, derivative, _) = try unimodalEntropy(
                "Poisson", mode: lambda.rounded(.down), lower: 0, upper: .infinity, tailRatio: 0,
                standardDeviation: lambda.squareRoot()) { k in
                (poissonLogMass(k, rate: lambda), k / lambda - 1, 0)
            }
            return (value, derivative)
        }
    }
}
