/// A differentiable function with learnable parameters held outside it, in a
/// flat vector laid out by `parameterTree`: the layer is a description, the
/// parameters a plain value that an optimizer updates and a tape records.
/// Inputs may carry any leading batch dimensions (data, particles).
public protocol Layer: Sendable {
    /// The layout of the layer's parameters in a flat vector.
    var parameterTree: ParameterTree { get }
    /// Initial parameters, depending only on `key`.
    func initialParameters(key: PRNGKey) -> [Double]
    /// The layer applied to `input` (shape batch + [inputs]) with the flat
    /// `parameters` (possibly recorded on a tape): shape batch + [outputs].
    /// Throws `shapeMismatch` for an input or parameter vector of the wrong size.
    func callAsFunction(_ input: Tensor, parameters: Tensor) throws -> Tensor
}
