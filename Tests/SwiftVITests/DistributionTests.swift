import RealModule
import Testing
@testable import SwiftVI

@Suite struct NormalTests {
    let normal = try! Normal(loc: Tensor([0.5, -2.0, 3.0]), scale: Tensor([1.5, 0.3, 2.0]))

    @Test func logProbMatchesTheDensity() throws {
        let x = Tensor(shape: [2, 3], scalars: [0.1, -1.9, 7.0, -3.0, -2.5, 3.3])
        let lp = try normal.logProb(x).scalars
        let mu = [0.5, -2.0, 3.0], sigma = [1.5, 0.3, 2.0]
        for i in 0..<6 {
            #expect(close(lp[i], Double.log(normalDensity(x.scalars[i], mu[i % 3], sigma[i % 3])), relative: 1e-13))
        }
    }

    @Test func cdfIsTheIntegralOfTheDensityAndIcdfItsInverse() throws {
        let d = try Normal(loc: 1.2, scale: 0.7)
        for x in [-1.0, 0.4, 1.2, 2.9] {
            let integral = GaussLegendre(points: 16).integrate(1.2 - 20 * 0.7, x, panels: 64) { normalDensity($0, 1.2, 0.7) }
            #expect(close(try d.cdf(Tensor(x)).scalars[0], integral, relative: 1e-12))
            #expect(close(try d.icdf(d.cdf(Tensor(x))).scalars[0], x, relative: 1e-12))
        }
        // Far tail: Φ(z) ≈ φ(z)/|z| · (1 − 1/z² + 3/z⁴ − 15/z⁶) at z = −30.
        let z = -30.0, tail = normalDensity(z, 0, 1) / 30 * (1 - 1 / 900 + 3 / 810_000 - 15 / 729_000_000)
        #expect(close(try d.cdf(Tensor(1.2 + 0.7 * z)).scalars[0], tail, relative: 1e-8))
    }

    @Test func momentsAndEntropy() throws {
        #expect(try normal.mean.scalars == [0.5, -2.0, 3.0])
        #expect(try normal.variance.scalars == [2.25, 0.09, 4.0])
        // Entropy as −E[log p] by quadrature.
        let d = try Normal(loc: 0.3, scale: 1.7)
        let entropy = try GaussLegendre(points: 16).integrate(-30, 30, panels: 64) { x in
            -normalDensity(x, 0.3, 1.7) * (try d.logProb(Tensor(x)).scalars[0])
        }
        #expect(close(d.entropy().scalars[0], entropy, relative: 1e-12))
    }

    @Test func samplesHaveTheRightMomentsAndShape() throws {
        let s = normal.sample([50_000], key: PRNGKey(seed: 1))
        #expect(s.shape == [50_000, 3])
        for j in 0..<3 {
            let (m, v) = moments((0..<50_000).map { s.scalars[$0 * 3 + j] })
            let sigma = [1.5, 0.3, 2.0][j]
            #expect(abs(m - [0.5, -2.0, 3.0][j]) < 5 * sigma / 50_000.0.squareRoot())
            #expect(abs(v - sigma * sigma) < 5 * sigma * sigma * (2.0 / 50_000).squareRoot())
        }
    }

    @Test func reparameterizedSampleGradientMatchesTheExactExpectation() throws {
        // E[x²] = μ² + σ², so d/dμ = 2μ and d/dσ = 2σ; the pathwise estimate over many draws approaches it.
        let (_, g) = try valueWithGradient(at: Tensor([0.7, 1.3])) { t in
            let d = try Normal(loc: t.gathering([0], shape: []), scale: t.gathering([1], shape: []))
            return d.sample([200_000], key: PRNGKey(seed: 4)).squared().mean()
        }
        #expect(abs(g.scalars[0] - 1.4) < 0.02)
        #expect(abs(g.scalars[1] - 2.6) < 0.03)
    }

    @Test func invalidParametersAreRejectedWithTheirName() {
        #expect(throws: SVIError.invalidArgument("Normal: scale must be positive and finite; got -1.0 at index 0")) {
            try Normal(loc: 0, scale: -1)
        }
        #expect(throws: SVIError.self) { try Normal(loc: Tensor(.nan), scale: 1) }
        #expect(throws: SVIError.self) { try Normal(loc: Tensor([1, 2]), scale: Tensor([1, 2, 3])) }
        #expect(throws: SVIError.self) { try normal.logProb(Tensor([1, 2])) }
    }
}

@Suite struct CategoricalAndMixtureTests {
    let probs = [0.2, 0.5, 0.3]

