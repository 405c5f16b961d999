/// The Monte Carlo loss that Trace_ELBO and RenyiELBO share: `numParticles`
/// draws zₛ of the guide, their log-weights wₛ = log p(zₛ) − log q(zₛ), and the
/// negated bound F(w) that the ELBO estimates from them (the mean for
/// Trace_ELBO).
///
/// For a model with a gradient the draws are reparameterized and F(w) is
/// differentiated along them (the pathwise estimator). For a model without one
/// the gradient is the score-function estimator with a leave-one-out baseline
/// across the particles (as VIMCO): with the draws held fixed,
/// ∇F ≈ Σₛ [F(w) − F(w₋ₛ)] ∇ log q(zₛ) + Σₛ ∂F/∂wₛ ∇wₛ, where w₋ₛ is w with
/// wₛ replaced by the mean of the other particles' log-weights, and the second
/// sum is the pathwise part: log q's own dependence on the parameters at the
/// fixed draws. The baseline depends only on the other particles, so the
/// estimator stays unbiased; it needs at least 2 particles and a guide that
/// evaluates its density (`Guide.logDensity(_:parameters:)`). A
/// `MinibatchModel` draws one minibatch per step, shared by its amortized
/// guide (reparameterized draws only).
func particleLoss(model: any LogDensityModel, guide: any Guide, parameters: Tensor, key: PRNGKey,
                  numParticles: Int, vectorized: Bool, bound: (Tensor) -> Tensor) throws -> Tensor {
    if let model = model as? any MinibatchModel {
        return -bound(try minibatchLogWeights(model: model, guide: guide, parameters: parameters, count: numParticles, key: key))
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
    let estimate = bound(logWeights)
    let w = logWeights.scalars, total = w.reduce(0.0) { $0 + $1 }
    let coefficients = w.indices.map { s in
        var replaced = w
        replaced[s] = (total - w[s]) / Double(w.count - 1)
        return estimate.scalars[0] - bound(Tensor(replaced)).scalars[0]
    }
    return -(estimate + (Tensor(coefficients) * (logq - logq.detached)).sum())
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
