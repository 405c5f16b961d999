/// A Normal over the whole unconstrained latent vector with covariance
/// diag(s) (W Wᵀ + I) diag(s), as NumPyro's AutoLowRankMultivariateNormal:
/// parameters `auto_loc` (length D), `auto_cov_factor` (W, D × rank, starting
/// at zero) and `auto_scale` (s, length D, stored through softplus, starting at
/// `initScale`). The draws are those of LowRankMultivariateNormal with
/// cov_factor diag(s) W and cov_diag s².
public struct AutoLowRankMultivariateNormal: MultivariateNormalGuide {
    public let model: any LogDensityModel
    public let rank: Int
    public let initScale: Double
    /// How `auto_loc` starts.
    public let initLocFn: InitStrategy

    /// `rank` defaults to round(√D), as in NumPyro. Throws unless the rank is
    /// at least 1, `initScale` is positive and finite and `initLocFn` is valid.
    public init(model: any LogDensityModel, rank: Int? = nil, initScale: Double = 0.1,
                initLocFn: InitStrategy = .initToUniform()) throws {
        try checkAutoGuideSettings("AutoLowRankMultivariateNormal", model: model, initScale: initScale, initLocFn: initLocFn)
        let rank = rank ?? Int(Double(model.dimension).squareRoot().rounded())
        guard rank >= 1 else {
            throw SVIError.invalidArgument("AutoLowRankMultivariateNormal: rank must be at least 1; got \(rank)")
        }
        self.model = model
        self.rank = rank
        self.initScale = initScale
        self.initLocFn = initLocFn
    }

    public var parameterBlocks: [ParameterBlock] {
        [ParameterBlock(name: "auto_loc", size: dimension, constraint: .real),
         ParameterBlock(name: "auto_cov_factor", size: dimension * rank, constraint: .real, shape: [dimension, rank]),
         ParameterBlock(name: "auto_scale", size: dimension, constraint: .softplusPositive)]
    }

    public func initialParameters(key: PRNGKey) throws -> [Double] {
        try model.initialPoint(initLocFn, key: key) + [Double](repeating: 0, count: dimension * rank)
            + [Double](repeating: inverseSoftplus(initScale), count: dimension)
    }

    /// The guide's distribution at the flat `parameters`.
    public func posterior(_ parameters: Tensor) throws -> LowRankMultivariateNormal {
        let d = dimension, k = rank
        let factor = parameters.gathering(Array(d ..< d + d * k), shape: [d, k])
        let scale = parameters.gathering(Array(d + d * k ..< 2 * d + d * k), shape: [d]).softplus()
        return try LowRankMultivariateNormal(loc: parameters.gathering(Array(0..<d), shape: [d]),
                                             covFactor: factor * scale.expandingShape(at: -1),
                                             covDiag: scale.squared())
    }
}
