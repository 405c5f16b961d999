import RealModule

/// How a guide parameter's unconstrained value maps to its constrained one.
public enum ParameterConstraint {
    /// Any real value, stored as is.
    case real
    /// A positive value, stored through the inverse of softplus.
    case softplusPositive
    /// A value in the region, stored through the inverse of `bijectTo` of it.
    case bijected(Constraint)

    /// The map from unconstrained to constrained values.
    public func transform() throws -> any Transform {
        switch self {
        case .real: IdentityTransform()
        case .softplusPositive: SoftplusTransform()
        case .bijected(let region): try bijectTo(region)
        }
    }
}

/// A named block of a guide's parameters.
public struct ParameterBlock {
    public let name: String
    /// The number of its unconstrained coordinates in the flat vector.
    public let size: Int
    public let constraint: ParameterConstraint
    /// The shape of its constrained value.
    public let shape: [Int]

    /// A block whose constrained value has shape `shape` (by default `[size]`).
    public init(name: String, size: Int, constraint: ParameterConstraint, shape: [Int]? = nil) {
        self.name = name
        self.size = size
        self.constraint = constraint
        self.shape = shape ?? [size]
    }

    /// The constrained value of its unconstrained coordinates `u`.
    func constrained(_ u: [Double]) throws -> Tensor {
        let transform = try constraint.transform()
        return try transform.forward(Tensor(shape: transform.inverseShape(shape), scalars: u))
    }

    /// n when the block is one n × n lower Cholesky factor packed as
    /// `LowerCholeskyTransform` stores it (the last n entries the log-diagonal).
    var choleskyOrder: Int? {
        guard case .bijected(.lowerCholesky) = constraint, shape.count == 2, shape[0] == shape[1],
              size == shape[0] * (shape[0] + 1) / 2 else { return nil }
        return shape[0]
    }

    /// What makes the unconstrained coordinates `u` unusable — a value, or
    /// its constrained image, that is not finite, or a positive value that
    /// underflows to 0 — or nil. Allocates only for `.bijected` blocks other
    /// than one n × n lower Cholesky factor.
    func problem(in u: ArraySlice<Double>) -> String? {
        if let i = u.firstIndex(where: { !$0.isFinite }) { return "\(name)[\(i - u.startIndex)] \(u[i])" }
        switch constraint {
        case .real:
            return nil
        case .softplusPositive:
            // softplus(u) = log(1 + eᵘ) is positive exactly when eᵘ is.
            guard let i = u.firstIndex(where: { !(Double.exp($0) > 0) }) else { return nil }
            return "\(name)[\(i - u.startIndex)] 0 (its unconstrained value is \(u[i]))"
        case .bijected:
            if let n = choleskyOrder {
                // Only an overflowing diagonal entry eˣ can make the factor unusable.
                let diagonal = u.suffix(n)
                guard let i = diagonal.firstIndex(where: { !Double.exp($0).isFinite }) else { return nil }
                let row = i - diagonal.startIndex
                return "\(name)[\(row * n + row)] \(Double.exp(u[i]))"
            }
            guard let value = try? constrained(Array(u)).scalars else { return "\(name) unusable" }
            guard let i = value.firstIndex(where: { !$0.isFinite }) else { return nil }
            return "\(name)[\(i)] \(value[i])"
        }
    }
}

/// `ParameterBlock.problem(in:)` reduced to plain values for the common
/// blocks, so that a step can check its parameters without copying a block's
/// name, shape or constraint. A block it cannot decide (a `.bijected` one other
/// than a lower Cholesky factor) is left to `problem(in:)`.
struct ParameterBlockCheck {
    private enum Test {
        /// Every value finite.
        case finite
        /// Every value finite, and eᵘ > 0 (softplus(u) positive).
        case positive
        /// Every value finite, and eᵘ finite for the last n (a Cholesky factor's log-diagonal).
        case finiteExpSuffix(Int)
        /// Only `problem(in:)` can tell.
        case undecided
    }

    let range: Range<Int>
    private let test: Test

