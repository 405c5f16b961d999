/// Adam with decoupled weight decay (Loshchilov & Hutter, 2019), as PyTorch's
/// AdamW and optax's adamw: θ ← θ − η(m̂ / (√v̂ + ε) + λθ), where η is the
/// step's learning rate, so the decay follows any schedule.
public struct AdamW: Optimizer {
    /// The Adam step the decay is added to.
    public let adam: Adam
    /// λ, the decay per unit of learning rate.
    public let weightDecay: Double

    public var learningRate: Schedule { adam.learningRate }

    /// Throws unless the Adam settings are valid and the weight decay non-negative and finite.
    public init(learningRate: Schedule, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                weightDecay: Double = 1e-4) throws {
        adam = try Adam(family: "AdamW", learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon)
        try SettingCheck.nonNegative("AdamW", "weight_decay", weightDecay)
        self.weightDecay = weightDecay
    }

    public func withLearningRate(_ learningRate: Schedule) throws -> AdamW {
        try AdamW(learningRate: learningRate, beta1: adam.beta1, beta2: adam.beta2, epsilon: adam.epsilon,
                  weightDecay: weightDecay)
    }

    public func initialState(parameterCount: Int) -> OptimizerState {
        adam.initialState(parameterCount: parameterCount)
    }

    /// Shrinks θ by the factor 1 − ηλ, then takes the Adam step (which does not depend on θ).
    public func update(_ parameters: inout [Double], gradient: [Double], state: inout OptimizerState) {
        let shrink = 1 - learningRate(state.step) * weightDecay
        for i in parameters.indices { parameters[i] *= shrink }
        adam.update(&parameters, gradient: gradient, state: &state)
    }
}
