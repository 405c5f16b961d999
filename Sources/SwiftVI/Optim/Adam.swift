import RealModule

/// Adam (Kingma & Ba, 2015) with bias-corrected moment estimates:
/// θ ← θ − η m̂ / (√v̂ + ε).
public struct Adam: Optimizer {
    public let learningRate: Schedule
    public let beta1: Double
    public let beta2: Double
    public let epsilon: Double
    /// log β₁ and log β₂: the bias corrections 1 − βᵗ are −expm1(t log β), cheaper than a `pow` a step.
    private let logBeta1: Double
    private let logBeta2: Double

    /// Throws unless the learning rate is valid, ε positive and finite and the betas in [0, 1).
    public init(learningRate: Schedule, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) throws {
        try self.init(family: "Adam", learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon)
    }

    /// The same checks, reported in the name of `family` (an optimizer built on Adam).
    init(family: String, learningRate: Schedule, beta1: Double, beta2: Double, epsilon: Double) throws {
        try learningRate.check(family)
        try SettingCheck.unitInterval(family, "beta1", beta1)
        try SettingCheck.unitInterval(family, "beta2", beta2)
        try SettingCheck.positive(family, "epsilon", epsilon)
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        logBeta1 = Double.log(beta1)
        logBeta2 = Double.log(beta2)
    }

    public func withLearningRate(_ learningRate: Schedule) throws -> Adam {
        try Adam(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon)
    }

    public func initialState(parameterCount: Int) -> OptimizerState {
        .zeros(2, parameterCount: parameterCount)
    }

    public func update(_ parameters: inout [Double], gradient: [Double], state: inout OptimizerState) {
        let eta = learningRate(state.step)
        state.step += 1
        let t = Double(state.step)
        // m̂ = m/c₁ and v̂ = v/c₂, multiplied by the reciprocals.
        let r1 = -1 / Double.expMinusOne(t * logBeta1), r2 = -1 / Double.expMinusOne(t * logBeta2)
        state.slots.withUnsafeMutableBufferPointer { slots in
            slots[0].withUnsafeMutableBufferPointer { first in
                slots[1].withUnsafeMutableBufferPointer { second in
                    precondition(first.count == parameters.count && second.count == parameters.count,
                                 "Adam: the optimizer state does not match the parameters")
                    for i in parameters.indices {
                        let g = gradient[i]
                        let m = beta1 * first[i] + (1 - beta1) * g
                        let v = beta2 * second[i] + (1 - beta2) * g * g
                        first[i] = m
                        second[i] = v
                        parameters[i] -= eta * (m * r1) / ((v * r2).squareRoot() + epsilon)
                    }
                }
            }
        }
    }
}
