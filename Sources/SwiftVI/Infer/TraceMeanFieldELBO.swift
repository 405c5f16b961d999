/// The mean-field ELBO, as NumPyro's TraceMeanField_ELBO: Trace_ELBO with the
/// analytic KL divergence in place of the Monte Carlo estimate wherever one is
/// known, which lowers the variance without changing the expectation.
///
/// For a `ProgramModel` fitted with a `ProgramGuide`, each particle runs the
/// guide, then the model with the guide's values, and sums site by site: the
/// observed sites' log-likelihoods, and for each latent site −KL(q ‖ p) of the
/// guide's and the model's distributions at that site (each given the values
/// drawn upstream, times the guide site's scale) when `klDivergence` has a
/// closed form for the pair, else log p − log q at the drawn value. Like
/// NumPyro's, this assumes the guide's sites are independent of each other
/// given the parameters (a mean-field guide); for other guides the estimate is
/// biased. A model prior broadcast by a plate is matched through its base
/// distribution.
///
/// A guide site without a reparameterized sampler (a discrete latent's) is
/// supported: its draws are held fixed and the gradient adds the
/// score-function term log q · (bound − leave-one-out baseline) of
/// `scoreFunctionSurrogate`, the bound being the particle's mean-field bound
/// above (unbiased, as a site's analytic KL does not depend on its own draw).
///
/// Any other model and guide — a `CallbackModel` or `DistributionModel`,
/// whose prior is not given apart from the likelihood, or a guide other than
/// `ProgramGuide` — has no site to take a KL at: the loss is then exactly
/// Trace_ELBO's.
public struct TraceMeanFieldELBO: ELBO {
    public let numParticles: Int

    /// Throws unless `numParticles` is at least 1.
    public init(numParticles: Int = 1) throws {
        guard numParticles >= 1 else {
            throw SVIError.invalidArgument("TraceMeanField_ELBO: num_particles must be at least 1; got \(numParticles)")
        }
        self.numParticles = numParticles
    }

    public func loss(model: any LogDensityModel, guide: any Guide, parameters: Tensor, key: PRNGKey) throws -> Tensor {
        guard let program = model as? ProgramModel, let programGuide = guide as? ProgramGuide else {
            return try particleLoss(model: model, guide: guide, parameters: parameters, key: key,
                                    numParticles: numParticles, vectorized: true) { $0.mean() }
        }
        let (bounds, scoreLogDensity) = try programGuide.particleTerms(
            model: program, parameters: parameters, count: numParticles, key: key) { guideTrace, modelTrace in
            try modelTrace.sites.filter { $0.kind == .sample }.reduce(Tensor(0)) { bound, site in
                guard !site.isObserved, let guideSite = guideTrace[site.name] else {
                    return bound + (try site.scaledLogProbSum())
                }
                return bound + (try Self.latentTerm(guide: guideSite, model: site))
            }
        }
        guard programGuide.hasNonReparameterizedSites else { return -bounds.mean() }
        return -scoreFunctionSurrogate(logWeights: bounds, scoreLogDensity: scoreLogDensity) { $0.mean() }
    }

    /// A latent site's part of the bound: −KL(q ‖ p) times the guide site's
    /// scale when the pair has a closed form of the site's batch shape, else
    /// the scaled log p − log q at the guide's value.
    private static func latentTerm(guide: SiteMessage, model: SiteMessage) throws -> Tensor {
        let q = guide.distribution!, p = model.distribution!
        let prior = (p as? ExpandedDistribution)?.base ?? p
        if KLRegistry.rule(q, prior) != nil {
            let kl = try klDivergence(q, prior)
            if kl.shape == p.batchShape {
                let total = kl.sum()
                return -(guide.scale.map { total * $0 } ?? total)
            }
        }
        return try model.scaledLogProbSum() - guide.scaledLogProbSum()
    }
}
