/// A decoder log-likelihood log p_θ(x | z) computed outside the library (a C
/// or Python function): called with S rows of latents z (S × latentDim,
/// row-major), the S data rows x they explain (S × dataDim) and the
/// callback's own parameters θ, it returns the S log-likelihoods and, when
/// asked, their gradients: S × latentDim with respect to the latents and
/// S × parameterCount with respect to θ (row s the gradient of the s-th
/// log-likelihood).
public struct LogLikelihoodCallback: @unchecked Sendable {
    /// The function: (latents, data, rows, θ, withGradient) → (log-likelihoods,
    /// latent gradient, parameter gradient); gradients may be empty when not asked for.
    public typealias Function = (_ latents: [Double], _ data: [Double], _ rows: Int, _ parameters: [Double],
                                 _ withGradient: Bool) throws
        -> (logLikelihood: [Double], latentGradient: [Double], parameterGradient: [Double])

    public let latentDim: Int
    public let dataDim: Int
    /// The number of θ's elements.
    public let parameterCount: Int
    public let function: Function

    /// Throws unless the dimensions are positive and `parameterCount` non-negative.
    public init(latentDim: Int, dataDim: Int, parameterCount: Int, function: @escaping Function) throws {
        guard latentDim > 0, dataDim > 0, parameterCount >= 0 else {
            throw SVIError.invalidArgument(
                "LogLikelihoodCallback: dimensions must be positive and the parameter count non-negative; got latent \(latentDim), data \(dataDim), parameters \(parameterCount)")
        }
        self.latentDim = latentDim
        self.dataDim = dataDim
        self.parameterCount = parameterCount
        self.function = function
    }

    /// The log-likelihoods of the rows of `data` (shape batch + [dataDim])
    /// given `latents` (batch + [latentDim]; the batches broadcast) and θ =
    /// `parameters`, one tape node differentiable in the latents and θ; shape
    /// the broadcast batch. Throws `callbackFailed` for results of the wrong length.
    func logLikelihood(latents: Tensor, data: Tensor, parameters: Tensor) throws -> Tensor {
        guard latents.shape.last == latentDim, data.shape.last == dataDim, parameters.count == parameterCount,
              let batch = broadcastShapes(Array(latents.shape.dropLast()), Array(data.shape.dropLast())) else {
            throw SVIError.shapeMismatch(
                "LogLikelihoodCallback: latents \(latents.shape), data \(data.shape) and \(parameters.count) parameters do not fit latent dimension \(latentDim), data dimension \(dataDim) and \(parameterCount) parameters")
        }
        let z = latents.broadcasted(to: batch + [latentDim])
        let x = data.detached.broadcasted(to: batch + [dataDim])
        let rows = batch.reduce(1, *), withGradient = z.isTracked || parameters.isTracked
        let result = try function(z.scalars, x.scalars, rows, parameters.scalars, withGradient)
        guard result.logLikelihood.count == rows,
              !withGradient || (result.latentGradient.count == rows * latentDim
                                && result.parameterGradient.count == rows * parameterCount) else {
            throw SVIError.callbackFailed("the log-likelihood callback returned results of the wrong length")
        }
        let (latentGradient, parameterGradient) = (result.latentGradient, result.parameterGradient)
        let (l, p) = (latentDim, parameterCount)
        return Tensor.result(batch, result.logLikelihood, [z, parameters]) { g in
            var gz = [Double](repeating: 0, count: rows * l), gp = [Double](repeating: 0, count: p)
            for s in 0..<rows {
                for j in 0..<l { gz[s * l + j] = g[s] * latentGradient[s * l + j] }
                for j in 0..<p { gp[j] += g[s] * parameterGradient[s * p + j] }
            }
            return [gz, gp]
        }
    }
}
