/// A distribution broadcast to a larger batch shape (NumPyro's
/// `ExpandedDistribution`, made by `expand`): each element of the new batch is
/// an independent copy of the base element it broadcasts from.
public struct ExpandedDistribution: Distribution {
    public let base: any Distribution
    public let batchShape: [Int]

    /// Throws unless the base's batch shape broadcasts to `batchShape` (NumPy's
    /// rules: dimensions of extent 1 or equal, aligned on the right).
    public init(_ base: any Distribution, batchShape: [Int]) throws {
        guard batchShape.count >= base.batchShape.count, broadcastShapes(base.batchShape, batchShape) == batchShape else {
            throw SVIError.shapeMismatch(
                "\(base.familyName): cannot expand batch shape \(base.batchShape) to \(batchShape)")
        }
        self.base = base
        self.batchShape = batchShape
    }

    public var familyName: String { "ExpandedDistribution" }
    public var eventShape: [Int] { base.eventShape }
    public var support: Constraint { base.support }
    public var hasReparameterizedSample: Bool { base.hasReparameterizedSample }

    public func logProb(_ value: Tensor) throws -> Tensor {
        try base.logProb(value).broadcasted(to: resultShape(forValueShape: value.shape))
    }

    /// Draws of shape `sampleShape + batchShape + eventShape`. When the base's
    /// batch shape is a suffix of the new one, the new leading dimensions are
    /// drawn as sample dimensions of the base; otherwise each new batch element
    /// takes its base element from a draw of its own.
    public func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor {
        let baseBatch = base.batchShape
        let leading = Array(batchShape.prefix(batchShape.count - baseBatch.count))
        if Array(batchShape.suffix(baseBatch.count)) == baseBatch {
            return base.sample(sampleShape + leading, key: key)
        }
        let draws = base.sample(sampleShape + batchShape, key: key)
        let padded = [Int](repeating: 1, count: leading.count) + baseBatch
        let outer = sampleShape.reduce(1, *), cells = batchShape.reduce(1, *)
        let baseCells = baseBatch.reduce(1, *), event = eventShape.reduce(1, *)
        let sourceCell = (0..<cells).map { cell in
            var rest = cell, source = 0, step = 1
            for d in stride(from: batchShape.count - 1, through: 0, by: -1) {
                if padded[d] != 1 { source += (rest % batchShape[d]) * step }
                step *= padded[d]
                rest /= batchShape[d]
            }
            return source
        }
        var offsets: [Int] = []
        offsets.reserveCapacity(outer * cells * event)
        for o in 0..<outer {
            for cell in 0..<cells {
                let start = ((o * cells + cell) * baseCells + sourceCell[cell]) * event
                offsets += start ..< start + event
            }
        }
        return draws.gathering(offsets, shape: sampleShape + batchShape + eventShape)
    }

    public var mean: Tensor { get throws { try base.mean.broadcasted(to: batchShape + eventShape) } }
    public var variance: Tensor { get throws { try base.variance.broadcasted(to: batchShape + eventShape) } }
    public func entropy() throws -> Tensor { try base.entropy().broadcasted(to: batchShape) }

    public func cdf(_ value: Tensor) throws -> Tensor {
        try base.cdf(value).broadcasted(to: resultShape(forValueShape: value.shape))
    }

    public func icdf(_ probability: Tensor) throws -> Tensor {
        try base.icdf(probability).broadcasted(to: resultShape(forValueShape: probability.shape))
    }
}

extension Distribution {
    /// This distribution broadcast to `batchShape` (NumPyro's `expand`); itself
    /// when the shape is its own.
    public func expanded(to batchShape: [Int]) throws -> any Distribution {
        batchShape == self.batchShape ? self : try ExpandedDistribution(self, batchShape: batchShape)
    }
}
