import RealModule

/// A family whose members are `loc + scale · z`, with z drawn from one fixed
/// standard member. Its log-density, cdf, quantile and reparameterized draws
/// all follow from the standard member's, each as one fused tape node with
/// partial derivatives for the value and both parameters.
protocol LocationScaleFamily: Distribution {
    /// The location (a constant 0 for families on the half-line).
    var loc: Tensor { get }
    /// The scale, positive.
    var scale: Tensor { get }
    /// log f(z) of the standard member and its derivative; (-inf, 0) outside the support.
    static func standardLogDensity(_ z: Double) -> (value: Double, derivative: Double)
    /// The distribution function F(z) of the standard member.
    static func standardCDF(_ z: Double) -> Double
    /// The quantile F⁻¹(p) of the standard member, for p in [0, 1].
    static func standardQuantile(_ p: Double) -> Double
}

extension LocationScaleFamily {
    public var eventShape: [Int] { [] }
    public var hasReparameterizedSample: Bool { true }

    public func logProb(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        return Tensor.map(value, loc, scale) { x, m, s in
            let z = (x - m) / s
            let (logDensity, slope) = Self.standardLogDensity(z)
            guard logDensity > -.infinity else { return (-.infinity, 0, 0, 0) }
            return (logDensity - Double.log(s), slope / s, -slope / s, -(z * slope + 1) / s)
        }
    }

    public func cdf(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        return Tensor.map(value, loc, scale) { x, m, s in
            let z = (x - m) / s
            let density = Double.exp(Self.standardLogDensity(z).value) / s
            guard density > 0 else { return (Self.standardCDF(z), 0, 0, 0) }
            return (Self.standardCDF(z), density, -density, -z * density)
        }
    }

    public func icdf(_ probability: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: probability.shape)
        return quantile(probability)
    }

    public func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor {
        inverseTransformSample(sampleShape, batchShape, key: key, quantile)
    }

    /// loc + scale · F⁻¹(p), with dx/dp = scale / f(z).
    private func quantile(_ probability: Tensor) -> Tensor {
        Tensor.map(probability, loc, scale) { p, m, s in
            let z = Self.standardQuantile(p)
            guard z.isFinite else { return (m + s * z, 0, 0, 0) }
            return (m + s * z, s * Double.exp(-Self.standardLogDensity(z).value), 1, z)
        }
    }
}

/// A location–scale family with location 0 folded onto x ≥ 0 (HalfNormal, HalfCauchy):
/// its batch shape is the scale's.
protocol HalfLineScaleFamily: LocationScaleFamily {}

extension HalfLineScaleFamily {
    var loc: Tensor { 0 }
    public var batchShape: [Int] { scale.shape }
    public var support: Constraint { .positive }
}

/// Draws of shape `sampleShape + batchShape` by the inverse-cdf method: `quantile`
/// (broadcasting the parameters) applied to uniform draws on (0, 1). Differentiable
/// with respect to the parameters wherever `quantile` is.
func inverseTransformSample(_ sampleShape: [Int], _ batchShape: [Int], key: PRNGKey,
                            _ quantile: (Tensor) -> Tensor) -> Tensor {
    let shape = sampleShape + batchShape
    return quantile(Tensor(shape: shape, scalars: key.uniform(shape.reduce(1, *))))
}
