/// An objective that SVI minimizes: an estimate of the negative evidence lower bound.
public protocol ELBO: Sendable {
    /// The loss for the guide's flat `parameters` (recorded on a tape, so the
    /// loss can be differentiated), using randomness from `key`.
    func loss(model: any LogDensityModel, guide: any Guide, parameters: Tensor, key: PRNGKey) throws -> Tensor
}

/// The reparameterized Monte Carlo ELBO, as NumPyro's Trace_ELBO: the mean over
/// `numParticles` guide draws z of log q(z) − log p(z).
public struct TraceELBO: ELBO {
    public let numParticles: Int

    /// Throws unless `numParticles` is at least 1.
    public init(numParticles: Int = 1) throws {
        guard numParticles >= 1 else {
            throw SVIError.invalidArgument("Trace_ELBO: num_particles must be at least 1; got \(numParticles)")
        }
        self.numParticles = numParticles
    }

    public func loss(model: any LogDensityModel, guide: any Guide, parameters: Tensor, key: PRNGKey) throws -> Tensor {
        let keys = key.split(2)
        let (z, logq) = try guide.sample(parameters: parameters, count: numParticles, key: keys[0])
        return (logq - (try model.logDensity(z, key: keys[1]))).mean()
    }
}
