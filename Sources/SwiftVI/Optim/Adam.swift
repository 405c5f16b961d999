import RealModule

/// Adam (Kingma & Ba, 2015) with bias-corrected moment estimates:
/// θ ← θ − η m̂ / (√v̂ + ε).
public struct Adam: Optimizer {
    public let learningRate: Double
    public let beta1: Double
    public let beta2: Double
    public let epsilon: Double

    /// Throws unless the learning rate and ε are positive and finite and the betas in [0, 1).
    public init(learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) throws {
        guard learningRate > 0, learningRate.isFinite else {
            throw SVIError.invalidArgument("Adam: learning rate must be positive and finite; got \(learningRate)")
        }
        for (name, beta) in [("beta1", beta1), ("beta2", beta2)] where !(beta >= 0 && beta < 1) {
            throw SVIError.invalidArgument("Adam: \(name) must be in [0, 1); got \(beta)")
        }
        guard epsilon > 0, epsilon.isFinite else {
            throw SVIError.invalidArgument("Adam: epsilon must be positive and finite; got \(epsilon)")
        }
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    public func initialState(parameterCount: Int) -> OptimizerState {
        let zeros = [Double](repeating: 0, count: parameterCount)
        return OptimizerState(slots: [zeros, zeros])
    }

    public func update(_ parameters: inout [Double], gradient: [Double], state: inout OptimizerState) {
        state.step += 1
        let t = Double(state.step)
        let c1 = 1 - Double.pow(beta1, t), c2 = 1 - Double.pow(beta2, t)
        for i in parameters.indices {
            let g = gradient[i]
            let m = beta1 * state.slots[0][i] + (1 - beta1) * g
            let v = beta2 * state.slots[1][i] + (1 - beta2) * g * g
            state.slots[0][i] = m
            state.slots[1][i] = v
            parameters[i] -= learningRate * (m / c1) / ((v / c2).squareRoot() + epsilon)
        }
    }
}
