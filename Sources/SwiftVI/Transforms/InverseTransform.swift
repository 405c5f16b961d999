/// The inverse of a transform (NumPyro's `_InverseTransform`, reached through
/// `inverted`): forward and inverse swapped, domain and codomain swapped,
/// log-determinant negated.
public struct InverseTransform: Transform {
    /// The transform this inverts.
    public let base: any Transform

    public init(_ base: any Transform) { self.base = base }

    public var name: String { "InverseTransform" }
    public var domain: Constraint { base.codomain }
    public var codomain: Constraint { base.domain }
    public var monotonicity: Tensor? { base.monotonicity }
    public var inverted: any Transform { base }

    public func forward(_ x: Tensor) throws -> Tensor { try base.inverse(x) }
    public func inverse(_ y: Tensor) throws -> Tensor { try base.forward(y) }
    public func logAbsDetJacobian(_ x: Tensor, _ y: Tensor) throws -> Tensor { -(try base.logAbsDetJacobian(y, x)) }
    public func forwardShape(_ shape: [Int]) throws -> [Int] { try base.inverseShape(shape) }
    public func inverseShape(_ shape: [Int]) throws -> [Int] { try base.forwardShape(shape) }

    public func isEqual(to other: any Transform) -> Bool {
        (other as? InverseTransform).map { base.isEqual(to: $0.base) } ?? false
    }
}
