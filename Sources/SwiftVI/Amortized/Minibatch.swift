/// A model with one local latent vector per data point, evaluated on a
/// minibatch of its data: a point holds the latents of the batch's rows, one
/// after another (`batchSize` × local dimension coordinates), and the
/// log-density is the minibatch estimate of the whole data set's,
/// (dataSize / batchSize) Σ_b log p(x_b, z_b).
public protocol MinibatchModel: LogDensityModel {
    /// The number of data points.
    var dataSize: Int { get }
    /// The number of data points in a minibatch.
    var batchSize: Int { get }
    /// The scaled log-density at each row of `points` (shape [S, dimension]),
    /// the latents of the data rows `batch`; shape [S].
    func logDensity(_ points: Tensor, batch: [Int]) throws -> Tensor
}

extension MinibatchModel {
    /// Throws: a minibatch model is evaluated on a batch (see `logDensity(_:batch:)`).
    public func logDensity(_ points: Tensor) throws -> Tensor {
        throw SVIError.invalidArgument("a minibatch model needs the batch its latents belong to")
    }
}

/// A guide over the local latents of a minibatch: an amortized guide, whose
/// distribution for each data point is computed from the point.
public protocol MinibatchGuide: Guide {
    /// `count` draws of the latents of the data rows `batch` (shape
    /// [count, dimension]) and their log-densities scaled as the model's,
    /// (dataSize / batchSize) Σ_b log q(z_b | x_b); shape [count].
    func sample(parameters: Tensor, count: Int, key: PRNGKey, batch: [Int]) throws -> (points: Tensor, logDensity: Tensor)
}

extension MinibatchGuide {
    /// Throws: an amortized guide draws for a batch (see `sample(parameters:count:key:batch:)`).
    public func sample(parameters: Tensor, count: Int, key: PRNGKey) throws -> (points: Tensor, logDensity: Tensor) {
        throw SVIError.invalidArgument("an amortized guide needs the batch of data points it draws for")
    }
}

/// The log-weights log p − log q of `count` reparameterized draws of `guide`
/// for one minibatch, its rows drawn without replacement from `key` — the
/// same batch for model and guide — as the ELBOs need for a minibatch model.
func minibatchLogWeights(model: any MinibatchModel, guide: any Guide, parameters: Tensor, count: Int,
                         key: PRNGKey) throws -> Tensor {
    guard let guide = guide as? any MinibatchGuide else {
        throw SVIError.invalidArgument("a minibatch model needs an amortized guide (a MinibatchGuide) such as AmortizedNormal")
    }
    let keys = key.split(2)
    let batch = subsampleIndices(size: model.dataSize, count: model.batchSize, key: keys[1])
    let (z, logq) = try guide.sample(parameters: parameters, count: count, key: keys[0], batch: batch)
    return try model.logDensity(z, batch: batch) - logq
}

extension Tensor {
    /// The rows `indices` (repeats allowed) of a tensor of shape [N] + rest: shape [indices.count] + rest.
    func rows(_ indices: [Int]) -> Tensor {
        let width = count / max(shape[0], 1)
        return gathering(indices.flatMap { row in (0..<width).map { row * width + $0 } },
                         shape: [indices.count] + shape.dropFirst())
    }
}
