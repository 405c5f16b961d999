import RealModule

/// KL rules between the elementary families (univariate continuous closed forms).
let elementaryKLRules: [(KLRegistry.Pair, KLRegistry.Rule)] = [
    // exp is a bijection, so the divergence is that of the underlying normals.
    KLRegistry.pair(LogNormal.self, LogNormal.self) { p, q in
        try klDivergence(Normal(loc: p.loc, scale: p.scale), Normal(loc: q.loc, scale: q.scale))
    },
    // (r² - 1)/2 - log r with r = σp/σq: the normal formula at equal locations.
    KLRegistry.pair(HalfNormal.self, HalfNormal.self) { p, q in
        let ratio = p.scale / q.scale
        return 0.5 * (ratio.squared() - 1) - ratio.log()
    },
    // log(bq/bp) + d/bq + (bp/bq) e^(-d/bp) - 1 with d = |μp - μq|.
    KLRegistry.pair(Laplace.self, Laplace.self) { p, q in
        let distance = Tensor.map(p.loc, q.loc) { a, b in
            let sign: Double = a > b ? 1 : a < b ? -1 : 0
            return (abs(a - b), sign, -sign)
        }
        let ratio = p.scale / q.scale
        return distance / q.scale + ratio * (-distance / p.scale).exp() - ratio.log() - 1
    },
    // log(wq/wp) when [low p, high p] ⊆ [low q, high q], +inf otherwise.
    KLRegistry.pair(Uniform.self, Uniform.self) { p, q in
        let lowOutside = Tensor.map(p.low.detached, q.low.detached) { a, b in (a < b ? .infinity : 0, 0, 0) }
        let highOutside = Tensor.map(p.high.detached, q.high.detached) { a, b in (a > b ? .infinity : 0, 0, 0) }
        return (q.high - q.low).log() - (p.high - p.low).log() + lowOutside + highOutside
    },
    // -log w + log σ + ½ log 2π + (w²/12 + (centre - μ)²) / (2σ²), w = high - low.
    KLRegistry.pair(Uniform.self, Normal.self) { p, q in
        let width = p.high - p.low
        let secondMoment = width.squared() / 12 + (0.5 * (p.low + p.high) - q.loc).squared()
        return q.scale.log() - width.log() + halfLogTwoPi + secondMoment / (2 * q.scale.squared())
    },
    // log(((σp + σq)² + (μp - μq)²) / (4 σp σq)).
    KLRegistry.pair(Cauchy.self, Cauchy.self) { p, q in
        (((p.scale + q.scale).squared() + (p.loc - q.loc).squared()) / (4 * p.scale * q.scale)).log()
    },
]
