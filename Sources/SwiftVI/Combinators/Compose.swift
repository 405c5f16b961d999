/// `q2` run on the output of `q1` (coix's `compose(q2, q1)` without
/// renaming): the output of `q2`, the sites of both (names must differ) and
/// the sum of their log-weights and losses. Composing a prior with a
/// likelihood gives the joint density's program.
public func compose<Input, Middle, Output>(_ q2: InferenceProgram<Middle, Output>,
                                           _ q1: InferenceProgram<Input, Middle>) -> InferenceProgram<Input, Output> {
    sequence(q1, q2) { _, second in second }
}

/// `p` followed by the kernel `f` on its output, whose sites are auxiliary
/// (coix's `extend(p, f)`): the output of `p`, the sites of both, and the sum
/// of their log-weights and losses. Where `f`'s sites are drawn, their
/// density cancels against the draw; inside a `propose` target, where they
/// take the proposal's values, `propose` counts their density.
public func extend<Input, Output, Auxiliary>(_ p: InferenceProgram<Input, Output>,
                                             _ f: InferenceProgram<Output, Auxiliary>) -> InferenceProgram<Input, Output> {
    sequence(p, f) { first, _ in first }
}

/// `second` run on the output of `first`, with a key each: the sites of both,
/// the sums of their log-weights and losses, and the output `pick` chooses.
private func sequence<Input, Middle, Output, Result>(
    _ first: InferenceProgram<Input, Middle>, _ second: InferenceProgram<Middle, Output>,
    output pick: @escaping (Middle, Output) -> Result) -> InferenceProgram<Input, Result> {
    InferenceProgram { context, input, key in
        let keys = key.split(2)
        let a = try first.run(context, input, keys[1])
        let b = try second.run(context, a.output, keys[0])
        return Evaluation(output: pick(a.output, b.output), trace: try a.trace.merged(with: b.trace),
                          logWeight: a.logWeight + b.logWeight, loss: a.loss + b.loss)
    }
}
