/// Reads the rightmost `reinterpretedBatchDims` batch dimensions of `base` as
/// event dimensions: log-probabilities and entropies are summed over them.
public struct Independent: Distribution {
    public let base: any Distribution
    public let reinterpretedBatchDims: Int

    /// Throws unless 0 ≤ `reinterpretedBatchDims` ≤ the rank of the base's batch shape.
    public init(base: any Distribution, reinterpretedBatchDims: Int) throws {
        guard reinterpretedBatchDims >= 0, reinterpretedBatchDims <= base.batchShape.count else {
            throw SVIError.invalidArgument(
                "Independent: reinterpreted_batch_ndims must be between 0 and the rank \(base.batchShape.count) of the base's batch shape \(base.batchShape); got \(reinterpretedBatchDims)")
        }
        self.base = base
        self.reinterpretedBatchDims = reinterpretedBatchDims
    }

    public var familyName: String { "Independent" }
    public var batchShape: [Int] { Array(base.batchShape.dropLast(reinterpretedBatchDims)) }
    public var eventShape: [Int] { Array(base.batchShape.suffix(reinterpretedBatchDims)) + base.eventShape }
    public var support: Constraint { .independent(base.support, reinterpretedDims: reinterpretedBatchDims) }
    public var hasReparameterizedSample: Bool { base.hasReparameterizedSample }

    /// `t` summed over its rightmost `reinterpretedBatchDims` dimensions.
    func sumReinterpreted(_ t: Tensor) -> Tensor {
        (0..<reinterpretedBatchDims).reduce(t) { sum, _ in sum.sum(alongAxis: -1) }
    }

    public func logProb(_ value: Tensor) throws -> Tensor {
        _ = try resultShape(forValueShape: value.shape)
        let terms = try base.logProb(value)
        // A coordinate of zero density (-inf: outside the support) makes the joint
        // density zero, also where another coordinate's diverges (+inf): -inf, not inf − inf.
        let zeroDensity = Tensor(shape: terms.shape, scalars: terms.scalars.map { $0 == -.infinity ? 1 : 0 })
        return Tensor.map(sumReinterpreted(terms), sumReinterpreted(zeroDensity)) { sum, zeros in
            zeros > 0 ? (-.infinity, 0, 0) : (sum, 1, 0)
        }
    }

    public func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor { base.sample(sampleShape, key: key) }
    public var mean: Tensor { get throws { try base.mean } }
    public var variance: Tensor { get throws { try base.variance } }
    public func entropy() throws -> Tensor { sumReinterpreted(try base.entropy()) }
}
