import RealModule
import Testing
@testable import SwiftVI

@Suite struct DivergenceTests {
    @Test func normalNormalKLMatchesTheDefiningIntegral() throws {
        let p = try Normal(loc: 0.4, scale: 0.8), q = try Normal(loc: -1.1, scale: 1.7)
        let integral = GaussLegendre(points: 16).integrate(-15, 15, panels: 64) { x in
            normalDensity(x, 0.4, 0.8) * Double.log(normalDensity(x, 0.4, 0.8) / normalDensity(x, -1.1, 1.7))
        }
        #expect(close(try klDivergence(p, q).scalars[0], integral, relative: 1e-12))
        #expect(try klDivergence(p, p).scalars[0] == 0)
    }

    @Test func analyticKLAgreesWithMonteCarloInABatch() throws {
        let p = try Normal(loc: Tensor([0.0, 1.0, -2.0]), scale: Tensor([1.0, 0.5, 2.0]))
        let q = try Normal(loc: Tensor(0.5), scale: Tensor(1.2))
        let exact = try klDivergence(p, q).scalars
        let mc = try klMonteCarlo(p, q, numSamples: 200_000, key: PRNGKey(seed: 8))
        for i in 0..<3 { #expect(abs(mc.estimate.scalars[i] - exact[i]) < 4 * mc.standardError.scalars[i]) }
    }

    @Test func missingPairNamesBothFamilies() throws {
        let m = try MixtureSameFamily(mixture: Categorical(probs: Tensor([0.5, 0.5])),
                                      components: Normal(loc: Tensor([-0.2, 1]), scale: Tensor([0.4, 0.5])))
        #expect(throws: SVIError.notImplemented(
            "no analytic KL(MixtureSameFamily ‖ Normal) is registered; estimate it with klMonteCarlo or klQuadrature")) {
            try klDivergence(m, Normal(loc: 0, scale: 1))
        }
    }

    @Test func monteCarloKLOfTheSeedMixtureAgreesWithQuadrature() throws {
        // KL(N(0,1) ‖ 0.5·N(−0.2, 0.4) + 0.5·N(1, 0.5)).
        let p = try Normal(loc: 0, scale: 1)
        let q = try MixtureSameFamily(mixture: Categorical(probs: Tensor([0.5, 0.5])),
                                      components: Normal(loc: Tensor([-0.2, 1]), scale: Tensor([0.4, 0.5])))
        let reference = GaussLegendre(points: 16).integrate(-14, 14, panels: 200) { x in
            normalDensity(x, 0, 1) * Double.log(normalDensity(x, 0, 1) / (0.5 * normalDensity(x, -0.2, 0.4) + 0.5 * normalDensity(x, 1, 0.5)))
        }
        let mc = try klMonteCarlo(p, q, numSamples: 100_000, key: PRNGKey(seed: 1))
        #expect(abs(mc.estimate.scalars[0] - reference) < 3 * mc.standardError.scalars[0])
        #expect(close(try klQuadrature(p, q, low: -14, high: 14, numPoints: 3200).scalars[0], reference, relative: 1e-10))
    }

    @Test func seed003MixtureKLByQuadratureAndSampling() throws {
        // KL(0.4·N(−1, 0.75) + 0.6·N(4, 0.5) ‖ N(0, 1)) ≈ 4.5455.
        let p = try MixtureSameFamily(mixture: Categorical(probs: Tensor([0.4, 0.6])),
                                      components: Normal(loc: Tensor([-1, 4]), scale: Tensor([0.75, 0.5])))
        let q = try Normal(loc: 0, scale: 1)
        let quadrature = try klQuadrature(p, q, low: -15, high: 15, numPoints: 4000).scalars[0]
        #expect(abs(quadrature - 4.5455) < 1e-3)
        let mc = try klMonteCarlo(p, q, numSamples: 100_000, key: PRNGKey(seed: 3))
        #expect(abs(mc.estimate.scalars[0] - quadrature) < 4 * mc.standardError.scalars[0])
    }

    @Test func estimatorArgumentsAreChecked() throws {
        let p = try Normal(loc: 0, scale: 1)
        #expect(throws: SVIError.self) { try klMonteCarlo(p, p, numSamples: 1, key: PRNGKey(seed: 0)) }
        #expect(throws: SVIError.self) { try klQuadrature(p, p, low: 1, high: 0, numPoints: 8) }
        #expect(throws: SVIError.self) { try klQuadrature(Normal(loc: Tensor([0, 1]), scale: 1), p, low: -1, high: 1, numPoints: 8) }
    }
}
