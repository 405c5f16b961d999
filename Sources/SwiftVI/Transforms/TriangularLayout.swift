/// Where the entries of a packed vector go in an n × n lower-triangular matrix.
struct TriangularLayout {
    /// The matrix order.
    let n: Int
    /// For each vector entry, its flat row-major offset in the n × n matrix.
    let offsets: [Int]

    /// The lower triangle, diagonal included, row by row: (0,0), (1,0), (1,1),
    /// (2,0), … (NumPy's `tril_indices` order, NumPyro's `vec_to_tril_matrix`).
    static func rowMajor(_ n: Int) -> TriangularLayout {
        TriangularLayout(n: n, offsets: (0..<n).flatMap { i in (0...i).map { i * n + $0 } })
    }

    /// The strictly lower triangle row by row: (1,0), (2,0), (2,1), (3,0), ….
    static func strictlyLower(_ n: Int) -> TriangularLayout {
        TriangularLayout(n: n, offsets: (0..<n).flatMap { i in (0..<i).map { i * n + $0 } })
    }

    /// The strictly lower triangle row by row, then the diagonal (NumPyro's
    /// `LowerCholeskyTransform` layout).
    static func strictlyLowerThenDiagonal(_ n: Int) -> TriangularLayout {
        TriangularLayout(n: n, offsets: strictlyLower(n).offsets + (0..<n).map { $0 * n + $0 })
    }

    /// Which vector entries land on the diagonal.
    var diagonalMask: Tensor {
        Tensor(offsets.map { $0 % (n + 1) == 0 ? 1 : 0 })
    }

    /// The matrix order whose packed length (n(n+1)/2, or n(n-1)/2 when
    /// `strict`) is `length`, or a shape error naming `transform`.
    static func order(packedLength length: Int, strict: Bool, _ transform: String) throws -> Int {
        var n = 0
        while (strict ? n * (n - 1) : n * (n + 1)) / 2 < length { n += 1 }
        guard (strict ? n * (n - 1) : n * (n + 1)) / 2 == length else {
            throw SVIError.shapeMismatch(
                "\(transform): the last dimension \(length) is not \(strict ? "n(n-1)/2" : "n(n+1)/2") for any n")
        }
        return strict ? max(n, 1) : n
    }

    /// The length of the packed vector.
    var packedLength: Int { offsets.count }

    /// Vectors of shape B + [packedLength] placed into matrices of shape B + [n, n], zero elsewhere.
    func fill(_ x: Tensor) -> Tensor {
        let batch = Array(x.shape.dropLast()), m = packedLength, nn = n * n
        let all = (0..<batch.reduce(1, *)).flatMap { b in offsets.map { b * nn + $0 } }
        precondition(x.shape.last == m, "packed length \(x.shape) is not \(m)")
        return x.scattering(all, shape: batch + [n, n])
    }

    /// The entries of matrices of shape B + [n, n] read into vectors of shape B + [packedLength].
    func pack(_ y: Tensor) -> Tensor {
        let batch = Array(y.shape.dropLast(2)), nn = n * n
        let all = (0..<batch.reduce(1, *)).flatMap { b in offsets.map { b * nn + $0 } }
        return y.gathering(all, shape: batch + [packedLength])
    }
}

extension Transform {
    /// The order n of the matrices made from packed vectors of shape `shape`.
    func packedOrder(_ shape: [Int], strict: Bool) throws -> Int {
        try requireRank(shape, 1, "input")
        return try TriangularLayout.order(packedLength: shape.last!, strict: strict, name)
    }

    /// The order n of the square matrices of shape `shape`.
    func matrixOrder(_ shape: [Int]) throws -> Int {
        try requireRank(shape, 2, "output")
        guard shape[shape.count - 2] == shape.last! else {
            throw SVIError.shapeMismatch("\(name): an output must be square matrices; got shape \(shape)")
        }
        return shape.last!
    }
}

extension Transform {
    /// B + [n(n+1)/2] → B + [n, n]: the forward shape of the full-triangle packings.
    func filledShape(_ shape: [Int]) throws -> [Int] {
        let n = try packedOrder(shape, strict: false)
        return shape.dropLast() + [n, n]
    }

    /// B + [n, n] → B + [n(n+1)/2]: the inverse shape of the full-triangle packings.
    func packedShape(_ shape: [Int]) throws -> [Int] {
        let n = try matrixOrder(shape)
        return shape.dropLast(2) + [n * (n + 1) / 2]
    }
}

extension Tensor {
    /// `f` (value and derivative) applied where `mask` (broadcast against the
    /// last axis) is 1; the identity elsewhere.
    func mappingMasked(_ mask: Tensor, _ f: @escaping (Double) -> (Double, Double)) -> Tensor {
        Tensor.map(self, mask) { v, m in
            if m == 0 { return (v, 1, 0) }
            let (y, d) = f(v)
            return (y, d, 0)
        }
    }

    /// The sums along the last axis of `f` (value and derivative) applied where
    /// `mask` is 1 (entries where it is 0 count as 0).
    func summingMasked(_ mask: Tensor, _ f: @escaping (Double) -> (Double, Double)) -> Tensor {
        Tensor.map(self, mask) { v, m in
            if m == 0 { return (0, 0, 0) }
            let (y, d) = f(v)
            return (y, d, 0)
        }.sum(alongAxis: -1)
    }
}
