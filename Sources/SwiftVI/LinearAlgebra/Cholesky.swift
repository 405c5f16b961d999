extension Tensor {
    /// The lower Cholesky factor L (L Lᵀ = A, positive diagonal) of each
    /// symmetric positive-definite matrix A in a stack of shape `B + [n, n]`.
    ///
    /// Only the lower triangle of A is read. The gradient is the symmetric one
    /// (as in PyTorch and JAX): it is exact for perturbations that keep A
    /// symmetric, which is how A is used. Throws `SVIError.invalidArgument`,
    /// naming the batch element, when a matrix is not positive definite (or
    /// holds non-finite values).
    public func cholesky() throws -> Tensor {
        let (n, columns) = matrixExtents
        guard n == columns else {
            throw SVIError.shapeMismatch("cholesky needs square matrices; got shape \(shape)")
        }
        let size = n * n, blocks = count / Swift.max(size, 1)
        var factor = [Double]()
        factor.reserveCapacity(count)
        for b in 0..<blocks {
            guard let l = choleskyFactor(Array(scalars[b * size ..< (b + 1) * size]), n) else {
                throw SVIError.invalidArgument("cholesky: matrix \(b) of the stack of shape \(shape) is not positive definite")
            }
            factor += l
        }
        let l = factor
        return Tensor.result(shape, factor, [self]) { g in
            [(0..<blocks).flatMap { b in choleskyPullback(l, at: b * size, n: n, g) }]
        }
    }

    /// log det A for each A = L Lᵀ, from its Cholesky factors L of shape
    /// `B + [n, n]`: 2 Σᵢ log Lᵢᵢ, shape `B`. Differentiable.
    public func choleskyLogDeterminant() -> Tensor {
        diagonalPart().log().sum(alongAxis: -1) * 2
    }
}

/// The symmetric gradient Ā = ½(S + Sᵀ), S = L⁻ᵀ Φ(Lᵀ L̄) L⁻¹, of one n × n
/// block whose factor L and factor gradient L̄ start at `o` in `l` and `g`;
/// Φ keeps the lower triangle and halves the diagonal. Entries of L̄ above the
/// diagonal are ignored (L is zero there whatever A is).
private func choleskyPullback(_ l: [Double], at o: Int, n: Int, _ g: [Double]) -> [Double] {
    var lowerGradient = [Double](repeating: 0, count: n * n)
    for i in 0..<n { for j in 0...i { lowerGradient[i * n + j] = g[o + i * n + j] } }
    var p = [Double](repeating: 0, count: n * n)
    DenseKernels.multiplyAdd(into: &p, at: 0, l, at: o, lowerGradient, at: 0, m: n, k: n, n: n, transposeA: true)
    for i in 0..<n {
        p[i * n + i] *= 0.5
        for j in (i + 1)..<n { p[i * n + j] = 0 }
    }
    // Z = L⁻ᵀ P, then S = Z L⁻¹ = (L⁻ᵀ Zᵀ)ᵀ.
    DenseKernels.solveLowerTriangular(l, at: o, n: n, &p, at: 0, columns: n, transposed: true)
    var s = DenseKernels.transpose(p, at: 0, m: n, n: n)
    DenseKernels.solveLowerTriangular(l, at: o, n: n, &s, at: 0, columns: n, transposed: true)
    var symmetric = [Double](repeating: 0, count: n * n)
    for i in 0..<n { for j in 0..<n { symmetric[i * n + j] = 0.5 * (s[i * n + j] + s[j * n + i]) } }
    return symmetric
}
