/// Posterior predictive draws, as NumPyro's `Predictive` with a guide: latent
/// values drawn from the fitted guide, then — for a `ProgramModel` — the model
/// run with them substituted and its observed sites drawn afresh from their
/// distributions (Pyro's `uncondition`), giving draws of the observed and
/// deterministic sites.
///
/// The sites returned are `returnSites` or, by default, every site: each
/// latent (block or site) by its constrained values, and for a program its
/// observed and deterministic sites (NumPyro leaves the latents out by
/// default; ask for the sites wanted to get less). For a model that is not a
/// program (a `CallbackModel`) the sites are its latent blocks, each of shape
/// [numSamples] + `LatentBlock.shape`.
public struct Predictive {
    public let model: any LogDensityModel
    public let guide: any Guide
    public let numSamples: Int
    public let returnSites: [String]?
    /// The guide's flat unconstrained parameters.
    private let parameters: [Double]

    /// Throws unless the guide draws the model's coordinates, `params` holds
    /// the guide's parameters and the model's own, if it has any (constrained,
    /// by name, as `SVIRunResult.params`), and `numSamples` is at least 1.
    public init(model: any LogDensityModel, guide: any Guide, params: [String: [Double]], numSamples: Int,
                returnSites: [String]? = nil) throws {
        guard guide.dimension == model.dimension else {
            throw SVIError.shapeMismatch("Predictive: the guide draws \(guide.dimension) coordinates; the model has \(model.dimension)")
        }
        guard numSamples >= 1 else {
            throw SVIError.invalidArgument("Predictive: num_samples must be at least 1; got \(numSamples)")
        }
        self.model = try model.withParameters(named: params)
        self.guide = guide
        self.numSamples = numSamples
        self.returnSites = returnSites
        parameters = try guide.unconstrainedParameters(params)
    }

    /// The draws of each returned site, stacked: shape [numSamples] + the
    /// site's shape. Throws `invalidArgument` for a requested site the model
    /// does not have, and `shapeMismatch` when a site's shape changes between draws.
    public func callAsFunction(key: PRNGKey) throws -> [String: Tensor] {
        let keys = key.split(2)
        let points = try guide.sample(parameters: Tensor(parameters), count: numSamples, key: keys[0]).points
        let draws = if let program = model as? ProgramModel {
            try programDraws(program, points, key: keys[1])
        } else {
            try latentDraws(points)
        }
        guard let returnSites else { return draws }
        return try Dictionary(uniqueKeysWithValues: returnSites.map { name in
            guard let draw = draws[name] else {
                throw SVIError.invalidArgument(
                    "Predictive: the model has no site '\(name)'; its sites are \(draws.keys.sorted().joined(separator: ", "))")
            }
            return (name, draw)
        })
    }

    /// Each latent block's constrained values at the rows of `points`.
    private func latentDraws(_ points: Tensor) throws -> [String: Tensor] {
        let values = try constrainLatents(model.latents, points).values
        let rows = points.shape[0], width = model.constrainedDimension
        var draws: [String: Tensor] = [:], start = 0
        for block in model.latents {
            let first = start
            start += block.size
            draws[block.name] = values.gathering(
                (0..<rows).flatMap { r in r * width + first ..< r * width + first + block.size }, shape: [rows] + block.shape)
        }
        return draws
    }

    /// Every sample and deterministic site of the program run at each row of
    /// `points` with fresh draws of its observed sites.
    private func programDraws(_ program: ProgramModel, _ points: Tensor, key: PRNGKey) throws -> [String: Tensor] {
        let traces = try key.split(points.shape[0]).enumerated().map { row, rowKey in
            try program.run(points, row: row, key: rowKey, resamplingObserved: true).trace
        }
        let names = traces[0].sites.filter { $0.kind == .sample || $0.kind == .deterministic }.map(\.name)
        return try Dictionary(uniqueKeysWithValues: names.map { name in
            let values = try traces.map { trace in
                guard let value = trace[name]?.value else {
                    throw SVIError.shapeMismatch("Predictive: site '\(name)' is missing from some runs of the model")
                }
                return value
            }
            guard values.allSatisfy({ $0.shape == values[0].shape }) else {
                throw SVIError.shapeMismatch("Predictive: site '\(name)' changes shape between draws")
            }
            return (name, Tensor(shape: [values.count] + values[0].shape, scalars: values.flatMap(\.scalars)))
        })
    }
}
