import Foundation
import SwiftVI

/// Seed 002: Bayesian linear regression with unknown noise,
/// w ~ N(0, 10), b ~ N(0, 10), s ~ HalfCauchy(10), y ~ N(w x + b, s), on the
/// ten points of data/seed002_regression.csv (drawn as the seed describes, with
/// our keys). AutoDelta's MAP beside Newton's method on the log joint; the
/// ELBOs of AutoNormal and AutoMultivariateNormal (started at the MAP, as the
/// posterior has a second, flatter region at large s where a fit from a random
/// start can linger) and AutoIAFNormal beside the importance-sampled log
/// evidence; AutoMultivariateNormal's w–b correlation beside the Laplace
/// approximation's at the MAP.
func seed002() throws {
    let (x, y) = try seed002Data()
    let n = x.count
    let model = try ProgramModel { ctx in
        let w = try ctx.sample("w", Normal(loc: 0, scale: 10))
        let b = try ctx.sample("b", Normal(loc: 0, scale: 10))
        let s = try ctx.sample("s", HalfCauchy(scale: 10))
        try ctx.plate("data", size: n) { _ in
            try ctx.sample("y", Normal(loc: w * Tensor(x) + b, scale: s), obs: Tensor(y))
        }
    }
    print("Seed 002: linear regression y ~ N(w x + b, s) with unknown noise, \(n) points")

    let decaying = try Adam(learningRate: .exponentialDecay(initValue: 0.05, decaySteps: 1000, decayRate: 0.1))
    let delta = try SVI(model: model, guide: AutoDelta(model: model), optimizer: decaying, loss: TraceELBO())
        .run(key: PRNGKey(seed: 0), numSteps: 3000)
    let (optimum, hessian) = try newtonMaximum(of: model, from: leastSquares(x, y))
    let s = Double.exp(optimum[2])
    print("  MAP, AutoDelta (Adam 0.05 decaying, 3000 steps): w = \(delta.params["w_auto_loc"]![0]), "
          + "b = \(delta.params["b_auto_loc"]![0]), s = \(delta.params["s_auto_loc"]![0])")
    print("  MAP, Newton's method on log p(w, b, log s):      w = \(optimum[0]), b = \(optimum[1]), s = \(s)")

    print("  ELBO of each guide (Adam 0.02 decaying, 3000 steps, 8 particles; 10⁵ draws, ± standard error):")
    let atMAP = InitStrategy.initToValue(["w": Tensor(delta.params["w_auto_loc"]!), "b": Tensor(delta.params["b_auto_loc"]!),
                                          "s": Tensor(delta.params["s_auto_loc"]!)])
    let guides: [(String, any Guide)] = [("AutoNormal", try AutoNormal(model: model, initLocFn: atMAP)),
                                         ("AutoMultivariateNormal", try AutoMultivariateNormal(model: model, initLocFn: atMAP)),
                                         ("AutoIAFNormal", try AutoIAFNormal(model: model, hiddenDims: [8]))]
    var fits: [String: SVIRunResult] = [:]
    for (name, guide) in guides {
        let adam = try Adam(learningRate: .exponentialDecay(initValue: 0.02, decaySteps: 1500, decayRate: 0.1))
        let fit = try SVI(model: model, guide: guide, optimizer: adam, loss: TraceELBO(numParticles: 8))
            .run(key: PRNGKey(seed: 1), numSteps: 3000)
        fits[name] = fit
        let elbo = try estimateELBO(model: model, guide: guide, params: fit.params, numSamples: 100_000, key: PRNGKey(seed: 2))
        print("    \(name.padding(toLength: 23, withPad: " ", startingAt: 0)) \(elbo.value) ± \(elbo.standardError)")
    }
    let evidence = try logEvidence(model: model, guide: guides[2].1, params: fits["AutoIAFNormal"]!.params,
                                   numSamples: 100_000, key: PRNGKey(seed: 3))
    print("    log evidence (importance sampling with the IAF guide): \(evidence.value) ± \(evidence.standardError)")

    let mvn = guides[1].1 as! AutoMultivariateNormal
    let covariance = try mvn.posterior(Tensor(fits["AutoMultivariateNormal"]!.state.parameters)).covarianceMatrix.scalars
    let laplace = inverse3(hessian.map { $0.map { -$0 } })
    print("  w–b correlation: AutoMultivariateNormal \(covariance[1] / (covariance[0] * covariance[4]).squareRoot()); "
          + "Laplace at the MAP \(laplace[0][1] / (laplace[0][0] * laplace[1][1]).squareRoot()); AutoNormal 0 by construction")
}

