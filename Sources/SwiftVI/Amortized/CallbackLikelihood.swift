/// The distribution p_θ(x | z) of data given latents whose log-density is a
/// `LogLikelihoodCallback` (the observed site of a VAE with a user decoder):
/// batch shape that of the latents' rows, events of the data dimension. It
/// can only be observed: it has no sampler (`sample` gives NaNs), mean or variance.
public struct CallbackLikelihood: Distribution {
    public let callback: LogLikelihoodCallback
    /// The latents z, shape batch + [latentDim].
    public let latents: Tensor
    /// The callback's parameters θ.
    public let parameters: Tensor

    public init(callback: LogLikelihoodCallback, latents: Tensor, parameters: Tensor) {
        self.callback = callback
        self.latents = latents
        self.parameters = parameters
    }

    public var familyName: String { "CallbackLikelihood" }
    public var batchShape: [Int] { Array(latents.shape.dropLast()) }
    public var eventShape: [Int] { [callback.dataDim] }
    public var support: Constraint { .independent(.real, reinterpretedDims: 1) }
    public var hasReparameterizedSample: Bool { false }

    public func logProb(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        return try callback.logLikelihood(latents: latents, data: value, parameters: parameters)
    }

    /// NaNs of the draw's shape: the callback gives densities, not draws.
    public func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor {
        let shape = sampleShape + batchShape + eventShape
        return Tensor(shape: shape, scalars: [Double](repeating: .nan, count: shape.reduce(1, *)))
    }

    public var mean: Tensor { get throws { throw SVIError.notImplemented("CallbackLikelihood has no mean") } }
    public var variance: Tensor { get throws { throw SVIError.notImplemented("CallbackLikelihood has no variance") } }
    public func entropy() throws -> Tensor { throw SVIError.notImplemented("CallbackLikelihood has no entropy") }
}
