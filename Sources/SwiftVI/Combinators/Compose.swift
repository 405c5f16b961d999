/// `q2` run on the output of `q1` (coix's `compose(q2, q1)` without
/// renaming): the output of `q2`, the sites of both (names must differ) and
/// the sum of their log-weights and losses. Composing a prior with a
/// likelihood gives the joint density's program.
public func compose<Input, Middle, Output>(_ q2: InferenceProgram<Middle, Output>,
                                           _ q1: InferenceProgram<Input, Middle>) -> InferenceProgram<Input, Output> {
    InferenceProgram { context, input, key in
        let keys = key.split(2)
        let first = try q1.run(context, input, keys[1])
        let second = try q2.run(context, first.output, keys[0])
        return Evaluation(output: second.output, trace: try first.trace.merged(with: second.trace),
                          logWeight: first.logWeight + second.logWeight, loss: first.loss + second.loss)
    }
}

/// `p` followed by the kernel `f` on its output, whose sites are auxiliary
/// (coix's `extend(p, f)`): the output of `p`, the sites of both, and the sum
/// of their log-weights and losses. Where `f`'s sites are drawn, their
/// density cancels against the draw; inside a `propose` target, where they
/// take the proposal's values, `propose` counts their density.
public func extend<Input, Output, Auxiliary>(_ p: InferenceProgram<Input, Output>,
                                             _ f: InferenceProgram<Output, Auxiliary>) -> InferenceProgram<Input, Output> {
    InferenceProgram { context, input, key in
        let keys = key.split(2)
        let main = try p.run(context, input, keys[1])
        let auxiliary = try f.run(context, main.output, keys[0])
        return Evaluation(output: main.output, trace: try main.trace.merged(with: auxiliary.trace),
                          logWeight: main.logWeight + auxiliary.logWeight, loss: main.loss + auxiliary.loss)
    }
}
