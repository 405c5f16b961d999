/// Everything that changes during a fit, as a plain value: pass it back to
/// continue, keep a copy to restore.
public struct SVIState: Equatable, Sendable {
    /// The flat unconstrained parameters: the guide's, then the model's
    /// (see `SVI.parameterBlocks`).
    public var parameters: [Double]
    public var optimizerState: OptimizerState
    /// The key the next step splits.
    public var key: PRNGKey
    /// Steps taken since initialization.
    public var step: Int { optimizerState.step }
}

/// What `SVI.run` returns.
public struct SVIRunResult {
    /// Each parameter's constrained value, by name: the guide's and the model's.
    public let params: [String: [Double]]
    /// The loss of every step, in order.
    public let losses: [Double]
    /// The state after the last step.
    public let state: SVIState
}

/// Stochastic variational inference: fits a guide to a model by following
/// stochastic gradients of an ELBO with an optimizer.
///
/// A model with learnable parameters of its own (`LogDensityModel.parameterBlocks`,
/// such as a program's `param` sites) has them optimized jointly with the
/// guide's: the state's flat vector holds the guide's parameters followed by
/// the model's, and each step evaluates the loss of the model bound to its
/// part (`withParameters`), so the gradient reaches both.
public struct SVI {
    public let model: any LogDensityModel
    public let guide: any Guide
    public let optimizer: any Optimizer
    public let loss: any ELBO

    /// Throws when the guide does not draw as many coordinates as the model
    /// has, or a model parameter has the name of a guide parameter.
    public init(model: any LogDensityModel, guide: any Guide, optimizer: any Optimizer, loss: any ELBO) throws {
        guard guide.dimension == model.dimension else {
            throw SVIError.shapeMismatch("the guide draws \(guide.dimension) coordinates; the model has \(model.dimension)")
        }
        let guideNames = Set(guide.parameterBlocks.map(\.name))
        if let clash = model.parameterBlocks.first(where: { guideNames.contains($0.name) }) {
            throw SVIError.invalidArgument("the model parameter '\(clash.name)' has the name of a guide parameter")
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
        let parameters = try guide.initialParameters(key: keys[1]) + model.initialParameters
        if let problem = parameterProblem(parameters) {
            throw SVIError.numerical("the initial parameters (guide and model) are unusable: \(problem)")
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
            let value = try objective(Tensor(state.parameters), key: keys[1])
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
            value = try objective(parameters, key: keys[1])
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
    /// `losses`. `progress`, called after each step with the step count and
    /// the loss, returns false to stop (`SVIError.stopped`). With
    /// `earlyStopping`, the run ends without error once its rule is met, and
    /// returns true. On any error, `state` and `losses` hold the last good step.
    ///
    /// Without `stable`, a step whose callback fails (`callbackFailed`) or
    /// whose loss or gradient is not finite (`numerical`) ends the run with
    /// that error. With `stable`, such a step is skipped as by `stableUpdate`
    /// — parameters, optimizer state and step count stay, only the key moves
    /// on — its loss (NaN for a failed callback) is still appended, and the
    /// run goes on; `numSteps` counts the attempts.
    @discardableResult
    public func run(_ state: inout SVIState, numSteps: Int, losses: inout [Double],
                    earlyStopping: EarlyStopping? = nil, stable: Bool = false,
                    progress: ((Int, Double) -> Bool)? = nil) throws -> Bool {
        var stopping = earlyStopping
        var accepted = true
        return try runSteps(&state, numSteps: numSteps, losses: &losses, progress: progress, update: { current in
            guard stable else { return try update(current) }
            let step = try skippingUpdate(current)
            accepted = step.accepted
            return (step.state, step.loss)
        }) { accepted && stopping?.shouldStop(after: $0) == true }
    }

    /// `stableUpdate`, also refusing a step whose model or guide throws
    /// `callbackFailed` or `numerical` (its loss then NaN).
    private func skippingUpdate(_ state: SVIState) throws -> (state: SVIState, loss: Double, accepted: Bool) {
        do {
            return try stableUpdate(state)
        } catch SVIError.callbackFailed, SVIError.numerical {
            var next = state
            next.key = state.key.split(2)[0]
            return (next, .nan, false)
        }
    }

    /// Initializes with `key` and takes up to `numSteps` steps (see above).
    public func run(key: PRNGKey, numSteps: Int, earlyStopping: EarlyStopping? = nil, stable: Bool = false,
                    progress: ((Int, Double) -> Bool)? = nil) throws -> SVIRunResult {
        var state = try initialize(key: key)
        var losses: [Double] = []
        try run(&state, numSteps: numSteps, losses: &losses, earlyStopping: earlyStopping, stable: stable,
                progress: progress)
        return SVIRunResult(params: parameters(state), losses: losses, state: state)
    }

    /// The guide's parameter blocks followed by the model's: the layout of
    /// `SVIState.parameters`.
    public var parameterBlocks: [ParameterBlock] { guide.parameterBlocks + model.parameterBlocks }

    /// The number of the guide's coordinates at the front of the flat vector.
    private var guideParameterCount: Int { guide.parameterBlocks.reduce(0) { $0 + $1.size } }

    /// The loss at the flat `parameters` (the guide's, then the model's).
    private func objective(_ parameters: Tensor, key: PRNGKey) throws -> Tensor {
        guard model.parameterCount > 0 else {
            return try loss.loss(model: model, guide: guide, parameters: parameters, key: key)
        }
        let g = guideParameterCount, total = parameters.count
        return try loss.loss(model: model.withParameters(parameters.gathering(Array(g ..< total), shape: [total - g])),
                             guide: guide, parameters: parameters.gathering(Array(0 ..< g), shape: [g]), key: key)
    }

    /// Each parameter's constrained value, by name: the guide's and the model's.
    public func parameters(_ state: SVIState) -> [String: [Double]] {
        let g = guideParameterCount
        let named = guide.constrainedParameters(Array(state.parameters[..<g]))
            + model.constrainedParameters(Array(state.parameters[g...]))
        return Dictionary(uniqueKeysWithValues: named.map { ($0.name, $0.value) })
    }

    /// The guide's part of `state`'s flat parameters.
    public func guideParameters(_ state: SVIState) -> [Double] { Array(state.parameters[..<guideParameterCount]) }
}
