/// A point mass at each latent site, as NumPyro's AutoDelta: parameters
/// `<site>_auto_loc`, each the site's constrained value (stored through the
/// inverse of `bijectTo` of the site's constraint), so fitting it is MAP
/// estimation in the constrained space. Its log-density at its point is the
/// log |det| of the model's map from unconstrained coordinates (zero for real
/// sites), so with a model whose log-density is over the unconstrained
/// coordinates (as every `LogDensityModel`'s is) the ELBO is −log p of the
/// constrained values. Locations start at `initToMedian()` by default.
public struct AutoDelta: NormalMarginalsGuide {
    public let model: any LogDensityModel
    /// How the locations start.
    public let initLocFn: InitStrategy
    /// Each site's constrained value shape.
    private let valueShapes: [[Int]]

    /// Throws unless `initLocFn` is valid and the model maps a point to its
    /// constrained values.
    public init(model: any LogDensityModel, initLocFn: InitStrategy = .initToMedian()) throws {
        try checkContinuousLatents(of: model, "AutoDelta")
        try initLocFn.validate("AutoDelta")
        let values = try model.constrain(Tensor(shape: [1, model.dimension],
                                                scalars: [Double](repeating: 0, count: model.dimension))).values
        valueShapes = model.latents.map { Array(values[$0.name]!.shape.dropFirst()) }
        self.model = model
        self.initLocFn = initLocFn
    }

    public var parameterBlocks: [ParameterBlock] {
        zip(model.latents, valueShapes).map { block, shape in
            ParameterBlock(name: "\(block.name)_auto_loc", size: block.unconstrainedSize, constraint: .bijected(block.constraint),
                           shape: shape)
        }
    }

    public func initialParameters(key: PRNGKey) throws -> [Double] { try model.initialPoint(initLocFn, key: key) }

    public func sample(parameters: Tensor, count: Int, key: PRNGKey) throws -> (points: Tensor, logDensity: Tensor) {
        let points = pointMassDraws(parameters, dimension: dimension, count: count)
        return (points, try model.constrain(points).logAbsDetJacobian)
    }

    /// The point and zero scales.
    public func unconstrainedMarginals(parameters: [Double]) -> (loc: [Double], scale: [Double]) {
        (parameters, [Double](repeating: 0, count: dimension))
    }
}

/// The first `dimension` entries of `parameters` repeated as `count` rows,
/// shape [count, dimension].
func pointMassDraws(_ parameters: Tensor, dimension: Int, count: Int) -> Tensor {
    parameters.gathering((0..<count).flatMap { _ in 0..<dimension }, shape: [count, dimension])
}
