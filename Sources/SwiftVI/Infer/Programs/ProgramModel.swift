/// A program seen as a `LogDensityModel`, so SVI, Trace_ELBO and the
/// autoguides fit it: its latent coordinates are the unconstrained values of
/// its latent (unobserved) sample sites, one block per site named after it
/// (so AutoNormal's parameters are `w_auto_loc`, as in NumPyro). The
/// log-density at a point maps each block through `bijectTo` of its site's
/// support, substitutes the values and returns the log joint plus the
/// log-determinants of those maps (NumPyro's negated potential energy).
///
/// The program's `param` sites are the model's learnable parameters
/// (`parameterBlocks`, stored unconstrained through `bijectTo` of their
/// constraints, in program order), which SVI optimizes jointly with the
/// guide's; until `withParameters` sets them they take their initial values.
///
/// A discrete latent site (support boolean, integer…) has no bijection: its
/// coordinates in a point are its values themselves. Only a `ProgramGuide`
/// can draw it (the autoguides refuse such a model), and the ELBOs fit it by
/// the score-function estimator (see `ProgramGuide`).
///
/// Not yet supported: latent sites inside subsampled plates. Observed sites
/// inside subsampled plates are: evaluate them with `logDensity(_:key:)`,
/// which draws each row's subsample from a key of its own.
public struct ProgramModel: LogDensityModel {
    /// A latent sample site as found by the discovering run.
    public struct LatentSite {
        public let name: String
        /// The shape of its (constrained) value.
        public let shape: [Int]
        /// The region its value lies in.
        public let support: Constraint
        /// The shape of its unconstrained coordinates (`bijectTo(support)`'s inverse shape).
        public let unconstrainedShape: [Int]
    }

    public let latents: [LatentBlock]
    /// The latent sites, in the order of `latents`.
    public let latentSites: [LatentSite]
    /// Whether a plate of the program is subsampled, so a log-density needs a key.
    public let isSubsampled: Bool
    let program: Program<Void>
    /// The param sites, in program order.
    private let parameters: [ProgramParameter]
    /// Their constrained values as `withParameters` set them (empty: initial values).
    private var boundParameters: [String: Tensor] = [:]
    /// Each latent site's coordinates within a point, and their shape.
    let layout: [String: (coordinates: Range<Int>, shape: [Int])]

    /// Runs `program` once under `Handlers.seed(key:)` to find its latent
    /// sites, their shapes and supports. Throws `notImplemented` for what is not
    /// supported yet (see the type's description) and `invalidArgument` when
    /// the program has no latent site.
    public init<Output>(_ program: @escaping Program<Output>, key: PRNGKey = PRNGKey(seed: 0)) throws {
        let program: Program<Void> = { _ = try program($0) }
        let trace = try Trace.record(Handlers.seed(program, key: key))
        var sites: [LatentSite] = [], parameters: [ProgramParameter] = []
        for site in trace.sites {
            switch site.kind {
            case .param:
                parameters.append(try ProgramParameter(site, owner: "ProgramModel"))
            case .sample where !site.isObserved:
                sites.append(try Self.latentSite(site))
            default: break
            }
        }
        latents = sites.map { LatentBlock(name: $0.name, size: $0.shape.reduce(1, *), constraint: $0.support) }
        try validateLatents(latents, allowingDiscrete: true)
        for (block, site) in zip(latents, sites) where block.unconstrainedSize != site.unconstrainedShape.reduce(1, *) {
            throw SVIError.notImplemented(
                "ProgramModel: latent site '\(site.name)' holds a batch of \(site.support.name) values of shape \(site.shape); a latent site may hold one such value only")
        }
        latentSites = sites
        self.parameters = parameters
        var start = 0
        layout = Dictionary(uniqueKeysWithValues: sites.map { site in
            let size = site.unconstrainedShape.reduce(1, *)
            defer { start += size }
            return (site.name, (start ..< start + size, site.unconstrainedShape))
        })
        isSubsampled = trace.sites.contains { $0.kind == .plate && $0.subsampleSize != $0.plateSize }
        self.program = program
    }

    private static func latentSite(_ site: SiteMessage) throws -> LatentSite {
        if let frame = site.plates.first(where: { $0.subsampleSize != $0.size }) {
            throw SVIError.notImplemented(
                "ProgramModel: latent site '\(site.name)' is inside subsampled plate '\(frame.name)'; only observed sites may be subsampled yet")
        }
        let support = site.distribution!.support
        let shape = try coordinateTransform(support).inverseShape(site.value!.shape)
        return LatentSite(name: site.name, shape: site.value!.shape, support: support, unconstrainedShape: shape)
    }

    /// Throws when the program has a subsampled plate: use `logDensity(_:key:)`.
    public func logDensity(_ points: Tensor) throws -> Tensor {
        guard !isSubsampled else {
            throw SVIError.invalidArgument(
                "ProgramModel: the program has a subsampled plate, so its log-density needs a key (logDensity(_:key:))")
        }
        return try logDensities(points, key: nil)
    }

    public func logDensity(_ points: Tensor, key: PRNGKey) throws -> Tensor {
        try logDensities(points, key: key)
    }

