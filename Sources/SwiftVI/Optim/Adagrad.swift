/// Adagrad (Duchi et al., 2011) as PyTorch defines it: s ← s + g², starting
/// from `initialAccumulatorValue`; θ ← θ − ηg / (√s + ε).
public struct Adagrad: Optimizer {
    public let learningRate: Schedule
    /// The value every squared-gradient sum starts from.
    public let initialAccumulatorValue: Double
    public let epsilon: Double

    /// Throws unless the learning rate is valid, the initial accumulator value
    /// non-negative and finite and ε positive and finite.
    public init(learningRate: Schedule, initialAccumulatorValue: Double = 0, epsilon: Double = 1e-10) throws {
        try learningRate.check("Adagrad")
        try SettingCheck.nonNegative("Adagrad", "initial_accumulator_value", initialAccumulatorValue)
        try SettingCheck.positive("Adagrad", "epsilon", epsilon)
        self.learningRate = learningRate
        self.initialAccumulatorValue = initialAccumulatorValue
        self.epsilon = epsilon
    }

    public func withLearningRate(_ learningRate: Schedule) throws -> Adagrad {
        try Adagrad(learningRate: learningRate, initialAccumulatorValue: initialAccumulatorValue, epsilon: epsilon)
    }

    public func initialState(parameterCount: Int) -> OptimizerState {
        OptimizerState(slots: [[Double](repeating: initialAccumulatorValue, count: parameterCount)])
    }

    public func update(_ parameters: inout [Double], gradient: [Double], state: inout OptimizerState) {
        let eta = learningRate(state.step)
        state.step += 1
        for i in parameters.indices {
            let g = gradient[i]
            let s = state.slots[0][i] + g * g
            state.slots[0][i] = s
            parameters[i] -= eta * g / (s.squareRoot() + epsilon)
        }
    }
}
