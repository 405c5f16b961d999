import RealModule

/// Nodes and weights of the n-point Gauss–Legendre rule on [-1, 1], exact for
/// polynomials of degree up to 2n - 1. Nodes are found by Newton's method on
/// the Legendre polynomial Pₙ.
public struct GaussLegendre: Sendable {
    public let nodes: [Double]
    public let weights: [Double]

    public init(points n: Int) {
        precondition(n >= 1, "a Gauss–Legendre rule needs at least one point")
        var nodes = [Double](repeating: 0, count: n)
        var weights = [Double](repeating: 0, count: n)
        for i in 0..<(n + 1) / 2 {
            var x = Double.cos(Double.pi * (Double(i) + 0.75) / (Double(n) + 0.5))
            var derivative = 0.0
            for _ in 0..<100 {
                var (p0, p1) = (1.0, x)  // P₀, P₁
                for k in stride(from: 2, through: n, by: 1) {
                    (p0, p1) = (p1, ((2 * Double(k) - 1) * x * p1 - (Double(k) - 1) * p0) / Double(k))
                }
                derivative = Double(n) * (x * p1 - p0) / (x * x - 1)
                let step = p1 / derivative
                x -= step
                if abs(step) < 1e-16 { break }
            }
            let w = 2 / ((1 - x * x) * derivative * derivative)
            nodes[i] = -x; nodes[n - 1 - i] = x
            weights[i] = w; weights[n - 1 - i] = w
        }
        self.nodes = nodes
        self.weights = weights
    }

    /// Nodes and weights of the composite rule on `panels` equal sub-intervals of [low, high].
    public func composite(_ low: Double, _ high: Double, panels: Int) -> (nodes: [Double], weights: [Double]) {
        let half = 0.5 * (high - low) / Double(panels)
        var xs: [Double] = [], ws: [Double] = []
        for p in 0..<panels {
            let mid = low + (2 * Double(p) + 1) * half
            for (x, w) in zip(nodes, weights) {
                xs.append(mid + half * x)
                ws.append(half * w)
            }
        }
        return (xs, ws)
    }

    /// ∫ f over [low, high] by the rule on `panels` equal sub-intervals.
    public func integrate(_ low: Double, _ high: Double, panels: Int, _ f: (Double) throws -> Double) rethrows -> Double {
        let (xs, ws) = composite(low, high, panels: panels)
        var total = 0.0
        for (x, w) in zip(xs, ws) { total += w * (try f(x)) }
        return total
    }
}
