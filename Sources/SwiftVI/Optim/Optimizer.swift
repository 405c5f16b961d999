/// A gradient-based optimizer over a flat vector of parameters. Its settings are
/// immutable; everything that changes from step to step is in `OptimizerState`,
/// a plain value, so a fit can be saved, restored and resumed exactly.
public protocol Optimizer: Sendable {
    /// The step size of each update, as a function of the updates already applied.
    var learningRate: Schedule { get }
    /// The same optimizer with another learning rate; throws when it is invalid.
    func withLearningRate(_ learningRate: Schedule) throws -> Self
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

    /// `count` zero buffers of `parameterCount` entries and no steps taken.
    static func zeros(_ count: Int, parameterCount: Int) -> OptimizerState {
        OptimizerState(slots: Array(repeating: [Double](repeating: 0, count: parameterCount), count: count))
    }
}

/// Checks of optimizer settings, each throwing a message that names the optimizer.
enum SettingCheck {
    /// `value` must be in [0, 1): a decay rate or momentum.
    static func unitInterval(_ family: String, _ name: String, _ value: Double) throws {
        guard value >= 0, value < 1 else { throw SVIError.invalidArgument("\(family): \(name) must be in [0, 1); got \(value)") }
    }

    /// `value` must be positive and finite.
    static func positive(_ family: String, _ name: String, _ value: Double) throws {
        guard value > 0, value.isFinite else {
            throw SVIError.invalidArgument("\(family): \(name) must be positive and finite; got \(value)")
        }
    }

    /// `value` must be non-negative and finite.
    static func nonNegative(_ family: String, _ name: String, _ value: Double) throws {
        guard value >= 0, value.isFinite else {
            throw SVIError.invalidArgument("\(family): \(name) must be non-negative and finite; got \(value)")
        }
    }
}
