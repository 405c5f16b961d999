import RealModule

/// y = loc + scale · x elementwise, with NumPy broadcasting (NumPyro's `AffineTransform`).
///
/// The domain is the real line unless given as `.positive` or `.unitInterval`
/// (as `bijectTo` does for half-lines and intervals); the codomain is then the
/// image half-line or interval. With such a bounded domain the result is kept
/// inside the codomain despite rounding: an image that would round onto the
/// open end `loc` is moved to the next representable number beyond it, and an
/// image of [0, 1] never leaves [loc, loc + scale]. The log-determinant is
/// log |scale|, broadcast with x.
public struct AffineTransform: Transform {
    public let loc: Tensor
    public let scale: Tensor
    public let domain: Constraint

    /// Throws when `loc` is not finite, `scale` is zero or not finite, the shapes
    /// do not broadcast, the domain is not `.real`, `.positive` or
    /// `.unitInterval`, or the domain is bounded and `scale` changes sign.
    public init(loc: Tensor, scale: Tensor, domain: Constraint = .real) throws {
        try ParameterCheck.finite(loc, "AffineTransform", "loc")
        try ParameterCheck.require(scale, "AffineTransform", "scale", "nonzero and finite") { $0 != 0 && $0.isFinite }
        _ = try ParameterCheck.batchShape("AffineTransform", [("loc", loc), ("scale", scale)])
        switch domain {
        case .real: break
        case .positive, .unitInterval:
            guard scale.scalars.allSatisfy({ $0 > 0 }) || scale.scalars.allSatisfy({ $0 < 0 }) else {
                throw SVIError.invalidArgument("AffineTransform: scale must have one sign when the domain is \(domain.name)")
            }
        default:
            throw SVIError.invalidArgument("AffineTransform: the domain must be real, positive or unit_interval; got \(domain.name)")
        }
        self.loc = loc
        self.scale = scale
        self.domain = domain
    }

    public var name: String { "AffineTransform" }
    public var parameters: [Tensor] { [loc, scale] }
    private var increasing: Bool { scale.scalars.first.map { $0 > 0 } ?? true }

    public var codomain: Constraint {
        let start = loc.detached, end = (loc + scale).detached
        switch domain {
        case .positive: return increasing ? .greaterThan(start) : .lessThan(start)
        case .unitInterval: return increasing ? .interval(low: start, high: end) : .interval(low: end, high: start)
        default: return .real
        }
    }

    public var monotonicity: Tensor? { Tensor(shape: scale.shape, scalars: scale.scalars.map { $0 > 0 ? 1 : -1 }) }

    public func forwardShape(_ shape: [Int]) throws -> [Int] { try broadcastShape([shape, loc.shape, scale.shape]) }
    public func inverseShape(_ shape: [Int]) throws -> [Int] { try forwardShape(shape) }

    public func forward(_ x: Tensor) throws -> Tensor {
        _ = try forwardShape(x.shape)
        let domain = self.domain
        return Tensor.map(x, loc, scale) { v, l, s in
            (keptInImage(l + s * v, loc: l, scale: s, domain: domain), s, 1, v)
        }
    }

    public func inverse(_ y: Tensor) throws -> Tensor {
        _ = try inverseShape(y.shape)
        return Tensor.map(y, loc, scale) { v, l, s in ((v - l) / s, 1 / s, -1 / s, -(v - l) / (s * s)) }
    }

    public func logAbsDetJacobian(_ x: Tensor, _ y: Tensor) throws -> Tensor {
        _ = try forwardShape(x.shape)
        return Tensor.map(x, loc, scale) { _, _, s in (Double.log(abs(s)), 0, 0, 1 / s) }
    }
}

/// `y`, the image loc + scale · x of a point x of `domain`, moved back inside
/// the image of that domain when rounding put it on or beyond its boundary.
private func keptInImage(_ y: Double, loc: Double, scale: Double, domain: Constraint) -> Double {
    switch domain {
    case .positive:
        return scale > 0 ? max(y, loc.nextUp) : min(y, loc.nextDown)
    case .unitInterval:
        let end = loc + scale
        return min(max(y, min(loc, end)), max(loc, end))
    default:
        return y
    }
}
