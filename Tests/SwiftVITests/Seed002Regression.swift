import Foundation
import RealModule
@testable import SwiftVI

/// Seed 002: Bayesian linear regression with unknown noise,
/// w ~ N(0, 10), b ~ N(0, 10), s ~ HalfCauchy(10), y ~ N(w x + b, s), on the
/// ten points of data/seed002_regression.csv; with its MAP by Newton's method
/// and its exact posterior by one-dimensional quadrature, written out here
/// independently of the library.
enum Seed002 {
    static let priorScale = 10.0, noiseScale = 10.0

    /// The data as the seed describes it, drawn with the library's keys:
    /// x = sort(5 · normal(key, 10)), y = 0.5 x − 0.7 + normal(key.split(2)[0], 10).
    static func generated() -> (x: [Double], y: [Double]) {
        let key = PRNGKey(seed: 1234)
        let x = key.normal(10).map { 5 * $0 }.sorted()
        let noise = key.split(2)[0].normal(10)
        return (x, zip(x, noise).map { 0.5 * $0 - 0.7 + $1 })
    }

    /// The data file shared with the C and Python examples.
    static let data: (x: [Double], y: [Double]) = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../data/seed002_regression.csv")
        let rows = (try? String(contentsOf: url, encoding: .utf8))?.split(separator: "\n")
            .filter { !$0.hasPrefix("#") }.map { $0.split(separator: ",").compactMap { Double($0) } } ?? []
        return (rows.map { $0[0] }, rows.map { $0[1] })
    }()

    static var n: Int { data.x.count }

    /// The model as a program.
    static var program: Program<Void> {
        let x = Tensor(data.x), y = Tensor(data.y), n = n
        return { ctx in
            let w = try ctx.sample("w", Normal(loc: 0, scale: Tensor(priorScale)))
            let b = try ctx.sample("b", Normal(loc: 0, scale: Tensor(priorScale)))
            let s = try ctx.sample("s", HalfCauchy(scale: Tensor(noiseScale)))
            try ctx.plate("data", size: n) { _ in
                try ctx.sample("y", Normal(loc: w * x + b, scale: s), obs: y)
            }
        }
    }

    /// log p(w, b, s, y) at s = eᵗ (the density of the constrained values, no
    /// Jacobian), with its gradient and Hessian in (w, b, t).
    static func logJoint(_ v: [Double]) -> (value: Double, gradient: [Double], hessian: [[Double]]) {
        let (w, b, t) = (v[0], v[1], v[2])
        let precision = Double.exp(-2 * t), a = Double.exp(2 * t) / (noiseScale * noiseScale)
        var squares = 0.0, rx = 0.0, r1 = 0.0, xx = 0.0, x1 = 0.0
        for (x, y) in zip(data.x, data.y) {
            let r = y - w * x - b
            squares += r * r
            rx += r * x
            r1 += r
            xx += x * x
            x1 += x
        }
        let nn = Double(n), tau2 = priorScale * priorScale
        let value = -(w * w + b * b) / (2 * tau2) - 2 * Double.log(priorScale) - Double.log(2 * Double.pi)
            + Double.log(2 / (Double.pi * noiseScale)) - Double.log(onePlus: a)
            - nn * t - 0.5 * nn * Double.log(2 * Double.pi) - 0.5 * precision * squares
        let gradient = [-w / tau2 + precision * rx, -b / tau2 + precision * r1, -2 * a / (1 + a) - nn + precision * squares]
        let hessian = [[-1 / tau2 - precision * xx, -precision * x1, -2 * precision * rx],
                       [-precision * x1, -1 / tau2 - precision * nn, -2 * precision * r1],
                       [-2 * precision * rx, -2 * precision * r1, -4 * a / ((1 + a) * (1 + a)) - 2 * precision * squares]]
        return (value, gradient, hessian)
    }

    /// The MAP (w, b, s) and log p there, by Newton's method on (w, b, log s)
    /// from the least-squares line and its residuals' spread, halving steps
    /// that do not go up.
    static let map: (w: Double, b: Double, s: Double, logJoint: Double) = {
        let nn = Double(n), mx = data.x.reduce(0.0, +) / nn, my = data.y.reduce(0.0, +) / nn
        let slope = zip(data.x, data.y).reduce(0.0) { $0 + ($1.0 - mx) * ($1.1 - my) }
            / data.x.reduce(0.0) { $0 + ($1 - mx) * ($1 - mx) }
        let spread = zip(data.x, data.y).reduce(0.0) { let r = $1.1 - my - slope * ($1.0 - mx); return $0 + r * r } / nn
        var v = [slope, my - slope * mx, 0.5 * Double.log(spread)]
        for _ in 0..<100 {
            let (value, g, h) = logJoint(v)
            let step = solve3(h, g).map { -$0 }
            var scale = 1.0
            while logJoint(zip(v, step).map { $0 + scale * $1 }).value < value, scale > 1e-10 { scale /= 2 }
            v = zip(v, step).map { $0 + scale * $1 }
            if g.map(abs).max()! < 1e-12 { break }
        }
        return (v[0], v[1], Double.exp(v[2]), logJoint(v).value)
    }()

    /// The exact posterior: given s, (w, b) is Gaussian (precision
    /// Λ = I/τ² + XᵀX/s², mean Λ⁻¹Xᵀy/s²) and p(y | s) is closed form, so the
    /// evidence and the moments of (w, b) are one integral over t = log s
    /// (trapezoidal rule on [−8, 8]).
    static let exact: (logEvidence: Double, mean: [Double], covariance: [[Double]]) = {
        let nn = Double(n), tau2 = priorScale * priorScale, step = 0.0005
        let sxx = data.x.reduce(0) { $0 + $1 * $1 }, sx = data.x.reduce(0.0, +)
        let sxy = zip(data.x, data.y).reduce(0) { $0 + $1.0 * $1.1 }, sy = data.y.reduce(0.0, +)
        let syy = data.y.reduce(0) { $0 + $1 * $1 }
        var terms: [(logWeight: Double, mean: [Double], covariance: [[Double]])] = []
        for t in stride(from: -8.0, through: 8.0, by: step) {
            let p = Double.exp(-2 * t)
            let lambda = [[1 / tau2 + p * sxx, p * sx], [p * sx, 1 / tau2 + p * nn]]
            let det = lambda[0][0] * lambda[1][1] - lambda[0][1] * lambda[1][0]
            let covariance = [[lambda[1][1] / det, -lambda[0][1] / det], [-lambda[1][0] / det, lambda[0][0] / det]]
            let m = [p * sxy, p * sy]
            let mean = covariance.map { $0[0] * m[0] + $0[1] * m[1] }
            let logLikelihood = -0.5 * nn * Double.log(2 * Double.pi) - nn * t - Double.log(tau2) - 0.5 * Double.log(det)
                - 0.5 * (p * syy - (m[0] * mean[0] + m[1] * mean[1]))
            let logPrior = Double.log(2 / (Double.pi * noiseScale)) - Double.log(onePlus: Double.exp(2 * t) / (noiseScale * noiseScale))
            terms.append((logLikelihood + logPrior + t, mean, covariance))
        }
        let top = terms.map(\.logWeight).max()!
        let weights = terms.enumerated().map { i, term in
            (i == 0 || i == terms.count - 1 ? 0.5 : 1) * step * Double.exp(term.logWeight - top)
        }
        let total = weights.reduce(0.0, +)
        var mean = [0.0, 0.0], second = [[0.0, 0.0], [0.0, 0.0]]
        for (weight, term) in zip(weights, terms) {
            for i in 0..<2 {
                mean[i] += weight / total * term.mean[i]
                for j in 0..<2 { second[i][j] += weight / total * (term.covariance[i][j] + term.mean[i] * term.mean[j]) }
            }
        }
        let covariance = (0..<2).map { i in (0..<2).map { j in second[i][j] - mean[i] * mean[j] } }
        return (top + Double.log(total), mean, covariance)
    }()

    /// The exact posterior correlation of w and b.
    static var exactCorrelation: Double {
        exact.covariance[0][1] / (exact.covariance[0][0] * exact.covariance[1][1]).squareRoot()
    }
}

/// The solution of the 3 × 3 system a x = b, by Cramer's rule.
private func solve3(_ a: [[Double]], _ b: [Double]) -> [Double] {
    func det(_ m: [[Double]]) -> Double {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    }
    let d = det(a)
    return (0..<3).map { column in det(a.enumerated().map { i, row in row.enumerated().map { $0.offset == column ? b[i] : $0.element } }) / d }
}
