/// Stochastic gradient descent, with optional (Nesterov) momentum as in PyTorch:
/// v ← μv + g; θ ← θ − η(g + μv) with Nesterov, θ ← θ − ηv without.
public struct SGD: Optimizer {
    public let learningRate: Schedule
    public let momentum: Double
    public let nesterov: Bool

    /// Throws unless the learning rate is valid and the momentum in [0, 1).
    public init(learningRate: Schedule, momentum: Double = 0, nesterov: Bool = false) throws {
        try learningRate.check("SGD")
        try SettingCheck.unitInterval("SGD", "momentum", momentum)
        guard !nesterov || momentum > 0 else {
            throw SVIError.invalidArgument("SGD: Nesterov momentum needs momentum > 0")
        }
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
    }

    public func withLearningRate(_ learningRate: Schedule) throws -> SGD {
        try SGD(learningRate: learningRate, momentum: momentum, nesterov: nesterov)
    }

    public func initialState(parameterCount: Int) -> OptimizerState {
        .zeros(1, parameterCount: parameterCount)
    }

    public func update(_ parameters: inout [Double], gradient: [Double], state: inout OptimizerState) {
        let eta = learningRate(state.step)
        state.step += 1
        for i in parameters.indices {
            let v = momentum * state.slots[0][i] + gradient[i]
            state.slots[0][i] = v
            parameters[i] -= eta * (nesterov ? gradient[i] + momentum * v : v)
        }
    }
}
