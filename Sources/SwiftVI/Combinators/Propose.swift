/// A loss that a `propose` step adds to the program's loss (coix's `loss_fn`):
/// from the proposal's trace, the target's trace, the incoming log-weight (of
/// the proposal) and the incremental log-weight of the step, both reduced to
/// the batch shape that the sites of both traces share.
public typealias ProposalLoss = (_ proposal: Trace, _ target: Trace, _ incoming: Tensor,
                                 _ incremental: Tensor) throws -> Tensor

/// The target `p` importance-sampled with the proposal `q` (coix's
/// `propose(p, q)`): `q` runs first; `p` then runs on the same input with each
/// of `q`'s latent sample sites substituted at `q`'s value, so `p` draws only
/// what `q` does not give. The log-weight is `q`'s plus the incremental
/// density ratio: log p of `p`'s observed sites and of the sites `q` gave,
/// minus log q of all of `q`'s sample sites. The result has `p`'s output and
/// trace; `loss`, when given, is evaluated on the step and added to `q`'s loss.
/// Values substituted from `q` keep their tape, so reparameterized gradients
/// flow through them.
public func propose<Input, Output, ProposalOutput>(_ p: InferenceProgram<Input, Output>,
                                                   _ q: InferenceProgram<Input, ProposalOutput>,
                                                   loss: ProposalLoss? = nil) -> InferenceProgram<Input, Output> {
    InferenceProgram { context, input, key in
        let keys = key.split(2)
        let proposal = try q.run(context, input, keys[1])
        var latents: [String: Tensor] = [:]
        for site in proposal.trace.sites where site.kind == .sample && !site.isObserved { latents[site.name] = site.value }
        let substitution = SubstituteMessenger { $0.kind == .sample && !$0.isObserved ? latents[$0.name] : nil }
        let target = try context.withHandler(substitution) { try p.run(context, input, keys[0]) }
        let targetSites = SiteWeights.sampleSites(target.trace), proposalSites = SiteWeights.sampleSites(proposal.trace)
        let rank = try SiteWeights.batchRank(targetSites + proposalSites)
        let incoming = SiteWeights.reduced(proposal.logWeight, rank: rank)
        let targetWeight = try SiteWeights.total(targetSites, rank: rank) { $0.isObserved || latents[$0.name] != nil }
        let proposalWeight = try SiteWeights.total(proposalSites, rank: rank) { _ in true }
        let incremental = targetWeight - proposalWeight
        let stepLoss = try loss?(proposal.trace, target.trace, incoming, incremental)
        return Evaluation(output: target.output, trace: target.trace, logWeight: incoming + incremental,
                          loss: stepLoss.map { proposal.loss + $0 } ?? proposal.loss)
    }
}
