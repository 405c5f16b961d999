/// An amortized diagonal Normal guide for a `LocalLatentModel`: an encoder
/// MLP maps each data row x to 2 · latentDim outputs, the location of q(z | x)
/// and, through softplus, its scale. Its parameters are the encoder's,
/// named "encoder.layer0.weight", … (unconstrained). Draws are
/// reparameterized; log q is scaled by dataSize / batchSize as the model's
/// log-density is.
public struct AmortizedNormal: MinibatchGuide {
    public let model: LocalLatentModel
    public let encoder: MLP

    /// An encoder with `hiddenSizes` hidden layers and `activation` between layers.
    public init(model: LocalLatentModel, hiddenSizes: [Int] = [], activation: Activation = .relu) throws {
        self.model = model
        encoder = try MLP(sizes: [model.data.shape[1]] + hiddenSizes + [2 * model.latentDim], activation: activation)
    }

    public var parameterBlocks: [ParameterBlock] {
        encoder.parameterTree.leaves.map { ParameterBlock(name: "encoder.\($0.name)", size: $0.count, constraint: .real) }
    }

    public var dimension: Int { model.dimension }

    public func initialParameters(key: PRNGKey) -> [Double] { encoder.initialParameters(key: key) }

    /// The location and scale of q(z | x) for each row of `rows` (shape [B, D]).
    public func encode(_ rows: Tensor, parameters: Tensor) throws -> (loc: Tensor, scale: Tensor) {
        let out = try encoder(rows, parameters: parameters)
        let l = model.latentDim
        return (out.lastAxisSlice(0 ..< l), out.lastAxisSlice(l ..< 2 * l).softplus())
    }

    public func sample(parameters: Tensor, count: Int, key: PRNGKey, batch: [Int]) throws -> (points: Tensor, logDensity: Tensor) {
        let (loc, scale) = try encode(model.data.rows(batch), parameters: parameters)
        let q = try Normal(loc: loc, scale: scale)
        let z = q.sample([count], key: key)
        let logq = try q.logProb(z).sum(alongAxis: -1).sum(alongAxis: -1) * (Double(model.dataSize) / Double(batch.count))
        return (z.reshaped([count, dimension]), logq)
    }

    /// Draws of every data row's latent from q(z | x): "z" → shape [count, N, latentDim].
    public func samplePosterior(parameters: [Double], count: Int, key: PRNGKey) throws -> [String: Tensor] {
        let (loc, scale) = try encode(model.data, parameters: Tensor(parameters))
        return ["z": try Normal(loc: loc, scale: scale).sample([count], key: key)]
    }
}
