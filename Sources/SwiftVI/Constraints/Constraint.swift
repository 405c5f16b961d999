/// A region of values: the support of a distribution or the domain and codomain
/// of a transform. Bounds are tensors that broadcast against the values, as in
/// NumPyro (`interval(low, high)` with array bounds).
public indirect enum Constraint {
    /// Any finite real number (NumPyro's `real` excludes ±inf and NaN).
    case real
    /// Finite real vectors; the last axis is one event.
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
    /// Nonnegative vectors that sum to 1 (within 1e-6) along the last axis.
    case simplex
    /// Square matrices that are zero above the diagonal (any diagonal, no NaN).
    case lowerTriangular
    /// Lower-triangular matrices with positive diagonal (no NaN below it).
    case lowerCholesky
    /// Symmetric (within 1e-8 relative) matrices whose Cholesky factorization succeeds.
    case positiveDefinite
    /// Lower Cholesky factors of correlation matrices: lower-triangular, positive
    /// diagonal, rows of unit Euclidean norm (squared norm within 1e-6 of 1).
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
        case .lowerTriangular, .lowerCholesky, .positiveDefinite, .corrCholesky: 2
        case .independent(let base, let dims): base.eventDim + dims
        default: 0
        }
    }

    /// Whether the constraint covers a discrete set (so `bijectTo` does not apply).
    public var isDiscrete: Bool {
        switch self {
        case .boolean, .nonnegativeInteger, .integerInterval: true
        case .independent(let base, _): base.isDiscrete
        default: false
        }
    }

    /// NumPyro's name of the constraint ("positive", "interval", …);
    /// `independent(<base>, <dims>)` for an independent constraint.
    public var name: String {
        switch self {
        case .real: "real"
        case .realVector: "real_vector"
        case .positive: "positive"
        case .nonnegative: "nonnegative"
        case .unitInterval: "unit_interval"
        case .interval: "interval"
        case .greaterThan: "greater_than"
        case .lessThan: "less_than"
        case .simplex: "simplex"
        case .lowerTriangular: "lower_triangular"
        case .lowerCholesky: "lower_cholesky"
        case .positiveDefinite: "positive_definite"
        case .corrCholesky: "corr_cholesky"
        case .boolean: "boolean"
        case .nonnegativeInteger: "nonnegative_integer"
        case .integerInterval: "integer_interval"
        case .independent(let base, let dims): "independent(\(base.name), \(dims))"
        }
    }

    /// Whether each element of `value` lies in the region, in row-major order over
    /// the shape `value.shape` without its last `eventDim` dimensions, broadcast
    /// with the shapes of any bounds. A value with fewer than `eventDim`
    /// dimensions, a matrix constraint given a non-square matrix, or a value
    /// whose shape does not broadcast with the bounds lies outside the region
    /// (every element of its batch is false).
    public func check(_ value: Tensor) -> [Bool] { evaluate(value).flags }

    /// `check` together with the shape its flags are laid out in.
    func evaluate(_ value: Tensor) -> (shape: [Int], flags: [Bool]) {
        switch self {
        case .real: return elementwise(value) { $0.isFinite }
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
        case .realVector: return blocks(value, 1) { row, _ in row.allSatisfy(\.isFinite) }
        case .simplex:
            return blocks(value, 1) { row, _ in
                row.allSatisfy { $0 >= 0 } && abs(row.reduce(0, +) - 1) <= 1e-6
            }
        case .lowerTriangular:
            return blocks(value, 2) { m, n in isLowerTriangular(m, n) }
        case .lowerCholesky:
            return blocks(value, 2) { m, n in isLowerTriangular(m, n) && (0..<n).allSatisfy { m[$0 * n + $0] > 0 } }
        case .corrCholesky:
            return blocks(value, 2) { m, n in
                isLowerTriangular(m, n) && (0..<n).allSatisfy { i in
                    let norm = (0...i).reduce(0.0) { $0 + m[i * n + $1] * m[i * n + $1] }
                    return m[i * n + i] > 0 && abs(norm - 1) <= 1e-6
                }
            }
        case .positiveDefinite:
            return blocks(value, 2) { m, n in
                let symmetric = (0..<n).allSatisfy { i in
                    (0..<i).allSatisfy { j in abs(m[i * n + j] - m[j * n + i]) <= 1e-8 * (1 + abs(m[i * n + j])) }
                }
                return symmetric && choleskyFactor(m, n) != nil
            }
        case .independent(let base, let dims):
            let (shape, flags) = base.evaluate(value)
            let kept = max(shape.count - dims, 0)
            let groupSize = shape[kept...].reduce(1, *)
            let outer = Array(shape[..<kept])
            guard groupSize > 0 else { return (outer, [Bool](repeating: true, count: outer.reduce(1, *))) }
            return (outer, stride(from: 0, to: flags.count, by: groupSize).map { start in
                flags[start..<start + groupSize].allSatisfy { $0 }
            })
        }
    }

    private func elementwise(_ value: Tensor, _ test: (Double) -> Bool) -> (shape: [Int], flags: [Bool]) {
        (value.shape, value.scalars.map(test))
    }

    private func bounded(_ value: Tensor, _ a: Tensor, _ b: Tensor,
                         _ test: (Double, Double, Double) -> Bool) -> (shape: [Int], flags: [Bool]) {
        guard let shape = broadcastShapes([value.shape, a.shape, b.shape]) else {
            return (value.shape, [Bool](repeating: false, count: value.count))
        }
        let flags = Tensor.map(value.detached, a.detached, b.detached) { x, lo, hi in
            (test(x, lo, hi) ? 1 : 0, 0, 0, 0)
        }
        return (shape, flags.scalars.map { $0 == 1 })
    }

    /// Applies `test` to each trailing block of `dims` dimensions (a vector, or an n × n matrix).
    private func blocks(_ value: Tensor, _ dims: Int, _ test: ([Double], Int) -> Bool) -> (shape: [Int], flags: [Bool]) {
        guard value.rank >= dims else { return ([], [false]) }
        let batch = Array(value.shape.dropLast(dims)), count = batch.reduce(1, *)
        let n = value.shape.last!
        if dims == 2 && value.shape[value.rank - 2] != n { return (batch, [Bool](repeating: false, count: count)) }
        let block = dims == 1 ? n : n * n
        guard block > 0 else { return (batch, [Bool](repeating: true, count: count)) }
        return (batch, stride(from: 0, to: value.count, by: block).map { start in
            test(Array(value.scalars[start..<start + block]), n)
        })
    }
}

/// Whether the row-major n × n matrix `m` is zero above its diagonal and has no NaN on or below it.
private func isLowerTriangular(_ m: [Double], _ n: Int) -> Bool {
    (0..<n).allSatisfy { i in
        (0...i).allSatisfy { !m[i * n + $0].isNaN } && (i + 1..<n).allSatisfy { m[i * n + $0] == 0 }
    }
}

/// The lower Cholesky factor (row-major) of the symmetric n × n matrix `m`, read
/// from its lower triangle, or nil when `m` is not positive definite.
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
