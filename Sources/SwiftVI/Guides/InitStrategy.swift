/// How an automatic guide picks the initial location of each latent site
/// (NumPyro's `init_loc_fn`, with its names).
///
/// For a `ProgramModel` each latent site is initialized in program order from
/// its prior (the site's distribution given the values already picked
/// upstream), then mapped to unconstrained coordinates. A model without a
/// prior (a callback or distribution model) has no such distributions:
/// `initToMedian`, `initToMean` and `initToSample` fall back to
/// `initToUniform(radius: 2)` there, and `initToValue` maps the given
/// constrained values through the inverse of `bijectTo` of each block's
/// constraint.
public enum InitStrategy {
    /// The elementwise median of `numSamples` prior draws.
    case initToMedian(numSamples: Int = 15)
    /// The prior mean; the median of 15 draws where the mean is not finite.
    case initToMean
    /// One prior draw.
    case initToSample
    /// Unconstrained coordinates uniform on (-radius, radius); radius 0 is
    /// NumPyro's `init_to_feasible`.
    case initToUniform(radius: Double = 2)
    /// The given constrained values, by site name; other sites as
    /// `initToUniform(radius: 2)`.
    case initToValue([String: Tensor])

    /// Throws unless the number of samples is positive, the radius is
    /// non-negative and finite, and the values are finite.
    func validate(_ guideName: String) throws {
        switch self {
        case .initToMedian(let n) where n < 1:
            throw SVIError.invalidArgument("\(guideName): init_to_median needs num_samples ≥ 1; got \(n)")
        case .initToUniform(let r) where !(r >= 0 && r.isFinite):
            throw SVIError.invalidArgument("\(guideName): init_to_uniform needs a non-negative finite radius; got \(r)")
        case .initToValue(let values):
            if let bad = values.first(where: { !$0.value.scalars.allSatisfy(\.isFinite) }) {
                throw SVIError.invalidArgument("\(guideName): init_to_value: the value of '\(bad.key)' is not finite")
            }
        default: break
        }
    }

    /// The radius of the uniform draws for sites this strategy does not cover.
    var uniformRadius: Double {
        if case .initToUniform(let r) = self { return r }
        return 2
    }

    /// Throws when `values` (of `initToValue`) names a site not in `names`.
    func checkSiteNames(_ names: [String]) throws {
        guard case .initToValue(let values) = self else { return }
        if let unknown = values.keys.sorted().first(where: { !names.contains($0) }) {
            throw SVIError.invalidArgument(
                "init_to_value: '\(unknown)' is not a latent site; the sites are \(names.joined(separator: ", "))")
        }
    }
}

extension LogDensityModel {
    public func initialPoint(_ strategy: InitStrategy, key: PRNGKey) throws -> [Double] {
        try strategy.checkSiteNames(latents.map(\.name))
        var point = key.uniform(dimension).map { (2 * $0 - 1) * strategy.uniformRadius }
        guard case .initToValue(let values) = strategy else { return point }
        var offset = 0
        for block in latents {
            let size = block.unconstrainedSize
            defer { offset += size }
            guard let value = values[block.name] else { continue }
            let u = try unconstrainedInitialValue(value, site: block.name, transform: bijectTo(block.constraint))
            guard u.count == size else {
                throw SVIError.shapeMismatch(
                    "init_to_value: the value of '\(block.name)' has \(value.count) elements; the block has \(size) unconstrained coordinates")
            }
            point.replaceSubrange(offset ..< offset + size, with: u.scalars)
        }
        return point
    }
}

/// The unconstrained coordinates of a site's initial `value`, or an error when
/// the value lies outside (or on the boundary of) the site's region.
func unconstrainedInitialValue(_ value: Tensor, site: String, transform: any Transform) throws -> Tensor {
    let u = try transform.inverse(value.detached)
    guard u.scalars.allSatisfy(\.isFinite) else {
        throw SVIError.invalidArgument(
            "the initial value of '\(site)' is not inside the site's support (\(transform.codomain.name)); its unconstrained coordinates are not finite")
    }
    return u
}
