/// KL rules between Gamma, Exponential, Beta and Dirichlet distributions, in
/// closed form through log Γ, log B and ψ (differentiable in every parameter).
let gammaKLRules: [(KLRegistry.Pair, KLRegistry.Rule)] = [
    KLRegistry.pair(Gamma.self, Gamma.self) { p, q in
        gammaKL(p.concentration, p.rate, q.concentration, q.rate)
    },
    KLRegistry.pair(Exponential.self, Exponential.self) { p, q in
        // log(λp/λq) + λq/λp − 1
        let ratio = q.rate / p.rate
        return ratio - ratio.log() - 1
    },
    KLRegistry.pair(Exponential.self, Gamma.self) { p, q in
        gammaKL(Tensor(1), p.rate, q.concentration, q.rate)
    },
    KLRegistry.pair(Beta.self, Beta.self) { p, q in
        let (a, b) = (p.concentration1, p.concentration0)
        let (c, d) = (q.concentration1, q.concentration0)
        let total = (a + b).digamma()
        return Tensor.logBeta(c, d) - Tensor.logBeta(a, b)
            + (a - c) * (a.digamma() - total) + (b - d) * (b.digamma() - total)
    },
    KLRegistry.pair(Dirichlet.self, Dirichlet.self) { p, q in
        // log Γ(α₀) − Σ log Γ(αᵢ) − log Γ(β₀) + Σ log Γ(βᵢ) + Σ (αᵢ − βᵢ)(ψ(αᵢ) − ψ(α₀))
        let (alpha, beta) = (p.concentration, q.concentration)
        let alphaTotal = alpha.sum(alongAxis: -1), betaTotal = beta.sum(alongAxis: -1)
        let cross = ((alpha - beta) * (alpha.digamma() - alphaTotal.digamma().expandingShape(at: -1)))
        return alphaTotal.logGamma() - betaTotal.logGamma()
            + (beta.logGamma() - alpha.logGamma() + cross).sum(alongAxis: -1)
    },
]

/// KL(Gamma(α, β) ‖ Gamma(a, b)) =
/// (α − a)ψ(α) − log Γ(α) + log Γ(a) + a log(β/b) + α(b − β)/β.
private func gammaKL(_ alpha: Tensor, _ beta: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
    (alpha - a) * alpha.digamma() - alpha.logGamma() + a.logGamma() + a * (beta / b).log() + alpha * (b / beta - 1)
}
