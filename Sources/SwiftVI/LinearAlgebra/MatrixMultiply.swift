/// The matrix product of `a`, shape `A + [m, k]`, and `b`, shape `B + [k, n]`:
/// shape `broadcast(A, B) + [m, n]`, as NumPy's `matmul` with batch dimensions
/// broadcast. One tape node; gradients are summed over broadcast batch elements.
/// The inner extents must agree and the batch shapes broadcast.
public func matmul(_ a: Tensor, _ b: Tensor) -> Tensor {
    let (m, k) = a.matrixExtents, (kb, n) = b.matrixExtents
    precondition(k == kb, "matmul: inner extents differ in shapes \(a.shape) and \(b.shape)")
    guard let batch = MatrixBatch([a.batchShape(trailing: 2), b.batchShape(trailing: 2)]) else {
        preconditionFailure("matmul: batch dimensions of \(a.shape) and \(b.shape) do not broadcast")
    }
    let (x, y) = (a.scalars, b.scalars)
    var out = [Double](repeating: 0, count: batch.count * m * n)
    for i in 0..<batch.count {
        DenseKernels.multiplyAdd(into: &out, at: i * m * n, x, at: batch.block(0, i) * m * k,
                                 y, at: batch.block(1, i) * k * n, m: m, k: k, n: n)
    }
    return Tensor.result(batch.shape + [m, n], out, [a, b]) { g in
        var ga = [Double](repeating: 0, count: x.count), gb = [Double](repeating: 0, count: y.count)
        for i in 0..<batch.count {
            let (ia, ib) = (batch.block(0, i), batch.block(1, i))
            // Ā = Ḡ Bᵀ and B̄ = Aᵀ Ḡ, block by block.
            DenseKernels.multiplyAdd(into: &ga, at: ia * m * k, g, at: i * m * n, y, at: ib * k * n,
                                     m: m, k: n, n: k, transposeB: true)
            DenseKernels.multiplyAdd(into: &gb, at: ib * k * n, x, at: ia * m * k, g, at: i * m * n,
                                     m: k, k: m, n: n, transposeA: true)
        }
        return [ga, gb]
    }
}

/// The matrix–vector product of `a`, shape `A + [m, k]`, and `v`, shape
/// `V + [k]`: shape `broadcast(A, V) + [m]` (NumPy's `matvec`). Differentiable
/// in both operands.
public func matvec(_ a: Tensor, _ v: Tensor) -> Tensor {
    precondition(v.rank >= 1, "matvec: the vector operand needs rank ≥ 1; got shape \(v.shape)")
    let product = matmul(a, v.expandingShape(at: -1))
    return product.reshaped(Array(product.shape.dropLast()))
}
