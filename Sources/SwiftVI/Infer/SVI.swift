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

    /// Becomes equal to `other`, copying into its own buffers where the sizes
    /// agree (so that a scratch state reused across steps does not allocate).
    mutating func overwrite(with other: SVIState) {
        Self.copy(other.parameters, into: &parameters)
        if optimizerState.slots.count == other.optimizerState.slots.count {
            for k in optimizerState.slots.indices { Self.copy(other.optimizerState.slots[k], into: &optimizerState.slots[k]) }
        } else {
            optimizerState.slots = other.optimizerState.slots
        }
        optimizerState.step = other.optimizerState.step
        key = other.key
    }

    private static func copy(_ source: [Double], into target: inout [Double]) {
        guard target.count == source.count else { target = source; return }
        for i in source.indices { target[i] = source[i] }
    }
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
    /// The guide's parameter blocks, made once (a refused step's message reads them).
    private let guideBlocks: [ParameterBlock]
    /// Their checks as plain values, run by every step.
    private let guideChecks: [ParameterBlockCheck]

    /// Throws when the guide does not draw as many coordinates as the model
    /// has, or a model parameter has the name of a guide parameter.
    public init(model: any LogDensityModel, guide: any Guide, optimizer: any Optimizer, loss: any ELBO) throws {
        guard guide.dimension == model.dimension else {
            throw SVIError.shapeMismatch("the guide draws \(guide.dimension) coordinates; the model has \(model.dimension)")
        }
        guideBlocks = guide.parameterBlocks
        var offset = 0
        guideChecks = guideBlocks.map { block in
            defer { offset += block.size }
            return ParameterBlockCheck(block, offset: offset)
        }
        let guideNames = Set(guideBlocks.map(\.name))
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
        let lossKey = state.key.splitPair().1
        do {
            if let direct = directStep() { return try direct.lossAndGradient(parameters: state.parameters, key: lossKey) }
            return try objective(Tensor(state.parameters), key: lossKey).scalars[0]
        } catch let error as SVIError {
            throw error.prefixed("evaluating at step \(state.step): ")
        }
    }

    /// One step: the state after it and the step's loss. Throws — leaving the
    /// caller's state as it was — when the model or guide fails or the loss or
    /// its gradient is not finite.
    public func update(_ state: SVIState) throws -> (state: SVIState, loss: Double) {
        let attempt = try step(state)
        if let problem = attempt.problem { throw refusal(problem, step: state.step + 1) }
        return (attempt.state, attempt.loss)
    }

    /// One step, as NumPyro's `stable_update`: when the loss or any gradient
    /// entry is not finite, or the update would make the parameters or the
    /// optimizer state unusable, the step is refused (`accepted` is false) and
    /// the parameters and optimizer state (step count included) are returned
    /// as they were; only the key moves on, so the next attempt draws afresh.
    /// Throws, leaving the caller's state as it was, when the model or guide fails.
    public func stableUpdate(_ state: SVIState) throws -> (state: SVIState, loss: Double, accepted: Bool) {
        var attempt = try step(state)
        if attempt.problem != nil { attempt.state.key = state.key.splitPair().0 }
        return (attempt.state, attempt.loss, attempt.problem == nil)
    }

    /// One step from a copy of `state`: the state after it (as it was when
    /// refused), its loss, and what was wrong when it was refused.
    private func step(_ state: SVIState) throws -> (state: SVIState, loss: Double, problem: String?) {
        var next = state, saved = state
        let (loss, problem) = try advance(&next, direct: directStep(), saved: &saved)
        return (next, loss, problem)
    }

    /// Takes one step in place and returns its loss. When the loss or gradient
    /// is not finite, or the update makes a parameter or optimizer slot
    /// unusable, `state` is left as it was and what was wrong is returned too.
    /// `saved` is scratch of `state`'s sizes that keeps the state before the
    /// update (copied in place, so a run does not allocate for it). With
    /// `direct` the loss and gradient are formed by hand (no tape).
    private func advance(_ state: inout SVIState, direct: DirectELBOStep?,
                         saved: inout SVIState) throws -> (loss: Double, problem: String?) {
        let (nextKey, lossKey) = state.key.splitPair()
        let lossValue: Double, gradient: [Double]
        do {
            if let direct {
                lossValue = try direct.lossAndGradient(parameters: state.parameters, key: lossKey)
                gradient = direct.gradient
            } else {
                let tape = Tape()
                let parameters = tape.variable(Tensor(state.parameters))
                let value = try objective(parameters, key: lossKey)
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
        saved.overwrite(with: state)
        optimizer.update(&state.parameters, gradient: gradient, state: &state.optimizerState)
        if let problem = updateProblem(state) {
            state.overwrite(with: saved)
            return (lossValue, "the update made \(problem)")
        }
        state.key = nextKey
        return (lossValue, nil)
    }

    /// What makes the parameters or optimizer slots of `state` unusable, or nil.
    private func updateProblem(_ state: SVIState) -> String? {
        if let problem = parameterProblem(state.parameters) { return problem }
        for (k, slot) in state.optimizerState.slots.enumerated() {
            if let i = slot.firstIndex(where: { !$0.isFinite }) { return "entry \(i) of optimizer slot \(k) \(slot[i])" }
        }
        return nil
    }

    /// What makes `parameters` unusable by the guide — an unconstrained or
    /// constrained value that is not finite, or a positive parameter whose
    /// constrained value underflows to 0 — or nil when there is nothing.
    func parameterProblem(_ parameters: [Double]) -> String? {
        let passes = parameters.withUnsafeBufferPointer { p in guideChecks.allSatisfy { $0.passes(p) } }
        if passes { return nil }
        var offset = 0
        for block in guideBlocks {
            let range = offset ..< offset + block.size
            offset += block.size
            if let problem = block.problem(in: parameters[range]) { return problem }
        }
        return nil
    }

    /// The error of a step refused for `problem`.
    private func refusal(_ problem: String, step: Int) -> SVIError {
        SVIError.numerical("step \(step): \(problem); the state is left as it was before the step")
    }

    /// The hand-formed Trace_ELBO step when the model (without parameters of
    /// its own), guide and loss allow it.
    private func directStep() -> DirectELBOStep? {
        guard model.parameterCount == 0 else { return nil }
        return DirectELBOStep(model: model, guide: guide, loss: loss, parameterCount: guideParameterCount)
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
    ///
    /// Steps are taken in place with buffers kept across steps, so a run of a
    /// model and guide with a hand-formed step does not allocate per step.
    @discardableResult
    public func run(_ state: inout SVIState, numSteps: Int, losses: inout [Double],
                    earlyStopping: EarlyStopping? = nil, stable: Bool = false,
                    progress: ((Int, Double) -> Bool)? = nil) throws -> Bool {
        var stopping = earlyStopping
        let direct = directStep()
        var saved = state
        for _ in 0..<numSteps {
            let value: Double, accepted: Bool
            do {
                let (loss, problem) = try advance(&state, direct: direct, saved: &saved)
                if let problem {
                    guard stable else { throw refusal(problem, step: state.step + 1) }
                    state.key = state.key.splitPair().0
                }
                (value, accepted) = (loss, problem == nil)
            } catch SVIError.callbackFailed(_) where stable, SVIError.numerical(_) where stable {
                state.key = state.key.splitPair().0
                (value, accepted) = (.nan, false)
            }
            losses.append(value)
            if let progress, !progress(state.step, value) {
                throw SVIError.stopped("stopped by the progress callback after step \(state.step)")
            }
            if accepted, stopping?.shouldStop(after: value) == true { return true }
        }
        return false
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
    public var parameterBlocks: [ParameterBlock] { guideBlocks + model.parameterBlocks }

    /// The number of the guide's coordinates at the front of the flat vector.
    private var guideParameterCount: Int { guideBlocks.reduce(0) { $0 + $1.size } }

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
