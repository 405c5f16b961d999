/// An objective that SVI minimizes: an estimate of the negative evidence lower bound.
public protocol ELBO: Sendable {
    /// The loss for the guide's flat `parameters` (recorded on a tape, so the
    /// loss can be differentiated), using randomness from `key`.
    func loss(model: any LogDensityModel, guide: any Guide, parameters: Tensor, key: PRNGKey) throws -> Tensor
}

/// The Monte Carlo ELBO, as NumPyro's Trace_ELBO: the mean over `numParticles`
/// guide draws z of log q(z) − log p(z). Its gradient is reparameterized for
/// models with a gradient and the score-function estimator with a
/// leave-one-out baseline for models without one (which then need at least 2
/// particles) and for a `ProgramGuide`'s sites without a reparameterized
/// sampler, such as a discrete latent's (see `particleLoss`). The loss value
/// is the plain estimate either way; the score-function terms change only
/// the gradient.
public struct TraceELBO: ELBO {
    public let numParticles: Int
    /// Whether the model evaluates all particles in one batched call (NumPyro's
    /// vectorize_particles; the default, and one callback per step for a
    /// callback model) or one particle per call, for callbacks that take one
    /// point at a time.
    public let vectorizeParticles: Bool

    /// Throws unless `numParticles` is at least 1.
    public init(numParticles: Int = 1, vectorizeParticles: Bool = true) throws {
        guard numParticles >= 1 else {
            throw SVIError.invalidArgument("Trace_ELBO: num_particles must be at least 1; got \(numParticles)")
        }
        self.numParticles = numParticles
        self.vectorizeParticles = vectorizeParticles
    }

    public func loss(model: any LogDensityModel, guide: any Guide, parameters: Tensor, key: PRNGKey) throws -> Tensor {
        try particleLoss(model: model, guide: guide, parameters: parameters, key: key, numParticles: numParticles,
                         vectorized: vectorizeParticles) { $0.mean() }
    }
}
