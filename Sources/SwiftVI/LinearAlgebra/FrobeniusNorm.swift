extension Tensor {
    /// The squared Frobenius norm Σᵢⱼ Mᵢⱼ² of each matrix M in a stack of
    /// shape `B + [m, n]`: shape B. One tape node.
    public func squaredFrobeniusNorm() -> Tensor {
        let (m, n) = matrixExtents
        let size = m * n, blocks = count / Swift.max(size, 1)
        let x = scalars
        var norms = [Double](repeating: 0, count: blocks)
        for b in 0..<blocks { for e in 0..<size { norms[b] += x[b * size + e] * x[b * size + e] } }
        return Tensor.result(batchShape(trailing: 2), norms, [self]) { g in
            [(0..<x.count).map { 2 * x[$0] * g[$0 / Swift.max(size, 1)] }]
        }
    }
}