    @Test func categoricalLogProbOutsideTheSupportIsMinusInfinity() throws {
        let c = try Categorical(probs: Tensor(probs))
        let lp = try c.logProb(Tensor([0, 1, 2, 3, -1, 0.5])).scalars
        #expect(zip(lp.prefix(3), probs).allSatisfy { close($0, Double.log($1), relative: 1e-14) })
        #expect(lp.suffix(3).allSatisfy { $0 == -.infinity })
    }

    @Test func categoricalLogitsAreNormalizedAndSamplesFollowTheProbabilities() throws {
        let c = try Categorical(logits: Tensor([1.0, 2.0, 0.5]))
        let z = Double.exp(1) + Double.exp(2) + Double.exp(0.5)
        #expect(close(c.probs.scalars[1], Double.exp(2) / z, relative: 1e-14))
        let draws = c.sample([60_000], key: PRNGKey(seed: 9)).scalars
        for k in 0..<3 {
            let p = c.probs.scalars[k], f = Double(draws.filter { $0 == Double(k) }.count) / 60_000
            #expect(abs(f - p) < 5 * (p * (1 - p) / 60_000).squareRoot())
        }
        #expect(close(try c.mean.scalars[0], c.probs.scalars[1] + 2 * c.probs.scalars[2]))
        #expect(close(c.entropy().scalars[0], -c.probs.scalars.reduce(0) { $0 + $1 * Double.log($1) }))
    }

    @Test func categoricalRejectsBadProbabilities() {
        #expect(throws: SVIError.self) { try Categorical(probs: Tensor([0.5, 0.6])) }
        #expect(throws: SVIError.self) { try Categorical(probs: Tensor([-0.1, 1.1])) }
        #expect(throws: SVIError.self) { try Categorical(logits: Tensor([.nan, 1])) }
        #expect(throws: SVIError.self) { try Categorical(probs: Tensor(1.0)) }
    }

    func mixture() throws -> MixtureSameFamily {
        try MixtureSameFamily(mixture: Categorical(probs: Tensor([0.3, 0.7])),
                              components: Normal(loc: Tensor([-1.0, 2.0]), scale: Tensor([0.5, 1.5])))
    }

    @Test func mixtureLogProbMatchesTheWeightedDensity() throws {
        let m = try mixture()
        for x in [-3.0, -1.0, 0.4, 2.0, 6.0] {
            let density = 0.3 * normalDensity(x, -1, 0.5) + 0.7 * normalDensity(x, 2, 1.5)
            #expect(close(try m.logProb(Tensor(x)).scalars[0], Double.log(density), relative: 1e-13))
            #expect(close(try m.cdf(Tensor(x)).scalars[0],
                          0.3 * standardNormalCDF((x + 1) / 0.5) + 0.7 * standardNormalCDF((x - 2) / 1.5), relative: 1e-13))
        }
        #expect(try gradientMatches(at: Tensor([0.3, -0.8])) { try m.logProb($0).sum() })
    }

    @Test func mixtureSamplesMatchItsMoments() throws {
        let m = try mixture()
        let mean = 0.3 * -1 + 0.7 * 2.0
        let variance = 0.3 * (0.25 + 1) + 0.7 * (2.25 + 4) - mean * mean
        #expect(close(try m.mean.scalars[0], mean, relative: 1e-14))
        #expect(close(try m.variance.scalars[0], variance, relative: 1e-14))
        let (sm, sv) = moments(m.sample([100_000], key: PRNGKey(seed: 2)).scalars)
        #expect(abs(sm - mean) < 5 * (variance / 100_000).squareRoot())
        #expect(abs(sv - variance) < 0.05 * variance)
    }

    @Test func mixtureBatchesBroadcast() throws {
        let m = try MixtureSameFamily(mixture: Categorical(probs: Tensor(shape: [2, 2], scalars: [0.3, 0.7, 0.6, 0.4])),
                                      components: Normal(loc: Tensor([-1.0, 2.0]), scale: Tensor([0.5, 1.5])))
        #expect(m.batchShape == [2])
        #expect(m.sample([5], key: PRNGKey(seed: 1)).shape == [5, 2])
        let lp = try m.logProb(Tensor([0.0, 0.0])).scalars
        #expect(close(lp[1], Double.log(0.6 * normalDensity(0, -1, 0.5) + 0.4 * normalDensity(0, 2, 1.5)), relative: 1e-13))
    }

    @Test func mixtureRejectsMismatchedComponents() {
        #expect(throws: SVIError.self) {
            try MixtureSameFamily(mixture: Categorical(probs: Tensor([0.5, 0.5])),
                                  components: Normal(loc: Tensor([0, 1, 2]), scale: 1))
        }
    }
}
