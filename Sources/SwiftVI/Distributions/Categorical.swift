import RealModule

/// The categorical distribution over 0..<K, given by probabilities or logits
/// whose last axis indexes the K categories.
public struct Categorical: Distribution {
    /// Normalized log-probabilities, shape `batchShape + [K]`.
    public let logits: Tensor

    /// Throws unless `probs` has rank ≥ 1, its entries are in [0, 1] and each
    /// row sums to 1 (within 1e-6).
    public init(probs: Tensor) throws {
        try Categorical.requireRank(probs, "probs")
        try ParameterCheck.require(probs, "Categorical", "probs", "in [0, 1]") { $0 >= 0 && $0 <= 1 }
        let k = probs.shape.last!
        for row in 0..<(probs.count / max(k, 1)) {
            let total = probs.scalars[row * k ..< (row + 1) * k].reduce(0.0) { $0 + $1 }
            guard abs(total - 1) <= 1e-6 else {
                throw SVIError.invalidArgument("Categorical: probs must sum to 1 along the last axis; row \(row) sums to \(total)")
            }
        }
        try self.init(logits: probs.log())
    }

    /// Throws unless `logits` has rank ≥ 1 and its entries are finite or -inf,
    /// with at least one finite entry per row. Logits need not be normalized.
    public init(logits: Tensor) throws {
        try Categorical.requireRank(logits, "logits")
        try ParameterCheck.require(logits, "Categorical", "logits", "finite or -inf") { $0.isFinite || $0 == -.infinity }
        let normalizer = logits.logSumExp(alongAxis: -1)
        if let row = normalizer.scalars.firstIndex(of: -.infinity) {
            throw SVIError.invalidArgument("Categorical: row \(row) of logits has no finite entry")
        }
        self.logits = logits - normalizer.expandingShape(at: -1)
    }

    private static func requireRank(_ t: Tensor, _ name: String) throws {
        guard t.rank >= 1, t.shape.last! >= 1 else {
            throw SVIError.shapeMismatch("Categorical: \(name) needs a last axis of at least one category; got shape \(t.shape)")
        }
    }

    public var familyName: String { "Categorical" }
    public var batchShape: [Int] { Array(logits.shape.dropLast()) }
    public var eventShape: [Int] { [] }
    public var support: Constraint { .integerInterval(low: 0, high: Tensor(Double(categoryCount - 1))) }
    public var hasReparameterizedSample: Bool { false }
    /// The number of categories.
    public var categoryCount: Int { logits.shape.last! }
    /// Probabilities, shape `batchShape + [K]`.
    public var probs: Tensor { logits.exp() }

    public func logProb(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        let k = categoryCount
        let valid = value.scalars.map { $0 >= 0 && $0 < Double(k) && $0.rounded() == $0 }
        let indices = zip(value.scalars, valid).map { $1 ? Int($0) : 0 }
        let outside = Tensor(shape: value.shape, scalars: valid.map { $0 ? 0 : -.infinity })
        return logits.takingAlongLastAxis(indices, shape: value.shape) + outside
    }

    public func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor {
        let k = categoryCount, rows = batchShape.reduce(1, *)
        let u = key.uniform(sampleShape.reduce(1, *) * rows)
        let p = probs.scalars
        let draws = u.indices.map { i -> Double in
            let row = i % rows
            var cumulative = 0.0
            for j in 0..<k {
                cumulative += p[row * k + j]
                if u[i] < cumulative { return Double(j) }
            }
            return Double((0..<k).last { p[row * k + $0] > 0 }!)
        }
        return Tensor(shape: sampleShape + batchShape, scalars: draws)
    }

    private var categories: Tensor { Tensor((0..<categoryCount).map(Double.init)) }

    public var mean: Tensor { (probs * categories).sum(alongAxis: -1) }

    public var variance: Tensor {
        (probs * categories.squared()).sum(alongAxis: -1) - mean.squared()
    }

    public func entropy() -> Tensor {
        Tensor.map(logits) { l in
            l == -.infinity ? (0, 0) : (-Double.exp(l) * l, -Double.exp(l) * (l + 1))
        }.sum(alongAxis: -1)
    }
}
