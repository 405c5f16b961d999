/// A variational autoencoder written with inference combinators, as in
/// coix's VAE tutorial: the target composes the prior z ~ N(0, I) with a
/// decoder p_θ(x | z), the proposal is an encoder q_φ(z | x) = N(loc_φ(x),
/// scale), and `propose(target, proposal)` weighs each draw by
/// p_θ(x, z) / q_φ(z | x). Both live in plates of data points (dim -1) and of
/// particles (dim -2). The encoder is an MLP from the data to the latent
/// location — and, when the encoder scale is learned, to as many more outputs
/// giving the scale through softplus. The decoder is either an MLP to the
/// mean of a Normal of fixed scale or a `LogLikelihoodCallback`.
///
/// Parameters are one flat vector laid out by `parameterTree`: the encoder's
/// under "encoder.", the decoder network's (or the callback's θ, "decoder.theta")
/// under "decoder.".
public struct VAE: Sendable {
    /// The decoder p_θ(x | z).
    public enum Decoder: Sendable {
        /// x ~ Normal(network(z), scale), independent coordinates.
        case network(MLP, scale: Double)
        /// log p_θ(x | z) given by a callback, with θ's initial value.
        case callback(LogLikelihoodCallback, initialParameters: [Double])
    }

    public let dataDim: Int
    public let latentDim: Int
    public let encoder: MLP
    /// The encoder's fixed scale, or nil when the encoder learns it.
    public let encoderScale: Double?
    public let decoder: Decoder
    public let parameterTree: ParameterTree

    /// A VAE whose encoder and decoder are MLPs with `hiddenSizes` hidden
    /// layers and `activation` between layers, the decoder a Normal of scale
    /// `decoderScale`, and the encoder's scale fixed at `encoderScale` (learned
    /// when nil). Throws unless the sizes are positive and the scales positive and finite.
    public init(dataDim: Int, latentDim: Int, hiddenSizes: [Int], activation: Activation = .relu,
                decoderScale: Double = 1, encoderScale: Double? = nil) throws {
        try VAE.checkSizes(dataDim, latentDim, hiddenSizes)
        try VAE.checkScale(decoderScale, "decoder scale")
        let decoder = try MLP(sizes: [latentDim] + hiddenSizes + [dataDim], activation: activation)
        try self.init(dataDim: dataDim, latentDim: latentDim, hiddenSizes: hiddenSizes, activation: activation,
                      encoderScale: encoderScale, decoder: .network(decoder, scale: decoderScale),
                      decoderTree: decoder.parameterTree)
    }

    /// A VAE whose decoder log-likelihood is `likelihood`, with θ starting at
    /// `initialLikelihoodParameters` (one per callback parameter, finite).
    public init(dataDim: Int, latentDim: Int, hiddenSizes: [Int], activation: Activation = .relu,
                encoderScale: Double? = nil, likelihood: LogLikelihoodCallback,
                initialLikelihoodParameters: [Double]) throws {
        guard likelihood.latentDim == latentDim, likelihood.dataDim == dataDim else {
            throw SVIError.shapeMismatch(
                "VAE: the likelihood callback takes latent dimension \(likelihood.latentDim) and data dimension \(likelihood.dataDim); the VAE has \(latentDim) and \(dataDim)")
        }
        guard initialLikelihoodParameters.count == likelihood.parameterCount,
              initialLikelihoodParameters.allSatisfy(\.isFinite) else {
            throw SVIError.invalidArgument(
                "VAE: the likelihood callback needs \(likelihood.parameterCount) finite initial parameters; got \(initialLikelihoodParameters.count)")
        }
        try self.init(dataDim: dataDim, latentDim: latentDim, hiddenSizes: hiddenSizes, activation: activation,
                      encoderScale: encoderScale,
                      decoder: .callback(likelihood, initialParameters: initialLikelihoodParameters),
                      decoderTree: ParameterTree([("theta", [likelihood.parameterCount])]))
    }

    private init(dataDim: Int, latentDim: Int, hiddenSizes: [Int], activation: Activation, encoderScale: Double?,
                 decoder: Decoder, decoderTree: ParameterTree) throws {
        try VAE.checkSizes(dataDim, latentDim, hiddenSizes)
        if let encoderScale { try VAE.checkScale(encoderScale, "encoder scale") }
        self.dataDim = dataDim
        self.latentDim = latentDim
        self.encoderScale = encoderScale
        encoder = try MLP(sizes: [dataDim] + hiddenSizes + [encoderScale == nil ? 2 * latentDim : latentDim],
                          activation: activation)
        self.decoder = decoder
        parameterTree = try ParameterTree(children: [("encoder", encoder.parameterTree), ("decoder", decoderTree)])
    }

