/// An invertible, differentiable map between two regions (NumPyro's `Transform`,
/// TFP's bijector).
///
/// A transform acts on the rightmost `domain.eventDim` dimensions of its input
/// and returns values whose rightmost `codomain.eventDim` dimensions are one
/// event; everything to their left is a batch. `forward`, `inverse` and
/// `logAbsDetJacobian` are recorded on the tape of their operands (inputs or
/// parameters), so gradients flow through them. Values outside the domain give
/// NaN or ±inf, not an error; inputs whose shapes do not fit throw
/// `SVIError.shapeMismatch`.
public protocol Transform {
    /// NumPyro's (or TFP's) class name, e.g. "ExpTransform".
    var name: String { get }
    /// Where `forward` is defined.
    var domain: Constraint { get }
    /// Where `forward` lands.
    var codomain: Constraint { get }
    /// The parameters, in a fixed order; two transforms of the same type are the
    /// same map when their parameters are equal (see `isEqual(to:)`).
    var parameters: [Tensor] { get }
    /// y = f(x).
    func forward(_ x: Tensor) throws -> Tensor
    /// x = f⁻¹(y).
    func inverse(_ y: Tensor) throws -> Tensor
    /// log |det ∂y/∂x| at x (with y = f(x)), summed over the domain's event
    /// dimensions: the shape is that of the batch. For maps between spaces of
    /// different dimension it is taken on intrinsic coordinates, as each
    /// transform documents.
    func logAbsDetJacobian(_ x: Tensor, _ y: Tensor) throws -> Tensor
    /// The shape of `forward(x)` for an `x` of shape `shape`.
    func forwardShape(_ shape: [Int]) throws -> [Int]
    /// The shape of `inverse(y)` for a `y` of shape `shape`.
    func inverseShape(_ shape: [Int]) throws -> [Int]
    /// Whether `other` is the same map (same kind, equal parameters).
    func isEqual(to other: any Transform) -> Bool
    /// For a transform acting elementwise and monotonically on scalars, the
    /// sign of its derivative (+1 or -1, broadcast like its parameters); nil
    /// otherwise. Transformed distributions use it for cdf and icdf.
    var monotonicity: Tensor? { get }
    /// The inverse map as a transform (NumPyro's `.inv`): directions swapped,
    /// log-determinant negated.
    var inverted: any Transform { get }
}

extension Transform {
    public var parameters: [Tensor] { [] }
    public var monotonicity: Tensor? { nil }
    public var inverted: any Transform { InverseTransform(self) }

    public func isEqual(to other: any Transform) -> Bool {
        guard type(of: other) == type(of: self) else { return false }
        let mine = parameters, theirs = other.parameters
        return mine.count == theirs.count
            && zip(mine, theirs).allSatisfy { $0.shape == $1.shape && $0.scalars == $1.scalars }
    }

    /// The input shape itself, after checking it has the domain's event dimensions.
    public func forwardShape(_ shape: [Int]) throws -> [Int] {
        try requireRank(shape, domain.eventDim, "input")
        return shape
    }

    /// The output shape itself, after checking it has the codomain's event dimensions.
    public func inverseShape(_ shape: [Int]) throws -> [Int] {
        try requireRank(shape, codomain.eventDim, "output")
        return shape
    }

    /// Throws unless `shape` has at least `rank` dimensions.
    func requireRank(_ shape: [Int], _ rank: Int, _ role: String) throws {
        guard shape.count >= rank else {
            throw SVIError.shapeMismatch("\(name): an \(role) needs at least \(rank) dimensions; got shape \(shape)")
        }
    }

    /// The broadcast of `shapes`, or an error naming this transform.
    func broadcastShape(_ shapes: [[Int]]) throws -> [Int] {
        guard let shape = broadcastShapes(shapes) else {
            throw SVIError.shapeMismatch("\(name): shapes \(shapes) do not broadcast")
        }
        return shape
    }
}

extension Tensor {
    /// The sums over the rightmost `count` dimensions.
    func summingRightmost(_ count: Int) -> Tensor {
        (0..<count).reduce(self) { t, _ in t.sum(alongAxis: -1) }
    }

    /// A tensor of zeros with `shape`, not recorded.
    static func zeros(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, scalars: [Double](repeating: 0, count: shape.reduce(1, *)))
    }

    /// Applies `f` to each block of this tensor's rightmost `eventRank`
    /// dimensions, giving blocks of `outputEventShape`: one tape node whose
    /// pullback runs each block's own pullback (which must not capture tensors).
    static func blockwise(_ x: Tensor, eventRank: Int, outputEventShape: [Int],
                          _ f: ([Double]) -> (values: [Double], pullback: ([Double]) -> [Double])) -> Tensor {
        let batch = Array(x.shape.dropLast(eventRank)), blocks = batch.reduce(1, *)
        let inBlock = x.shape.suffix(eventRank).reduce(1, *), outBlock = outputEventShape.reduce(1, *)
        var values = [Double]()
        values.reserveCapacity(blocks * outBlock)
        var pullbacks = [([Double]) -> [Double]]()
        pullbacks.reserveCapacity(blocks)
        for b in 0..<blocks {
            let (v, pullback) = f(Array(x.scalars[b * inBlock..<(b + 1) * inBlock]))
            values += v
            pullbacks.append(pullback)
        }
        return result(batch + outputEventShape, values, [x]) { g in
            [(0..<blocks).flatMap { b in pullbacks[b](Array(g[b * outBlock..<(b + 1) * outBlock])) }]
        }
    }
}
