@testable import SwiftVI

/// Bayesian linear regression with known noise: w ~ N(0, tau) (3 weights,
/// the first an intercept), y ~ N(X w, sigma), and its posterior in closed form.
/// The two covariates have correlation `collinearity` (in distribution), which
/// makes their weights' posterior correlated.
struct RegressionProblem {
    let n = 20, tau = 2.0, sigma = 0.5
    let design: [[Double]]
    let targets: [Double]

    init(collinearity c: Double = 0) {
        let noise = PRNGKey(seed: 42).split(2)
        let x = noise[0].normal(2 * n)
        let rows = (0..<n).map { [1, x[2 * $0], c * x[2 * $0] + (1 - c * c).squareRoot() * x[2 * $0 + 1]] }
        let e = noise[1].normal(n), sigma = sigma
        design = rows
        targets = (0..<n).map { 0.3 + 1.5 * rows[$0][1] - 0.7 * rows[$0][2] + sigma * e[$0] }
    }

    var model: Program<Void> {
        let x = Tensor(shape: [n, 3], scalars: design.flatMap { $0 }), y = Tensor(targets)
        let (tau, sigma, n) = (tau, sigma, n)
        return { ctx in
            let w = try ctx.sample("w", Normal(loc: Tensor([0, 0, 0]), scale: Tensor(tau)))
            try ctx.plate("data", size: n) { _ in
                try ctx.sample("y", Normal(loc: (x * w).sum(alongAxis: 1), scale: Tensor(sigma)), obs: y)
            }
        }
    }

    /// The same log-density (up to a constant) as a batched callback over the
    /// latent block "w": −|w|²/2tau² − |y − X w|²/2sigma² and its gradient.
    func callbackModel() throws -> CallbackModel {
        let (design, targets, tau, sigma) = (design, targets, tau, sigma)
        return try CallbackModel(latents: [LatentBlock(name: "w", size: 3)]) { points, count in
            var values: [Double] = [], gradient: [Double] = []
            for s in 0..<count {
                let w = Array(points[3 * s ..< 3 * s + 3])
                var value = -w.reduce(0) { $0 + $1 * $1 } / (2 * tau * tau)
                var g = w.map { -$0 / (tau * tau) }
                for (row, y) in zip(design, targets) {
                    let r = y - zip(row, w).reduce(0) { $0 + $1.0 * $1.1 }
                    value -= r * r / (2 * sigma * sigma)
                    for i in 0..<3 { g[i] += r * row[i] / (sigma * sigma) }
                }
                values.append(value)
                gradient += g
            }
            return (values, gradient)
        }
    }

    /// The posterior precision I/tau² + XᵀX/sigma².
    var precision: [[Double]] {
        (0..<3).map { i in
            (0..<3).map { j in
                (i == j ? 1 / (tau * tau) : 0) + design.reduce(0) { $0 + $1[i] * $1[j] } / (sigma * sigma)
            }
        }
    }

    /// The posterior covariance, the precision's inverse by Gauss–Jordan elimination.
    var posteriorCovariance: [[Double]] {
        var a = precision
        var inverse = (0..<3).map { i in (0..<3).map { j in i == j ? 1.0 : 0.0 } }
        for k in 0..<3 {
            let pivot = a[k][k]
            for j in 0..<3 { a[k][j] /= pivot; inverse[k][j] /= pivot }
            for i in 0..<3 where i != k {
                let f = a[i][k]
                for j in 0..<3 { a[i][j] -= f * a[k][j]; inverse[i][j] -= f * inverse[k][j] }
            }
        }
        return inverse
    }

    /// The posterior mean: the covariance times Xᵀy/sigma².
    var posteriorMean: [Double] {
        let b = (0..<3).map { i in zip(design, targets).reduce(0) { $0 + $1.0[i] * $1.1 } / (sigma * sigma) }
        return posteriorCovariance.map { row in zip(row, b).reduce(0) { $0 + $1.0 * $1.1 } }
    }

    /// The variances of the mean-field Gaussian closest in KL(q ‖ p): 1 / diag(precision).
    var meanFieldVariances: [Double] { (0..<3).map { 1 / precision[$0][$0] } }
}