    private static func checkSizes(_ dataDim: Int, _ latentDim: Int, _ hiddenSizes: [Int]) throws {
        guard dataDim > 0, latentDim > 0, hiddenSizes.allSatisfy({ $0 > 0 }) else {
            throw SVIError.invalidArgument(
                "VAE: data dimension, latent dimension and hidden sizes must be positive; got \(dataDim), \(latentDim), \(hiddenSizes)")
        }
    }

    private static func checkScale(_ scale: Double, _ name: String) throws {
        guard scale > 0, scale.isFinite else { throw SVIError.invalidArgument("VAE: the \(name) must be positive and finite; got \(scale)") }
    }

    /// Initial parameters: the encoder's and the decoder network's from keys
    /// split from `key` (the callback's θ as given).
    public func initialParameters(key: PRNGKey) -> [Double] {
        let keys = key.split(2)
        switch decoder {
        case .network(let network, _):
            return encoder.initialParameters(key: keys[0]) + network.initialParameters(key: keys[1])
        case .callback(_, let theta):
            return encoder.initialParameters(key: keys[0]) + theta
        }
    }

    /// The state of a fit before its first step: the initial parameters from
    /// one key split from `key`, `optimizer`'s initial state, and the other key.
    public func initialState(optimizer: any Optimizer, key: PRNGKey) -> SVIState {
        let keys = key.split(2)
        return SVIState(parameters: initialParameters(key: keys[1]),
                        optimizerState: optimizer.initialState(parameterCount: parameterTree.count), key: keys[0])
    }

    /// The encoder's location and scale for each row of `data` (shape batch + [dataDim]).
    public func encode(_ data: Tensor, parameters: Tensor) throws -> (loc: Tensor, scale: Tensor) {
        try checkRows(data, dataDim, "data")
        let out = try encoder(data, parameters: try parameterTree.segment("encoder", of: parameters))
        if let encoderScale { return (out, Tensor(encoderScale)) }
        return (out.lastAxisSlice(0 ..< latentDim), out.lastAxisSlice(latentDim ..< 2 * latentDim).softplus())
    }

    /// The decoder network's mean for each row of `latents`; throws
    /// `notImplemented` for a callback decoder.
    public func decode(_ latents: Tensor, parameters: Tensor) throws -> Tensor {
        try checkRows(latents, latentDim, "latents")
        guard case .network(let network, _) = decoder else {
            throw SVIError.notImplemented("VAE: a callback decoder gives log-likelihoods, not means")
        }
        return try network(latents, parameters: try parameterTree.segment("decoder", of: parameters))
    }

    /// The inference program on a batch of data (shape [B, dataDim]) with
    /// `particles` particles per data point: `propose(target, proposal, loss:)`.
    /// Its log-weight has shape [particles, B]; its output is the latents.
    public func inferenceProgram(parameters: Tensor, particles count: Int,
                                 loss: ProposalLoss? = nil) -> InferenceProgram<Tensor, Tensor> {
        let latentDim = latentDim
        let prior = InferenceProgram<Tensor, (z: Tensor, x: Tensor)> { context, x in
            let standard = try Independent(base: Normal(loc: Tensor(shape: [latentDim], scalars: [Double](repeating: 0, count: latentDim)),
                                                        scale: Tensor(1)), reinterpretedBatchDims: 1)
            let z = try context.plate("data", size: x.shape[0], dim: -1) { _ in try context.sample("z", standard) }
            return (z, x)
        }
        let likelihood = InferenceProgram<(z: Tensor, x: Tensor), Tensor> { context, input in
            let distribution = try observationDistribution(latents: input.z, parameters: parameters)
            try context.plate("data", size: input.x.shape[0], dim: -1) { _ in
                try context.sample("x", distribution, obs: input.x)
            }
            return input.z
        }
        let proposal = InferenceProgram<Tensor, Tensor> { context, x in
            let (loc, scale) = try encode(x, parameters: parameters)
            let q = try Independent(base: Normal(loc: loc, scale: scale), reinterpretedBatchDims: 1)
            return try context.plate("data", size: x.shape[0], dim: -1) { _ in try context.sample("z", q) }
        }
        return propose(particles(compose(likelihood, prior), count: count, dim: -2),
                       particles(proposal, count: count, dim: -2), loss: loss)
    }

