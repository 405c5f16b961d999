/// A multilayer perceptron: Dense layers of the given sizes with `activation`
/// after every layer but the last, which is followed by `outputActivation`.
/// Its parameters are named layer0.weight, layer0.bias, layer1.weight, …
public struct MLP: Layer {
    /// The widths: inputs, hidden layers, outputs.
    public let sizes: [Int]
    public let activation: Activation
    public let outputActivation: Activation
    public let layers: [Dense]
    public let parameterTree: ParameterTree

    /// Throws unless there are at least two sizes, all positive. `initializer`
    /// starts every weight (biases start at zero); the default is LeCun normal,
    /// Flax's default.
    public init(sizes: [Int], activation: Activation = .relu, outputActivation: Activation = .identity,
                initializer: Initializer = .lecunNormal) throws {
        guard sizes.count >= 2 else {
            throw SVIError.invalidArgument("MLP: sizes needs the input and output widths at least; got \(sizes)")
        }
        guard sizes.allSatisfy({ $0 > 0 }) else { throw SVIError.invalidArgument("MLP: sizes must be positive; got \(sizes)") }
        self.sizes = sizes
        self.activation = activation
        self.outputActivation = outputActivation
        layers = try zip(sizes, sizes.dropFirst()).map { try Dense(inputs: $0, outputs: $1, initializer: initializer) }
        parameterTree = try ParameterTree(children: layers.enumerated().map { ("layer\($0)", $1.parameterTree) })
    }

    /// Each layer's initial parameters from a key of its own split from `key`.
    public func initialParameters(key: PRNGKey) -> [Double] {
        zip(layers, key.split(layers.count)).flatMap { $0.initialParameters(key: $1) }
    }

    public func callAsFunction(_ input: Tensor, parameters: Tensor) throws -> Tensor {
        var x = input
        for (i, layer) in layers.enumerated() {
            x = try layer(x, parameters: try parameterTree.segment("layer\(i)", of: parameters))
            x = i == layers.count - 1 ? outputActivation(x) : activation(x)
        }
        return x
    }
}
