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
