/// Trains a `VAE` on a data set by minibatch stochastic gradient descent, as
/// coix's VAE tutorial does: each step draws `batchSize` rows with
/// replacement, evaluates the loss (`VAE.loss`) with `particles` draws per
/// row, and moves all parameters (encoder and decoder) with the optimizer.
/// The state is an `SVIState`, so fits can be continued, saved and restored.
public struct VAETrainer {
    public let vae: VAE
    public let optimizer: any Optimizer
    /// The training data, shape [N, dataDim].
    public let data: Tensor
    public let batchSize: Int
    public let particles: Int

    /// Throws unless `data` has shape [N, vae.dataDim] with N ≥ 1 and finite
    /// entries, and `batchSize` and `particles` are at least 1.
    public init(vae: VAE, optimizer: any Optimizer, data: Tensor, batchSize: Int, particles: Int = 1) throws {
        guard data.rank == 2, data.shape[1] == vae.dataDim, data.shape[0] >= 1 else {
            throw SVIError.shapeMismatch("VAETrainer: data of shape \(data.shape); expected [N, \(vae.dataDim)]")
        }
        guard data.scalars.allSatisfy(\.isFinite) else { throw SVIError.invalidArgument("VAETrainer: the data must be finite") }
        guard batchSize >= 1, particles >= 1 else {
            throw SVIError.invalidArgument("VAETrainer: batch size and particles must be at least 1; got \(batchSize) and \(particles)")
        }
        self.vae = vae
        self.optimizer = optimizer
        self.data = data.detached
        self.batchSize = batchSize
        self.particles = particles
    }

    /// The state before the first step.
    public func initialize(key: PRNGKey) -> SVIState { vae.initialState(optimizer: optimizer, key: key) }

    /// One step: the state after it and the step's loss. Throws — leaving the
    /// caller's state as it was — when a callback fails or the loss or its
    /// gradient is not finite.
    public func update(_ state: SVIState) throws -> (state: SVIState, loss: Double) {
        let keys = state.key.split(3)
        let n = data.shape[0]
        let batch = data.rows(keys[1].uniform(batchSize).map { min(Int($0 * Double(n)), n - 1) })
        let result: (value: Double, gradient: Tensor)
        do {
            result = try valueWithGradient(at: Tensor(state.parameters)) {
                try vae.loss(parameters: $0, batch: batch, particles: particles, key: keys[2])
            }
        } catch let error as SVIError {
            throw error.prefixed("step \(state.step + 1): ")
        }
        guard result.value.isFinite, result.gradient.scalars.allSatisfy(\.isFinite) else {
            throw SVIError.numerical(
                "step \(state.step + 1): the loss or its gradient is not finite (loss \(result.value)); the state is left as it was")
        }
        var next = state
        next.key = keys[0]
        optimizer.update(&next.parameters, gradient: result.gradient.scalars, state: &next.optimizerState)
        return (next, result.value)
    }

    /// Takes `numSteps` steps from `state`, appending each loss to `losses`.
    /// `progress`, called after each step with its number and loss, returns
    /// false to stop (`SVIError.stopped`). On any error, `state` and `losses`
    /// hold the last good step.
    public func run(_ state: inout SVIState, numSteps: Int, losses: inout [Double],
                    progress: ((Int, Double) -> Bool)? = nil) throws {
        _ = try runSteps(&state, numSteps: numSteps, losses: &losses, progress: progress, update: update)
    }
}
