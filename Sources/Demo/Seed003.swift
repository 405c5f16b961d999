import SwiftVI

/// Seed 003: KL(p ‖ N(0, 1)) for p = 0.4·N(−1, 0.75) + 0.6·N(4, 0.5) by quadrature and
/// by sampling, and the mode-seeking (reverse-KL) and mass-covering (forward-KL)
/// Normal fits to p; the forward fit is checked against p's mean and standard deviation.
func seed003() throws {
    let weights = [0.4, 0.6], locs = [-1.0, 4.0], scales = [0.75, 0.5]
    let p = try MixtureSameFamily(mixture: Categorical(probs: Tensor(weights)),
                                  components: Normal(loc: Tensor(locs), scale: Tensor(scales)))
    let standard = try Normal(loc: 0, scale: 1)
    let quadrature = try klQuadrature(p, standard, low: -12, high: 14, numPoints: 2048).scalars[0]
    let mc = try klMonteCarlo(p, standard, numSamples: 1_000_000, key: PRNGKey(seed: 3))
    print("Seed 003: p = 0.4·N(−1, 0.75) + 0.6·N(4, 0.5)")
    print("  KL(p ‖ N(0, 1)): quadrature \(quadrature); Monte Carlo (10⁶ draws) "
          + "\(mc.estimate.scalars[0]) ± \(mc.standardError.scalars[0]); reference ≈ 4.5455")
    let reverse = try fitNormalByQuadrature(to: p, direction: .reverse, low: -12, high: 14,
                                            locs: grid(-4, 8, 25), scales: grid(0.1, 3, 30))
    print("  mode-seeking fit, argmin KL(q ‖ p):  N(\(reverse.loc), \(reverse.scale)), KL \(reverse.kl); reference ≈ N(4.0, 0.50)")
    let forward = try fitNormalByQuadrature(to: p, direction: .forward, low: -12, high: 14,
                                            locs: grid(-4, 8, 25), scales: grid(0.1, 3, 30))
    var mean = 0.0, secondMoment = 0.0
    for k in 0..<2 {
        mean += weights[k] * locs[k]
        secondMoment += weights[k] * (scales[k] * scales[k] + locs[k] * locs[k])
    }
    print("  mass-covering fit, argmin KL(p ‖ q): N(\(forward.loc), \(forward.scale)), KL \(forward.kl)")
    print("    p's mean and standard deviation:   N(\(mean), \((secondMoment - mean * mean).squareRoot())); reference ≈ N(2.0, 2.525)")
}
