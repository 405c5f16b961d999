/// A row-major array of doubles, optionally recorded on a `Tape` so that
/// gradients can flow back through every operation applied to it.
public struct Tensor {
    /// The extents of each dimension; empty for a scalar.
    public let shape: [Int]
    /// The elements in row-major order.
    public let scalars: [Double]
    let tape: Tape?
    let id: Int

    init(shape: [Int], scalars: [Double], tape: Tape?, id: Int) {
        self.shape = shape
        self.scalars = scalars
        self.tape = tape
        self.id = id
    }

    /// A tensor of the given shape and row-major elements (their count must match).
    public init(shape: [Int], scalars: [Double]) {
        precondition(shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == scalars.count,
                     "\(scalars.count) elements do not fill shape \(shape)")
        self.init(shape: shape, scalars: scalars, tape: nil, id: -1)
    }

    /// A scalar.
    public init(_ value: Double) { self.init(shape: [], scalars: [value]) }

    /// A vector.
    public init(_ values: [Double]) { self.init(shape: [values.count], scalars: values) }

    /// The number of elements.
    public var count: Int { scalars.count }
    /// The number of dimensions.
    public var rank: Int { shape.count }
    /// Whether operations on this tensor are recorded for differentiation.
    public var isTracked: Bool { tape != nil }
    /// The same values, no longer recorded: gradients do not flow through it.
    public var detached: Tensor { Tensor(shape: shape, scalars: scalars) }

    /// Records an operation's result on the tape of its operands (if any is
    /// recorded); `pullback` maps the result's gradient to one per operand.
    static func result(_ shape: [Int], _ scalars: [Double], _ operands: [Tensor],
                       pullback: @escaping ([Double]) -> [[Double]]) -> Tensor {
        guard let tape = operands.lazy.compactMap(\.tape).first else {
            return Tensor(shape: shape, scalars: scalars)
        }
        precondition(operands.allSatisfy { $0.tape == nil || $0.tape === tape },
                     "operands are recorded on different tapes")
        return tape.record(shape, scalars, parents: operands.map { $0.tape == nil ? -1 : $0.id },
                           pullback: pullback)
    }
}

extension Tensor: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    public init(floatLiteral value: Double) { self.init(value) }
    public init(integerLiteral value: Int) { self.init(Double(value)) }
}

extension Tensor: CustomStringConvertible {
    public var description: String { "Tensor(shape: \(shape), \(scalars))" }
}
