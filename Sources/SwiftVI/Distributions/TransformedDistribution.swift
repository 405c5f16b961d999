import RealModule

/// The distribution of y = f(x) for x drawn from `base`, with f the transforms
/// applied first to last (NumPyro's `TransformedDistribution`).
///
/// `logProb(y)` = base.logProb(x) - Σ log |det J| along the chain, with x
/// recovered by the inverses; values outside the support get -inf. When the
/// first transform's domain has more event dimensions than the base, the
/// base's rightmost batch dimensions are read as event dimensions (their
/// log-densities summed), as NumPyro does. Samples are the transformed base
/// samples, reparameterized exactly when the base's are.
///
/// `mean`, `variance` and `entropy` are known only when every transform is an
/// `AffineTransform` or `IdentityTransform` and the base is univariate (then
/// they follow from the base's); otherwise they throw `notImplemented`. `cdf`
/// and `icdf` are available when the base is univariate and every transform
/// is elementwise and monotone (Identity, Exp, Softplus, Sigmoid, Tanh,
/// Affine, Power and their inverses and compositions); for a decreasing chain
/// the cdf is 1 - F(x), accurate in absolute rather than relative terms in its
/// lower tail.
public struct TransformedDistribution: Distribution {
    public let base: any Distribution
    public let transforms: [any Transform]
    public let batchShape: [Int]
    public let eventShape: [Int]
    /// How many of the base's batch dimensions are read as event dimensions.
    let reinterpretedBaseDims: Int
    private let chain: ComposeTransform

    /// Throws when `transforms` is empty or the base's shape does not fit them.
    public init(base: any Distribution, transforms: [any Transform]) throws {
        guard !transforms.isEmpty else {
            throw SVIError.invalidArgument("TransformedDistribution: needs at least one transform")
        }
        let chain = try ComposeTransform(transforms)
        let baseShape = base.batchShape + base.eventShape, baseEventDim = base.eventShape.count
        let domainEventDim = chain.domain.eventDim
        guard baseShape.count >= domainEventDim else {
            throw SVIError.shapeMismatch(
                "TransformedDistribution: the transforms act on \(domainEventDim) dimensions; the base \(base.familyName) has shape \(baseShape)")
        }
        let shape = try chain.forwardShape(baseShape)
        let outputEventDim = chain.codomain.eventDim + max(baseEventDim - domainEventDim, 0)
        self.base = base
        self.transforms = transforms
        self.chain = chain
        reinterpretedBaseDims = max(domainEventDim - baseEventDim, 0)
        batchShape = Array(shape.dropLast(outputEventDim))
        eventShape = Array(shape.suffix(outputEventDim))
    }

    /// `TransformedDistribution(base:transforms:)` with one transform.
    public init(base: any Distribution, transform: any Transform) throws {
        try self.init(base: base, transforms: [transform])
    }

    public var familyName: String { "TransformedDistribution" }
    public var support: Constraint { widened(transforms.last!.codomain, to: eventShape.count) }
    public var hasReparameterizedSample: Bool { base.hasReparameterizedSample }

    public func logProb(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        var y = value, eventDim = eventShape.count
        var jacobians = [Tensor]()
        for t in transforms.reversed() {
            let x = try t.inverse(y)
            jacobians.append(try t.logAbsDetJacobian(x, y).summingRightmost(eventDim - t.codomain.eventDim))
            eventDim += t.domain.eventDim - t.codomain.eventDim
            y = x
        }
        var result = try base.logProb(y).summingRightmost(eventDim - base.eventShape.count)
        for j in jacobians {
            guard broadcastShapes(result.shape, j.shape) != nil else {
                throw SVIError.shapeMismatch("TransformedDistribution: log-determinant of shape \(j.shape) does not fit \(result.shape)")
            }
            result = result - j
        }
        let (shape, inside) = support.evaluate(value.detached)
        guard broadcastShapes(result.shape, shape) != nil else { return result }
        let mask = Tensor(shape: shape, scalars: inside.map { $0 ? 1 : 0 })
        return Tensor.map(result, mask) { lp, m in m == 1 ? (lp, 1, 0) : (-.infinity, 0, 0) }
    }

