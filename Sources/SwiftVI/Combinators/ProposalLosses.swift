import RealModule

/// The losses a `propose` step can add (coix's `coix.loss`), each usable as
/// a `ProposalLoss`. With a particle dimension (the leading one of the
/// weights), particles count by their normalized incoming or outgoing weights,
/// held fixed (not differentiated); other batch dimensions are summed.
public enum ProposalLosses {
    /// The negative ELBO of the step: −Σ w̄ᵢₙ · incremental log-weight, w̄ᵢₙ the
    /// normalized incoming weights (1/K each for an unweighted proposal, so the
    /// mean over particles).
    public static func elbo(_ proposal: Trace, _ target: Trace, _ incoming: Tensor, _ incremental: Tensor) -> Tensor {
        -(normalizedWeights(incoming) * incremental).sum()
    }

    /// The IWAE surrogate: −Σ w̄ · w with w the outgoing log-weight and w̄ its
    /// normalized weights; its gradient is that of the importance-weighted bound.
    public static func iwae(_ proposal: Trace, _ target: Trace, _ incoming: Tensor, _ incremental: Tensor) -> Tensor {
        let logWeight = incoming + incremental
        return -(normalizedWeights(logWeight) * logWeight).sum()
    }

    /// Reweighted wake-sleep's wake-p loss: −Σ w̄ · log p(x, z) over the
    /// target's sites. Differentiate it with respect to the target's parameters.
    public static func wakeP(_ proposal: Trace, _ target: Trace, _ incoming: Tensor, _ incremental: Tensor) throws -> Tensor {
        let rank = incoming.rank
        let logJoint = try SiteWeights.total(SiteWeights.sampleSites(target), rank: rank) { _ in true }
        return -(normalizedWeights(incoming + incremental) * logJoint).sum()
    }

    /// Reweighted wake-sleep's wake-q loss: −Σ w̄ · log q(z | x) over the
    /// proposal's sites, evaluated at their values held fixed: its gradient
    /// estimates that of KL(p(z | x) ‖ q(z | x)) by self-normalized importance sampling.
    public static func wakeQ(_ proposal: Trace, _ target: Trace, _ incoming: Tensor, _ incremental: Tensor) throws -> Tensor {
        let rank = incoming.rank
        let logQ = try SiteWeights.sampleSites(proposal).reduce(Tensor(0)) { total, site in
            let logProb = try site.distribution!.logProb(site.value!.detached)
            return total + SiteWeights.reduced(site.scale.map { logProb * $0 } ?? logProb, rank: rank)
        }
        return -(normalizedWeights(incoming + incremental) * logQ).sum()
    }

    /// The normalized weights softmax(w) along the leading (particle)
    /// dimension, not recorded on the tape; 1 for a scalar weight.
    public static func normalizedWeights(_ logWeight: Tensor) -> Tensor {
        guard logWeight.rank > 0 else { return Tensor(1) }
        let w = logWeight.detached
        return (w - w.logSumExp(alongAxis: 0)).exp().detached
    }

    /// The importance-weighted (IWAE) bound of log-weights whose leading
    /// dimension holds K particles: log((1/K) Σₖ exp wₖ), summed over the other
    /// dimensions (data points); the log-weight itself for a scalar.
    public static func iwaeBound(_ logWeight: Tensor) -> Tensor {
        guard logWeight.rank > 0 else { return logWeight }
        return (logWeight.logSumExp(alongAxis: 0) - Double.log(Double(logWeight.shape[0]))).sum()
    }
}
