/// Everything that changes during a fit, as a plain value: pass it back to
/// continue, keep a copy to restore.
public struct SVIState: Equatable, Sendable {
    /// The guide's flat unconstrained parameters.
    public var parameters: [Double]
    public var optimizerState: OptimizerState
    /// The key the next step splits.
    public var key: PRNGKey
    /// Steps taken since initialization.
    public var step: Int { optimizerState.step }
}

/// What `SVI.run` returns.
public struct SVIRunResult {
    /// Each guide parameter's constrained value, by name.
    public let params: [String: [Double]]
    /// The loss of every step, in order.
    public let losses: [Double]
    /// The state after the last step.
    public let state: SVIState
}

/// Stochastic variational inference: fits a guide to a model by following
/// stochastic gradients of an ELBO with an optimizer.
public struct SVI {
    public let model: any LogDensityModel
    public let guide: any Guide
    public let optimizer: any Optimizer
    public let loss: any ELBO

    /// Throws when the guide does not draw as many coordinates as the model has.
    public init(model: any LogDensityModel, guide: any Guide, optimizer: any Optimizer, loss: any ELBO) throws {
        guard guide.dimension == model.dimension else {
            throw SVIError.shapeMismatch("the guide draws \(guide.dimension) coordinates; the model has \(model.dimension)")
        }
        self.model = model
        self.guide = guide
        self.optimizer = optimizer
        self.loss = loss
    }

    /// The state before the first step. Throws when the guide's
    /// initialization fails, or gives parameters it cannot use (see
    /// `parameterProblem`).
    public func initialize(key: PRNGKey) throws -> SVIState {
        let keys = key.split(2)
        let parameters = try guide.initialParameters(key: keys[1])
        if let problem = parameterProblem(parameters) {
            throw SVIError.numerical("the guide's initial parameters are unusable: \(problem)")
        }
        return SVIState(parameters: parameters,
                        optimizerState: optimizer.initialState(parameterCount: parameters.count),
                        key: keys[0])
    }

    /// The loss at `state`'s parameters without taking a step: the loss the
    /// next `update(state)` would report, as it uses the same random key.
    public func evaluate(_ state: SVIState) throws -> Double {
        let keys = state.key.split(2)
        do {
            let value = try loss.loss(model: model, guide: guide, parameters: Tensor(state.parameters), key: keys[1])
            return value.scalars[0]
        } catch let error as SVIError {
            throw error.prefixed("evaluating at step \(state.step): ")
        }
    }

    /// One step: the state after it and the step's loss. Throws — leaving the
    /// caller's state as it was — when the model or guide fails or the loss or
    /// its gradient is not finite.
    public func update(_ state: SVIState) throws -> (state: SVIState, loss: Double) {
        let attempt = try step(state)
        if let problem = attempt.problem {
            throw SVIError.numerical("step \(state.step + 1): \(problem); the state is left as it was before the step")
        }
        return (attempt.state, attempt.loss)
    }

    /// One step, as NumPyro's `stable_update`: when the loss or any gradient
    /// entry is not finite the step is refused (`accepted` is false) and the
    /// parameters and optimizer state (step count included) are returned as
    /// they were; only the key moves on, so the next attempt draws afresh.
    /// Throws, leaving the caller's state as it was, when the model or guide fails.
    public func stableUpdate(_ state: SVIState) throws -> (state: SVIState, loss: Double, accepted: Bool) {
        let attempt = try step(state)
        return (attempt.state, attempt.loss, attempt.problem == nil)
    }

    /// The state after one step and its loss; when the loss or gradient is not
    /// finite, the state with only its key advanced, the loss, and what was wrong.
    private func step(_ state: SVIState) throws -> (state: SVIState, loss: Double, problem: String?) {
        let keys = state.key.split(2)
        var next = state
        next.key = keys[0]
        let tape = Tape()
        let parameters = tape.variable(Tensor(state.parameters))
        let value: Tensor
        do {
            value = try loss.loss(model: model, guide: guide, parameters: parameters, key: keys[1])
        } catch let error as SVIError {
            throw error.prefixed("step \(state.step + 1): ")
        }
        let lossValue = value.scalars[0]
        guard lossValue.isFinite else { return (next, lossValue, "the loss is \(lossValue)") }
        let gradient = tape.gradient(of: value, wrt: [parameters])[0].scalars
        if let i = gradient.firstIndex(where: { !$0.isFinite }) {
            return (next, lossValue, "gradient entry \(i) is \(gradient[i])")
        }
        var updated = next
        optimizer.update(&updated.parameters, gradient: gradient, state: &updated.optimizerState)
        if let problem = parameterProblem(updated.parameters) { return (next, lossValue, "the update made \(problem)") }
        for (k, slot) in updated.optimizerState.slots.enumerated() {
            if let i = slot.firstIndex(where: { !$0.isFinite }) {
                return (next, lossValue, "the update made entry \(i) of optimizer slot \(k) \(slot[i])")
            }
        }
        return (updated, lossValue, nil)
    }

    /// What makes `parameters` unusable by the guide — an unconstrained or
    /// constrained value that is not finite, or a positive parameter whose
    /// constrained value underflows to 0 — or nil when there is nothing.
    func parameterProblem(_ parameters: [Double]) -> String? {
        var offset = 0
        for block in guide.parameterBlocks {
            let u = Array(parameters[offset ..< offset + block.size])
            offset += block.size
            if let i = u.firstIndex(where: { !$0.isFinite }) { return "\(block.name)[\(i)] \(u[i])" }
            guard let value = try? block.constrained(u).scalars else { return "\(block.name) unusable" }
            if let i = value.firstIndex(where: { !$0.isFinite }) { return "\(block.name)[\(i)] \(value[i])" }
            if case .softplusPositive = block.constraint, let i = value.firstIndex(where: { !($0 > 0) }) {
                return "\(block.name)[\(i)] 0 (its unconstrained value is \(u[i]))"
            }
        }
        return nil
    }

    /// Takes up to `numSteps` steps from `state`, appending each loss to
    /// `losses`. `progress`, called after each step with its number and loss,
    /// returns false to stop (`SVIError.stopped`). With `earlyStopping`, the
    /// run ends without error once its rule is met, and returns true. On any
    /// error, `state` and `losses` hold the last good step.
    @discardableResult
    public func run(_ state: inout SVIState, numSteps: Int, losses: inout [Double],
                    earlyStopping: EarlyStopping? = nil, progress: ((Int, Double) -> Bool)? = nil) throws -> Bool {
        var stopping = earlyStopping
        for _ in 0..<numSteps {
            let (next, value) = try update(state)
            state = next
            losses.append(value)
            if let progress, !progress(state.step, value) {
                throw SVIError.stopped("stopped by the progress callback after step \(state.step)")
            }
            if stopping?.shouldStop(after: value) == true { return true }
        }
        return false
    }

    /// Initializes with `key` and takes up to `numSteps` steps.
    public func run(key: PRNGKey, numSteps: Int, earlyStopping: EarlyStopping? = nil,
                    progress: ((Int, Double) -> Bool)? = nil) throws -> SVIRunResult {
        var state = try initialize(key: key)
        var losses: [Double] = []
        try run(&state, numSteps: numSteps, losses: &losses, earlyStopping: earlyStopping, progress: progress)
        return SVIRunResult(params: parameters(state), losses: losses, state: state)
    }

    /// Each guide parameter's constrained value, by name.
    public func parameters(_ state: SVIState) -> [String: [Double]] {
        Dictionary(uniqueKeysWithValues: guide.constrainedParameters(state.parameters).map { ($0.name, $0.value) })
    }
}