    init(_ block: ParameterBlock, offset: Int) {
        range = offset ..< offset + block.size
        switch block.constraint {
        case .real: test = .finite
        case .softplusPositive: test = .positive
        case .bijected: test = block.choleskyOrder.map { .finiteExpSuffix($0) } ?? .undecided
        }
    }

    /// True when `problem(in:)` of the block at `parameters[range]` is
    /// surely nil; false when it may not be.
    func passes(_ parameters: UnsafeBufferPointer<Double>) -> Bool {
        var allFinite = true
        for i in range { allFinite = allFinite && parameters[i].isFinite }
        guard allFinite else { return false }
        switch test {
        case .finite: return true
        case .positive: return range.allSatisfy { Double.exp(parameters[$0]) > 0 }
        case .finiteExpSuffix(let n): return (range.upperBound - n ..< range.upperBound).allSatisfy { Double.exp(parameters[$0]).isFinite }
        case .undecided: return false
        }
    }
}

/// A variational family over a model's latent coordinates, with learnable
/// parameters stored unconstrained in one flat vector.
public protocol Guide {
    /// The named parameter blocks, in their order in the flat vector.
    var parameterBlocks: [ParameterBlock] { get }
    /// The number of latent coordinates the guide draws.
    var dimension: Int { get }
    /// Initial unconstrained parameters. Throws when an initialization
    /// strategy fails (see `InitStrategy`).
    func initialParameters(key: PRNGKey) throws -> [Double]
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
    /// `count` draws of the approximate posterior, each latent site's in its
    /// constrained space (NumPyro's `sample_posterior`): site name → shape
    /// [count] + the site's value shape.
    func samplePosterior(parameters: [Double], count: Int, key: PRNGKey) throws -> [String: Tensor]
}

extension Guide {
    public func logDensity(_ points: Tensor, parameters: Tensor) throws -> Tensor {
        throw SVIError.notImplemented("\(Self.self) cannot evaluate its density at given points")
    }

    /// Each block's constrained value, mapping the whole block by its
    /// constraint (NaN where the map fails).
    public func constrainedParameters(_ parameters: [Double]) -> [(name: String, value: [Double])] {
        constrainedValues(of: parameterBlocks, parameters)
    }

    /// The flat unconstrained vector of constrained parameter values given by
    /// name (as `constrainedParameters` or `SVI.parameters` give them; other
    /// names are ignored). Throws when a block is missing, has the wrong number
    /// of elements, or lies outside (or on the boundary of) its constraint.
    public func unconstrainedParameters(_ values: [String: [Double]]) throws -> [Double] {
        try unconstrainedValues(of: parameterBlocks, values, owner: "guide")
    }
}

/// Each block's constrained value from the flat unconstrained `parameters`
/// (the blocks' coordinates one after another), NaN where the map fails.
func constrainedValues(of blocks: [ParameterBlock], _ parameters: [Double]) -> [(name: String, value: [Double])] {
    var offset = 0
    return blocks.map { block in
        defer { offset += block.size }
        let value = try? block.constrained(Array(parameters[offset ..< offset + block.size]))
        return (block.name, value?.scalars ?? [Double](repeating: .nan, count: block.shape.reduce(1, *)))
    }
}

/// The flat unconstrained vector of the blocks' constrained values in
/// `values` (by name); `owner` ("guide", "model") names them in errors.
func unconstrainedValues(of blocks: [ParameterBlock], _ values: [String: [Double]], owner: String) throws -> [Double] {
    try blocks.flatMap { block -> [Double] in
        guard let value = values[block.name] else {
            throw SVIError.invalidArgument("no value for the \(owner) parameter '\(block.name)'")
        }
        guard value.count == block.shape.reduce(1, *) else {
            throw SVIError.shapeMismatch(
                "the \(owner) parameter '\(block.name)' has \(value.count) elements; expected shape \(block.shape)")
        }
        let u = try block.constraint.transform().inverse(Tensor(shape: block.shape, scalars: value)).scalars
        guard u.count == block.size, u.allSatisfy(\.isFinite) else {
            throw SVIError.invalidArgument("the \(owner) parameter '\(block.name)' is outside its constraint")
        }
        return u
    }
}
