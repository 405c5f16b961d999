/// A named block of `size` latent values lying in `constraint`. A point holds
/// the block's `unconstrainedSize` unconstrained coordinates, which
/// `bijectTo(constraint)` maps onto the values: the two counts agree except for
/// a simplex (K values, K − 1 coordinates) and the matrix constraints (n·n
/// values of an n × n matrix, row-major; n(n+1)/2 coordinates for
/// lowerCholesky and positiveDefinite, n(n−1)/2 for corrCholesky).
///
/// A block of kind `.parameter` is not latent: it is a learnable parameter of
/// a `CallbackModel` (a point estimate, as NumPyro's `param` in a model),
/// laid out the same way and optimized jointly with the guide.
public struct LatentBlock: Equatable {
    /// Whether a block is drawn by the guide or learned as a point estimate.
    public enum Kind: Sendable {
        /// A latent variable, drawn by the guide.
        case latent
        /// A model parameter, optimized jointly with the guide.
        case parameter
    }

    public let name: String
    /// The number of (constrained) values.
    public let size: Int
    /// The region the values lie in.
    public let constraint: Constraint
    public let kind: Kind

    public init(name: String, size: Int, constraint: Constraint = .real, kind: Kind = .latent) {
        self.name = name
        self.size = size
        self.constraint = constraint
        self.kind = kind
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
    /// Whether the log-density can be differentiated with respect to the points
    /// (true by default). ELBOs fit a model without a gradient by the
    /// score-function estimator.
    var hasGradient: Bool { get }
    /// Each latent block's constrained value at each row of `points` (shape
    /// [S, dimension]): block name → shape [S] + the value's shape; and the
    /// summed log |det| of the maps, shape [S]. Recorded on the tape of `points`.
    /// The default maps each block's [S, size] coordinates through
    /// `bijectTo(block.constraint)`.
    func constrain(_ points: Tensor) throws -> (values: [String: Tensor], logAbsDetJacobian: Tensor)
    /// The unconstrained point (`dimension` coordinates) that `strategy` picks,
    /// drawing with `key`. The default, for models without a prior, is
    /// described at `InitStrategy`.
    func initialPoint(_ strategy: InitStrategy, key: PRNGKey) throws -> [Double]
    /// The model's own learnable parameters (NumPyro's `param` sites in a
    /// model), laid out one block after another in a flat unconstrained
    /// vector that SVI optimizes jointly with the guide's (see `SVI`). They are
    /// point estimates: no prior, no Jacobian term. None by default.
    var parameterBlocks: [ParameterBlock] { get }
    /// The parameters' initial unconstrained values (empty by default).
    var initialParameters: [Double] { get }
    /// This model with its parameters at the flat unconstrained `parameters`
    /// (recorded on their tape if they are on one, so the log-density is
    /// differentiable in them). Until then a model uses `initialParameters`.
    /// Throws `shapeMismatch` for a vector of the wrong length; the default,
    /// for models without parameters, takes only the empty vector.
    func withParameters(_ parameters: Tensor) throws -> any LogDensityModel
}

extension LogDensityModel {
    public func logDensity(_ points: Tensor, key: PRNGKey) throws -> Tensor { try logDensity(points) }

    public var hasGradient: Bool { true }

    /// The number of unconstrained latent coordinates in a point (what a guide draws).
    public var dimension: Int { latents.reduce(0) { $0 + $1.unconstrainedSize } }

    /// The number of constrained latent values (what a callback model's function sees).
    public var constrainedDimension: Int { latents.reduce(0) { $0 + $1.size } }
}

/// Throws unless there is a latent block (of kind `.latent`) and the blocks
/// have distinct, non-empty names, positive sizes and constraints that fit
/// them (see `LatentBlock.checkConstraint`, which `allowingDiscrete` is passed to).
func validateLatents(_ latents: [LatentBlock], allowingDiscrete: Bool = false) throws {
    guard latents.contains(where: { $0.kind == .latent }) else {
        throw SVIError.invalidArgument("a model needs at least one latent block")
    }
    var seen = Set<String>()
    for block in latents {
        guard !block.name.isEmpty else { throw SVIError.invalidArgument("a latent block needs a name") }
        guard block.size > 0 else {
            throw SVIError.invalidArgument("latent block '\(block.name)' must have a positive size; got \(block.size)")
        }
        try block.checkConstraint(allowingDiscrete: allowingDiscrete)
        guard seen.insert(block.name).inserted else {
            throw SVIError.invalidArgument("latent block name '\(block.name)' is used twice")
        }
    }
}
