import RealModule

/// `q` with its weighted particles replaced by equally weighted ones (coix's
/// `resample(q)`): per column of the log-weight (each batch element past the
/// leading particle dimension), K ancestors are picked by `scheme` from the
/// normalized weights, and the output and every sample site (its value
/// broadcast to its batch shape) are gathered from the ancestors. A site
/// becomes a `Delta` at its gathered value carrying its gathered
/// log-probability, so a later `propose` weighs it as before. The new
/// log-weight is log((1/K) Σₖ exp wₖ) for every particle, which keeps the
/// evidence estimate. A program without a particle dimension is returned as it ran.
public func resample<Input, Output: ParticleSelectable>(_ q: InferenceProgram<Input, Output>,
                                                        scheme: ResamplingScheme = .systematic)
    -> InferenceProgram<Input, Output> {
    InferenceProgram { context, input, key in
        let keys = key.split(2)
        let weighted = try q.run(context, input, keys[1])
        let w = weighted.logWeight
        guard let k = w.shape.first, k > 0 else { return weighted }
        let probabilities = ProposalLosses.normalizedWeights(w).scalars
        let columns = w.count / k
        let columnKeys = keys[0].split(columns)
        var ancestors = [Int](repeating: 0, count: w.count)
        for c in 0..<columns {
            let column = (0..<k).map { probabilities[$0 * columns + c] }
            for (i, a) in scheme.ancestors(column, key: columnKeys[c]).enumerated() { ancestors[i * columns + c] = a }
        }
        var trace = Trace()
        for var site in weighted.trace.sites {
            if site.kind == .sample, let value = site.value, let distribution = site.distribution {
                let logProb = try distribution.logProb(value)
                let full = value.broadcasted(to: logProb.shape + distribution.eventShape)
                let gathered = full.selectingParticles(ancestors, weightShape: w.shape)
                site.value = gathered
                site.distribution = try Delta(v: gathered, logDensity: logProb.selectingParticles(ancestors, weightShape: w.shape),
                                              eventDim: distribution.eventShape.count)
            }
            try trace.record(site)
        }
        let average = w.logSumExp(alongAxis: 0) - Double.log(Double(k))
        return Evaluation(output: weighted.output.selectingParticles(ancestors, weightShape: w.shape), trace: trace,
                          logWeight: average.broadcasted(to: w.shape), loss: weighted.loss)
    }
}
