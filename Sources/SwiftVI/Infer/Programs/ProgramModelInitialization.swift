extension ProgramModel {
    /// Runs the program once, giving each latent site (in program order) the
    /// value `strategy` picks from its prior — the site's distribution given the
    /// values picked upstream — and returns those values' unconstrained
    /// coordinates. Site `i` draws with `key.foldIn(i)`. Throws when a value
    /// lies outside its site's support (for example a median on a boundary),
    /// and `notImplemented` for a program with a discrete latent site.
    public func initialPoint(_ strategy: InitStrategy, key: PRNGKey) throws -> [Double] {
        if let discrete = latentSites.first(where: { $0.support.isDiscrete }) {
            throw SVIError.notImplemented(
                "ProgramModel: the discrete latent site '\(discrete.name)' has no unconstrained initial point; draw it with a ProgramGuide")
        }
        try strategy.checkSiteNames(latentSites.map(\.name))
        let layout = layout
        let siteIndex = Dictionary(uniqueKeysWithValues: latentSites.enumerated().map { ($1.name, $0) })
        var point = [Double](repeating: .nan, count: dimension)
        let initialized = Handlers.substitute(program) { site in
            guard site.kind == .sample, !site.isObserved, let index = siteIndex[site.name],
                  let block = layout[site.name], let prior = site.distribution else { return nil }
            let transform = try bijectTo(prior.support)
            let value = try Self.initialValue(of: site.name, prior, unconstrainedShape: block.shape, transform: transform,
                                              strategy, key: key.foldIn(UInt32(index)))
            let u = try unconstrainedInitialValue(value, site: site.name, transform: transform)
            guard u.count == block.coordinates.count else {
                throw SVIError.shapeMismatch(
                    "ProgramModel: the initial value of '\(site.name)' has shape \(value.shape); the site's has \(site.value?.shape ?? [])")
            }
            point.replaceSubrange(block.coordinates, with: u.scalars)
            return try transform.forward(u)
        }
        _ = try Trace.record(Handlers.seed(initialized, key: key.foldIn(UInt32.max)))
        guard point.allSatisfy(\.isFinite) else {
            throw SVIError.invalidArgument("ProgramModel: the program's latent sites changed while picking initial values")
        }
        return point
    }

    /// The constrained initial value of one site with distribution `prior`.
    private static func initialValue(of name: String, _ prior: any Distribution, unconstrainedShape: [Int],
                                     transform: any Transform, _ strategy: InitStrategy, key: PRNGKey) throws -> Tensor {
        switch strategy {
        case .initToMedian(let n): return medianOfDraws(prior, count: n, key: key)
        case .initToMean:
            let mean = try? prior.mean
            if let mean, mean.scalars.allSatisfy(\.isFinite) { return mean }
            return medianOfDraws(prior, count: 15, key: key)
        case .initToSample: return prior.sample([], key: key)
        case .initToValue(let values) where values[name] != nil: return values[name]!
        case .initToUniform, .initToValue:
            let r = strategy.uniformRadius
            let count = unconstrainedShape.reduce(1, *)
            return try transform.forward(Tensor(shape: unconstrainedShape, scalars: key.uniform(count).map { (2 * $0 - 1) * r }))
        }
    }

    /// The elementwise median of `count` draws (the mean of the middle two for an even count).
    private static func medianOfDraws(_ prior: any Distribution, count: Int, key: PRNGKey) -> Tensor {
        let draws = prior.sample([count], key: key)
        let size = draws.count / count
        let medians = (0..<size).map { element in
            let sorted = (0..<count).map { draws.scalars[$0 * size + element] }.sorted()
            return count % 2 == 1 ? sorted[count / 2] : 0.5 * (sorted[count / 2 - 1] + sorted[count / 2])
        }
        return Tensor(shape: Array(draws.shape.dropFirst()), scalars: medians)
    }
}
