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
    /// initialization fails.
    public func initialize(key: PRNGKey) throws -> SVIState {
        let keys = key.split(2)
        let parameters = try guide.initialParameters(key: keys[1])
        return SVIState(parameters: parameters,
                        optimizerState: optimizer.initialState(parameterCount: parameters.count),
                        key: keys[0])
    }

    /// The loss at `state`'s parameters without taking a step: the loss the
    /// next `update(state)` would report, as it uses the same random key.
    public func evaluate(_ state: SVIState) throws -> Double {
        let lossKey = state.key.splitPair().1
        do {
            if let direct = directStep() { return try direct.lossAndGradient(parameters: state.parameters, key: lossKey) }
            let value = try loss.loss(model: model, guide: guide, parameters: Tensor(state.parameters), key: lossKey)
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
            throw refusal(problem, step: state.step + 1)
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
        var next = state
        let (loss, problem) = try advance(&next, direct: directStep())
        if problem != nil { next.key = state.key.splitPair().0 }
        return (next, loss, problem)
    }

    /// Takes one step in place and returns its loss; when the loss or gradient
    /// is not finite, leaves `state` as it was and also returns what was wrong.
    /// With `direct` the loss and gradient are formed by hand (no tape).
    private func advance(_ state: inout SVIState, direct: DirectELBOStep?) throws -> (loss: Double, problem: String?) {
        let (nextKey, lossKey) = state.key.splitPair()
        let lossValue: Double, gradient: [Double]
        do {
            if let direct {
                lossValue = try direct.lossAndGradient(parameters: state.parameters, key: lossKey)
                gradient = direct.gradient
            } else {
                let tape = Tape()
                let parameters = tape.variable(Tensor(state.parameters))
                let value = try loss.loss(model: model, guide: guide, parameters: parameters, key: lossKey)
                lossValue = value.scalars[0]
                gradient = lossValue.isFinite ? tape.gradient(of: value, wrt: [parameters])[0].scalars : []
            }
        } catch let error as SVIError {
            throw error.prefixed("step \(state.step + 1): ")
        }
        guard lossValue.isFinite else { return (lossValue, "the loss is \(lossValue)") }
        if let i = gradient.firstIndex(where: { !$0.isFinite }) {
            return (lossValue, "gradient entry \(i) is \(gradient[i])")
        }
        state.key = nextKey
        optimizer.update(&state.parameters, gradient: gradient, state: &state.optimizerState)
        return (lossValue, nil)
    }

    /// The error of a step refused for `problem`.
    private func refusal(_ problem: String, step: Int) -> SVIError {
        SVIError.numerical("step \(step): \(problem); the state is left as it was before the step")
    }

    /// The hand-formed Trace_ELBO step when the model, guide and loss allow it.
    private func directStep() -> DirectELBOStep? {
        DirectELBOStep(model: model, guide: guide, loss: loss, parameterCount: guide.parameterBlocks.reduce(0) { $0 + $1.size })
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
        let direct = directStep()
        for _ in 0..<numSteps {
            let (value, problem) = try advance(&state, direct: direct)
            if let problem {
                throw refusal(problem, step: state.step + 1)
            }
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
