/// A fully connected layer y = x W + b (Flax's Dense, PyTorch's Linear with
/// the weight transposed): `weight` of shape [inputs, outputs], `bias` of
/// shape [outputs]. Leading dimensions of the input are batch dimensions; the
/// whole batch is one matrix product on the tape.
public struct Dense: Layer {
    public let inputs: Int
    public let outputs: Int
    /// How the weight starts; the bias starts at zero.
    public let initializer: Initializer
    public let parameterTree: ParameterTree

    /// Throws unless both sizes are positive.
    public init(inputs: Int, outputs: Int, initializer: Initializer = .lecunNormal) throws {
        guard inputs > 0, outputs > 0 else {
            throw SVIError.invalidArgument("Dense: inputs and outputs must be positive; got \(inputs) and \(outputs)")
        }
        self.inputs = inputs
        self.outputs = outputs
        self.initializer = initializer
        parameterTree = try ParameterTree([("weight", [inputs, outputs]), ("bias", [outputs])])
    }

    public func initialParameters(key: PRNGKey) -> [Double] {
        initializer.values(count: inputs * outputs, fanIn: inputs, fanOut: outputs, key: key)
            + [Double](repeating: 0, count: outputs)
    }

    public func callAsFunction(_ input: Tensor, parameters: Tensor) throws -> Tensor {
        guard input.rank >= 1, input.shape.last == inputs else {
            throw SVIError.shapeMismatch("Dense: input of shape \(input.shape); its last extent must be \(inputs)")
        }
        let weight = try parameterTree.value("weight", in: parameters)
        let bias = try parameterTree.value("bias", in: parameters)
        let batch = Array(input.shape.dropLast())
        let rows = input.reshaped([batch.reduce(1, *), inputs])
        return matmul(rows, weight).reshaped(batch + [outputs]) + bias
    }
}
