import RealModule

/// The Gumbel (type I extreme value, maximum) distribution with mode `loc` and
/// scale `scale`: distribution function exp(-exp(-(x - loc) / scale)).
public struct Gumbel: LocationScaleFamily {
    public let loc: Tensor
    public let scale: Tensor
    public let batchShape: [Int]

    /// Throws when `loc` is not finite, `scale` is not positive and finite, or
    /// the shapes do not broadcast.
    public init(loc: Tensor, scale: Tensor) throws {
        batchShape = try ParameterCheck.locationScale("Gumbel", loc: loc, scale: scale)
        self.loc = loc
        self.scale = scale
    }

    public var familyName: String { "Gumbel" }
    public var support: Constraint { .real }

    /// loc + γ scale, γ the Euler–Mascheroni constant.
    public var mean: Tensor { (loc + eulerMascheroni * scale).broadcasted(to: batchShape) }
    /// π² scale² / 6.
    public var variance: Tensor { (Double.pi * Double.pi / 6 * scale.squared()).broadcasted(to: batchShape) }

    /// log(scale) + γ + 1.
    public func entropy() -> Tensor { (scale.log() + (eulerMascheroni + 1)).broadcasted(to: batchShape) }

    static func standardLogDensity(_ z: Double) -> (value: Double, derivative: Double) {
        let e = Double.exp(-z)
        guard e.isFinite else { return (-.infinity, 0) }
        return (-z - e, e - 1)
    }

    static func standardCDF(_ z: Double) -> Double { Double.exp(-Double.exp(-z)) }

    static func standardQuantile(_ p: Double) -> Double { -Double.log(-Double.log(p)) }
}

/// The Euler–Mascheroni constant γ.
let eulerMascheroni = 0.57721566490153286061
