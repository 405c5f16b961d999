/// A Normal with full covariance over the whole unconstrained latent vector,
/// as NumPyro's AutoMultivariateNormal: parameters `auto_loc` (length D) and
/// `auto_scale_tril` (the D × D lower Cholesky factor of the covariance,
/// stored as D(D+1)/2 reals through `bijectTo(.lowerCholesky)`), starting at
/// `initScale` times the identity.
public struct AutoMultivariateNormal: MultivariateNormalGuide {
    public let model: any LogDensityModel
    public let initScale: Double
    /// How `auto_loc` starts.
    public let initLocFn: InitStrategy
    /// The model's number of latent coordinates.
    public let dimension: Int

    /// Throws unless `initScale` is positive and finite and `initLocFn` is valid.
    public init(model: any LogDensityModel, initScale: Double = 0.1,
                initLocFn: InitStrategy = .initToUniform()) throws {
        try checkAutoGuideSettings("AutoMultivariateNormal", model: model, initScale: initScale, initLocFn: initLocFn)
        self.model = model
        dimension = model.dimension
        self.initScale = initScale
        self.initLocFn = initLocFn
    }

    private var packedCount: Int { dimension * (dimension + 1) / 2 }

    public var parameterBlocks: [ParameterBlock] {
        [ParameterBlock(name: "auto_loc", size: dimension, constraint: .real),
         ParameterBlock(name: "auto_scale_tril", size: packedCount, constraint: .bijected(.lowerCholesky),
                        shape: [dimension, dimension])]
    }

    public func initialParameters(key: PRNGKey) throws -> [Double] {
        let scaleTril = Tensor.identity(dimension) * initScale
        return try model.initialPoint(initLocFn, key: key) + bijectTo(.lowerCholesky).inverse(scaleTril).scalars
    }

    /// The guide's distribution at the flat `parameters`.
    public func posterior(_ parameters: Tensor) throws -> MultivariateNormal {
        let d = dimension
        let scaleTril = try bijectTo(.lowerCholesky).forward(parameters.gathering(Array(d ..< d + packedCount), shape: [packedCount]))
        return try MultivariateNormal(loc: parameters.gathering(Array(0..<d), shape: [d]), scaleTril: scaleTril)
    }
}
