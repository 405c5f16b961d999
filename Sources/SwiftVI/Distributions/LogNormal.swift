import RealModule

/// The distribution of exp(y) for y ~ Normal(`loc`, `scale`).
public struct LogNormal: Distribution {
    public let loc: Tensor
    public let scale: Tensor
    public let batchShape: [Int]

    /// Throws when `loc` is not finite, `scale` is not positive and finite, or
    /// the shapes do not broadcast.
    public init(loc: Tensor, scale: Tensor) throws {
        batchShape = try ParameterCheck.locationScale("LogNormal", loc: loc, scale: scale)
        self.loc = loc
        self.scale = scale
    }

    public var familyName: String { "LogNormal" }
    public var eventShape: [Int] { [] }
    public var support: Constraint { .positive }
    public var hasReparameterizedSample: Bool { true }

    public func logProb(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        return Tensor.map(value, loc, scale) { x, m, s in
            guard x > 0 else { return (-.infinity, 0, 0, 0) }
            let logX = Double.log(x), z = (logX - m) / s
            return (logStandardNormalDensity(z) - Double.log(s) - logX, -(z / s + 1) / x, z / s, (z * z - 1) / s)
        }
    }

    public func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor {
        let shape = sampleShape + batchShape
        return (loc + scale * Tensor(shape: shape, scalars: key.normal(shape.reduce(1, *)))).exp()
    }

    /// exp(loc + scale²/2).
    public var mean: Tensor { (loc + 0.5 * scale.squared()).exp().broadcasted(to: batchShape) }

    /// expm1(scale²) · exp(2 loc + scale²).
    public var variance: Tensor {
        Tensor.map(loc, scale) { m, s in
            let growth = Double.exp(2 * m + s * s), v = Double.expMinusOne(s * s) * growth
            return (v, 2 * v, 2 * s * (v + growth * Double.exp(s * s)))
        }.broadcasted(to: batchShape)
    }

    /// loc + log(scale) + ½ + ½ log 2π.
    public func entropy() -> Tensor {
        (loc + scale.log() + (0.5 + halfLogTwoPi)).broadcasted(to: batchShape)
    }

    public func cdf(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        return Tensor.map(value, loc, scale) { x, m, s in
            guard x > 0 else { return (0, 0, 0, 0) }
            let z = (Double.log(x) - m) / s
            let density = Double.exp(logStandardNormalDensity(z)) / s  // of log x
            return (standardNormalCDF(z), density / x, -density, -z * density)
        }
    }

    public func icdf(_ probability: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: probability.shape)
        return Tensor.map(probability, loc, scale) { p, m, s in
            let z = standardNormalQuantile(p), x = Double.exp(m + s * z)
            guard z.isFinite else { return (x, 0, 0, 0) }
            return (x, x * s / Double.exp(logStandardNormalDensity(z)), x, x * z)
        }
    }
}
