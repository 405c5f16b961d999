/// A hand-written guide program seen as a `Guide` for a `ProgramModel`, so the
/// existing ELBOs and SVI fit it. Its parameters are the guide's param sites,
/// each stored unconstrained through `bijectTo` of its constraint, in the order
/// the guide declares them. Each draw runs the guide under
/// substitute(parameters) and a seed, maps every latent site's value into the
/// model's unconstrained coordinates (the inverse of `bijectTo` of the model
/// site's support) and reports the density there: log q of the value plus the
/// log-determinant of the map back (the model adds the same term, so the ELBO
/// is that of the constrained values).
///
/// Every guide sample site must be one of the model's latent sites, with its
/// shape and a support as discrete as the model's, and all of them must be
/// present. A site whose distribution has no reparameterized sampler
/// (Bernoulli, Categorical, Poisson…; needed for a discrete latent of the
/// model) is fitted by the score-function estimator, which every ELBO applies
/// to such a guide (see `scoreFunctionSurrogate`).
public struct ProgramGuide: Guide {
    public let model: ProgramModel
    /// Whether a sample site of the guide's discovering run has no
    /// reparameterized sampler, so its gradient needs the score-function
    /// estimator (the ELBOs then evaluate the guide site by site; a guide whose
    /// runs differ in this from the discovering one is not supported).
    public let hasNonReparameterizedSites: Bool
    private let program: Program<Void>
    private let parameters: [ProgramParameter]

    /// Runs `guide` once under `Handlers.seed(key:)` to find its params (whose
    /// initial values must lie inside their constraints) and checks its sample
    /// sites against the model's latent sites.
    public init<Output>(_ guide: @escaping Program<Output>, model: ProgramModel, key: PRNGKey = PRNGKey(seed: 0)) throws {
        let program: Program<Void> = { _ = try guide($0) }
        let trace = try Trace.record(Handlers.seed(program, key: key))
        parameters = try trace.sites.filter { $0.kind == .param }.map { try ProgramParameter($0, owner: "ProgramGuide") }
        let latentSites = Dictionary(uniqueKeysWithValues: model.latentSites.map { ($0.name, $0) })
        var drawn = Set<String>()
        for site in trace.sites where site.kind == .sample && !site.isObserved {
            try Self.checkDraw(site, of: latentSites[site.name])
            drawn.insert(site.name)
        }
        hasNonReparameterizedSites = trace.sites.contains {
            $0.kind == .sample && !$0.isObserved && !$0.distribution!.hasReparameterizedSample
        }
        if let missing = model.latentSites.first(where: { !drawn.contains($0.name) }) {
            throw SVIError.invalidArgument("ProgramGuide: the guide has no sample site for the model's latent '\(missing.name)'")
        }
        self.model = model
        self.program = program
    }

    /// Throws unless `site` is a draw of the model's `latent`, of its shape,
    /// discrete exactly when the latent is.
    private static func checkDraw(_ site: SiteMessage, of latent: ProgramModel.LatentSite?) throws {
        guard let latent else {
            throw SVIError.invalidArgument("ProgramGuide: guide site '\(site.name)' is not a latent site of the model")
        }
        guard site.value!.shape == latent.shape else {
            throw SVIError.shapeMismatch(
                "ProgramGuide: guide site '\(site.name)' has shape \(site.value!.shape); the model's has \(latent.shape)")
        }
        let support = site.distribution!.support
        guard support.isDiscrete == latent.support.isDiscrete else {
            throw SVIError.invalidArgument(
                "ProgramGuide: guide site '\(site.name)' has support \(support.name); the model's latent has \(latent.support.name)")
        }
    }

    public var parameterBlocks: [ParameterBlock] {
        parameters.map(\.block)
    }

    public var dimension: Int { model.dimension }

    /// The params' initial values (unconstrained); they do not depend on `key`.
    public func initialParameters(key: PRNGKey) -> [Double] { parameters.flatMap(\.initial) }

    public func sample(parameters flat: Tensor, count: Int, key: PRNGKey) throws -> (points: Tensor, logDensity: Tensor) {
        var points: [Tensor] = [], logDensities: [Tensor] = []
        for trace in try traces(parameters: flat, count: count, key: key) {
            var logq = Tensor(0)
            for latent in model.latentSites {
                let site = trace[latent.name]!
                let transform = try coordinateTransform(latent.support)
                let x = site.value!
                let u = try transform.inverse(x)
                logq = logq + (try site.scaledLogProbSum()) + (try transform.logAbsDetJacobian(u, x)).sum()
                points.append(u)
            }
            logDensities.append(logq)
        }
        return (Tensor.concatenating(points).reshaped([count, dimension]), Tensor.concatenating(logDensities))
    }

    /// `count` runs of the guide with the params `flat`, each under a seed of
    /// its own split from `key`, each checked to draw every latent site of the
    /// model (with its shape and kind of support).
    func traces(parameters flat: Tensor, count: Int, key: PRNGKey) throws -> [Trace] {
        guard count >= 0 else { throw SVIError.invalidArgument("ProgramGuide: cannot draw \(count) particles") }
        let substituted = Handlers.substitute(program, data: try parameterValues(of: parameters, flat, owner: "ProgramGuide"))
        return try key.split(count).map { particleKey in
            let trace = try Trace.record(Handlers.seed(substituted, key: particleKey))
            for latent in model.latentSites {
                guard let site = trace[latent.name], site.kind == .sample, !site.isObserved else {
                    throw SVIError.invalidArgument("ProgramGuide: the guide did not draw the model's latent '\(latent.name)'")
                }
                try Self.checkDraw(site, of: latent)
            }
            return trace
        }
    }

    /// Guide draws as the model's constrained site values.
    public func samplePosterior(parameters: [Double], count: Int, key: PRNGKey) throws -> [String: Tensor] {
        try model.constrain(sample(parameters: Tensor(parameters), count: count, key: key).points).values
    }

    /// Each param's constrained value (NaN where the map fails).
    public func constrainedParameters(_ flat: [Double]) -> [(name: String, value: [Double])] {
        let values = try? parameterValues(of: parameters, Tensor(flat), owner: "ProgramGuide")
        return parameters.map { parameter in
            (parameter.name, values?[parameter.name]?.scalars
                ?? [Double](repeating: .nan, count: parameter.constrainedCount))
        }
    }
}
