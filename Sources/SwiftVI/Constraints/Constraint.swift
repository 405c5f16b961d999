/// A region of values: the support of a distribution or the domain and codomain
/// of a transform. Bounds are tensors that broadcast against the values, as in
/// NumPyro (`interval(low, high)` with array bounds).
public indirect enum Constraint {
    /// Any real number.
    case real
    /// Real vectors; the last axis is one event.
    case realVector
    /// x > 0.
    case positive
    /// x ≥ 0.
    case nonnegative
    /// 0 ≤ x ≤ 1.
    case unitInterval
    /// low ≤ x ≤ high.
    case interval(low: Tensor, high: Tensor)
    /// x > bound.
    case greaterThan(Tensor)
    /// x < bound.
    case lessThan(Tensor)
    /// Nonnegative vectors that sum to 1 along the last axis.
    case simplex
    /// Lower-triangular matrices with positive diagonal.
    case lowerCholesky
    /// Symmetric positive-definite matrices.
    case positiveDefinite
    /// Lower Cholesky factors of correlation matrices: lower-triangular, positive
    /// diagonal, rows of unit Euclidean norm.
    case corrCholesky
    /// 0 or 1.
    case boolean
    /// 0, 1, 2, …
    case nonnegativeInteger
    /// The integers low…high (inclusive).
    case integerInterval(low: Tensor, high: Tensor)
    /// `base` with its rightmost `reinterpretedDims` batch dimensions read as event dimensions.
    case independent(Constraint, reinterpretedDims: Int)

    /// The number of rightmost dimensions that make up one element of the region.
    public var eventDim: Int {
        switch self {
        case .realVector, .simplex: 1
        case .lowerCholesky, .positiveDefinite, .corrCholesky: 2
        case .independent(let base, let dims): base.eventDim + dims
        default: 0
        }
    }

    /// Whether the constraint covers a continuous region (so `bijectTo` applies).
    public var isDiscrete: Bool {
        switch self {
        case .boolean, .nonnegativeInteger, .integerInterval: true
        case .independent(let base, _): base.isDiscrete
        default: false
        }
    }

    /// Whether each element of `value` lies in the region: shape `value.shape`
    /// without the last `eventDim` dimensions (broadcast with any bounds).
    public func check(_ value: Tensor) -> [Bool] {
        switch self {
        case .real: return elementwise(value) { !$0.isNaN }
        case .positive: return elementwise(value) { $0 > 0 }
        case .nonnegative: return elementwise(value) { $0 >= 0 }
        case .unitInterval: return elementwise(value) { $0 >= 0 && $0 <= 1 }
        case .boolean: return elementwise(value) { $0 == 0 || $0 == 1 }
        case .nonnegativeInteger: return elementwise(value) { $0 >= 0 && $0.rounded() == $0 }
        case .greaterThan(let bound): return bounded(value, bound, bound) { x, b, _ in x > b }
        case .lessThan(let bound): return bounded(value, bound, bound) { x, b, _ in x < b }
        case .interval(let low, let high): return bounded(value, low, high) { x, a, b in x >= a && x <= b }
        case .integerInterval(let low, let high):
            return bounded(value, low, high) { x, a, b in x >= a && x <= b && x.rounded() == x }
        case .realVector: return rows(value, 1) { row, _ in row.allSatisfy { !$0.isNaN } }
        case .simplex:
            return rows(value, 1) { row, _ in
                row.allSatisfy { $0 >= 0 } && abs(row.reduce(0, +) - 1) <= 1e-6
            }
        case .lowerCholesky:
            return rows(value, 2) { m, n in
                (0..<n).allSatisfy { i in m[i * n + i] > 0 && (i + 1..<n).allSatisfy { m[i * n + $0] == 0 } }
            }
        case .corrCholesky:
            return rows(value, 2) { m, n in
                (0..<n).allSatisfy { i in
                    let norm = (0...i).reduce(0.0) { $0 + m[i * n + $1] * m[i * n + $1] }
                    return m[i * n + i] > 0 && abs(norm - 1) <= 1e-6
                        && (i + 1..<n).allSatisfy { m[i * n + $0] == 0 }
                }
            }
        case .positiveDefinite:
            return rows(value, 2) { m, n in
                let symmetric = (0..<n).allSatisfy { i in
                    (0..<i).allSatisfy { j in abs(m[i * n + j] - m[j * n + i]) <= 1e-8 * (1 + abs(m[i * n + j])) }
                }
                return symmetric && choleskyFactor(m, n) != nil
            }
        case .independent(let base, let dims):
            let inner = base.check(value)
            let groupSize = value.shape.dropLast(base.eventDim).suffix(dims).reduce(1, *)
            guard groupSize > 0 else { return inner }
            return stride(from: 0, to: inner.count, by: groupSize).map { start in
                inner[start..<start + groupSize].allSatisfy { $0 }
            }
        }
    }

    private func elementwise(_ value: Tensor, _ test: (Double) -> Bool) -> [Bool] {
        value.scalars.map(test)
    }

    private func bounded(_ value: Tensor, _ a: Tensor, _ b: Tensor,
                         _ test: (Double, Double, Double) -> Bool) -> [Bool] {
        Tensor.map(value, a, b) { x, lo, hi in (test(x, lo, hi) ? 1 : 0, 0, 0, 0) }.detached.scalars.map { $0 == 1 }
    }

    /// Applies `test` to each trailing block of `dims` dimensions (a vector, or an n × n matrix).
    private func rows(_ value: Tensor, _ dims: Int, _ test: ([Double], Int) -> Bool) -> [Bool] {
        guard value.rank >= dims else { return [false] }
        let n = value.shape.last!
        if dims == 2 && value.shape[value.rank - 2] != n { return [Bool](repeating: false, count: value.count / max(n * n, 1)) }
        let block = dims == 1 ? n : n * n
        guard block > 0 else { return [Bool](repeating: true, count: value.shape.dropLast(dims).reduce(1, *)) }
        return stride(from: 0, to: value.count, by: block).map { start in
            test(Array(value.scalars[start..<start + block]), n)
        }
    }
}

/// The lower Cholesky factor (row-major) of the symmetric n × n matrix `m`, or nil
/// when `m` is not positive definite.
func choleskyFactor(_ m: [Double], _ n: Int) -> [Double]? {
    var l = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
        for j in 0...i {
            var s = m[i * n + j]
            for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
            if i == j {
                guard s > 0, s.isFinite else { return nil }
                l[i * n + i] = s.squareRoot()
            } else {
                l[i * n + j] = s / l[j * n + j]
            }
        }
    }
    return l
}
