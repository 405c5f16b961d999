import RealModule

/// Pyro's ClippedAdam: each gradient element is clamped to [−clipNorm, clipNorm],
/// an L2 penalty λθ is added to it, and the learning rate is multiplied by `lrd`
/// before every step, so step t (from 1) uses η_t = η·lrd^t. Then, as Pyro
/// (and PyTorch's original Adam) writes it:
/// θ ← θ − η_t √(1 − β₂ᵗ) / (1 − β₁ᵗ) · m / (√v + ε).
public struct ClippedAdam: Optimizer {
    public let learningRate: Schedule
    public let beta1: Double
    public let beta2: Double
    public let epsilon: Double
    /// The bound on each gradient element's magnitude.
    public let clipNorm: Double
    /// The factor the learning rate is multiplied by at every step.
    public let lrd: Double
    /// The coefficient of the L2 penalty added to the gradient.
    public let weightDecay: Double

    /// Throws unless the learning rate is valid, the betas in [0, 1), ε, clipNorm
    /// and lrd positive and finite, and the weight decay non-negative and finite.
    public init(learningRate: Schedule, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                clipNorm: Double = 10, lrd: Double = 1, weightDecay: Double = 0) throws {
        let adam = try Adam(family: "ClippedAdam", learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon)
        try SettingCheck.positive("ClippedAdam", "clip_norm", clipNorm)
        try SettingCheck.positive("ClippedAdam", "lrd", lrd)
        try SettingCheck.nonNegative("ClippedAdam", "weight_decay", weightDecay)
        self.learningRate = adam.learningRate
        self.beta1 = adam.beta1
        self.beta2 = adam.beta2
        self.epsilon = adam.epsilon
        self.clipNorm = clipNorm
        self.lrd = lrd
        self.weightDecay = weightDecay
    }

    public func withLearningRate(_ learningRate: Schedule) throws -> ClippedAdam {
        try ClippedAdam(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                        clipNorm: clipNorm, lrd: lrd, weightDecay: weightDecay)
    }

    public func initialState(parameterCount: Int) -> OptimizerState {
        .zeros(2, parameterCount: parameterCount)
    }

    public func update(_ parameters: inout [Double], gradient: [Double], state: inout OptimizerState) {
        let base = learningRate(state.step)
        state.step += 1
        let t = Double(state.step)
        let stepSize = base * Double.pow(lrd, t) * (1 - Double.pow(beta2, t)).squareRoot() / (1 - Double.pow(beta1, t))
        for i in parameters.indices {
            let g = min(max(gradient[i], -clipNorm), clipNorm) + weightDecay * parameters[i]
            let m = beta1 * state.slots[0][i] + (1 - beta1) * g
            let v = beta2 * state.slots[1][i] + (1 - beta2) * g * g
            state.slots[0][i] = m
            state.slots[1][i] = v
            parameters[i] -= stepSize * m / (v.squareRoot() + epsilon)
        }
    }
}
