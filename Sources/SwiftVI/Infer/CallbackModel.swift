/// A model whose log-density comes from a batched function of the latent
/// values. The function is called once per evaluation with all S points at
/// once, each point's blocks mapped onto their constraints (S × Σ size values,
/// row-major, see `LatentBlock`); the model adds the log-determinant of that
/// map, so its log-density is over the unconstrained coordinates, and chains
/// the function's gradient (with respect to the constrained values) through
/// the map. A function that gives no gradient makes a model with
/// `hasGradient` false, which the ELBOs fit by the score-function estimator.
///
/// Blocks of kind `.parameter` are the model's learnable parameters: each row
/// the function sees holds every block's values in the order given, the
/// parameters' the same in every row, and the function's gradient with
/// respect to them (summed over the rows by the chain rule) is what SVI
/// follows to optimize them jointly with the guide. They start at the
/// constrained value of unconstrained zeros (0 for real, 1 for positive, the
/// midpoint of an interval) and add no log-determinant.
public struct CallbackModel: LogDensityModel {
    /// Maps S row-major points of constrained values to their log-densities
    /// and the S × Σ size gradient with respect to those values.
    public typealias Function = (_ points: [Double], _ count: Int) throws -> (logDensity: [Double], gradient: [Double])
    /// Maps S row-major points of constrained values to their log-densities.
    public typealias ValueFunction = (_ points: [Double], _ count: Int) throws -> [Double]

    /// Every block, latent or parameter, in the order the function sees them.
    public let blocks: [LatentBlock]
    /// The latent blocks (those of kind `.latent`), in order.
    public let latents: [LatentBlock]
    public let hasGradient: Bool
    /// The function; its gradient is empty when `hasGradient` is false.
    private let function: Function
    /// The parameter blocks, as `blocks` lists them.
    private let parameterLatentBlocks: [LatentBlock]
    /// The parameters' unconstrained values, when set by `withParameters`.
    private var parameterValues: Tensor?

    /// A model with a gradient. Throws unless the blocks are valid (names
    /// distinct across latents and parameters, at least one latent).
    public init(latents: [LatentBlock], logDensity: @escaping Function) throws {
        try self.init(blocks: latents, hasGradient: true, function: logDensity)
    }

    /// A model without a gradient. Throws unless the latent blocks are valid
    /// and none is a parameter (learning one needs the gradient).
    public init(latents: [LatentBlock], logDensityWithoutGradient: @escaping ValueFunction) throws {
        if let parameter = latents.first(where: { $0.kind == .parameter }) {
            throw SVIError.invalidArgument(
                "parameter block '\(parameter.name)' needs the gradient of the log-density; this model gives none")
        }
        try self.init(blocks: latents, hasGradient: false) { points, count in
            (try logDensityWithoutGradient(points, count), [])
        }
    }

    private init(blocks: [LatentBlock], hasGradient: Bool, function: @escaping Function) throws {
        try validateLatents(blocks)
        self.blocks = blocks
        latents = blocks.filter { $0.kind == .latent }
        parameterLatentBlocks = blocks.filter { $0.kind == .parameter }
        self.hasGradient = hasGradient
        self.function = function
    }

    /// The number of values in a row the function sees: every block's size.
    public var callbackDimension: Int { blocks.reduce(0) { $0 + $1.size } }

    public var parameterBlocks: [ParameterBlock] {
        parameterLatentBlocks.map {
            ParameterBlock(name: $0.name, size: $0.unconstrainedSize, constraint: .bijected($0.constraint), shape: $0.shape)
        }
    }

    public var initialParameters: [Double] { [Double](repeating: 0, count: parameterCount) }

    public func withParameters(_ parameters: Tensor) throws -> any LogDensityModel {
        try checkParameterCount(parameters)
        var bound = self
        bound.parameterValues = parameters.reshaped([parameters.count])
        return bound
    }

    /// The log-density at each row of `points` (shape [S, dimension]). Throws
    /// `notImplemented` when the model has no gradient and `points` is recorded
    /// on a tape (an ELBO asking for the pathwise gradient).
    public func logDensity(_ points: Tensor) throws -> Tensor {
        guard points.rank == 2, points.shape[1] == dimension else {
            throw SVIError.shapeMismatch("CallbackModel: points of shape \(points.shape); expected [S, \(dimension)]")
        }
        guard hasGradient || !points.isTracked else {
            throw SVIError.notImplemented(
                "CallbackModel: the log-density gives no gradient; differentiate through the score-function estimator of the ELBO instead")
        }
        let s = points.shape[0], d = callbackDimension
        let (latentValues, logDet) = try constrainLatents(latents, points)
        let x = try rowsWithParameters(latentValues)
        let (values, gradient) = try call(x.scalars, count: s)
        let logDensity = Tensor.result([s], values, [x]) { g in
            [(0..<(s * d)).map { g[$0 / d] * gradient[$0] }]
        }
        return logDensity + logDet
    }

    /// The function at `count` rows of constrained `values`, its output counts checked.
    func call(_ values: [Double], count s: Int) throws -> (logDensity: [Double], gradient: [Double]) {
        let (logDensity, gradient) = try function(values, s)
        let d = callbackDimension
        guard logDensity.count == s, !hasGradient || gradient.count == s * d else {
            throw SVIError.callbackFailed(
                "log-density callback returned \(logDensity.count) values and \(gradient.count) gradient entries; expected \(s) and \(s * d)")
        }
        return (logDensity, gradient)
    }

    /// The rows the function sees: the latent values `latentValues` ([S, Σ
    /// latent sizes]) with the parameters' constrained values put in at their
    /// blocks' places, shape [S, callbackDimension].
    private func rowsWithParameters(_ latentValues: Tensor) throws -> Tensor {
        guard !parameterLatentBlocks.isEmpty else { return latentValues }
        let u = parameterValues ?? Tensor(initialParameters)
        let parameters = try constrainLatents(parameterLatentBlocks, u.reshaped([1, parameterCount])).values
        let s = latentValues.shape[0], latentWidth = constrainedDimension, parameterStart = latentValues.count
        var offsets: [Int] = []
        offsets.reserveCapacity(s * callbackDimension)
        for row in 0..<s {
            var latentColumn = 0, parameterColumn = 0
            for block in blocks {
                if block.kind == .latent {
                    offsets += (0..<block.size).map { row * latentWidth + latentColumn + $0 }
                    latentColumn += block.size
                } else {
                    offsets += (0..<block.size).map { parameterStart + parameterColumn + $0 }
                    parameterColumn += block.size
                }
            }
        }
        return Tensor.concatenating([latentValues.reshaped([latentValues.count]), parameters.reshaped([parameters.count])])
            .gathering(offsets, shape: [s, callbackDimension])
    }
}
