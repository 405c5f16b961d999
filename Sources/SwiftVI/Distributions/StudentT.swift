import RealModule

/// Student's t distribution with `df` ν degrees of freedom, location `loc` μ and
/// scale σ: density Γ((ν+1)/2) / (Γ(ν/2) √(νπ) σ) · (1 + z²/ν)^(−(ν+1)/2), z = (x − μ)/σ.
public struct StudentT: Distribution {
    public let df: Tensor
    public let loc: Tensor
    public let scale: Tensor
    public let batchShape: [Int]

    /// Throws unless `df` and `scale` are positive and finite, `loc` is finite and the shapes broadcast.
    public init(df: Tensor, loc: Tensor = 0, scale: Tensor = 1) throws {
        try ParameterCheck.positive(df, "StudentT", "df")
        try ParameterCheck.finite(loc, "StudentT", "loc")
        try ParameterCheck.positive(scale, "StudentT", "scale")
        batchShape = try ParameterCheck.batchShape("StudentT", [("df", df), ("loc", loc), ("scale", scale)])
        self.df = df
        self.loc = loc
        self.scale = scale
    }

    public var familyName: String { "StudentT" }
    public var eventShape: [Int] { [] }
    public var support: Constraint { .real }
    /// Samples are μ + σ Z / √(V/ν), V = 2G with G a reparameterized Gamma(ν/2, 1) draw.
    public var hasReparameterizedSample: Bool { true }

    /// −log B(ν/2, ½) − ½ log ν − log σ − (ν + 1)/2 · log1p(z²/ν), the log-beta form
    /// staying accurate for large ν.
    public func logProb(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        let standardized = standardize(value)
        // Partial derivatives with respect to z and ν; those of x, μ, σ follow through z.
        let logDensity = Tensor.map(standardized, df) { z, nu in
            guard z.isFinite else { return (-.infinity, 0, 0) }
            let r = z * z / nu
            let value = studentTLogDensity(z, nu)
            let dz = -(nu + 1) * z / (nu + z * z)
            let dnu = -0.5 * (digamma(0.5 * nu) - digamma(0.5 * nu + 0.5)) - 0.5 / nu
                - 0.5 * Double.log(onePlus: r) + 0.5 * (nu + 1) * r / (nu + z * z)
            return (value, dz, dnu)
        }
        return logDensity - scale.log()
    }

    /// z = (x − μ)/σ, differentiable in all three.
    private func standardize(_ value: Tensor) -> Tensor {
        Tensor.map(value, loc, scale) { x, m, s in
            let z = (x - m) / s
            return (z, 1 / s, -1 / s, -z / s)
        }
    }

    /// μ + σ Z √(ν/(2G)), the square root formed as exp(½(log(ν/2) − log G)) so that
    /// small ν, whose Gamma draws underflow, still give the right law.
    public func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor {
        let shape = sampleShape + batchShape, keys = key.split(2)
        let halfDf = df * 0.5
        let logG = Tensor.standardGammaLog(concentration: halfDf.broadcasted(to: batchShape), shape: shape, key: keys[0])
        let z = Tensor(shape: shape, scalars: keys[1].normal(shape.reduce(1, *)))
        return loc + scale * z * ((halfDf.log() - logG) * 0.5).exp()
    }

    /// μ for ν > 1; +inf for ν ≤ 1, where the mean does not exist (scipy's convention).
    public var mean: Tensor {
        Tensor.map(loc, df) { m, nu in nu > 1 ? (m, 1, 0) : (.infinity, 0, 0) }.broadcasted(to: batchShape)
    }

    /// σ²ν/(ν − 2) for ν > 2, +inf for 1 < ν ≤ 2, NaN for ν ≤ 1 (as scipy).
    public var variance: Tensor {
        Tensor.map(scale, df) { s, nu in
            if nu <= 1 { return (.nan, 0, 0) }
            if nu <= 2 { return (.infinity, 0, 0) }
            return (s * s * nu / (nu - 2), 2 * s * nu / (nu - 2), -2 * s * s / ((nu - 2) * (nu - 2)))
        }.broadcasted(to: batchShape)
    }

