/// The Laplace approximation, as NumPyro's AutoLaplaceApproximation: fitted as
/// a point mass at `auto_loc` in the model's unconstrained coordinates (log q
/// = 0, so the ELBO is −log p there and SVI finds the MAP point), then
/// `getPosterior` gives the Normal whose precision is the Hessian of −log p at
/// that point. `samplePosterior`, `median` and `quantiles` use that Normal.
///
/// When the model has learnable parameters of its own, the Hessian is that of
/// the model at its fitted parameters: `getPosterior`, `samplePosterior` and
/// the marginals take `auto_loc` followed by the model's unconstrained
/// parameters, as `SVIState.parameters` holds them. Given `auto_loc` alone
/// they use the model as it is (its initial parameters unless it was bound
/// with `withParameters`).
public struct AutoLaplaceApproximation: NormalMarginalsGuide {
    public let model: any LogDensityModel
    /// How `auto_loc` starts.
    public let initLocFn: InitStrategy

    /// Throws unless `initLocFn` is valid.
    public init(model: any LogDensityModel, initLocFn: InitStrategy = .initToUniform()) throws {
        try checkContinuousLatents(of: model, "AutoLaplaceApproximation")
        try initLocFn.validate("AutoLaplaceApproximation")
        self.model = model
        self.initLocFn = initLocFn
    }

    public var parameterBlocks: [ParameterBlock] {
        [ParameterBlock(name: "auto_loc", size: dimension, constraint: .real)]
    }

    public func initialParameters(key: PRNGKey) throws -> [Double] { try model.initialPoint(initLocFn, key: key) }

    public func sample(parameters: Tensor, count: Int, key: PRNGKey) throws -> (points: Tensor, logDensity: Tensor) {
        (pointMassDraws(parameters, dimension: dimension, count: count),
         Tensor(shape: [count], scalars: [Double](repeating: 0, count: count)))
    }

    /// The Normal at `auto_loc` with precision matrix the Hessian of −log p
    /// there (central differences of the tape gradient, symmetrized). Throws
    /// `SVIError.numerical` when the Hessian is not finite or not positive
    /// definite (the point is not a strict local maximum of the log-density).
    public func getPosterior(parameters: [Double]) throws -> MultivariateNormal {
        let loc = Array(parameters.prefix(dimension))
        let hessian = try negativeLogDensityHessian(of: fittedModel(parameters), at: loc)
        guard hessian.scalars.allSatisfy(\.isFinite), (try? hessian.cholesky()) != nil else {
            throw SVIError.numerical(
                "AutoLaplaceApproximation: the Hessian of -log p at auto_loc is not positive definite; the point is not a strict local maximum of the log-density (is the fit converged?)")
        }
        return try MultivariateNormal(loc: Tensor(loc), precisionMatrix: hessian)
    }

    /// The model at the parameters that follow `auto_loc` in `parameters`
    /// (see the type's description). Throws `shapeMismatch` unless
    /// `parameters` holds `auto_loc` alone or `auto_loc` and all of the
    /// model's parameters.
    private func fittedModel(_ parameters: [Double]) throws -> any LogDensityModel {
        switch parameters.count {
        case dimension: return model
        case dimension + model.parameterCount: return try model.withParameters(Tensor(Array(parameters[dimension...])))
        default:
            throw SVIError.shapeMismatch(
                "AutoLaplaceApproximation: \(parameters.count) parameters; expected auto_loc's \(dimension), optionally followed by the model's \(model.parameterCount)")
        }
    }

    /// ∂²(−log p)/∂xᵢ∂xⱼ of `model` at `x`: column j is (g(x + hⱼeⱼ) − g(x − hⱼeⱼ)) / 2hⱼ with
    /// g the gradient of −log p and hⱼ = 10⁻⁵ max(1, |xⱼ|), all 2D gradients
    /// from one batched evaluation.
    private func negativeLogDensityHessian(of model: any LogDensityModel, at x: [Double]) throws -> Tensor {
        let d = x.count
        let steps = x.map { 1e-5 * Swift.max(1, abs($0)) }
        var points: [Double] = []
        for j in 0..<d {
            for sign in [1.0, -1.0] {
                var p = x
                p[j] += sign * steps[j]
                points += p
            }
        }
        let (_, gradient) = try valueWithGradient(at: Tensor(shape: [2 * d, d], scalars: points)) {
            -(try model.logDensity($0)).sum()
        }
        let g = gradient.scalars
        var h = [Double](repeating: 0, count: d * d)
        for j in 0..<d {
            for i in 0..<d { h[i * d + j] = (g[2 * j * d + i] - g[(2 * j + 1) * d + i]) / (2 * steps[j]) }
        }
        let symmetric = (0..<(d * d)).map { e in 0.5 * (h[e] + h[(e % d) * d + e / d]) }
        return Tensor(shape: [d, d], scalars: symmetric)
    }

    /// Draws of `getPosterior`, mapped to the constrained values.
    public func samplePosterior(parameters: [Double], count: Int, key: PRNGKey) throws -> [String: Tensor] {
        try fittedModel(parameters).constrain(getPosterior(parameters: parameters).sample([count], key: key)).values
    }

    /// `auto_loc` and the square roots of the diagonal of the inverse Hessian.
    public func unconstrainedMarginals(parameters: [Double]) throws -> (loc: [Double], scale: [Double]) {
        let q = try getPosterior(parameters: parameters)
        return (q.loc.scalars, try q.variance.scalars.map { $0.squareRoot() })
    }
}
