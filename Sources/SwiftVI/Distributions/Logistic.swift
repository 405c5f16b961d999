import RealModule

/// The logistic distribution with median `loc` and scale `scale`: its
/// distribution function is sigmoid((x - loc) / scale).
public struct Logistic: LocationScaleFamily {
    public let loc: Tensor
    public let scale: Tensor
    public let batchShape: [Int]

    /// Throws when `loc` is not finite, `scale` is not positive and finite, or
    /// the shapes do not broadcast.
    public init(loc: Tensor, scale: Tensor) throws {
        batchShape = try ParameterCheck.locationScale("Logistic", loc: loc, scale: scale)
        self.loc = loc
        self.scale = scale
    }

    public var familyName: String { "Logistic" }
    public var support: Constraint { .real }

    public var mean: Tensor { loc.broadcasted(to: batchShape) }
    /// π² scale² / 3.
    public var variance: Tensor { (Double.pi * Double.pi / 3 * scale.squared()).broadcasted(to: batchShape) }

    /// log(scale) + 2.
    public func entropy() -> Tensor { (scale.log() + 2).broadcasted(to: batchShape) }

    /// log f(z) = -|z| - 2 log(1 + e^-|z|), with derivative -tanh(z/2).
    static func standardLogDensity(_ z: Double) -> (value: Double, derivative: Double) {
        (-abs(z) - 2 * Double.log(onePlus: Double.exp(-abs(z))), -Double.tanh(0.5 * z))
    }

    static func standardCDF(_ z: Double) -> Double { sigmoid(z) }

    /// logit(p) = log(p / (1 - p)); near ½ as log1p((2p - 1) / (1 - p)), whose
    /// numerator and denominator are exact there, so the result keeps its relative accuracy.
    static func standardQuantile(_ p: Double) -> Double {
        abs(p - 0.5) < 0.25 ? Double.log(onePlus: (2 * p - 1) / (1 - p)) : Double.log(p / (1 - p))
    }
}