    /// (ν + 1)/2 · (ψ((ν + 1)/2) − ψ(ν/2)) + ½ log ν + log B(ν/2, ½) + log σ.
    public func entropy() -> Tensor {
        let standard = Tensor.map(df) { nu in
            let (h, half) = (0.5 * nu, 0.5 * nu + 0.5)
            let value = half * (digamma(half) - digamma(h)) + 0.5 * Double.log(nu) + SwiftVI.logBeta(h, 0.5)
            return (value, 0.5 * half * (trigamma(half) - trigamma(h)) + 0.5 / nu)
        }
        return (standard + scale.log()).broadcasted(to: batchShape)
    }

    /// ½ Iₓ(ν/2, ½) with x = ν/(ν + z²) below the median, its complement above.
    /// The derivative in ν is numerical (`richardsonDerivative`), formed only when ν is recorded.
    public func cdf(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        let standardized = standardize(value)
        let differentiateDf = df.isTracked
        return Tensor.map(standardized, df) { z, nu in
            let density = Double.exp(studentTLogDensity(z, nu))
            let dnu = differentiateDf ? richardsonDerivative(at: nu) { studentTCDF(z, $0) } : 0
            return (studentTCDF(z, nu), z.isFinite ? density : 0, dnu)
        }
    }

    /// μ + σ z(p) with ½ Iₓ(ν/2, ½) = min(p, 1 − p) solved by `inverseRegularizedIncompleteBeta`.
    /// The derivative in ν is numerical (`richardsonDerivative`), formed only when ν is recorded.
    /// Known limit: with ν above about 1e100, tails below about 1e-100 are not
    /// accurate (the beta quantile's iteration stops early there).
    public func icdf(_ probability: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: probability.shape)
        let differentiateDf = df.isTracked
        let standard = Tensor.map(probability, df) { p, nu in
            let z = studentTQuantile(p, nu)
            guard z.isFinite else { return (z, 0, 0) }
            let dnu = differentiateDf ? richardsonDerivative(at: nu) { studentTQuantile(p, $0) } : 0
            return (z, 1 / Double.exp(studentTLogDensity(z, nu)), dnu)
        }
        return loc + scale * standard
    }
}

/// log density of the standard t with ν degrees of freedom at z.
private func studentTLogDensity(_ z: Double, _ nu: Double) -> Double {
    -logBeta(0.5 * nu, 0.5) - 0.5 * Double.log(nu) - 0.5 * (nu + 1) * Double.log(onePlus: z * z / nu)
}

/// The standard t distribution function, accurate in both tails: with
/// x = ν/(ν + z²) and y = z²/(ν + z²) formed without overflow, the tail is ½ Iₓ(ν/2, ½).
private func studentTCDF(_ z: Double, _ nu: Double) -> Double {
    if z.isNaN { return .nan }
    if z.isInfinite { return z < 0 ? 0 : 1 }
    let (x, y): (Double, Double)
    if z * z > nu {
        let u = nu / z / z
        (x, y) = (u / (1 + u), 1 / (1 + u))
    } else {
        let v = z / nu * z
        (x, y) = (1 / (1 + v), v / (1 + v))
    }
    let (value, complement) = regularizedIncompleteBetaPair(0.5 * nu, 0.5, x: x, y: y)
    return z < 0 ? 0.5 * value : 0.5 + 0.5 * complement
}

/// The standard t quantile: the tail probability t = min(p, 1 − p) gives
/// Iₓ(ν/2, ½) = 2t, and z = ∓√(ν y/x) with y = 1 − x from the same solve.
private func studentTQuantile(_ p: Double, _ nu: Double) -> Double {
    if p == 0.5 { return 0 }
    let tail = min(p, 1 - p)
    let (x, y) = incompleteBetaQuantile(0.5 * nu, 0.5, p: 2 * tail, q: 1 - 2 * tail)
    let z = (nu * y / x).squareRoot()
    return p < 0.5 ? -z : z
}
