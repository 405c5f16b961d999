/// A gradient-based optimizer over a flat vector of parameters. Its settings are
/// immutable; everything that changes from step to step is in `OptimizerState`,
/// a plain value, so a fit can be saved, restored and resumed exactly.
public protocol Optimizer: Sendable {
    /// The state before the first step, for `parameterCount` parameters.
    func initialState(parameterCount: Int) -> OptimizerState
    /// Moves `parameters` against `gradient`, advancing `state`.
    func update(_ parameters: inout [Double], gradient: [Double], state: inout OptimizerState)
}

/// The changing part of an optimizer: a step count and per-parameter buffers.
public struct OptimizerState: Equatable, Sendable {
    /// Steps taken.
    public var step: Int
    /// Per-parameter buffers (momenta, moment estimates), each of the parameter count.
    public var slots: [[Double]]

    public init(step: Int = 0, slots: [[Double]]) {
        self.step = step
        self.slots = slots
    }
}
