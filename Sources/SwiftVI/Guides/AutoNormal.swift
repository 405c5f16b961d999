/// A diagonal Normal over every latent coordinate, as NumPyro's AutoNormal: for
/// each latent block `x` the parameters `x_auto_loc` and `x_auto_scale`, the
/// scale stored unconstrained through softplus.
public struct AutoNormal: Guide {
    /// How the locations start.
    public enum InitialLocation: Sendable {
        /// Uniform on (-radius, radius), as NumPyro's init_to_uniform.
        case uniform(radius: Double)
        /// The given values, one per latent coordinate.
        case values([Double])
    }

    public let latents: [LatentBlock]
    public let initScale: Double
    public let initialLocation: InitialLocation
    private let locOffsets: [Int]
    private let scaleOffsets: [Int]

    /// Throws unless `initScale` is positive and finite, a uniform radius is
    /// non-negative and finite, and given initial values are finite and one
    /// per latent coordinate.
    public init(model: any LogDensityModel, initScale: Double = 0.1,
                initialLocation: InitialLocation = .uniform(radius: 2)) throws {
        guard initScale > 0, initScale.isFinite else {
            throw SVIError.invalidArgument("AutoNormal: init scale must be positive and finite; got \(initScale)")
        }
        switch initialLocation {
        case .uniform(let r) where !(r >= 0 && r.isFinite):
            throw SVIError.invalidArgument("AutoNormal: init radius must be non-negative and finite; got \(r)")
        case .values(let v) where v.count != model.dimension:
            throw SVIError.shapeMismatch("AutoNormal: \(v.count) initial locations for \(model.dimension) latent coordinates")
        case .values(let v) where !v.allSatisfy(\.isFinite):
            throw SVIError.invalidArgument("AutoNormal: initial locations must be finite")
        default: break
        }
        latents = model.latents
        self.initScale = initScale
        self.initialLocation = initialLocation
        var locs: [Int] = [], scales: [Int] = [], offset = 0
        for block in latents {
            let size = block.unconstrainedSize
            locs += offset ..< offset + size
            scales += offset + size ..< offset + 2 * size
            offset += 2 * size
        }
        locOffsets = locs
        scaleOffsets = scales
    }

    public var dimension: Int { locOffsets.count }

    public var parameterBlocks: [ParameterBlock] {
        latents.flatMap {
            [ParameterBlock(name: "\($0.name)_auto_loc", size: $0.unconstrainedSize, constraint: .real),
             ParameterBlock(name: "\($0.name)_auto_scale", size: $0.unconstrainedSize, constraint: .softplusPositive)]
        }
    }

    public func initialParameters(key: PRNGKey) -> [Double] {
        let locs: [Double]
        switch initialLocation {
        case .uniform(let r): locs = key.uniform(dimension).map { (2 * $0 - 1) * r }
        case .values(let v): locs = v
        }
        var flat = [Double](repeating: inverseSoftplus(initScale), count: 2 * dimension)
        for (i, o) in locOffsets.enumerated() { flat[o] = locs[i] }
        return flat
    }

    public func sample(parameters: Tensor, count: Int, key: PRNGKey) throws -> (points: Tensor, logDensity: Tensor) {
        let q = try distribution(parameters)
        let z = q.sample([count], key: key)
        return (z, try q.logProb(z).sum(alongAxis: 1))
    }

    public func logDensity(_ points: Tensor, parameters: Tensor) throws -> Tensor {
        guard points.rank == 2, points.shape[1] == dimension else {
            throw SVIError.shapeMismatch("AutoNormal: points of shape \(points.shape); expected [S, \(dimension)]")
        }
        return try distribution(parameters).logProb(points).sum(alongAxis: 1)
    }

    /// The Normal over all coordinates that the flat `parameters` describe.
    private func distribution(_ parameters: Tensor) throws -> Normal {
        try Normal(loc: parameters.gathering(locOffsets, shape: [dimension]),
                   scale: parameters.gathering(scaleOffsets, shape: [dimension]).softplus())
    }
}
