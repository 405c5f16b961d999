import RealModule

/// One draw from Gamma(a, 1) (a > 0, finite) by Marsaglia and Tsang's method
/// (ACM TOMS 26(3), 2000): squeeze-free rejection from a transformed normal,
/// accepting more than 95% of proposals. For a < 1 it draws from Gamma(a + 1, 1)
/// and multiplies by U^(1/a), in log space; a draw below the smallest normal
/// double (possible for tiny a) is returned as that number, so log-densities
/// stay finite. The draw uses the uniform stream of `key` (position 0 for U,
/// then two per proposal), so it depends only on `key`.
public func standardGammaSample(_ a: Double, key: PRNGKey) -> Double {
    let boosted = a < 1
    let d = (boosted ? a + 1 : a) - 1.0 / 3
    let c = 1 / (9 * d).squareRoot()
    var draw = 0.0, position = 1
    while true {
        let z = standardNormalQuantile(key.uniform(at: position))
        let u = key.uniform(at: position + 1)
        position += 2
        let t = 1 + c * z
        guard t > 0 else { continue }
        let v = t * t * t
        if Double.log(u) < 0.5 * z * z + d - d * v + d * Double.log(v) {
            draw = d * v
            break
        }
    }
    guard boosted else { return draw }
    let logDraw = Double.log(draw) + Double.log(key.uniform(at: 0)) / a
    return max(Double.exp(logDraw), Double.leastNormalMagnitude)
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

extension Tensor {
    /// Draws from Gamma(concentration, 1) of shape `shape`, to which the
    /// concentration (positive, finite) broadcasts; element i uses
    /// `key.foldIn(i)`. When the concentration is recorded, gradients flow to it
    /// through the implicit reparameterization (`standardGammaSampleDerivative`).
    public static func standardGamma(concentration: Tensor, shape: [Int], key: PRNGKey) -> Tensor {
        precondition(broadcastShapes(concentration.shape, shape) == shape,
                     "concentration of shape \(concentration.shape) does not broadcast to \(shape)")
        let offsets = broadcastOffsets(concentration.shape, to: shape)
        let n = shape.reduce(1, *)
        var draws = [Double](repeating: 0, count: n)
        var derivatives = draws
        for i in 0..<n {
            let a = concentration.scalars[offsets?[i] ?? i]
            draws[i] = standardGammaSample(a, key: key.foldIn(UInt32(truncatingIfNeeded: i)))
            if concentration.isTracked { derivatives[i] = standardGammaSampleDerivative(a, draws[i]) }
        }
        let count = concentration.count
        return result(shape, draws, [concentration]) { g in
            [unbroadcast(zip(g, derivatives).map(*), offsets, count: count)]
        }
    }
}
