/// A model whose log-density comes from a batched function of the latent
/// values. The function is called once per evaluation with all S points at
/// once, each point's blocks mapped onto their constraints (S × Σ size values,
/// row-major, see `LatentBlock`); the model adds the log-determinant of that
/// map, so its log-density is over the unconstrained coordinates, and chains
/// the function's gradient (with respect to the constrained values) through
/// the map. A function that gives no gradient makes a model with
/// `hasGradient` false, which the ELBOs fit by the score-function estimator.
public struct CallbackModel: LogDensityModel {
    /// Maps S row-major points of constrained values to their log-densities
    /// and the S × Σ size gradient with respect to those values.
    public typealias Function = (_ points: [Double], _ count: Int) throws -> (logDensity: [Double], gradient: [Double])
    /// Maps S row-major points of constrained values to their log-densities.
    public typealias ValueFunction = (_ points: [Double], _ count: Int) throws -> [Double]

    public let latents: [LatentBlock]
    public let hasGradient: Bool
    /// The function; its gradient is empty when `hasGradient` is false.
    private let function: Function

    /// A model with a gradient. Throws unless the latent blocks are valid.
    public init(latents: [LatentBlock], logDensity: @escaping Function) throws {
        try validateLatents(latents)
        self.latents = latents
        self.function = logDensity
        hasGradient = true
    }

    /// A model without a gradient. Throws unless the latent blocks are valid.
    public init(latents: [LatentBlock], logDensityWithoutGradient: @escaping ValueFunction) throws {
        try validateLatents(latents)
        self.latents = latents
        self.function = { points, count in (try logDensityWithoutGradient(points, count), []) }
        hasGradient = false
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
        let s = points.shape[0], d = constrainedDimension
        let (x, logDet) = try constrainLatents(latents, points)
        let (values, gradient) = try call(x.scalars, count: s)
        let logDensity = Tensor.result([s], values, [x]) { g in
            [(0..<(s * d)).map { g[$0 / d] * gradient[$0] }]
        }
        return logDensity + logDet
    }

    /// The function at `count` rows of constrained `values`, its output counts checked.
    func call(_ values: [Double], count s: Int) throws -> (logDensity: [Double], gradient: [Double]) {
        let (logDensity, gradient) = try function(values, s)
        let d = constrainedDimension
        guard logDensity.count == s, !hasGradient || gradient.count == s * d else {
            throw SVIError.callbackFailed(
                "log-density callback returned \(logDensity.count) values and \(gradient.count) gradient entries; expected \(s) and \(s * d)")
        }
        return (logDensity, gradient)
    }
}
