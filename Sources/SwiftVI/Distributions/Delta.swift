/// The point mass at `v`, as NumPyro's Delta: the rightmost `eventDim`
/// dimensions of `v` form one event, and `logDensity` (broadcast to the batch
/// shape) is the log-mass at `v`, an unnormalized weight that keeps the family
/// closed under transforms. Samples are `v` itself, so they are reparameterized.
public struct Delta: Distribution {
    public let v: Tensor
    public let logDensity: Tensor
    public let batchShape: [Int]
    public let eventShape: [Int]

    /// Throws unless `v` and `logDensity` are finite, `eventDim` is between 0 and
    /// the rank of `v`, and `logDensity` broadcasts to the batch shape (the
    /// leading dimensions of `v`).
    public init(v: Tensor, logDensity: Tensor = Tensor(0), eventDim: Int = 0) throws {
        try ParameterCheck.finite(v, "Delta", "v")
        try ParameterCheck.finite(logDensity, "Delta", "log_density")
        guard eventDim >= 0, eventDim <= v.rank else {
            throw SVIError.invalidArgument("Delta: event_dim must be between 0 and the rank \(v.rank) of v; got \(eventDim)")
        }
        batchShape = Array(v.shape.dropLast(eventDim))
        eventShape = Array(v.shape.suffix(eventDim))
        guard broadcastShapes(logDensity.shape, batchShape) == batchShape else {
            throw SVIError.shapeMismatch(
                "Delta: log_density of shape \(logDensity.shape) does not broadcast to the batch shape \(batchShape)")
        }
        self.v = v
        self.logDensity = logDensity
    }

    public var familyName: String { "Delta" }
    public var support: Constraint { eventShape.isEmpty ? .real : .independent(.real, reinterpretedDims: eventShape.count) }
    public var hasReparameterizedSample: Bool { true }

    /// `logDensity` where the value equals `v` in every element of the event, else -inf.
    public func logProb(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        var matches = Tensor.map(value, v.detached) { x, y in (x == y ? 0 : -.infinity, 0, 0) }
        for _ in eventShape { matches = matches.sum(alongAxis: -1) }
        return matches + logDensity
    }

    public func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor {
        v.broadcasted(to: sampleShape + v.shape)
    }

    public var mean: Tensor { v }
    public var variance: Tensor { Tensor(shape: v.shape, scalars: [Double](repeating: 0, count: v.count)) }

    /// 0, the Shannon entropy of a point mass (`logDensity` is a weight, not a mass).
    public func entropy() -> Tensor {
        Tensor(shape: batchShape, scalars: [Double](repeating: 0, count: batchShape.reduce(1, *)))
    }
}
