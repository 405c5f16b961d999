extension Tensor {
    /// The n × n identity matrix.
    public static func identity(_ n: Int) -> Tensor {
        var scalars = [Double](repeating: 0, count: n * n)
        for i in 0..<n { scalars[i * n + i] = 1 }
        return Tensor(shape: [n, n], scalars: scalars)
    }

    /// The diagonal of each square matrix in a stack: shape `B + [n, n]` gives
    /// `B + [n]`. Differentiable.
    public func diagonalPart() -> Tensor {
        let (n, columns) = matrixExtents
        precondition(n == columns, "diagonalPart needs square matrices; got shape \(shape)")
        let batch = batchShape(trailing: 2)
        let offsets = (0..<(batch.reduce(1, *) * n)).map { k in k * n + k % n }
        return gathering(offsets, shape: batch + [n])
    }

    /// Each vector of a stack placed on the diagonal of an otherwise zero
    /// matrix: shape `B + [n]` gives `B + [n, n]`. Differentiable.
    public func diagonalMatrix() -> Tensor {
        precondition(rank >= 1, "diagonalMatrix needs rank ≥ 1; got shape \(shape)")
        let n = shape[rank - 1], blocks = count / Swift.max(n, 1)
        var out = [Double](repeating: 0, count: blocks * n * n)
        for b in 0..<blocks { for i in 0..<n { out[b * n * n + i * n + i] = scalars[b * n + i] } }
        return Tensor.result(shape + [n], out, [self]) { g in
            [(0..<blocks).flatMap { b in (0..<n).map { i in g[b * n * n + i * n + i] } }]
        }
    }
}
