import RealModule

/// Reductions over all elements or along one axis.
extension Tensor {
    /// The sum of all elements, a scalar.
    public func sum() -> Tensor {
        let n = count
        return Tensor.result([], [scalars.reduce(0, +)], [self]) { g in [[Double](repeating: g[0], count: n)] }
    }

    /// The mean of all elements, a scalar.
    public func mean() -> Tensor { sum() / Double(count) }

    /// The sums along `axis` (negative counts from the end); that axis is removed.
    public func sum(alongAxis axis: Int) -> Tensor {
        reduce(alongAxis: axis) { row in (row.reduce(0, +), [Double](repeating: 1, count: row.count)) }
    }

    /// log Σ exp along `axis` (negative counts from the end); that axis is removed.
    public func logSumExp(alongAxis axis: Int) -> Tensor {
        reduce(alongAxis: axis) { row in
            let lse = SwiftVI.logSumExp(row)
            return (lse, row.map { lse == -.infinity ? 0 : Double.exp($0 - lse) })
        }
    }

    /// Reduces each line along `axis` with `f`, which returns the value and its
    /// partial derivative with respect to each element of the line.
    private func reduce(alongAxis axis: Int, _ f: ([Double]) -> (Double, [Double])) -> Tensor {
        let k = axis < 0 ? axis + rank : axis
        precondition(k >= 0 && k < rank, "axis \(axis) out of range for shape \(shape)")
        let outer = shape[..<k].reduce(1, *), n = shape[k], inner = shape[(k + 1)...].reduce(1, *)
        var values = [Double](repeating: 0, count: outer * inner)
        var partials = [Double](repeating: 0, count: count)
        var line = [Double](repeating: 0, count: n)
        for o in 0..<outer {
            for i in 0..<inner {
                for j in 0..<n { line[j] = scalars[(o * n + j) * inner + i] }
                let (v, d) = f(line)
                values[o * inner + i] = v
                for j in 0..<n { partials[(o * n + j) * inner + i] = d[j] }
            }
        }
        var reduced = shape
        reduced.remove(at: k)
        return Tensor.result(reduced, values, [self]) { g in
            var out = partials
            for o in 0..<outer { for j in 0..<n { for i in 0..<inner { out[(o * n + j) * inner + i] *= g[o * inner + i] } } }
            return [out]
        }
    }
}
