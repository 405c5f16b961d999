/// Dense triangular linear algebra on row-major n × n blocks, for the matrix
/// transforms and their pullbacks. Only the lower triangle of `l` is read.
enum TriangularAlgebra {
    /// L v.
    static func multiply(_ l: [Double], _ v: [Double], _ n: Int) -> [Double] {
        (0..<n).map { i in (0...i).reduce(0.0) { $0 + l[i * n + $1] * v[$1] } }
    }

    /// Lᵀ v.
    static func multiplyTransposed(_ l: [Double], _ v: [Double], _ n: Int) -> [Double] {
        (0..<n).map { j in (j..<n).reduce(0.0) { $0 + l[$1 * n + j] * v[$1] } }
    }

    /// L⁻¹ b by forward substitution.
    static func solve(_ l: [Double], _ b: [Double], _ n: Int) -> [Double] {
        var x = b
        for i in 0..<n {
            for k in 0..<i { x[i] -= l[i * n + k] * x[k] }
            x[i] /= l[i * n + i]
        }
        return x
    }

    /// L⁻ᵀ b by back substitution.
    static func solveTransposed(_ l: [Double], _ b: [Double], _ n: Int) -> [Double] {
        var x = b
        for i in stride(from: n - 1, through: 0, by: -1) {
            for k in i + 1..<n { x[i] -= l[k * n + i] * x[k] }
            x[i] /= l[i * n + i]
        }
        return x
    }

    /// L⁻ᵀ B for an n × n matrix B, column by column.
    static func solveTransposed(matrix b: [Double], _ l: [Double], _ n: Int) -> [Double] {
        transpose((0..<n).flatMap { j in solveTransposed(l, (0..<n).map { b[$0 * n + j] }, n) }, n)
    }

    /// The transpose of an n × n matrix.
    static func transpose(_ m: [Double], _ n: Int) -> [Double] {
        (0..<n * n).map { k in m[(k % n) * n + k / n] }
    }
}

extension Tensor {
    /// The diagonals of the square matrices B + [n, n], shape B + [n].
    func diagonal() -> Tensor {
        let n = shape.last ?? 0, batch = Array(shape.dropLast(2))
        let offsets = (0..<batch.reduce(1, *)).flatMap { b in (0..<n).map { b * n * n + $0 * (n + 1) } }
        return gathering(offsets, shape: batch + [n])
    }
}
