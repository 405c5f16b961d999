import RealModule

/// KL rules between the discrete families, Delta and Independent. Where q puts
/// no mass on an outcome p can take the divergence is +inf (with zero partials).
let discreteKLRules = [
    KLRegistry.pair(Bernoulli.self, Bernoulli.self) { p, q in
        let (s, t) = (p.success, q.success)
        return Tensor.map(s.parameter, t.parameter) { a, b in bernoulliKL(s.terms(a), t.terms(b)) }
    },
    KLRegistry.pair(Binomial.self, Binomial.self) { p, q in
        try requireEqualTotalCounts(p.totalCount, q.totalCount)
        let (s, t) = (p.success, q.success)
        return Tensor.map(p.totalCount, s.parameter, t.parameter) { n, a, b in
            let (kl, da, db) = bernoulliKL(s.terms(a), t.terms(b))
            return n == 0 || kl == .infinity ? (n == 0 ? 0 : kl, 0, 0, 0) : (n * kl, 0, n * da, n * db)
        }
    },
    KLRegistry.pair(Geometric.self, Geometric.self) { p, q in
        let (s, t) = (p.success, q.success)
        return Tensor.map(s.parameter, t.parameter) { a, b in
            // KL = log p − log q + E[k] (log(1 − p) − log(1 − q)), E[k] = (1 − p)/p.
            let (x, y) = (s.terms(a), t.terms(b))
            let odds = Double.exp(x.logQ - x.logP)
            if odds > 0 && y.logQ == -.infinity { return (.infinity, 0, 0) }
            let gap = logRatio(x.logQ, y.logQ)
            return (x.logP - y.logP + weighted(odds, gap),
                    x.dLogP + weighted(odds, (x.dLogQ - x.dLogP) * gap + x.dLogQ),
                    -y.dLogP - weighted(odds, y.dLogQ))
        }
    },
    KLRegistry.pair(Poisson.self, Poisson.self) { p, q in
        Tensor.map(p.rate, q.rate) { a, b in
            if a == 0 { return (b, -.infinity, 1) }
            if b == 0 { return (.infinity, 0, 0) }
            let log = Double.log(a / b)
            return (a * log - a + b, log, 1 - a / b)
        }
    },
    KLRegistry.pair(Categorical.self, Categorical.self) { p, q in
        guard p.categoryCount == q.categoryCount else {
            throw SVIError.shapeMismatch(
                "KL(Categorical ‖ Categorical): \(p.categoryCount) and \(q.categoryCount) categories differ")
        }
        return Tensor.map(p.logits, q.logits) { lp, lq in
            if lp == -.infinity { return (0, 0, 0) }
            if lq == -.infinity { return (.infinity, 0, 0) }
            let mass = Double.exp(lp)
            return (mass * (lp - lq), mass * (lp - lq + 1), -mass)
        }.sum(alongAxis: -1)
    },
    // As NumPyro: −log q(v); Delta's log_density is a weight, not part of the divergence.
    KLRegistry.pair(Delta.self, anyFamily: { p, q in -(try q.logProb(p.v)) }),
    KLRegistry.pair(Independent.self, Independent.self) { p, q in
        guard p.reinterpretedBatchDims == q.reinterpretedBatchDims else {
            throw SVIError.notImplemented(
                "KL(Independent ‖ Independent) needs equal reinterpreted_batch_ndims; got \(p.reinterpretedBatchDims) and \(q.reinterpretedBatchDims)")
        }
        return p.sumReinterpreted(try klDivergence(p.base, q.base))
    },
]

/// KL(Bernoulli(p) ‖ Bernoulli(q)) = p log(p/q) + (1 − p) log((1 − p)/(1 − q))
/// and its partials with respect to the two parameters of the terms.
private func bernoulliKL(_ x: SuccessProbability.Terms, _ y: SuccessProbability.Terms) -> (Double, Double, Double) {
    if (x.p > 0 && y.logP == -.infinity) || (x.q > 0 && y.logQ == -.infinity) { return (.infinity, 0, 0) }
    let (successGap, failureGap) = (logRatio(x.logP, y.logP), logRatio(x.logQ, y.logQ))
    return (weighted(x.p, successGap) + weighted(x.q, failureGap),
            x.dP * (successGap - failureGap),
            -weighted(x.p, y.dLogP) - weighted(x.q, y.dLogQ))
}

/// log a − log b, taken as 0 when both are −∞ (an outcome neither side can take).
private func logRatio(_ logA: Double, _ logB: Double) -> Double {
    logA == logB ? 0 : logA - logB
}

/// Throws unless the two total counts are equal wherever they broadcast together.
private func requireEqualTotalCounts(_ a: Tensor, _ b: Tensor) throws {
    guard broadcastShapes(a.shape, b.shape) != nil else {
        throw SVIError.shapeMismatch("KL(Binomial ‖ Binomial): total_count shapes \(a.shape) and \(b.shape) do not broadcast")
    }
    let pairs = Tensor.map(a, b) { x, y in (x == y ? -1 : x, 0, 0) }
    if let i = pairs.scalars.firstIndex(where: { $0 != -1 }) {
        throw SVIError.invalidArgument(
            "KL(Binomial ‖ Binomial) needs equal total_count; they differ at broadcast index \(i) (p has \(pairs.scalars[i]))")
    }
}