/// The columns x, y of data/seed002_regression.csv.
private func seed002Data() throws -> (x: [Double], y: [Double]) {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../data/seed002_regression.csv")
    let rows = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
        .map { $0.split(separator: ",").compactMap { Double($0) } }
    return (rows.map { $0[0] }, rows.map { $0[1] })
}

/// The least-squares line (w, b) and the log of its residuals' root mean square:
/// where Newton's method starts.
private func leastSquares(_ x: [Double], _ y: [Double]) -> [Double] {
    let n = Double(x.count), mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
    let w = zip(x, y).reduce(0.0) { $0 + ($1.0 - mx) * ($1.1 - my) } / x.reduce(0.0) { $0 + ($1 - mx) * ($1 - mx) }
    let squares = zip(x, y).reduce(0.0) { total, point in
        let r = point.1 - my - w * (point.0 - mx)
        return total + r * r
    }
    return [w, my - w * mx, 0.5 * Double.log(squares / n)]
}

/// log p of the model's constrained values (its log-density less the
/// log-determinant of the map from the unconstrained point `u`), and its
/// gradient in `u`, by the library's reverse mode.
private func logJoint(_ model: ProgramModel, _ u: [Double]) throws -> (value: Double, gradient: [Double]) {
    let tape = Tape()
    let point = tape.variable(Tensor(shape: [1, u.count], scalars: u))
    let value = (try model.logDensity(point) - model.constrain(point).logAbsDetJacobian).sum()
    return (value.scalars[0], tape.gradient(of: value, wrt: [point])[0].scalars)
}

/// Newton's method on `logJoint` in the unconstrained coordinates (the
/// Hessian by central differences of the gradient), halving steps that do not
/// go up: the maximum and the Hessian there.
private func newtonMaximum(of model: ProgramModel, from start: [Double]) throws -> (point: [Double], hessian: [[Double]]) {
    var u = start, hessian: [[Double]] = []
    for _ in 0..<200 {
        let (value, gradient) = try logJoint(model, u)
        hessian = try (0..<3).map { i in
            var up = u, down = u
            up[i] += 1e-5
            down[i] -= 1e-5
            return zip(try logJoint(model, up).gradient, try logJoint(model, down).gradient).map { ($0 - $1) / 2e-5 }
        }
        let inverse = inverse3(hessian)
        let step = inverse.map { row in -zip(row, gradient).reduce(0) { $0 + $1.0 * $1.1 } }
        var scale = 1.0
        while try logJoint(model, zip(u, step).map { $0 + scale * $1 }).value < value, scale > 1e-8 { scale /= 2 }
        u = zip(u, step).map { $0 + scale * $1 }
        if gradient.map(abs).max()! < 1e-10 { break }
    }
    return (u, hessian)
}

/// The inverse of a 3 × 3 matrix, by its adjugate.
private func inverse3(_ m: [[Double]]) -> [[Double]] {
    func cofactor(_ i: Int, _ j: Int) -> Double {
        let r = [0, 1, 2].filter { $0 != i }, c = [0, 1, 2].filter { $0 != j }
        let minor = m[r[0]][c[0]] * m[r[1]][c[1]] - m[r[0]][c[1]] * m[r[1]][c[0]]
        return (i + j) % 2 == 0 ? minor : -minor
    }
    let det = (0..<3).reduce(0.0) { $0 + m[0][$1] * cofactor(0, $1) }
    return (0..<3).map { i in (0..<3).map { j in cofactor(j, i) / det } }
}
