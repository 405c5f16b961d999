import RealModule
import SwiftVI

/// Central finite-difference gradient of a scalar function of a flat vector.
func finiteDifferenceGradient(_ x: [Double], step: Double = 1e-6, _ f: ([Double]) throws -> Double) rethrows -> [Double] {
    try x.indices.map { i in
        var plus = x, minus = x
        plus[i] += step
        minus[i] -= step
        return (try f(plus) - f(minus)) / (2 * step)
    }
}

/// Whether a and b agree to `relative` relative or `absolute` absolute error.
func close(_ a: Double, _ b: Double, relative: Double = 1e-9, absolute: Double = 1e-12) -> Bool {
    abs(a - b) <= max(absolute, relative * max(abs(a), abs(b)))
}

/// Whether the tape gradient of `f` at `x` matches finite differences.
func gradientMatches(at x: Tensor, tolerance: Double = 1e-6, _ f: (Tensor) throws -> Tensor) rethrows -> Bool {
    let (_, analytic) = try valueWithGradient(at: x, of: f)
    let numeric = try finiteDifferenceGradient(x.scalars) { try f(Tensor(shape: x.shape, scalars: $0)).scalars[0] }
    return zip(analytic.scalars, numeric).allSatisfy { close($0, $1, relative: tolerance, absolute: tolerance) }
}

/// The normal density, written out independently of the library.
func normalDensity(_ x: Double, _ mu: Double, _ sigma: Double) -> Double {
    Double.exp(-(x - mu) * (x - mu) / (2 * sigma * sigma)) / (sigma * (2 * Double.pi).squareRoot())
}

/// Sample mean and variance.
func moments(_ xs: [Double]) -> (mean: Double, variance: Double) {
    let m = xs.reduce(0, +) / Double(xs.count)
    return (m, xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1))
}

/// Nelder–Mead minimization in two dimensions.
func nelderMead(_ start: [Double], _ f: ([Double]) -> Double) -> [Double] {
    var simplex = [start, [start[0] + 0.1, start[1]], [start[0], start[1] + 0.1]].map { ($0, f($0)) }
    for _ in 0..<2000 {
        simplex.sort { $0.1 < $1.1 }
        let centroid = (0..<2).map { (simplex[0].0[$0] + simplex[1].0[$0]) / 2 }
        let along = { (t: Double) in (0..<2).map { centroid[$0] + t * (simplex[2].0[$0] - centroid[$0]) } }
        let reflected = along(-1), fr = f(reflected)
        if fr < simplex[0].1 {
            let expanded = along(-2), fe = f(expanded)
            simplex[2] = fe < fr ? (expanded, fe) : (reflected, fr)
        } else if fr < simplex[1].1 {
            simplex[2] = (reflected, fr)
        } else {
            let contracted = along(0.5), fc = f(contracted)
            if fc < simplex[2].1 {
                simplex[2] = (contracted, fc)
            } else {
                for i in 1...2 {
                    let shrunk = (0..<2).map { (simplex[0].0[$0] + simplex[i].0[$0]) / 2 }
                    simplex[i] = (shrunk, f(shrunk))
                }
            }
        }
    }
    return simplex.min { $0.1 < $1.1 }!.0
}

/// Fits `guide` to `model` with `loss` (by default Trace_ELBO of `particles`
/// particles) and Adam from key `seed`; the `statistic` of the constrained
/// parameters averaged over the last `averaged` of `steps` steps.
func averagedFit(model: any LogDensityModel, guide: any Guide, loss: (any ELBO)? = nil, steps: Int = 3000,
                 averaged: Int = 1000, learningRate: Double = 0.02, particles: Int = 8, seed: UInt64 = 7,
                 statistic: ([String: [Double]]) throws -> [String: [Double]] = { $0 }) throws -> [String: [Double]] {
    let svi = try SVI(model: model, guide: guide, optimizer: Adam(learningRate: .constant(learningRate)),
                      loss: loss ?? TraceELBO(numParticles: particles))
    var state = try svi.initialize(key: PRNGKey(seed: seed))
    var sums: [String: [Double]] = [:]
    for step in 0..<steps {
        state = try svi.update(state).state
        guard step >= steps - averaged else { continue }
        for (name, value) in try statistic(svi.parameters(state)) {
            sums[name] = zip(sums[name] ?? [Double](repeating: 0, count: value.count), value).map { $0 + $1 / Double(averaged) }
        }
    }
    return sums
}
