import RealModule

/// The Cauchy distribution with location 0 and the given `scale`, folded onto
/// x ≥ 0. Its mean and variance are infinite.
public struct HalfCauchy: HalfLineScaleFamily {
    public let scale: Tensor

    /// Throws when `scale` is not positive and finite.
    public init(scale: Tensor) throws {
        try ParameterCheck.positive(scale, "HalfCauchy", "scale")
        self.scale = scale
    }

    public var familyName: String { "HalfCauchy" }

    public var mean: Tensor { Tensor(shape: batchShape, scalars: [Double](repeating: .infinity, count: scale.count)) }
    public var variance: Tensor { mean }

    /// log(2π · scale).
    public func entropy() -> Tensor { scale.log() + Double.log(2 * Double.pi) }

    static func standardLogDensity(_ z: Double) -> (value: Double, derivative: Double) {
        guard z >= 0 else { return (-.infinity, 0) }
        return (Double.log(2 / Double.pi) - logOnePlusSquare(z), -2 / (z + 1 / z))
    }

    static func standardCDF(_ z: Double) -> Double {
        z > 0 ? 2 / Double.pi * Double.atan(z) : 0
    }

    /// tan(πp/2), as cot(π(1 - p)/2) above ½ so that p near 1 loses nothing.
    static func standardQuantile(_ p: Double) -> Double {
        p <= 0.5 ? Double.tan(0.5 * Double.pi * p) : 1 / Double.tan(0.5 * Double.pi * (1 - p))
    }
}