    private func logDensities(_ points: Tensor, key: PRNGKey?) throws -> Tensor {
        guard points.rank == 2, points.shape[1] == dimension else {
            throw SVIError.shapeMismatch("ProgramModel: points of shape \(points.shape); expected [S, \(dimension)]")
        }
        let keys = key?.split(points.shape[0])
        return Tensor.concatenating(try (0..<points.shape[0]).map { row in
            let (trace, logDet) = try run(points, row: row, key: keys?[row])
            return try trace.logJoint() + logDet
        })
    }

    /// Each latent site's constrained value at the unconstrained `point`
    /// (one row of `dimension` coordinates), drawing any subsample with `key`.
    public func constrainedValues(_ point: [Double], key: PRNGKey? = nil) throws -> [String: Tensor] {
        guard point.count == dimension else {
            throw SVIError.shapeMismatch("ProgramModel: a point of \(point.count) coordinates; expected \(dimension)")
        }
        let (trace, _) = try run(Tensor(shape: [1, dimension], scalars: point), row: 0, key: key)
        return Dictionary(uniqueKeysWithValues: latentSites.map { ($0.name, trace[$0.name]!.value!) })
    }

    /// Runs the program at each row (with a fixed key when a plate is
    /// subsampled, as only the latent values matter), so a site's support may
    /// depend on the values upstream of it.
    public func constrain(_ points: Tensor) throws -> (values: [String: Tensor], logAbsDetJacobian: Tensor) {
        guard points.rank == 2, points.shape[1] == dimension else {
            throw SVIError.shapeMismatch("ProgramModel: points of shape \(points.shape); expected [S, \(dimension)]")
        }
        let s = points.shape[0]
        var draws: [String: [Tensor]] = [:], logDets: [Tensor] = []
        for row in 0..<s {
            let (trace, logDet) = try run(points, row: row, key: isSubsampled ? PRNGKey(seed: 0) : nil)
            for site in latentSites { draws[site.name, default: []].append(trace[site.name]!.value!) }
            logDets.append(logDet)
        }
        let values = Dictionary(uniqueKeysWithValues: latentSites.map { site in
            (site.name, Tensor.concatenating(draws[site.name] ?? []).reshaped([s] + site.shape))
        })
        return (values, Tensor.concatenating(logDets))
    }

    /// Runs the program with row `row` of `points` substituted (NumPyro's
    /// unconstrained substitution): the trace and the summed log-determinants.
    /// With `resamplingObserved`, observed sites are drawn afresh instead.
    func run(_ points: Tensor, row: Int, key: PRNGKey?,
             resamplingObserved: Bool = false) throws -> (trace: Trace, logDet: Tensor) {
        let rowStart = row * dimension
        var logDet = Tensor(0)
        let trace = try trace(key: key, resamplingObserved: resamplingObserved) { site, block in
            let transform = try coordinateTransform(site.distribution!.support)
            let u = points.gathering(block.coordinates.map { rowStart + $0 }, shape: block.shape)
            let x = try transform.forward(u)
            logDet = logDet + (try transform.logAbsDetJacobian(u, x)).sum()
            return x
        }
        return (trace, logDet)
    }

    /// Runs the program with each latent site taking its constrained value in
    /// `values` (which must hold every latent site), drawing with `key`.
    func trace(substituting values: [String: Tensor], key: PRNGKey?) throws -> Trace {
        try trace(key: key) { site, _ in values[site.name]! }
    }

    /// Runs the program with each latent site's value given by `latentValue`
    /// (from the site and its coordinates in a point), and returns the trace
    /// after checking that the latent sites are those found at construction.
    private func trace(key: PRNGKey?, resamplingObserved: Bool = false,
                       _ latentValue: @escaping (SiteMessage, (coordinates: Range<Int>, shape: [Int])) throws -> Tensor)
        throws -> Trace {
        let layout = layout, boundParameters = boundParameters
        var substituted = Handlers.substitute(resamplingObserved ? Handlers.uncondition(program) : program) { site in
            if site.kind == .param { return boundParameters[site.name] }
            guard site.kind == .sample, !site.isObserved, let block = layout[site.name] else { return nil }
            return try latentValue(site, block)
        }
        if let key { substituted = Handlers.seed(substituted, key: key) }
        let trace = try Trace.record(substituted)
        let latentNames = Set(trace.sites.filter { $0.kind == .sample && !$0.isObserved }.map(\.name))
        let expected = Set(layout.keys)
        guard resamplingObserved ? expected.isSubset(of: latentNames) : latentNames == expected else {
            throw SVIError.invalidArgument(
                "ProgramModel: the program's latent sites changed from \(latentSites.map(\.name)) to \(latentNames.sorted())")
        }
        return trace
    }

    public var parameterBlocks: [ParameterBlock] { parameters.map(\.block) }

    /// Whether a latent site is discrete (drawn only by a `ProgramGuide`).
    public var hasDiscreteLatents: Bool { latentSites.contains { $0.support.isDiscrete } }

    public var initialParameters: [Double] { parameters.flatMap(\.initial) }

    public func withParameters(_ flat: Tensor) throws -> any LogDensityModel {
        try checkParameterCount(flat)
        var bound = self
        bound.boundParameters = try parameterValues(of: parameters, flat, owner: "ProgramModel")
        return bound
    }
}

/// The map from a latent site's coordinates in a point to its values:
/// `bijectTo(support)`, or the identity for a discrete support (whose values
/// are their own coordinates).
func coordinateTransform(_ support: Constraint) throws -> any Transform {
    support.isDiscrete ? IdentityTransform() : try bijectTo(support)
}
