import RealModule

/// NumPyro's `StickBreakingTransform`: K-1 reals to a point of the K-simplex.
///
/// With tᵢ = xᵢ - log(K-1-i) (the offset makes x = 0 the uniform point
/// (1/K, …, 1/K)) and zᵢ = σ(tᵢ), each yᵢ = zᵢ Πⱼ<ᵢ (1 - zⱼ) takes the
/// fraction zᵢ of the stick left, and y_{K-1} is the rest. Everything is
/// computed in log space (log zᵢ = -softplus(-tᵢ), log(1 - zᵢ) =
/// -softplus(tᵢ)), so any finite input, however large, gives a point of the
/// simplex without NaN (tiny pieces may underflow to 0).
///
/// The log-determinant is that of the map from x to the first K-1
/// coordinates of y (as NumPyro and Stan), a triangular Jacobian:
/// Σᵢ log(yᵢ (1 - zᵢ)) = Σᵢ [-softplus(-tᵢ) - (K-1-i) softplus(tᵢ)].
public struct StickBreakingTransform: Transform {
    public init() {}

    public var name: String { "StickBreakingTransform" }
    public var domain: Constraint { .realVector }
    public var codomain: Constraint { .simplex }

    public func forwardShape(_ shape: [Int]) throws -> [Int] {
        try requireRank(shape, 1, "input")
        return shape.dropLast() + [shape.last! + 1]
    }

    public func inverseShape(_ shape: [Int]) throws -> [Int] {
        try requireRank(shape, 1, "output")
        guard shape.last! >= 1 else { throw SVIError.shapeMismatch("\(name): a simplex needs at least one coordinate") }
        return shape.dropLast() + [shape.last! - 1]
    }

    /// The shifted inputs tᵢ = xᵢ - log(K-1-i) of one vector.
    private static func shifted(_ x: [Double]) -> [Double] {
        x.indices.map { x[$0] - Double.log(Double(x.count - $0)) }
    }

    public func forward(_ x: Tensor) throws -> Tensor {
        let k = try forwardShape(x.shape).last!
        return Tensor.blockwise(x, eventRank: 1, outputEventShape: [k]) { row in
            let t = Self.shifted(row)
            var y = [Double](repeating: 0, count: k)
            var logRest = 0.0
            for i in t.indices {
                y[i] = Double.exp(logRest - softplus(-t[i]))
                logRest -= softplus(t[i])
            }
            y[k - 1] = Double.exp(logRest)
            // ∂yᵢ/∂tᵢ = yᵢ (1 - zᵢ); ∂yⱼ/∂tᵢ = -zᵢ yⱼ for j > i.
            return (y, { g in
                var later = g[k - 1] * y[k - 1]
                var grad = [Double](repeating: 0, count: k - 1)
                for i in stride(from: k - 2, through: 0, by: -1) {
                    grad[i] = g[i] * y[i] * sigmoid(-t[i]) - sigmoid(t[i]) * later
                    later += g[i] * y[i]
                }
                return grad
            })
        }
    }

    /// xᵢ = log yᵢ - log(y_{i+1} + … + y_{K-1}) + log(K-1-i), with the
    /// remainders summed from the end for accuracy.
    public func inverse(_ y: Tensor) throws -> Tensor {
        let m = try inverseShape(y.shape).last!
        return Tensor.blockwise(y, eventRank: 1, outputEventShape: [m]) { row in
            var rest = [Double](repeating: 0, count: m + 1)  // rest[i] = y_i + … + y_{K-1}
            rest[m] = row[m]
            for i in stride(from: m - 1, through: 0, by: -1) { rest[i] = rest[i + 1] + row[i] }
            let x = (0..<m).map { i in Double.log(row[i]) - Double.log(rest[i + 1]) + Double.log(Double(m - i)) }
            // ∂xᵢ/∂yᵢ = 1/yᵢ; ∂xᵢ/∂yⱼ = -1/rest[i+1] for j > i.
            return (x, { g in
                var grad = [Double](repeating: 0, count: m + 1)
                var earlier = 0.0
                for j in 0...m {
                    grad[j] = (j < m ? g[j] / row[j] : 0) - earlier
                    if j < m { earlier += g[j] / rest[j + 1] }
                }
                return grad
            })
        }
    }

    public func logAbsDetJacobian(_ x: Tensor, _ y: Tensor) throws -> Tensor {
        _ = try forwardShape(x.shape)
        let m = x.shape.last!
        let remaining = Tensor((0..<m).map { Double(m - $0) })
        return Tensor.map(x, remaining) { v, c in
            let t = v - Double.log(c)
            return (-softplus(-t) - c * softplus(t), sigmoid(-t) - c * sigmoid(t), 0)
        }.sum(alongAxis: -1)
    }
}
