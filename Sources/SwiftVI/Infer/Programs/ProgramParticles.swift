/// The particles of a program ELBO evaluated site by site (NumPyro's
/// trace-based ELBOs): each runs the guide, then the model with the guide's
/// values substituted.
extension ProgramGuide {
    /// For `count` particles, the guide's traces under keys split from the
    /// first half of `key` and the model's runs under keys split from the
    /// second: each particle's bound `term(guideTrace, modelTrace)` (shape
    /// [S]) and the summed scaled log-density of its draws that have no
    /// reparameterized sampler (shape [S], the score-function term of
    /// `scoreFunctionSurrogate`). Those draws are held fixed: their values are
    /// detached both in the guide's trace that `term` sees and in the model's
    /// run, so gradients reach them only through their log-densities.
    func particleTerms(model: ProgramModel, parameters: Tensor, count: Int, key: PRNGKey,
                       _ term: (Trace, Trace) throws -> Tensor) throws -> (bounds: Tensor, scoreLogDensity: Tensor) {
        let keys = key.split(2)
        let guideTraces = try traces(parameters: parameters, count: count, key: keys[0])
        var bounds: [Tensor] = [], scores: [Tensor] = []
        for (drawn, modelKey) in zip(guideTraces, keys[1].split(count)) {
            var guideTrace = Trace(), score = Tensor(0)
            for var site in drawn.sites {
                if site.kind == .sample, !site.isObserved, !site.distribution!.hasReparameterizedSample {
                    site.value = site.value!.detached
                    score = score + (try site.scaledLogProbSum())
                }
                try guideTrace.record(site)
            }
            let values = Dictionary(uniqueKeysWithValues: model.latentSites.map { ($0.name, guideTrace[$0.name]!.value!) })
            bounds.append(try term(guideTrace, model.trace(substituting: values, key: modelKey)))
            scores.append(score)
        }
        return (Tensor.concatenating(bounds), Tensor.concatenating(scores))
    }
}
