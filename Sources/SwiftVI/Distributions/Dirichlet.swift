import RealModule

/// The Dirichlet distribution on the simplex of K categories with `concentration`
/// α (shape `batchShape + [K]`): density Γ(α₀)/∏Γ(αᵢ) · ∏ xᵢ^(αᵢ−1), α₀ = Σαᵢ.
public struct Dirichlet: Distribution {
    public let concentration: Tensor

    /// Throws unless `concentration` has rank ≥ 1 with at least one category and
    /// its entries are positive and finite.
    public init(concentration: Tensor) throws {
        guard concentration.rank >= 1, concentration.shape.last! >= 1 else {
            throw SVIError.shapeMismatch(
                "Dirichlet: concentration needs a last axis of at least one category; got shape \(concentration.shape)")
        }
        try ParameterCheck.positive(concentration, "Dirichlet", "concentration")
        self.concentration = concentration
    }

    public var familyName: String { "Dirichlet" }
    public var batchShape: [Int] { Array(concentration.shape.dropLast()) }
    public var eventShape: [Int] { [concentration.shape.last!] }
    public var support: Constraint { .simplex }
    /// Samples are normalized reparameterized Gamma(αᵢ, 1) draws.
    public var hasReparameterizedSample: Bool { true }

    private var total: Tensor { concentration.sum(alongAxis: -1) }

    /// Σ (αᵢ − 1) log xᵢ − Σ log Γ(αᵢ) + log Γ(α₀); −inf off the simplex (entries
    /// below 0 or rows not summing to 1 within 1e-6); at xᵢ = 0 the density's limit.
    public func logProb(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        let terms = Tensor.map(value, concentration) { x, a in
            guard x > 0 else {
                return (x == 0 ? logPowerLimitAtZero(a - 1) - Double.logGamma(a) : -.infinity, 0, 0)
            }
            let logX = Double.log(x)
            return ((a - 1) * logX - Double.logGamma(a), (a - 1) / x, logX - digamma(a))
        }
        let onSimplex = support.check(value)
        let outside = Tensor(shape: Array(value.shape.dropLast()), scalars: onSimplex.map { $0 ? 0 : -.infinity })
        // Off the simplex the log-density is -inf, also where a coordinate 0 made a term +inf.
        // On its boundary, where zeros give both a +inf term (concentration below 1) and
        // a -inf term (above 1), the density has no limit (it depends on the path to the
        // point, which has probability 0): -inf there too, not inf − inf = NaN.
        return Tensor.map(terms.sum(alongAxis: -1) + total.logGamma(), outside) { density, off in
            off == 0 && !density.isNaN ? (density, 1, 0) : (-.infinity, 0, 0)
        }
    }

    /// Gᵢ/ΣGⱼ formed as a softmax of log Gᵢ, so that small concentrations, whose
    /// Gamma draws underflow, still give the right law.
    public func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor {
        let logG = Tensor.standardGammaLog(concentration: concentration, shape: sampleShape + batchShape + eventShape, key: key)
        return (logG - logG.logSumExp(alongAxis: -1).expandingShape(at: -1)).exp()
    }

    public var mean: Tensor { concentration / total.expandingShape(at: -1) }

    /// αᵢ(α₀ − αᵢ)/(α₀²(α₀ + 1)).
    public var variance: Tensor {
        let a0 = total.expandingShape(at: -1)
        return concentration * (a0 - concentration) / (a0.squared() * (a0 + 1))
    }

    /// Σ log Γ(αᵢ) − log Γ(α₀) + (α₀ − K)ψ(α₀) − Σ(αᵢ − 1)ψ(αᵢ).
    public func entropy() -> Tensor {
        let k = Double(eventShape[0])
        let perCategory = Tensor.map(concentration) { a in
            (Double.logGamma(a) - (a - 1) * digamma(a), -(a - 1) * trigamma(a))
        }
        let shared = Tensor.map(total) { a0 in
            (-Double.logGamma(a0) + (a0 - k) * digamma(a0), (a0 - k) * trigamma(a0))
        }
        return perCategory.sum(alongAxis: -1) + shared
    }
}
