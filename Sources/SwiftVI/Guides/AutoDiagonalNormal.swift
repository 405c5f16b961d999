/// A Normal with diagonal covariance over the whole unconstrained latent
/// vector, as NumPyro's AutoDiagonalNormal: parameters `auto_loc` and
/// `auto_scale` (length D each; the scale stored through softplus).
public struct AutoDiagonalNormal: NormalMarginalsGuide {
    public let model: any LogDensityModel
    public let initScale: Double
    /// How `auto_loc` starts.
    public let initLocFn: InitStrategy

    /// Throws unless `initScale` is positive and finite and `initLocFn` is valid.
    public init(model: any LogDensityModel, initScale: Double = 0.1,
                initLocFn: InitStrategy = .initToUniform()) throws {
        try checkAutoGuideSettings("AutoDiagonalNormal", model: model, initScale: initScale, initLocFn: initLocFn)
        self.model = model
        self.initScale = initScale
        self.initLocFn = initLocFn
    }

    public var parameterBlocks: [ParameterBlock] {
        [ParameterBlock(name: "auto_loc", size: dimension, constraint: .real),
         ParameterBlock(name: "auto_scale", size: dimension, constraint: .softplusPositive)]
    }

    public func initialParameters(key: PRNGKey) throws -> [Double] {
        try model.initialPoint(initLocFn, key: key) + [Double](repeating: inverseSoftplus(initScale), count: dimension)
    }

    public func sample(parameters: Tensor, count: Int, key: PRNGKey) throws -> (points: Tensor, logDensity: Tensor) {
        let d = dimension
        return try diagonalNormalDraws(loc: parameters.gathering(Array(0..<d), shape: [d]),
                                       scale: parameters.gathering(Array(d ..< 2 * d), shape: [d]).softplus(),
                                       count: count, key: key)
    }

    public func unconstrainedMarginals(parameters: [Double]) -> (loc: [Double], scale: [Double]) {
        (Array(parameters[0..<dimension]), parameters[dimension ..< 2 * dimension].map(softplus))
    }
}
