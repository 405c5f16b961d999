import RealModule

/// The Cauchy distribution with median `loc` and half-width at half-maximum `scale`.
/// Its mean and variance do not exist (NaN, as scipy reports).
public struct Cauchy: LocationScaleFamily {
    public let loc: Tensor
    public let scale: Tensor
    public let batchShape: [Int]

    /// Throws when `loc` is not finite, `scale` is not positive and finite, or
    /// the shapes do not broadcast.
    public init(loc: Tensor, scale: Tensor) throws {
        batchShape = try ParameterCheck.locationScale("Cauchy", loc: loc, scale: scale)
        self.loc = loc
        self.scale = scale
    }

    public var familyName: String { "Cauchy" }
    public var support: Constraint { .real }

    public var mean: Tensor { Tensor(shape: batchShape, scalars: [Double](repeating: .nan, count: batchShape.reduce(1, *))) }
    public var variance: Tensor { mean }

    /// log(4π · scale).
    public func entropy() -> Tensor {
        (scale.log() + Double.log(4 * Double.pi)).broadcasted(to: batchShape)
    }

    static func standardLogDensity(_ z: Double) -> (value: Double, derivative: Double) {
        (-Double.log(Double.pi) - logOnePlusSquare(z), -2 / (z + 1 / z))
    }

    /// ½ + atan(z)/π, written as atan2(1, -z)/π so the lower tail keeps its relative accuracy.
    static func standardCDF(_ z: Double) -> Double {
        Double.atan2(y: 1, x: -z) / Double.pi
    }

    /// tan(π(p - ½)), as -cot(πp) or cot(π(1 - p)) in the tails so that p near 0 or 1 loses nothing.
    static func standardQuantile(_ p: Double) -> Double {
        if p < 0.25 { return -1 / Double.tan(Double.pi * p) }
        if p > 0.75 { return 1 / Double.tan(Double.pi * (1 - p)) }
        return Double.tan(Double.pi * (p - 0.5))
    }
}

/// log(1 + z²) without overflow for huge |z|.
func logOnePlusSquare(_ z: Double) -> Double {
    abs(z) < 1e150 ? Double.log(onePlus: z * z) : 2 * Double.log(abs(z))
}
