/// A named block of `size` real latent coordinates.
public struct LatentBlock: Equatable, Sendable {
    public let name: String
    public let size: Int

    public init(name: String, size: Int) {
        self.name = name
        self.size = size
    }
}

/// A model given by its joint log-density over a vector of latent coordinates,
/// laid out as `latents`, one block after another.
public protocol LogDensityModel {
    /// The latent blocks, in the order they appear in a point.
    var latents: [LatentBlock] { get }
    /// The log-density at each row of `points`, of shape [S, dimension]; shape [S].
    func logDensity(_ points: Tensor) throws -> Tensor
    /// The same, drawing any randomness the model needs (such as a subsampled
    /// plate's indices) from `key`. Models that need none ignore the key (the default).
    func logDensity(_ points: Tensor, key: PRNGKey) throws -> Tensor
}

extension LogDensityModel {
    public func logDensity(_ points: Tensor, key: PRNGKey) throws -> Tensor { try logDensity(points) }

    /// The number of latent coordinates.
    public var dimension: Int { latents.reduce(0) { $0 + $1.size } }
}

/// Throws unless the blocks have distinct, non-empty names and positive sizes.
func validateLatents(_ latents: [LatentBlock]) throws {
    guard !latents.isEmpty else { throw SVIError.invalidArgument("a model needs at least one latent block") }
    var seen = Set<String>()
    for block in latents {
        guard !block.name.isEmpty else { throw SVIError.invalidArgument("a latent block needs a name") }
        guard block.size > 0 else {
            throw SVIError.invalidArgument("latent block '\(block.name)' must have a positive size; got \(block.size)")
        }
        guard seen.insert(block.name).inserted else {
            throw SVIError.invalidArgument("latent block name '\(block.name)' is used twice")
        }
    }
}
