/// The Monte Carlo loss that Trace_ELBO and RenyiELBO share: `numParticles`
/// draws zₛ of the guide, their log-weights wₛ = log p(zₛ) − log q(zₛ), and the
/// negated bound F(w) that the ELBO estimates from them (the mean for
/// Trace_ELBO).
///
/// For a model with a gradient the draws are reparameterized and F(w) is
/// differentiated along them (the pathwise estimator). For a model without one
/// the gradient is the score-function estimator with a leave-one-out baseline
/// across the particles (`scoreFunctionSurrogate`, with all of log q as the
/// score term): with the draws held fixed,
/// ∇F ≈ Σₛ [F(w) − F(w₋ₛ)] ∇ log q(zₛ) + Σₛ ∂F/∂wₛ ∇wₛ, the second sum being
/// log q's own dependence on the parameters at the fixed draws. It needs at
/// least 2 particles and a guide that evaluates its density
/// (`Guide.logDensity(_:parameters:)`).
///
/// A `ProgramGuide` with sites that have no reparameterized sampler (see
/// `ProgramGuide.hasNonReparameterizedSites`) is run site by site instead:
/// each particle's log-weight is the log joint of the model run with the
/// guide's values minus the guide's log-density, differentiated pathwise, and
/// the non-reparameterized sites' log-densities take the score-function term
/// of `scoreFunctionSurrogate` (any number of particles; with 2 or more, a
/// leave-one-out baseline).
///
/// A `MinibatchModel` draws one minibatch per step, shared by its amortized
/// guide (reparameterized draws only).
func particleLoss(model: any LogDensityModel, guide: any Guide, parameters: Tensor, key: PRNGKey,
                  numParticles: Int, vectorized: Bool, bound: (Tensor) -> Tensor) throws -> Tensor {
    if let model = model as? any MinibatchModel {
        return -bound(try minibatchLogWeights(model: model, guide: guide, parameters: parameters, count: numParticles, key: key))
    }
    if let program = model as? ProgramModel, let programGuide = guide as? ProgramGuide,
       programGuide.hasNonReparameterizedSites {
        let (logWeights, scoreLogDensity) = try programGuide.particleTerms(
            model: program, parameters: parameters, count: numParticles, key: key) { guideTrace, modelTrace in
            try modelTrace.logJoint() - guideTrace.logJoint()
        }
        return -scoreFunctionSurrogate(logWeights: logWeights, scoreLogDensity: scoreLogDensity, bound: bound)
    }
    let keys = key.split(2)
    guard !model.hasGradient else {
        let (z, logq) = try guide.sample(parameters: parameters, count: numParticles, key: keys[0])
        return -bound(try modelLogDensity(model, z, key: keys[1], vectorized: vectorized) - logq)
    }
    guard numParticles >= 2 else {
        throw SVIError.invalidArgument(
            "the score-function estimator for a model without gradient needs at least 2 particles for its leave-one-out baseline; got \(numParticles)")
    }
    let z = try guide.sample(parameters: parameters.detached, count: numParticles, key: keys[0]).points
    let logq = try guide.logDensity(z, parameters: parameters)
    let logWeights = try modelLogDensity(model, z, key: keys[1], vectorized: vectorized) - logq
    return -scoreFunctionSurrogate(logWeights: logWeights, scoreLogDensity: logq, bound: bound)
}

/// The model's log-density at the rows of `points`: in one call, or one call
/// per row (each with a key of its own) when not `vectorized`.
func modelLogDensity(_ model: any LogDensityModel, _ points: Tensor, key: PRNGKey, vectorized: Bool) throws -> Tensor {
    guard !vectorized else { return try model.logDensity(points, key: key) }
    let rows = points.shape[0], width = points.shape[1]
    return Tensor.concatenating(try key.split(rows).enumerated().map { row, rowKey in
        try model.logDensity(points.gathering(Array(row * width ..< (row + 1) * width), shape: [1, width]), key: rowKey)
    })
}
