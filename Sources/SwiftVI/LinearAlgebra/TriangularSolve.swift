/// The solution X of L X = B, or of Lᵀ X = B when `transposed`, for lower-
/// triangular `l` of shape `L + [n, n]` and right-hand sides `b` of shape
/// `R + [n, k]` (solve for a vector by giving it a trailing axis of extent 1):
/// shape `broadcast(L, R) + [n, k]`, like SciPy's `solve_triangular(lower=True)`.
///
/// Only the lower triangle of `l` is read, and its gradient is lower
/// triangular. A zero on the diagonal gives infinities or NaNs rather than an
/// error; callers check their factors (a Cholesky factor's diagonal is positive).
public func triangularSolve(_ l: Tensor, _ b: Tensor, transposed: Bool = false) -> Tensor {
    let (n, columns) = l.matrixExtents, (nb, k) = b.matrixExtents
    precondition(n == columns && n == nb, "triangularSolve: shapes \(l.shape) and \(b.shape) do not fit")
    guard let batch = MatrixBatch([l.batchShape(trailing: 2), b.batchShape(trailing: 2)]) else {
        preconditionFailure("triangularSolve: batch dimensions of \(l.shape) and \(b.shape) do not broadcast")
    }
    let factor = l.scalars, rhs = b.scalars
    var x = [Double](repeating: 0, count: batch.count * n * k)
    for i in 0..<batch.count {
        let (il, ib) = (batch.block(0, i), batch.block(1, i))
        for e in 0..<(n * k) { x[i * n * k + e] = rhs[ib * n * k + e] }
        DenseKernels.solveLowerTriangular(factor, at: il * n * n, n: n, &x, at: i * n * k, columns: k,
                                          transposed: transposed)
    }
    let solution = x
    return Tensor.result(batch.shape + [n, k], x, [l, b]) { g in
        // B̄ = op(L)⁻ᵀ X̄, and L̄ = −B̄ Xᵀ (or −X B̄ᵀ when transposed), lower triangle.
        var gl = [Double](repeating: 0, count: factor.count), gb = [Double](repeating: 0, count: rhs.count)
        var rhsGradient = g
        for i in 0..<batch.count {
            let (il, ib) = (batch.block(0, i), batch.block(1, i))
            DenseKernels.solveLowerTriangular(factor, at: il * n * n, n: n, &rhsGradient, at: i * n * k,
                                              columns: k, transposed: !transposed)
            for e in 0..<(n * k) { gb[ib * n * k + e] += rhsGradient[i * n * k + e] }
            for r in 0..<n {
                for c in 0...r {
                    var s = 0.0
                    for j in 0..<k {
                        s += transposed
                            ? solution[i * n * k + r * k + j] * rhsGradient[i * n * k + c * k + j]
                            : rhsGradient[i * n * k + r * k + j] * solution[i * n * k + c * k + j]
                    }
                    gl[il * n * n + r * n + c] -= s
                }
            }
        }
        return [gl, gb]
    }
}
