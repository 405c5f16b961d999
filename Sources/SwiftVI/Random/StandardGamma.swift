import RealModule

/// One draw from Gamma(a, 1) (a > 0, finite; NaN otherwise) by Marsaglia and
/// Tsang's method (ACM TOMS 26(3), 2000): squeeze-free rejection from a
/// transformed normal, accepting more than 95% of proposals. For a < 1 it draws
/// from Gamma(a + 1, 1) and multiplies by U^(1/a). A draw below the smallest
/// normal double (likely for a ≲ 0.01) is returned as that number, so
/// log-densities stay finite; `standardGammaLogSample` keeps such draws exactly.
/// The result depends only on `key`.
public func standardGammaSample(_ a: Double, key: PRNGKey) -> Double {
    max(Double.exp(standardGammaLogSample(a, key: key)), Double.leastNormalMagnitude)
}

/// log of the draw `standardGammaSample(a, key:)` makes, before it is rounded to a
/// double: for a < 1 it is log G(a + 1) + log(U)/a, finite even where the draw
/// itself underflows. It uses the uniform stream of `key` (position 0 for U, then
/// two per proposal).
public func standardGammaLogSample(_ a: Double, key: PRNGKey) -> Double {
    guard a > 0, a.isFinite else { return .nan }
    let boosted = a < 1
    let d = (boosted ? a + 1 : a) - 1.0 / 3
    let c = 1 / (9 * d).squareRoot()
    var position = 1
    while true {
        let z = standardNormalQuantile(key.uniform(at: position))
        let u = key.uniform(at: position + 1)
        position += 2
        let t = 1 + c * z
        guard t > 0 else { continue }
        let v = t * t * t
        if Double.log(u) < 0.5 * z * z + d - d * v + d * Double.log(v) {
            let logDraw = Double.log(d * v)
            return boosted ? logDraw + Double.log(key.uniform(at: 0)) / a : logDraw
        }
    }
}

/// dx/da for a Gamma(a, 1) draw x held at a fixed quantile: the implicit
/// reparameterization gradient of Figurnov, Mohamed and Mnih (2018),
/// dx/da = −(∂P(a, x)/∂a)/p(x | a), with P the regularized incomplete gamma
/// function and p the density. Formed without the shared prefactor xᵃe⁻ˣ/Γ(a),
/// so it stays finite where that under- or overflows.
public func standardGammaSampleDerivative(_ a: Double, _ x: Double) -> Double {
    guard a > 0, x > 0, x.isFinite, a.isFinite else { return 0 }
    return -x * regularizedGammaPDerivativeAOverPrefix(a, x)
}

/// d(log x)/da for a Gamma(a, 1) draw with log x = `logDraw` held at a fixed
/// quantile. Where x underflows, P(a, x) = xᵃ/Γ(1 + a) to double precision,
/// so d(log x)/da = (ψ(1 + a) − log x)/a.
func standardGammaLogSampleDerivative(_ a: Double, _ logDraw: Double) -> Double {
    let x = Double.exp(logDraw)
    guard x >= Double.leastNormalMagnitude else { return (digamma(1 + a) - logDraw) / a }
    return standardGammaSampleDerivative(a, x) / x
}

extension Tensor {
    /// Draws from Gamma(concentration, 1) of shape `shape`, to which the
    /// concentration (positive, finite) broadcasts; element i uses
    /// `key.foldIn(i)`. When the concentration is recorded, gradients flow to it
    /// through the implicit reparameterization (`standardGammaSampleDerivative`).
    public static func standardGamma(concentration: Tensor, shape: [Int], key: PRNGKey) -> Tensor {
        gammaDraws(concentration, shape, key) { logDraw, slope in
            let x = max(Double.exp(logDraw), Double.leastNormalMagnitude)
            return (x, x * slope)
        }
    }

    /// The logarithms of the draws `standardGamma` makes with the same arguments,
    /// kept exactly where the draws underflow (small concentrations): Beta and
    /// Dirichlet normalize these in log space. Gradients flow as d(log x)/dα.
    public static func standardGammaLog(concentration: Tensor, shape: [Int], key: PRNGKey) -> Tensor {
        gammaDraws(concentration, shape, key) { logDraw, slope in (logDraw, slope) }
    }

    /// Log-draws and their α-derivatives, mapped by `transform` to the values and
    /// α-derivatives of the result.
    private static func gammaDraws(_ concentration: Tensor, _ shape: [Int], _ key: PRNGKey,
                                   _ transform: (Double, Double) -> (Double, Double)) -> Tensor {
        precondition(broadcastShapes(concentration.shape, shape) == shape,
                     "concentration of shape \(concentration.shape) does not broadcast to \(shape)")
        let offsets = broadcastOffsets(concentration.shape, to: shape)
        let n = shape.reduce(1, *)
        var values = [Double](repeating: 0, count: n)
        var derivatives = values
        for i in 0..<n {
            let a = concentration.scalars[offsets?[i] ?? i]
            let logDraw = standardGammaLogSample(a, key: key.foldIn(UInt32(truncatingIfNeeded: i)))
            let slope = concentration.isTracked ? standardGammaLogSampleDerivative(a, logDraw) : 0
            (values[i], derivatives[i]) = transform(logDraw, slope)
        }
        let count = concentration.count
        return result(shape, values, [concentration]) { g in
            [unbroadcast(zip(g, derivatives).map(*), offsets, count: count)]
        }
    }
}
