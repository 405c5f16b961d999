import RealModule

/// The masked feed-forward network of one IAF layer (MADE, as NumPyro's
/// `AutoregressiveNN` with the identity permutation and no skip connections):
/// dense layers x ↦ x (W ⊙ M) + b with the nonlinearity between them, whose
/// masks M make output i (and output D + i) depend on inputs 0 ..< i only.
/// Hidden unit k of a layer of width h has degree round(1 + k (D − 2)/(h − 1))
/// (NumPyro's `linspace(1, D − 1, h)`, rounded half to even); it sees inputs
/// of degree ≤ its own, and output i (degree i + 1) sees hidden units of
/// smaller degree. The output's first D columns are the means, the last D the
/// scale logits.
struct MaskedAutoregressiveNetwork {
    /// The nonlinearity between dense layers.
    let nonlinearity: AutoIAFNormal.Nonlinearity
    /// Each dense layer's extents (inputs, outputs) and 0/1 mask, shape [inputs, outputs].
    let layers: [(inputs: Int, outputs: Int, mask: Tensor)]

    init(inputDim d: Int, hiddenDims: [Int], nonlinearity: AutoIAFNormal.Nonlinearity) {
        let inputDegrees = (1...d).map(Double.init)
        let hiddenDegrees = hiddenDims.map { h in
            (0..<h).map { k in
                h == 1 ? 1 : (1 + Double(k) * Double(d - 2) / Double(h - 1)).rounded(.toNearestOrEven)
            }
        }
        let outputDegrees = inputDegrees + inputDegrees
        let degrees = [inputDegrees] + hiddenDegrees + [outputDegrees]
        layers = (0 ..< degrees.count - 1).map { l in
            let (from, to) = (degrees[l], degrees[l + 1])
            let isOutput = l == degrees.count - 2
            let mask = from.flatMap { a in to.map { b in (isOutput ? b > a : b >= a) ? 1.0 : 0.0 } }
            return (from.count, to.count, Tensor(shape: [from.count, to.count], scalars: mask))
        }
        self.nonlinearity = nonlinearity
    }

    /// The number of weights and biases.
    var parameterCount: Int { layers.reduce(0) { $0 + $1.inputs * $1.outputs + $1.outputs } }

    /// Glorot-normal weights (standard deviation √(2 / (inputs + outputs)))
    /// and biases of standard deviation 0.01, as NumPyro's `MaskedDense`.
    func initialParameters(key: PRNGKey) -> [Double] {
        zip(layers, key.split(layers.count)).flatMap { layer, layerKey in
            let keys = layerKey.split()
            let weightScale = (2 / Double(layer.inputs + layer.outputs)).squareRoot()
            return keys[0].normal(layer.inputs * layer.outputs).map { $0 * weightScale }
                + keys[1].normal(layer.outputs).map { $0 * 0.01 }
        }
    }

    /// The means and scale logits (each shape [S, D]) at the rows of `x`
    /// (shape [S, D]), with the weights read from `parameters` at `offset`
    /// (each layer's weights, row-major [inputs, outputs], then its biases).
    func callAsFunction(_ x: Tensor, parameters: Tensor, offset: Int) -> (mean: Tensor, logit: Tensor) {
        var h = x, start = offset
        for (l, layer) in layers.enumerated() {
            let weightCount = layer.inputs * layer.outputs
            let weights = parameters.gathering(Array(start ..< start + weightCount), shape: [layer.inputs, layer.outputs])
            let bias = parameters.gathering(Array(start + weightCount ..< start + weightCount + layer.outputs),
                                            shape: [layer.outputs])
            start += weightCount + layer.outputs
            h = matmul(h, weights * layer.mask) + bias
            if l < layers.count - 1 { h = nonlinearity.apply(h) }
        }
        let (s, d) = (x.shape[0], x.shape[1])
        let columns = { (first: Int) in (0..<s).flatMap { row in (0..<d).map { row * 2 * d + first + $0 } } }
        return (h.gathering(columns(0), shape: [s, d]), h.gathering(columns(d), shape: [s, d]))
    }
}

extension AutoIAFNormal.Nonlinearity {
    /// The nonlinearity applied elementwise.
    func apply(_ x: Tensor) -> Tensor {
        switch self {
        case .elu: Tensor.map(x) { v in v > 0 ? (v, 1) : (Double.expMinusOne(v), Double.exp(v)) }
        case .relu: Tensor.map(x) { v in v > 0 ? (v, 1) : (0, 0) }
        }
    }
}
