/// RMSProp as PyTorch defines it: v ← αv + (1 − α)g²; with `centered`, also
/// ḡ ← αḡ + (1 − α)g and the denominator d = √(v − ḡ²) + ε, else d = √v + ε.
/// Without momentum θ ← θ − ηg/d; with momentum μ, b ← μb + g/d and θ ← θ − ηb.
/// (ε is added outside the square root, unlike NumPyro's RMSProp.)
public struct RMSProp: Optimizer {
    public let learningRate: Schedule
    /// α, the decay rate of the squared-gradient average.
    public let decay: Double
    public let epsilon: Double
    public let momentum: Double
    public let centered: Bool

    /// Throws unless the learning rate is valid, decay and momentum in [0, 1) and ε positive and finite.
    public init(learningRate: Schedule, decay: Double = 0.99, epsilon: Double = 1e-8, momentum: Double = 0,
                centered: Bool = false) throws {
        try learningRate.check("RMSProp")
        try SettingCheck.unitInterval("RMSProp", "decay", decay)
        try SettingCheck.positive("RMSProp", "epsilon", epsilon)
        try SettingCheck.unitInterval("RMSProp", "momentum", momentum)
        self.learningRate = learningRate
        self.decay = decay
        self.epsilon = epsilon
        self.momentum = momentum
        self.centered = centered
    }

    public func withLearningRate(_ learningRate: Schedule) throws -> RMSProp {
        try RMSProp(learningRate: learningRate, decay: decay, epsilon: epsilon, momentum: momentum, centered: centered)
    }

    /// Slots: the squared-gradient average, the momentum buffer, the gradient average.
    public func initialState(parameterCount: Int) -> OptimizerState {
        .zeros(3, parameterCount: parameterCount)
    }

    public func update(_ parameters: inout [Double], gradient: [Double], state: inout OptimizerState) {
        let eta = learningRate(state.step)
        state.step += 1
        for i in parameters.indices {
            let g = gradient[i]
            let v = decay * state.slots[0][i] + (1 - decay) * g * g
            state.slots[0][i] = v
            var variance = v
            if centered {
                let mean = decay * state.slots[2][i] + (1 - decay) * g
                state.slots[2][i] = mean
                variance -= mean * mean
            }
            let direction = g / (variance.squareRoot() + epsilon)
            if momentum > 0 {
                let b = momentum * state.slots[1][i] + direction
                state.slots[1][i] = b
                parameters[i] -= eta * b
            } else {
                parameters[i] -= eta * direction
            }
        }
    }
}
