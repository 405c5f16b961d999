/// A diagonal Normal over every latent coordinate, as NumPyro's AutoNormal: for
/// each latent block `x` the parameters `x_auto_loc` and `x_auto_scale`, the
/// scale stored unconstrained through softplus.
public struct AutoNormal: NormalMarginalsGuide {
    public let model: any LogDensityModel
    public let initScale: Double
    /// How the locations start.
    public let initLocFn: InitStrategy
    /// Where each coordinate's location and unconstrained scale sit in the flat parameters.
    let locOffsets: [Int]
    let scaleOffsets: [Int]

    /// Throws unless `initScale` is positive and finite and `initLocFn` is valid.
    public init(model: any LogDensityModel, initScale: Double = 0.1,
                initLocFn: InitStrategy = .initToUniform()) throws {
        try checkAutoGuideSettings("AutoNormal", model: model, initScale: initScale, initLocFn: initLocFn)
        self.model = model
        self.initScale = initScale
        self.initLocFn = initLocFn
        var locs: [Int] = [], scales: [Int] = [], offset = 0
        for block in model.latents {
            let size = block.unconstrainedSize
            locs += offset ..< offset + size
            scales += offset + size ..< offset + 2 * size
            offset += 2 * size
        }
        locOffsets = locs
        scaleOffsets = scales
    }

    public var parameterBlocks: [ParameterBlock] {
        model.latents.flatMap {
            [ParameterBlock(name: "\($0.name)_auto_loc", size: $0.unconstrainedSize, constraint: .real),
             ParameterBlock(name: "\($0.name)_auto_scale", size: $0.unconstrainedSize, constraint: .softplusPositive)]
        }
    }

    public func initialParameters(key: PRNGKey) throws -> [Double] {
        let locs = try model.initialPoint(initLocFn, key: key)
        var flat = [Double](repeating: inverseSoftplus(initScale), count: 2 * dimension)
        for (i, o) in locOffsets.enumerated() { flat[o] = locs[i] }
        return flat
    }

    public func sample(parameters: Tensor, count: Int, key: PRNGKey) throws -> (points: Tensor, logDensity: Tensor) {
        try diagonalNormalDraws(loc: parameters.gathering(locOffsets, shape: [dimension]),
                                scale: parameters.gathering(scaleOffsets, shape: [dimension]).softplus(),
                                count: count, key: key)
    }

    public func unconstrainedMarginals(parameters: [Double]) -> (loc: [Double], scale: [Double]) {
        (locOffsets.map { parameters[$0] }, scaleOffsets.map { softplus(parameters[$0]) })
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

/// `count` reparameterized draws of Normal(loc, scale) over vectors (shape
/// [count, D]) and their log-densities, shape [count].
func diagonalNormalDraws(loc: Tensor, scale: Tensor, count: Int, key: PRNGKey) throws -> (points: Tensor, logDensity: Tensor) {
    let q = try Normal(loc: loc, scale: scale)
    let z = q.sample([count], key: key)
    return (z, try q.logProb(z).sum(alongAxis: 1))
}
