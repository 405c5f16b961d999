/// The surrogate of the bound F(w) of the particles' log-weights `logWeights`
/// (shape [S]) whose value is F(w) itself and whose gradient adds the
/// score-function estimator for the draws that are not reparameterized, as
/// NumPyro's and Pyro's Trace_ELBO add log q · stop_gradient(cost) for such
/// sites: Σₛ cₛ ∇ scoreLogDensityₛ, where scoreLogDensityₛ is the log-density
/// of particle s's non-reparameterized draws (differentiable in the
/// parameters, at the fixed draws) and cₛ = F(w) − F(w₋ₛ), w₋ₛ being w with wₛ
/// replaced by the mean of the other particles' log-weights: a leave-one-out
/// baseline, as VIMCO's (for the mean, cₛ = (wₛ − the others' mean) / S).
///
/// The baseline depends only on the other particles, so the estimator stays
/// unbiased; it is computed afresh from each step's draws, so it is no state
/// and the gradient depends only on the step's key. With one particle there is
/// no baseline: c = F(w). The log-weights' own gradient (the pathwise part,
/// through reparameterized draws and the densities' parameters) is kept. When a
/// coefficient is not finite the bound is not either, and it is returned alone.
func scoreFunctionSurrogate(logWeights: Tensor, scoreLogDensity: Tensor, bound: (Tensor) -> Tensor) -> Tensor {
    let estimate = bound(logWeights)
    let w = logWeights.scalars, total = w.reduce(0.0) { $0 + $1 }
    let coefficients = w.count == 1 ? [estimate.scalars[0]] : w.indices.map { s in
        var replaced = w
        replaced[s] = (total - w[s]) / Double(w.count - 1)
        return estimate.scalars[0] - bound(Tensor(replaced)).scalars[0]
    }
    guard coefficients.allSatisfy(\.isFinite) else { return estimate }
    return estimate + (Tensor(coefficients) * (scoreLogDensity - scoreLogDensity.detached)).sum()
}
