import RealModule

/// The Laplace (double exponential) distribution with median `loc` and scale
/// `scale`: density exp(-|x - loc| / scale) / (2 scale).
public struct Laplace: LocationScaleFamily {
    public let loc: Tensor
    public let scale: Tensor
    public let batchShape: [Int]

    /// Throws when `loc` is not finite, `scale` is not positive and finite, or
    /// the shapes do not broadcast.
    public init(loc: Tensor, scale: Tensor) throws {
        batchShape = try ParameterCheck.locationScale("Laplace", loc: loc, scale: scale)
        self.loc = loc
        self.scale = scale
    }

    public var familyName: String { "Laplace" }
    public var support: Constraint { .real }

    public var mean: Tensor { loc.broadcasted(to: batchShape) }
    /// 2 scale².
    public var variance: Tensor { (2 * scale.squared()).broadcasted(to: batchShape) }

    /// 1 + log(2 scale).
    public func entropy() -> Tensor {
        (scale.log() + (1 + Double.log(2))).broadcasted(to: batchShape)
    }

    static func standardLogDensity(_ z: Double) -> (value: Double, derivative: Double) {
        (-Double.log(2) - abs(z), z > 0 ? -1 : z < 0 ? 1 : 0)
    }

    static func standardCDF(_ z: Double) -> Double {
        z < 0 ? 0.5 * Double.exp(z) : 1 - 0.5 * Double.exp(-z)
    }

    /// log(2p) below ½ and -log(2(1 - p)) above: 2p and 1 - p are exact there.
    static func standardQuantile(_ p: Double) -> Double {
        p <= 0.5 ? Double.log(2 * p) : -Double.log(2 * (1 - p))
    }
}
