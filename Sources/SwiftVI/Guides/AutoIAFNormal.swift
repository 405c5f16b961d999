/// An inverse autoregressive flow over the whole unconstrained latent vector,
/// as NumPyro's AutoIAFNormal: a standard Normal base pushed through
/// `numFlows` affine autoregressive layers, the order of the coordinates
/// reversed between consecutive layers. Layer i's network (a MADE with
/// `hiddenDims`, default [D, D], and `nonlinearity` between dense layers) has
/// parameters `auto_arn__i$params.l.W` (shape [inputs, outputs]) and
/// `auto_arn__i$params.l.b` for each dense layer l.
///
/// Each layer is the numerically stable affine map (Pyro's
/// `AffineAutoregressive(stable=True)`; NumPyro's transform clips an
/// exponential scale instead): with (m, t) the network's outputs at x,
/// s = sigmoid(t + 2) and y = s ⊙ x + (1 − s) ⊙ m, whose log |det| is Σ log s
/// exactly (the Jacobian is triangular). As in NumPyro the flow has no
/// initial location: it starts from the networks' random weights, near the
/// standard Normal.
public struct AutoIAFNormal: AutoGuide {
    /// The nonlinearity between a network's dense layers.
    public enum Nonlinearity: Sendable {
        /// x for x > 0, eˣ − 1 otherwise (NumPyro's default, `stax.Elu`).
        case elu
        /// max(x, 0).
        case relu
    }

    public let model: any LogDensityModel
    public let numFlows: Int
    public let hiddenDims: [Int]
    public let nonlinearity: Nonlinearity
    private let network: MaskedAutoregressiveNetwork

    /// Throws unless the model has at least 2 latent coordinates, `numFlows`
    /// is at least 1 and every hidden width is at least D (as NumPyro requires).
    public init(model: any LogDensityModel, numFlows: Int = 3, hiddenDims: [Int]? = nil,
                nonlinearity: Nonlinearity = .elu) throws {
        try checkContinuousLatents(of: model, "AutoIAFNormal")
        let d = model.dimension
        guard d >= 2 else {
            throw SVIError.invalidArgument("AutoIAFNormal: the model has \(d) latent coordinate; use AutoDiagonalNormal")
        }
        guard numFlows >= 1 else {
            throw SVIError.invalidArgument("AutoIAFNormal: num_flows must be at least 1; got \(numFlows)")
        }
        let hiddenDims = hiddenDims ?? [d, d]
        guard !hiddenDims.isEmpty, hiddenDims.allSatisfy({ $0 >= d }) else {
            throw SVIError.invalidArgument(
                "AutoIAFNormal: hidden_dims \(hiddenDims) must be non-empty, each at least the latent dimension \(d)")
        }
        self.model = model
        self.numFlows = numFlows
        self.hiddenDims = hiddenDims
        self.nonlinearity = nonlinearity
        network = MaskedAutoregressiveNetwork(inputDim: d, hiddenDims: hiddenDims, nonlinearity: nonlinearity)
    }

    public var parameterBlocks: [ParameterBlock] {
        (0..<numFlows).flatMap { i in
            network.layers.enumerated().flatMap { l, layer in
                [ParameterBlock(name: "auto_arn__\(i)$params.\(l).W", size: layer.inputs * layer.outputs,
                                constraint: .real, shape: [layer.inputs, layer.outputs]),
                 ParameterBlock(name: "auto_arn__\(i)$params.\(l).b", size: layer.outputs, constraint: .real)]
            }
        }
    }

    /// Each network's weights from a key of its own (`key.split(numFlows)`).
    public func initialParameters(key: PRNGKey) -> [Double] {
        key.split(numFlows).flatMap(network.initialParameters)
    }

    public func sample(parameters: Tensor, count: Int, key: PRNGKey) throws -> (points: Tensor, logDensity: Tensor) {
        let expected = numFlows * network.parameterCount
        guard parameters.count == expected else {
            throw SVIError.shapeMismatch("AutoIAFNormal: \(parameters.count) parameters; expected \(expected)")
        }
        let d = dimension
        let base = Tensor(shape: [count, d], scalars: key.normal(count * d))
        let (x, logDet) = flow(base, parameters: parameters)
        let baseLogDensity = try Normal(loc: 0, scale: 1).logProb(base).sum(alongAxis: 1)
        return (x, baseLogDensity - logDet)
    }

    /// The flow applied to the rows of `base` (shape [S, D]) and its log |det|
    /// per row, shape [S].
    func flow(_ base: Tensor, parameters: Tensor) -> (x: Tensor, logAbsDet: Tensor) {
        let (s, d) = (base.shape[0], base.shape[1])
        let reversed = (0..<s).flatMap { row in (0..<d).map { row * d + d - 1 - $0 } }
        var x = base, logDet = Tensor(shape: [s], scalars: [Double](repeating: 0, count: s))
        for i in 0..<numFlows {
            if i > 0 { x = x.gathering(reversed, shape: [s, d]) }
            let (mean, logit) = network(x, parameters: parameters, offset: i * network.parameterCount)
            let gate = logit + 2
            let scale = gate.sigmoid()
            x = scale * x + (1 - scale) * mean
            logDet = logDet - (-gate).softplus().sum(alongAxis: 1)
        }
        return (x, logDet)
    }
}
