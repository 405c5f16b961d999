/// Stochastic gradient descent, with optional (Nesterov) momentum as in PyTorch:
/// v ← μv + g; θ ← θ − η(g + μv) with Nesterov, θ ← θ − ηv without.
public struct SGD: Optimizer {
    public let learningRate: Double
    public let momentum: Double
    public let nesterov: Bool

    /// Throws unless the learning rate is positive and finite and the momentum in [0, 1).
    public init(learningRate: Double, momentum: Double = 0, nesterov: Bool = false) throws {
        guard learningRate > 0, learningRate.isFinite else {
            throw SVIError.invalidArgument("SGD: learning rate must be positive and finite; got \(learningRate)")
        }
        guard momentum >= 0, momentum < 1 else {
            throw SVIError.invalidArgument("SGD: momentum must be in [0, 1); got \(momentum)")
        }
        guard !nesterov || momentum > 0 else {
            throw SVIError.invalidArgument("SGD: Nesterov momentum needs momentum > 0")
        }
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
    }

    public func initialState(parameterCount: Int) -> OptimizerState {
        OptimizerState(slots: [[Double](repeating: 0, count: parameterCount)])
    }

    public func update(_ parameters: inout [Double], gradient: [Double], state: inout OptimizerState) {
        state.step += 1
        for i in parameters.indices {
            let v = momentum * state.slots[0][i] + gradient[i]
            state.slots[0][i] = v
            parameters[i] -= learningRate * (nesterov ? gradient[i] + momentum * v : v)
        }
    }
}
