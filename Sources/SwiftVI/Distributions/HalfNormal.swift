import RealModule

/// The normal distribution with mean 0 and standard deviation `scale`, folded
/// onto x ≥ 0.
public struct HalfNormal: HalfLineScaleFamily {
    public let scale: Tensor

    /// Throws when `scale` is not positive and finite.
    public init(scale: Tensor) throws {
        try ParameterCheck.positive(scale, "HalfNormal", "scale")
        self.scale = scale
    }

    public var familyName: String { "HalfNormal" }

    /// scale √(2/π).
    public var mean: Tensor { scale * (2 / Double.pi).squareRoot() }
    /// scale² (1 - 2/π).
    public var variance: Tensor { scale.squared() * (1 - 2 / Double.pi) }

    /// log(scale) + ½ log(πe/2).
    public func entropy() -> Tensor { scale.log() + 0.5 * Double.log(0.5 * Double.pi * Double.exp(1)) }

    static func standardLogDensity(_ z: Double) -> (value: Double, derivative: Double) {
        guard z >= 0 else { return (-.infinity, 0) }
        return (0.5 * Double.log(2 / Double.pi) - 0.5 * z * z, -z)
    }

    /// erf(z/√2) = 2Φ(z) - 1.
    static func standardCDF(_ z: Double) -> Double {
        z > 0 ? Double.erf(z / 2.0.squareRoot()) : 0
    }

    /// -Φ⁻¹((1 - p)/2), exact to start with when 1 - p is (p ≥ ½); below ½,
    /// where forming 1 - p would lose the low digits of a small p, refined by
    /// Newton steps on erf(z/√2) = p.
    static func standardQuantile(_ p: Double) -> Double {
        var z = -standardNormalQuantile(0.5 * (1 - p))
        guard p < 0.5 else { return z }
        for _ in 0..<3 {
            z -= (standardCDF(z) - p) / Double.exp(standardLogDensity(z).value)
        }
        return z
    }
}
