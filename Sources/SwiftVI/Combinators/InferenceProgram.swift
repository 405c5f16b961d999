/// A program that runs to a weighted sample, the unit that inference
/// combinators transform (Stites, Zimmermann et al., 2021). It runs on a
/// `ProgramContext` — so handlers around it (a `propose`'s substitution, a
/// particle plate) reach its sites — with an input and a random key of its
/// own, and gives an `Evaluation`: output, trace, log-weight and loss.
public struct InferenceProgram<Input, Output> {
    /// The run: context, input and key to evaluation.
    public let run: (ProgramContext, Input, PRNGKey) throws -> Evaluation<Output>

    /// A program given by its run, for new combinators.
    public init(run: @escaping (ProgramContext, Input, PRNGKey) throws -> Evaluation<Output>) {
        self.run = run
    }

    /// A primitive program: `body` run under a seed of the run's key and a
    /// trace. Its log-weight is the log-density of its observed sites (its
    /// latent sites are drawn from their own distributions, so they weigh
    /// nothing), of the batch shape all its sites share.
    public init(_ body: @escaping (ProgramContext, Input) throws -> Output) {
        run = { context, input, key in
            let traced = Handlers.seed(Handlers.trace { try body($0, input) }, key: key)
            let (output, trace) = try traced(context)
            let sites = SiteWeights.sampleSites(trace)
            let rank = try SiteWeights.batchRank(sites)
            return Evaluation(output: output, trace: trace,
                              logWeight: try SiteWeights.total(sites, rank: rank) { $0.isObserved })
        }
    }
}

/// Runs `program` on `input` in a fresh context with `key` (coix's
/// `traced_evaluate`): its output, trace, log-weight and loss.
public func tracedEvaluate<Input, Output>(_ program: InferenceProgram<Input, Output>, _ input: Input,
                                          key: PRNGKey) throws -> Evaluation<Output> {
    try program.run(ProgramContext(), input, key)
}
