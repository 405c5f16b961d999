/// A model of data rows x_1 … x_N (shape [N, D]), each with its own latent
/// vector z_n of `latentDim` values, given by the log joint density of a row
/// and its latent, log p(x_n, z_n). Fitted on minibatches of `batchSize`
/// rows with an amortized guide (`AmortizedNormal`); its latent block "z"
/// holds the batch's latents.
public struct LocalLatentModel: MinibatchModel {
    /// The data, shape [N, D].
    public let data: Tensor
    public let latentDim: Int
    public let batchSize: Int
    /// log p(x_b, z_b) for latents of shape [S, B, latentDim] and data rows
    /// of shape [B, D]: shape [S, B].
    public let logJoint: (_ latents: Tensor, _ rows: Tensor) throws -> Tensor

    /// Throws unless `data` has shape [N, D] with N ≥ 1, and `latentDim` and
    /// `batchSize` (at most N) are positive.
    public init(data: Tensor, latentDim: Int, batchSize: Int,
                logJoint: @escaping (_ latents: Tensor, _ rows: Tensor) throws -> Tensor) throws {
        guard data.rank == 2, data.shape[0] >= 1 else {
            throw SVIError.shapeMismatch("LocalLatentModel: data of shape \(data.shape); expected [N, D]")
        }
        guard latentDim >= 1, batchSize >= 1, batchSize <= data.shape[0] else {
            throw SVIError.invalidArgument(
                "LocalLatentModel: latent dimension must be positive and batch size in 1...\(data.shape[0]); got \(latentDim) and \(batchSize)")
        }
        self.data = data.detached
        self.latentDim = latentDim
        self.batchSize = batchSize
        self.logJoint = logJoint
    }

    public var latents: [LatentBlock] { [LatentBlock(name: "z", size: batchSize * latentDim)] }
    public var dataSize: Int { data.shape[0] }

    public func logDensity(_ points: Tensor, batch: [Int]) throws -> Tensor {
        guard points.rank == 2, points.shape[1] == dimension, batch.count == batchSize else {
            throw SVIError.shapeMismatch("LocalLatentModel: points of shape \(points.shape) for a batch of \(batch.count)")
        }
        let z = points.reshaped([points.shape[0], batchSize, latentDim])
        let logJoint = try logJoint(z, data.rows(batch))
        guard logJoint.shape == [points.shape[0], batchSize] else {
            throw SVIError.shapeMismatch("LocalLatentModel: the log joint has shape \(logJoint.shape); expected [\(points.shape[0]), \(batchSize)]")
        }
        return logJoint.sum(alongAxis: 1) * (Double(dataSize) / Double(batchSize))
    }
}
