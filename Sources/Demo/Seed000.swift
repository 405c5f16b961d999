import SwiftVI

/// Seed 000: fits q = Normal(loc, scale) to p = 0.5·N(−0.2, 0.4) + 0.5·N(1, 0.5) by
/// minimizing KL(q ‖ p) with SVI, beside the optimum found by quadrature, and
/// estimates KL(N(0, 1) ‖ p) by sampling and by quadrature.
func seed000() throws {
    let p = try MixtureSameFamily(mixture: Categorical(probs: Tensor([0.5, 0.5])),
                                  components: Normal(loc: Tensor([-0.2, 1.0]), scale: Tensor([0.4, 0.5])))
    let model = try DistributionModel(site: "z", distribution: p)
    let svi = try SVI(model: model, guide: try AutoNormal(model: model), optimizer: Adam(learningRate: 0.005),
                      loss: TraceELBO(numParticles: 64))
    let fit = try svi.run(key: PRNGKey(seed: 0), numSteps: 4000)
    let reference = try fitNormalByQuadrature(to: p, direction: .reverse, low: -12, high: 12,
                                              locs: grid(-1, 2, 13), scales: grid(0.2, 1.5, 14))
    let loc = fit.params["z_auto_loc"]![0], scale = fit.params["z_auto_scale"]![0]
    print("Seed 000: fit Normal(loc, scale) to 0.5·N(−0.2, 0.4) + 0.5·N(1, 0.5) by reverse KL")
    print("  SVI (AutoNormal, Trace_ELBO × 64 particles, Adam 0.005, 4000 steps):")
    print("    loc = \(loc), scale = \(scale), final loss = \(fit.losses.suffix(100).reduce(0, +) / 100)")
    print("  reference optimum (quadrature):")
    print("    loc = \(reference.loc), scale = \(reference.scale), KL = \(reference.kl)")
    let mc = try klMonteCarlo(Normal(loc: 0, scale: 1), p, numSamples: 100_000, key: PRNGKey(seed: 1))
    let exact = try klQuadrature(Normal(loc: 0, scale: 1), p, low: -12, high: 12, numPoints: 1024)
    print("  KL(N(0, 1) ‖ p):")
    print("    Monte Carlo, 10⁵ draws: \(mc.estimate.scalars[0]) ± \(mc.standardError.scalars[0]) (standard error)")
    print("    quadrature:             \(exact.scalars[0])")
}
