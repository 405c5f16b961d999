import RealModule

/// NumPyro's (and Stan's) `CorrCholeskyTransform`: K(K-1)/2 reals to the lower
/// Cholesky factor L of a K × K correlation matrix.
///
/// The inputs fill the strictly lower triangle row by row ((1,0), (2,0),
/// (2,1), …). Each is mapped into (-1, 1) by tanh, and each row is built by
/// signed stick-breaking on squared lengths: L_ij = r_ij √(1 - Σ_{k<j} L_ik²)
/// for j < i, and L_ii is what is left, so every row has unit norm. As in
/// NumPyro, |r| is capped at 1 - ε (ε the machine epsilon) so that the
/// diagonal stays positive at extreme inputs (|x| ≳ 18.7 all map alike).
///
/// The log-determinant is that of the map from x to the strictly lower
/// entries of L (as NumPyro): Σ_{i>j} ((i - j + 1) / 2) · log(1 - tanh² x_ij),
/// computed without cancellation and without the cap.
public struct CorrCholeskyTransform: Transform {
    public init() {}

    public var name: String { "CorrCholeskyTransform" }
    public var domain: Constraint { .realVector }
    public var codomain: Constraint { .corrCholesky }

    public func forwardShape(_ shape: [Int]) throws -> [Int] {
        let n = try packedOrder(shape, strict: true)
        return shape.dropLast() + [n, n]
    }

    public func inverseShape(_ shape: [Int]) throws -> [Int] {
        let n = try matrixOrder(shape)
        return shape.dropLast(2) + [n * (n - 1) / 2]
    }

    public func forward(_ x: Tensor) throws -> Tensor {
        let n = try forwardShape(x.shape).last!
        let cap = 1 - Double.ulpOfOne
        return Tensor.blockwise(x, eventRank: 1, outputEventShape: [n, n]) { packed in
            var l = [Double](repeating: 0, count: n * n)
            var r = [Double](repeating: 0, count: packed.count)
            var capped = [Bool](repeating: false, count: packed.count)
            var before = [Double](repeating: 0, count: packed.count)  // √(1 - Σ_{k<j} L_ik²) for entry (i, j)
            var start = 0  // the first packed entry of row i
            for i in 0..<n {
                var length = 1.0  // √(1 - Σ_{k<j} L_ik²)
                for j in 0..<i {
                    let t = Double.tanh(packed[start + j])
                    capped[start + j] = abs(t) > cap
                    r[start + j] = capped[start + j] ? (t > 0 ? cap : -cap) : t
                    before[start + j] = length
                    l[i * n + j] = r[start + j] * length
                    length *= ((1 - r[start + j]) * (1 + r[start + j])).squareRoot()
                }
                l[i * n + i] = length
                start += i
            }
            // Within row i: ∂L_ij/∂r_ij = √(1 - Σ_{k<j} L_ik²); ∂L_ik/∂r_ij =
            // -L_ik r_ij / (1 - r_ij²) for k > j (the diagonal included). Times ∂r/∂x = 1 - r².
            return (l, { g in
                var grad = [Double](repeating: 0, count: packed.count)
                var start = 0
                for i in 0..<n {
                    var later = g[i * n + i] * l[i * n + i]
                    for j in stride(from: i - 1, through: 0, by: -1) {
                        let rj = r[start + j]
                        if !capped[start + j] {
                            grad[start + j] = (1 - rj) * (1 + rj) * g[i * n + j] * before[start + j] - rj * later
                        }
                        later += g[i * n + j] * l[i * n + j]
                    }
                    start += i
                }
                return grad
            })
        }
    }

    /// r_ij = L_ij / √(L_ij² + … + L_ii²), with the row's remaining squared
    /// lengths summed from the diagonal for accuracy; x = atanh r.
    public func inverse(_ y: Tensor) throws -> Tensor {
        let n = try matrixOrder(y.shape), m = n * (n - 1) / 2
        return Tensor.blockwise(y, eventRank: 2, outputEventShape: [m]) { l in
            var x = [Double](repeating: 0, count: m)
            var rests = [[Double]]()  // rests[i][j] = Σ_{k=j}^{i} L_ik²
            var start = 0
            for i in 0..<n {
                var rest = [Double](repeating: 0, count: i + 2)
                rest[i] = l[i * n + i] * l[i * n + i]
                for j in stride(from: i - 1, through: 0, by: -1) { rest[j] = rest[j + 1] + l[i * n + j] * l[i * n + j] }
                for j in 0..<i {
                    // atanh(u) for u = L_ij/√rest_j, where 1 - u² = rest_{j+1}/rest_j.
                    let u = l[i * n + j] / rest[j].squareRoot()
                    let magnitude = Double.log(onePlus: abs(u)) + 0.5 * Double.log(rest[j] / rest[j + 1])
                    x[start + j] = u < 0 ? -magnitude : magnitude
                }
                rests.append(rest)
                start += i
            }
            // ∂x_ij/∂L_ij = 1/√rest_j; ∂x_ij/∂L_ik = -L_ij L_ik / (rest_{j+1} √rest_j) for k > j.
            return (x, { g in
                var grad = [Double](repeating: 0, count: n * n)
                var start = 0
                for i in 0..<n {
                    let rest = rests[i]
                    var earlier = 0.0
                    for k in 0...i {
                        grad[i * n + k] = (k < i ? g[start + k] / rest[k].squareRoot() : 0) - l[i * n + k] * earlier
                        if k < i { earlier += g[start + k] * l[i * n + k] / (rest[k + 1] * rest[k].squareRoot()) }
                    }
                    start += i
                }
                return grad
            })
        }
    }

    public func logAbsDetJacobian(_ x: Tensor, _ y: Tensor) throws -> Tensor {
        let n = try forwardShape(x.shape).last!
        let weights = Tensor((0..<n).flatMap { i in (0..<i).map { j in Double(i - j + 1) / 2 } })
        return Tensor.map(x, weights) { v, w in
            (w * logOneMinusTanhSquared(v), -2 * w * Double.tanh(v), 0)
        }.sum(alongAxis: -1)
    }
}
