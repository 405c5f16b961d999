/// Plain row-major kernels on blocks of arrays: the arithmetic behind the
/// differentiable matrix operations. Each block is addressed by an array and
/// the offset of its first element.
enum DenseKernels {
    /// Adds op(A) · op(B) to the m × n block of `out` at `o`, where op(A) is
    /// m × k and op(B) is k × n; `transposeA` reads A as stored k × m, and
    /// `transposeB` reads B as stored n × k.
    static func multiplyAdd(into out: inout [Double], at o: Int,
                            _ a: [Double], at ao: Int, _ b: [Double], at bo: Int,
                            m: Int, k: Int, n: Int, transposeA: Bool = false, transposeB: Bool = false) {
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k {
                    let x = transposeA ? a[ao + p * m + i] : a[ao + i * k + p]
                    let y = transposeB ? b[bo + j * k + p] : b[bo + p * n + j]
                    s += x * y
                }
                out[o + i * n + j] += s
            }
        }
    }

    /// Overwrites the n × k block of `x` at `xo` (holding B) with the solution X
    /// of L X = B, or of Lᵀ X = B when `transposed`, where L is the lower
    /// triangle of the n × n block of `l` at `lo` (entries above its diagonal
    /// are not read). A zero on the diagonal gives infinities or NaNs, never a trap.
    static func solveLowerTriangular(_ l: [Double], at lo: Int, n: Int,
                                     _ x: inout [Double], at xo: Int, columns k: Int, transposed: Bool) {
        for c in 0..<k {
            if transposed {
                for i in stride(from: n - 1, through: 0, by: -1) {
                    var s = x[xo + i * k + c]
                    for p in (i + 1)..<n { s -= l[lo + p * n + i] * x[xo + p * k + c] }
                    x[xo + i * k + c] = s / l[lo + i * n + i]
                }
            } else {
                for i in 0..<n {
                    var s = x[xo + i * k + c]
                    for p in 0..<i { s -= l[lo + i * n + p] * x[xo + p * k + c] }
                    x[xo + i * k + c] = s / l[lo + i * n + i]
                }
            }
        }
    }

    /// The transpose of the m × n block of `a` at `ao`, an n × m array.
    static func transpose(_ a: [Double], at ao: Int, m: Int, n: Int) -> [Double] {
        var t = [Double](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { t[j * m + i] = a[ao + i * n + j] } }
        return t
    }
}
