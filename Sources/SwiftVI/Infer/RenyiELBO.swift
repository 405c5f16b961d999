import RealModule

/// The Rényi α-divergence bound, as NumPyro's RenyiELBO: with K guide draws
/// and their log-weights wₖ = log p(zₖ) − log q(zₖ), the bound is
/// 1/(1 − α) · log( (1/K) Σₖ exp((1 − α) wₖ) ), and the loss its negative.
/// α = 0 gives the importance-weighted (IWAE) bound, which tightens as K
/// grows; α → 1 tends to Trace_ELBO's bound. Gradients are reparameterized
/// for models with a gradient and the score-function estimator with a
/// leave-one-out baseline otherwise, and for a `ProgramGuide`'s sites
/// without a reparameterized sampler (see `particleLoss`).
public struct RenyiELBO: ELBO {
    public let alpha: Double
    public let numParticles: Int

    /// Throws unless `alpha` is finite and not 1 (the α = 1 bound is
    /// Trace_ELBO's; use `TraceELBO`), and `numParticles` is at least 1.
    public init(alpha: Double = 0, numParticles: Int = 2) throws {
        guard alpha.isFinite else { throw SVIError.invalidArgument("RenyiELBO: alpha must be finite; got \(alpha)") }
        guard alpha != 1 else {
            throw SVIError.invalidArgument("RenyiELBO: alpha = 1 is the usual ELBO; use Trace_ELBO for it")
        }
        guard numParticles >= 1 else {
            throw SVIError.invalidArgument("RenyiELBO: num_particles must be at least 1; got \(numParticles)")
        }
        self.alpha = alpha
        self.numParticles = numParticles
    }

    public func loss(model: any LogDensityModel, guide: any Guide, parameters: Tensor, key: PRNGKey) throws -> Tensor {
        let power = 1 - alpha, logCount = Double.log(Double(numParticles))
        return try particleLoss(model: model, guide: guide, parameters: parameters, key: key,
                                numParticles: numParticles, vectorized: true) { w in
            ((w * power).logSumExp(alongAxis: 0) - logCount) / power
        }
    }
}
