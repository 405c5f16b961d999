extension Tensor {
    /// The transpose of each matrix in a stack: shape `B + [m, n]` becomes
    /// `B + [n, m]` (NumPy's `matrix_transpose`). Differentiable.
    public func matrixTransposed() -> Tensor {
        let (m, n) = matrixExtents
        let batch = batchShape(trailing: 2)
        let blocks = batch.reduce(1, *)
        var offsets = [Int]()
        offsets.reserveCapacity(count)
        for b in 0..<blocks { for j in 0..<n { for i in 0..<m { offsets.append(b * m * n + i * n + j) } } }
        return gathering(offsets, shape: batch + [n, m])
    }
}