    /// p_θ(x | z) for latents of shape batch + [latentDim].
    private func observationDistribution(latents: Tensor, parameters: Tensor) throws -> any Distribution {
        switch decoder {
        case .network(_, let scale):
            return try Independent(base: Normal(loc: decode(latents, parameters: parameters), scale: Tensor(scale)),
                                   reinterpretedBatchDims: 1)
        case .callback(let callback, _):
            return CallbackLikelihood(callback: callback, latents: latents,
                                      parameters: try parameterTree.value("decoder.theta", in: parameters))
        }
    }

    /// The training loss on `batch` (shape [B, dataDim]): the negative ELBO
    /// per data point, −(1/B) Σ_b (1/K) Σ_k log w_kb with `particles` = K
    /// draws per point (coix's `elbo_loss` over the particle plate, divided by
    /// the batch size), recorded on `parameters`' tape.
    public func loss(parameters: Tensor, batch: Tensor, particles count: Int, key: PRNGKey) throws -> Tensor {
        try checkBatch(batch, particles: count)
        let program = inferenceProgram(parameters: parameters, particles: count, loss: ProposalLosses.elbo)
        return try tracedEvaluate(program, batch, key: key).loss / Double(batch.shape[0])
    }

    /// The log-weights log p_θ(x_b, z_kb) − log q_φ(z_kb | x_b) of `count`
    /// draws for each row of `data`: shape [count, N].
    public func logWeights(parameters: [Double], data: Tensor, particles count: Int, key: PRNGKey) throws -> Tensor {
        try checkBatch(data, particles: count)
        return try tracedEvaluate(inferenceProgram(parameters: Tensor(parameters), particles: count), data, key: key).logWeight
    }

    /// The mean over data points of the importance-weighted bound
    /// log((1/K) Σₖ w_kb) with K = `particles` (at least the ELBO, tending to
    /// log p_θ(x_b) as K grows).
    public func iwaeBound(parameters: [Double], data: Tensor, particles count: Int, key: PRNGKey) throws -> Double {
        ProposalLosses.iwaeBound(try logWeights(parameters: parameters, data: data, particles: count, key: key)).scalars[0]
            / Double(data.shape[0])
    }

    /// The Monte Carlo ELBO per data point from `particles` draws per point.
    public func elbo(parameters: [Double], data: Tensor, particles count: Int, key: PRNGKey) throws -> Double {
        try logWeights(parameters: parameters, data: data, particles: count, key: key).mean().scalars[0]
    }

    /// `count` draws from the model: latents from the prior and, for a
    /// network decoder, data from p_θ(x | z) (shapes [count, latentDim] and
    /// [count, dataDim]). A callback decoder gives latents only (data nil).
    public func sample(parameters: [Double], count: Int, key: PRNGKey) throws -> (latents: Tensor, data: Tensor?) {
        guard count >= 1 else { throw SVIError.invalidArgument("VAE: cannot draw \(count) samples") }
        let keys = key.split(2)
        let z = Tensor(shape: [count, latentDim], scalars: keys[0].normal(count * latentDim))
        guard case .network(_, let scale) = decoder else { return (z, nil) }
        let mean = try decode(z, parameters: Tensor(parameters))
        return (z, mean + Tensor(shape: mean.shape, scalars: keys[1].normal(mean.count)) * scale)
    }

    private func checkRows(_ t: Tensor, _ width: Int, _ name: String) throws {
        guard t.rank >= 1, t.shape.last == width else {
            throw SVIError.shapeMismatch("VAE: \(name) of shape \(t.shape); the last extent must be \(width)")
        }
    }

    private func checkBatch(_ batch: Tensor, particles count: Int) throws {
        guard batch.rank == 2, batch.shape[1] == dataDim, batch.shape[0] >= 1 else {
            throw SVIError.shapeMismatch("VAE: data of shape \(batch.shape); expected [N, \(dataDim)] with N ≥ 1")
        }
        guard count >= 1 else { throw SVIError.invalidArgument("VAE: particles must be at least 1; got \(count)") }
    }
}

extension Tensor {
    /// The elements at positions `range` of the last axis, for every leading index.
    func lastAxisSlice(_ range: Range<Int>) -> Tensor {
        let width = shape.last!, rows = count / width
        let offsets = (0..<rows).flatMap { row in range.map { row * width + $0 } }
        return gathering(offsets, shape: Array(shape.dropLast()) + [range.count])
    }
}
