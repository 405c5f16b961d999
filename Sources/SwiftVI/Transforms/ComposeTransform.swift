/// Transforms applied one after another, first to last (NumPyro's
/// `ComposeTransform`, TFP's `Chain` in reverse order).
///
/// The event rank of the whole follows NumPyro: a part whose domain has more
/// event dimensions than the value has so far turns batch dimensions into
/// event dimensions, and each part's log-determinant is summed over the event
/// dimensions it treats as batch.
public struct ComposeTransform: Transform {
    public let parts: [any Transform]

    /// Throws when `parts` is empty.
    public init(_ parts: [any Transform]) throws {
        guard !parts.isEmpty else { throw SVIError.invalidArgument("ComposeTransform: needs at least one transform") }
        self.init(nonEmpty: parts)
    }

    private init(nonEmpty parts: [any Transform]) { self.parts = parts }

    public var name: String { "ComposeTransform" }

    /// The event rank of the input: NumPyro's walk from the last part back.
    private var inputEventDim: Int {
        parts.reversed().reduce(parts.last!.domain.eventDim) { dim, part in
            part.domain.eventDim + max(dim - part.codomain.eventDim, 0)
        }
    }

    /// The event rank of the output: the walk from the first part on.
    private var outputEventDim: Int {
        parts.dropFirst().reduce(parts[0].codomain.eventDim) { dim, part in
            part.codomain.eventDim + max(dim - part.domain.eventDim, 0)
        }
    }

    public var domain: Constraint { widened(parts[0].domain, to: inputEventDim) }
    public var codomain: Constraint { widened(parts.last!.codomain, to: outputEventDim) }

    public var monotonicity: Tensor? {
        parts.reduce(Tensor(1) as Tensor?) { sign, part in
            guard let sign, let s = part.monotonicity, broadcastShapes(sign.shape, s.shape) != nil else { return nil }
            return (sign * s).detached
        }
    }

    public var inverted: any Transform { ComposeTransform(nonEmpty: parts.reversed().map(\.inverted)) }

    public func forward(_ x: Tensor) throws -> Tensor {
        try parts.reduce(x) { try $1.forward($0) }
    }

    public func inverse(_ y: Tensor) throws -> Tensor {
        try parts.reversed().reduce(y) { try $1.inverse($0) }
    }

    public func logAbsDetJacobian(_ x: Tensor, _ y: Tensor) throws -> Tensor {
        try requireRank(x.shape, inputEventDim, "input")
        var total: Tensor? = nil
        var value = x, eventDim = inputEventDim
        for (i, part) in parts.enumerated() {
            let next = i == parts.count - 1 ? y : try part.forward(value)
            let extra = max(eventDim - part.domain.eventDim, 0)
            let term = try part.logAbsDetJacobian(value, next).summingRightmost(extra)
            if let sum = total {
                _ = try broadcastShape([sum.shape, term.shape])
                total = sum + term
            } else {
                total = term
            }
            eventDim = part.codomain.eventDim + extra
            value = next
        }
        return total!
    }

    public func forwardShape(_ shape: [Int]) throws -> [Int] {
        try parts.reduce(shape) { try $1.forwardShape($0) }
    }

    public func inverseShape(_ shape: [Int]) throws -> [Int] {
        try parts.reversed().reduce(shape) { try $1.inverseShape($0) }
    }

    public func isEqual(to other: any Transform) -> Bool {
        guard let other = other as? ComposeTransform, other.parts.count == parts.count else { return false }
        return zip(parts, other.parts).allSatisfy { $0.isEqual(to: $1) }
    }
}

/// `constraint` with enough of its batch dimensions read as event dimensions to have `eventDim` of them.
func widened(_ constraint: Constraint, to eventDim: Int) -> Constraint {
    eventDim > constraint.eventDim ? .independent(constraint, reinterpretedDims: eventDim - constraint.eventDim) : constraint
}