    public func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor {
        // Transform parameters with more dimensions than the base add leading batch
        // dimensions: the base's draws get them as ones, after the sample dimensions,
        // so that the parameters broadcast against the batch and not the sample.
        let baseShape = base.batchShape + base.eventShape
        let rankChange = transforms.reduce(0) { $0 + $1.codomain.eventDim - $1.domain.eventDim }
        let added = batchShape.count + eventShape.count - (baseShape.count + rankChange)
        var x = base.sample(sampleShape, key: key)
        if added > 0 { x = x.reshaped(sampleShape + [Int](repeating: 1, count: added) + baseShape) }
        // The shapes were checked when the distribution was made, so forward does not throw here.
        guard let y = try? chain.forward(x) else {
            let shape = sampleShape + batchShape + eventShape
            return Tensor(shape: shape, scalars: [Double](repeating: .nan, count: shape.reduce(1, *)))
        }
        return y
    }

    /// The location and scale of the whole chain when it is affine on a univariate base.
    private func affineChain(_ what: String) throws -> (loc: Tensor, scale: Tensor) {
        let unknown = SVIError.notImplemented(
            "TransformedDistribution: the \(what) is known only for affine transforms of a univariate base; estimate it from samples")
        // A base with event dimensions is refused even under Identity transforms.
        guard base.eventShape.isEmpty else { throw unknown }
        var loc = Tensor(0), scale = Tensor(1)
        for t in transforms {
            if t is IdentityTransform { continue }
            guard let affine = t as? AffineTransform else { throw unknown }
            loc = affine.loc + affine.scale * loc
            scale = affine.scale * scale
        }
        return (loc, scale)
    }

    public var mean: Tensor {
        get throws {
            let (loc, scale) = try affineChain("mean")
            return (loc + scale * (try base.mean)).broadcasted(to: batchShape)
        }
    }

    public var variance: Tensor {
        get throws {
            let (_, scale) = try affineChain("variance")
            return (scale.squared() * (try base.variance)).broadcasted(to: batchShape)
        }
    }

    public func entropy() throws -> Tensor {
        let (_, scale) = try affineChain("entropy")
        let logScale = Tensor.map(scale) { s in (Double.log(abs(s)), 1 / s) }
        return (try base.entropy() + logScale).broadcasted(to: batchShape)
    }

    /// The sign of the chain's derivative, when it is elementwise and monotone on a univariate base.
    private func monotoneSign(_ what: String) throws -> Tensor {
        guard base.eventShape.isEmpty, eventShape.isEmpty, let sign = chain.monotonicity else {
            throw SVIError.notImplemented(
                "TransformedDistribution: \(what) needs a univariate base and elementwise monotone transforms")
        }
        return sign
    }

    public func cdf(_ value: Tensor) throws -> Tensor {
        let sign = try monotoneSign("cdf")
        _ = try resultShape(forValueShape: value.shape)
        let baseCDF = try base.cdf(chain.inverse(value))
        guard broadcastShapes(baseCDF.shape, sign.shape) != nil else {
            throw SVIError.shapeMismatch("TransformedDistribution: cdf of shape \(baseCDF.shape) does not fit the transforms")
        }
        let inside = Tensor.map(baseCDF, sign) { f, s in s > 0 ? (f, 1, 0) : (1 - f, -1, 0) }
        // Outside the support: 0 below it, 1 above it.
        let (low, high) = supportEnds
        guard broadcastShapes([inside.shape, value.shape, low.shape, high.shape]) != nil else {
            throw SVIError.shapeMismatch("TransformedDistribution: a value of shape \(value.shape) does not fit the support's bounds")
        }
        return Tensor.map(Tensor.map(inside, value.detached, low) { f, y, a in y < a ? (0, 0, 0, 0) : (f, 1, 0, 0) },
                          value.detached, high) { f, y, b in y > b ? (1, 0, 0, 0) : (f, 1, 0, 0) }
    }

    public func icdf(_ probability: Tensor) throws -> Tensor {
        let sign = try monotoneSign("icdf")
        guard broadcastShapes(probability.shape, sign.shape) != nil else {
            throw SVIError.shapeMismatch("TransformedDistribution: probabilities of shape \(probability.shape) do not fit the transforms")
        }
        let q = Tensor.map(probability, sign) { p, s in s > 0 ? (p, 1, 0) : (1 - p, -1, 0) }
        return try chain.forward(base.icdf(q))
    }

    /// The ends of a univariate support (±inf where it is unbounded).
    private var supportEnds: (low: Tensor, high: Tensor) {
        switch support {
        case .positive, .nonnegative: (Tensor(0), Tensor(.infinity))
        case .unitInterval: (Tensor(0), Tensor(1))
        case .greaterThan(let a): (a, Tensor(.infinity))
        case .lessThan(let b): (Tensor(-.infinity), b)
        case .interval(let a, let b): (a, b)
        default: (Tensor(-.infinity), Tensor(.infinity))
        }
    }
}
