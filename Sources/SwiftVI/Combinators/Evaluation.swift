/// What one run of an inference program gives (coix's output, trace and
/// metrics): its output, the trace of its sites, its log importance weight —
/// of the leading batch shape that all its sites share, whose first
/// dimension is the particle dimension (a scalar without one) — and the loss
/// that the `propose` combinators inside it accumulated.
public struct Evaluation<Output> {
    public let output: Output
    public let trace: Trace
    /// The log-weight, recorded on the tape of the values and parameters it depends on.
    public let logWeight: Tensor
    /// The sum of the losses of the `propose` combinators that ran (0 when none has a loss).
    public let loss: Tensor

    public init(output: Output, trace: Trace, logWeight: Tensor, loss: Tensor = Tensor(0)) {
        self.output = output
        self.trace = trace
        self.logWeight = logWeight
        self.loss = loss
    }
}
