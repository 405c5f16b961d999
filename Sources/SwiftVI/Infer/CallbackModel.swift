/// A model whose log-density and its gradient come from a batched function: given
/// S points of dimension D (row-major), it returns S log-densities and the S × D
/// gradient. It is called once per evaluation with all points at once.
public struct CallbackModel: LogDensityModel {
    /// Maps S row-major points to their log-densities and gradients.
    public typealias Function = (_ points: [Double], _ count: Int) throws -> (logDensity: [Double], gradient: [Double])

    public let latents: [LatentBlock]
    private let function: Function

    /// Throws unless the latent blocks are valid.
    public init(latents: [LatentBlock], logDensity: @escaping Function) throws {
        try validateLatents(latents)
        self.latents = latents
        self.function = logDensity
    }

    public func logDensity(_ points: Tensor) throws -> Tensor {
        let s = points.shape[0], d = dimension
        let (values, gradient) = try function(points.scalars, s)
        guard values.count == s, gradient.count == s * d else {
            throw SVIError.callbackFailed(
                "log-density callback returned \(values.count) values and \(gradient.count) gradient entries; expected \(s) and \(s * d)")
        }
        return Tensor.result([s], values, [points]) { g in
            [(0..<(s * d)).map { g[$0 / d] * gradient[$0] }]
        }
    }
}
