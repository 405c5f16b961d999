import RealModule

/// NumPyro's `CholeskyTransform`: a symmetric positive-definite matrix to its
/// lower Cholesky factor L (A = L Lᵀ). Only the lower triangle of A is read;
/// a matrix that is not positive definite gives NaN. Its inverse, L ↦ L Lᵀ,
/// is how `bijectTo(.positiveDefinite)` reaches positive-definite matrices.
///
/// The log-determinant, on the lower triangles of A and L, is
/// -n log 2 - Σᵢ (n - i) log L_ii (i from 0).
public struct CholeskyTransform: Transform {
    public init() {}

    public var name: String { "CholeskyTransform" }
    public var domain: Constraint { .positiveDefinite }
    public var codomain: Constraint { .lowerCholesky }

    public func forwardShape(_ shape: [Int]) throws -> [Int] {
        _ = try matrixOrder(shape)
        return shape
    }

    public func inverseShape(_ shape: [Int]) throws -> [Int] { try forwardShape(shape) }

    public func forward(_ x: Tensor) throws -> Tensor {
        let n = try matrixOrder(x.shape)
        return Tensor.blockwise(x, eventRank: 2, outputEventShape: [n, n]) { a in
            let l = choleskyFactor(a, n) ?? [Double](repeating: .nan, count: n * n)
            // Ā = L⁻ᵀ Φ(Lᵀ L̄) L⁻¹ with Φ the lower triangle, diagonal halved;
            // the gradient of lower entry (i, j) is Ā_ij + Ā_ji (Ā_ii on the diagonal).
            return (l, { g in
                let lbar = (0..<n * n).map { k in k % n <= k / n ? g[k] : 0 }
                var phi = [Double](repeating: 0, count: n * n)
                for i in 0..<n {
                    for j in 0...i {
                        let v = (i..<n).reduce(0.0) { $0 + l[$1 * n + i] * lbar[$1 * n + j] }
                        phi[i * n + j] = i == j ? v / 2 : v
                    }
                }
                let left = TriangularAlgebra.solveTransposed(matrix: phi, l, n)
                let abar = TriangularAlgebra.transpose(
                    TriangularAlgebra.solveTransposed(matrix: TriangularAlgebra.transpose(left, n), l, n), n)
                return (0..<n * n).map { k in
                    let (i, j) = (k / n, k % n)
                    return j > i ? 0 : (i == j ? abar[k] : abar[k] + abar[j * n + i])
                }
            })
        }
    }

    /// L Lᵀ, reading only the lower triangle of L; exactly symmetric.
    public func inverse(_ y: Tensor) throws -> Tensor {
        let n = try matrixOrder(y.shape)
        return Tensor.blockwise(y, eventRank: 2, outputEventShape: [n, n]) { l in
            var m = [Double](repeating: 0, count: n * n)
            for i in 0..<n {
                for j in 0...i {
                    let v = (0...j).reduce(0.0) { $0 + l[i * n + $1] * l[j * n + $1] }
                    m[i * n + j] = v
                    m[j * n + i] = v
                }
            }
            // ∂/∂L_ik of Σ g_ij M_ij = Σ_j (g_ij + g_ji) L_jk, for k ≤ i.
            return (m, { g in
                (0..<n * n).map { idx in
                    let (i, k) = (idx / n, idx % n)
                    guard k <= i else { return 0 }
                    return (k..<n).reduce(0.0) { $0 + (g[i * n + $1] + g[$1 * n + i]) * l[$1 * n + k] }
                }
            })
        }
    }

    public func logAbsDetJacobian(_ x: Tensor, _ y: Tensor) throws -> Tensor {
        let n = try matrixOrder(y.shape)
        let weights = Tensor((0..<n).map { Double(n - $0) })
        return Tensor.map(y.diagonal(), weights) { d, w in (-w * Double.log(d), -w / d, 0) }.sum(alongAxis: -1)
            - Double(n) * Double.log(2)
    }
}
