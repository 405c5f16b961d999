/// An automatic guide: a family built from a model's latent layout. It knows
/// its model, so it maps its draws (in the model's unconstrained coordinates)
/// to each latent site's constrained value. Models with a discrete latent are
/// refused (`notImplemented`).
public protocol AutoGuide: Guide {
    /// The model whose latent coordinates the guide draws.
    var model: any LogDensityModel { get }
}

extension AutoGuide {
    public var dimension: Int { model.dimension }

    /// Guide draws mapped through `model.constrain`.
    public func samplePosterior(parameters: [Double], count: Int, key: PRNGKey) throws -> [String: Tensor] {
        try model.constrain(try sample(parameters: Tensor(parameters), count: count, key: key).points).values
    }

    /// The values of each site at the unconstrained `rows` (shape [R, dimension]),
    /// shape [R] + the site's value shape.
    func constrainedRows(_ rows: [Double]) throws -> [String: Tensor] {
        try model.constrain(Tensor(shape: [rows.count / Swift.max(dimension, 1), dimension], scalars: rows)).values
    }
}

/// An automatic guide whose marginal distributions in the model's
/// unconstrained coordinates are normal (a point mass counts as scale 0), so
/// it has NumPyro's `median` and `quantiles`.
public protocol NormalMarginalsGuide: AutoGuide {
    /// The marginal means and standard deviations of the unconstrained
    /// coordinates, `dimension` of each.
    func unconstrainedMarginals(parameters: [Double]) throws -> (loc: [Double], scale: [Double])
}

extension NormalMarginalsGuide {
    /// Each site's constrained value at the unconstrained marginal medians
    /// (the means): site name → the site's value shape.
    public func median(parameters: [Double]) throws -> [String: Tensor] {
        try constrainedRows(unconstrainedMarginals(parameters: parameters).loc).mapValues {
            $0.reshaped(Array($0.shape.dropFirst()))
        }
    }

    /// Each site's constrained value at the unconstrained marginal
    /// `probabilities` quantiles, loc + scale · Φ⁻¹(q): site name → shape
    /// [probabilities.count] + the site's value shape. Throws unless every
    /// probability is in (0, 1).
    public func quantiles(parameters: [Double], _ probabilities: [Double]) throws -> [String: Tensor] {
        if let q = probabilities.first(where: { !($0 > 0 && $0 < 1) }) {
            throw SVIError.invalidArgument("quantiles must lie in (0, 1); got \(q)")
        }
        let (loc, scale) = try unconstrainedMarginals(parameters: parameters)
        return try constrainedRows(probabilities.flatMap { q in
            let z = standardNormalQuantile(q)
            return zip(loc, scale).map { $0 + $1 * z }
        })
    }
}

/// An automatic guide whose distribution over the unconstrained latent vector
/// is one multivariate normal of its parameters: it draws from it and reads
/// its marginals off its mean and variance.
public protocol MultivariateNormalGuide: NormalMarginalsGuide {
    associatedtype Posterior: Distribution
    /// The guide's distribution at the flat `parameters` (recorded on their tape).
    func posterior(_ parameters: Tensor) throws -> Posterior
}

extension MultivariateNormalGuide {
    public func sample(parameters: Tensor, count: Int, key: PRNGKey) throws -> (points: Tensor, logDensity: Tensor) {
        let q = try posterior(parameters)
        let z = q.sample([count], key: key)
        return (z, try q.logProb(z))
    }

    /// The means and the square roots of the covariance's diagonal.
    public func unconstrainedMarginals(parameters: [Double]) throws -> (loc: [Double], scale: [Double]) {
        let q = try posterior(Tensor(parameters))
        return (try q.mean.scalars, try q.variance.scalars.map { $0.squareRoot() })
    }
}

/// Throws `notImplemented` when `model` has a discrete latent block: an
/// autoguide draws real coordinates (NumPyro's autoguides refuse such sites
/// too); a `ProgramGuide` can draw them.
func checkContinuousLatents(of model: any LogDensityModel, _ guideName: String) throws {
    if let discrete = model.latents.first(where: { $0.constraint.isDiscrete }) {
        throw SVIError.notImplemented(
            "\(guideName): the latent '\(discrete.name)' is discrete (\(discrete.constraint.name)); an automatic guide draws only continuous latents (write a ProgramGuide for it)")
    }
}

/// Throws unless the model's latents are continuous, and an autoguide's
/// `init_scale` is positive and finite and its initialization strategy is valid.
func checkAutoGuideSettings(_ guideName: String, model: any LogDensityModel, initScale: Double,
                            initLocFn: InitStrategy) throws {
    try checkContinuousLatents(of: model, guideName)
    guard initScale > 0, initScale.isFinite else {
        throw SVIError.invalidArgument("\(guideName): init_scale must be positive and finite; got \(initScale)")
    }
    try initLocFn.validate(guideName)
}
