import RealModule

/// The normal distribution with mean `loc` and standard deviation `scale`.
public struct Normal: Distribution {
    public let loc: Tensor
    public let scale: Tensor
    public let batchShape: [Int]

    /// Throws when `loc` is not finite, `scale` is not positive and finite, or
    /// the shapes do not broadcast.
    public init(loc: Tensor, scale: Tensor) throws {
        try ParameterCheck.finite(loc, "Normal", "loc")
        try ParameterCheck.positive(scale, "Normal", "scale")
        batchShape = try ParameterCheck.batchShape("Normal", [("loc", loc), ("scale", scale)])
        self.loc = loc
        self.scale = scale
    }

    public var familyName: String { "Normal" }
    public var eventShape: [Int] { [] }
    public var support: Constraint { .real }
    public var hasReparameterizedSample: Bool { true }

    public func logProb(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        return Tensor.map(value, loc, scale) { x, m, s in
            let z = (x - m) / s
            return (-0.5 * z * z - Double.log(s) - halfLogTwoPi, -z / s, z / s, (z * z - 1) / s)
        }
    }

    public func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor {
        let shape = sampleShape + batchShape
        return loc + scale * Tensor(shape: shape, scalars: key.normal(shape.reduce(1, *)))
    }

    public var mean: Tensor { loc.broadcasted(to: batchShape) }
    public var variance: Tensor { scale.squared().broadcasted(to: batchShape) }

    public func entropy() -> Tensor {
        (scale.log() + (0.5 + halfLogTwoPi)).broadcasted(to: batchShape)
    }

    public func cdf(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        return Tensor.map(value, loc, scale) { x, m, s in
            let z = (x - m) / s
            let density = Double.exp(-0.5 * z * z - halfLogTwoPi) / s
            return (standardNormalCDF(z), density, -density, -z * density)
        }
    }

    public func icdf(_ probability: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: probability.shape)
        return Tensor.map(probability, loc, scale) { p, m, s in
            let z = standardNormalQuantile(p)
            return (m + s * z, s / Double.exp(-0.5 * z * z - halfLogTwoPi), 1, z)
        }
    }
}

/// ½ log 2π.
let halfLogTwoPi = 0.91893853320467274178
