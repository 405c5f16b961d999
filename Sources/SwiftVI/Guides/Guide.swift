/// How a guide parameter's unconstrained value maps to its constrained one.
public enum ParameterConstraint {
    /// Any real value, stored as is.
    case real
    /// A positive value, stored through the inverse of softplus.
    case softplusPositive
    /// A value in the region, stored through the inverse of `bijectTo` of it.
    case bijected(Constraint)

    /// The constrained value of an unconstrained one. For a region whose
    /// events are vectors or matrices one coordinate says nothing; the result
    /// is NaN (the guide maps whole blocks in `constrainedParameters`).
    public func constrain(_ x: Double) -> Double {
        switch self {
        case .real: x
        case .softplusPositive: softplus(x)
        case .bijected(let region):
            (try? bijectTo(region).forward(Tensor(x)).scalars).flatMap { $0.count == 1 ? $0[0] : nil } ?? .nan
        }
    }
}

/// A named block of a guide's parameters.
public struct ParameterBlock {
    public let name: String
    public let size: Int
    public let constraint: ParameterConstraint
}

/// A variational family over a model's latent coordinates, with learnable
/// parameters stored unconstrained in one flat vector.
public protocol Guide {
    /// The named parameter blocks, in their order in the flat vector.
    var parameterBlocks: [ParameterBlock] { get }
    /// The number of latent coordinates the guide draws.
    var dimension: Int { get }
    /// Initial unconstrained parameters.
    func initialParameters(key: PRNGKey) -> [Double]
    /// `count` draws of shape [count, dimension], reparameterized through
    /// `parameters` (the flat vector, possibly recorded on a tape), and their
    /// log-densities, shape [count].
    func sample(parameters: Tensor, count: Int, key: PRNGKey) throws -> (points: Tensor, logDensity: Tensor)
    /// The log-density at each row of `points` (shape [S, dimension], not
    /// recorded), differentiable through `parameters`; shape [S]. The
    /// score-function estimator needs it. By default it throws `notImplemented`.
    func logDensity(_ points: Tensor, parameters: Tensor) throws -> Tensor
    /// Each block's constrained value, from the flat unconstrained parameters.
    func constrainedParameters(_ parameters: [Double]) -> [(name: String, value: [Double])]
}

extension Guide {
    public func logDensity(_ points: Tensor, parameters: Tensor) throws -> Tensor {
        throw SVIError.notImplemented("\(Self.self) cannot evaluate its density at given points")
    }

    /// Each block's constrained value, mapping each coordinate by its block's constraint.
    public func constrainedParameters(_ parameters: [Double]) -> [(name: String, value: [Double])] {
        var offset = 0
        return parameterBlocks.map { block in
            defer { offset += block.size }
            return (block.name, parameters[offset ..< offset + block.size].map(block.constraint.constrain))
        }
    }
}
