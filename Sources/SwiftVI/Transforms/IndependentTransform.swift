/// A transform whose rightmost `reinterpretedDims` batch dimensions are read as
/// event dimensions (NumPyro's `IndependentTransform`): the same map, with the
/// log-determinant summed over those dimensions too.
public struct IndependentTransform: Transform {
    public let base: any Transform
    public let reinterpretedDims: Int

    /// Throws when `reinterpretedDims` is negative.
    public init(_ base: any Transform, reinterpretedDims: Int) throws {
        guard reinterpretedDims >= 0 else {
            throw SVIError.invalidArgument("IndependentTransform: reinterpreted_batch_ndims must be nonnegative; got \(reinterpretedDims)")
        }
        self.base = base
        self.reinterpretedDims = reinterpretedDims
    }

    public var name: String { "IndependentTransform" }
    public var domain: Constraint { .independent(base.domain, reinterpretedDims: reinterpretedDims) }
    public var codomain: Constraint { .independent(base.codomain, reinterpretedDims: reinterpretedDims) }

    public func forward(_ x: Tensor) throws -> Tensor {
        _ = try forwardShape(x.shape)
        return try base.forward(x)
    }

    public func inverse(_ y: Tensor) throws -> Tensor {
        _ = try inverseShape(y.shape)
        return try base.inverse(y)
    }

    public func logAbsDetJacobian(_ x: Tensor, _ y: Tensor) throws -> Tensor {
        _ = try forwardShape(x.shape)
        let inner = try base.logAbsDetJacobian(x, y)
        return inner.summingRightmost(min(reinterpretedDims, inner.rank))
    }

    public func forwardShape(_ shape: [Int]) throws -> [Int] {
        try requireRank(shape, domain.eventDim, "input")
        return try base.forwardShape(shape)
    }

    public func inverseShape(_ shape: [Int]) throws -> [Int] {
        try requireRank(shape, codomain.eventDim, "output")
        return try base.inverseShape(shape)
    }

    public func isEqual(to other: any Transform) -> Bool {
        guard let other = other as? IndependentTransform else { return false }
        return reinterpretedDims == other.reinterpretedDims && base.isEqual(to: other.base)
    }
}
