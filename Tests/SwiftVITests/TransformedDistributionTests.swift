import RealModule
import Testing
@testable import SwiftVI

/// The log-normal density, written out.
func logNormalDensity(_ y: Double, _ mu: Double, _ sigma: Double) -> Double {
    guard y > 0 else { return 0 }
    let z = (Double.log(y) - mu) / sigma
    return Double.exp(-z * z / 2) / (y * sigma * (2 * Double.pi).squareRoot())
}

@Suite struct TransformedDistributionTests {
    let mu = [0.3, -1.0, 2.0], sigma = [0.5, 1.2, 0.8]
    var logNormal: TransformedDistribution {
        try! TransformedDistribution(base: Normal(loc: Tensor(mu), scale: Tensor(sigma)), transform: ExpTransform())
    }

    @Test func expOfNormalIsLogNormal() throws {
        let d = logNormal
        #expect(d.batchShape == [3] && d.eventShape == [] && d.hasReparameterizedSample)
        let y = Tensor(shape: [2, 3], scalars: [0.4, 2.5, 9.0, 1e-3, 0.37, 30])
        let lp = try d.logProb(y).scalars
        for i in 0..<6 {
            #expect(close(lp[i], Double.log(logNormalDensity(y.scalars[i], mu[i % 3], sigma[i % 3])), relative: 1e-13))
        }
        #expect(try d.logProb(Tensor([-1, 0, 1])).scalars[0...1] == [-.infinity, -.infinity])
        #expect(try gradientMatches(at: y) { try d.logProb($0).sum() })
        #expect(try gradientMatches(at: Tensor(sigma)) { s in
            try TransformedDistribution(base: Normal(loc: Tensor(mu), scale: s), transform: ExpTransform()).logProb(y).sum()
        })
    }

    @Test func samplesAreTransformedAndReparameterized() throws {
        let s = logNormal.sample([100_000], key: PRNGKey(seed: 21))
        #expect(s.shape == [100_000, 3] && s.scalars.allSatisfy { $0 > 0 })
        for j in 0..<3 {
            let (m, _) = moments((0..<100_000).map { s.scalars[$0 * 3 + j] })
            let mean = Double.exp(mu[j] + sigma[j] * sigma[j] / 2)
            let sd = mean * (Double.exp(sigma[j] * sigma[j]) - 1).squareRoot()
            #expect(abs(m - mean) < 5 * sd / 100_000.0.squareRoot())
        }
        // d/dμ E[exp(x)] = E[exp(x)], estimated pathwise.
        let (_, g) = try valueWithGradient(at: Tensor(0.2)) { loc in
            try TransformedDistribution(base: Normal(loc: loc, scale: Tensor(0.5)), transform: ExpTransform())
                .sample([200_000], key: PRNGKey(seed: 22)).mean()
        }
        #expect(abs(g.scalars[0] - Double.exp(0.2 + 0.125)) < 0.01)
    }

    @Test func transformParametersWithMoreDimensionsAddBatchDimensionsToSamples() throws {
        // A scalar Normal(1, 1) through x ↦ loc + 2x with loc of shape [3, 1]: batch
        // shape [3, 1], and draws of shape [n, 3, 1] (found by fuzzing: the draws
        // came out as [3, n], the sample dimension broadcast against loc's last one).
        let loc = Tensor(shape: [3, 1], scalars: [-5, 0, 5])
        let d = try TransformedDistribution(base: Normal(loc: Tensor(1), scale: Tensor(1)),
                                            transform: AffineTransform(loc: loc, scale: Tensor(2)))
        #expect(d.batchShape == [3, 1] && d.eventShape == [])
        let n = 40_000, s = d.sample([n], key: PRNGKey(seed: 23))
        #expect(s.shape == [n, 3, 1])
        for j in 0..<3 {
            let (m, _) = moments((0..<n).map { s.scalars[$0 * 3 + j] })
            // Each column is Normal(loc + 2, 2).
            #expect(abs(m - (loc.scalars[j] + 2)) < 5 * 2 / Double(n).squareRoot())
        }
        #expect(try d.logProb(s).shape == [n, 3, 1])
        #expect(try klMonteCarlo(d, d, numSamples: 10, key: PRNGKey(seed: 24)).estimate.shape == [3, 1])
    }

    @Test func cdfAndIcdfOfMonotoneTransforms() throws {
        let d = logNormal
        let y = Tensor([0.8, 0.2, 12.0])
        let f = try d.cdf(y).scalars
        for i in 0..<3 { #expect(close(f[i], standardNormalCDF((Double.log(y.scalars[i]) - mu[i]) / sigma[i]), relative: 1e-14)) }
        #expect(try d.cdf(Tensor([-1, 0, .infinity])).scalars == [0, 0, 1])
        #expect(try d.icdf(d.cdf(y)).scalars.enumerated().allSatisfy { close($1, y.scalars[$0], relative: 1e-12) })
        // A decreasing map: y = 1 - x for x ~ N(0, 1) has cdf 1 - Φ(1 - y).
        let flipped = try TransformedDistribution(base: Normal(loc: 0, scale: 1),
                                                  transform: AffineTransform(loc: Tensor(1), scale: Tensor(-1)))
        #expect(close(try flipped.cdf(Tensor(0.3)).scalars[0], 1 - standardNormalCDF(0.7), relative: 1e-14))
        #expect(close(try flipped.icdf(Tensor(0.9)).scalars[0], 1 - standardNormalQuantile(0.1), relative: 1e-14))
        #expect(throws: SVIError.self) {
            try TransformedDistribution(base: Normal(loc: Tensor([0, 0]), scale: Tensor([1, 1])),
                                        transform: StickBreakingTransform()).cdf(Tensor([0.5, 0.2, 0.3]))
        }
    }

    @Test func momentsAreKnownOnlyForAffineChains() throws {
        let d = try TransformedDistribution(base: Normal(loc: Tensor([0.5, 1]), scale: Tensor([2, 0.3])),
                                            transforms: [AffineTransform(loc: Tensor(1), scale: Tensor(3)), IdentityTransform(),
                                                         AffineTransform(loc: Tensor(-2), scale: Tensor(-0.5))])
        // y = -2 - 0.5 (1 + 3x) = -2.5 - 1.5 x: Normal(-2.5 - 1.5 μ, 1.5 σ).
        let same = try Normal(loc: Tensor([-3.25, -4]), scale: Tensor([3, 0.45]))
        #expect(try d.mean.scalars == same.mean.scalars)
        #expect(zip(try d.variance.scalars, same.variance.scalars).allSatisfy { close($0, $1, relative: 1e-15) })
        #expect(zip(try d.entropy().scalars, same.entropy().scalars).allSatisfy { close($0, $1, relative: 1e-14) })
        let x = Tensor([0.1, -3])
        #expect(zip(try d.logProb(x).scalars, try same.logProb(x).scalars).allSatisfy { close($0, $1, relative: 1e-13) })
        #expect(throws: SVIError.self) { try logNormal.mean }
        #expect(throws: SVIError.self) { try logNormal.entropy() }
    }

    @Test func eventDimensionsComeFromTheTransforms() throws {
        // A batch of four normals read as one vector and broken onto the 5-simplex.
        let base = try Normal(loc: Tensor([0.1, -0.3, 0.5, 0]), scale: Tensor([1, 0.5, 2, 1]))
        let d = try TransformedDistribution(base: base, transform: StickBreakingTransform())
        #expect(d.batchShape == [] && d.eventShape == [5])
        #expect(d.support.name == "simplex")
        let samples = d.sample([1000], key: PRNGKey(seed: 23))
        #expect(samples.shape == [1000, 5] && Constraint.simplex.check(samples).allSatisfy { $0 })
        let y = Tensor([0.1, 0.3, 0.2, 0.15, 0.25])
        let x = try StickBreakingTransform().inverse(y)
        let expected = try base.logProb(x).sum() - (try StickBreakingTransform().logAbsDetJacobian(x, y))
        #expect(close(try d.logProb(y).scalars[0], expected.scalars[0], relative: 1e-13))
        #expect(try d.logProb(Tensor([0.5, 0.6, 0, 0, -0.1])).scalars == [-.infinity])
        #expect(throws: SVIError.self) { try d.logProb(Tensor([0.5, 0.5])) }
        // Packed entries to a correlation factor: the event shape changes rank.
        let corr = try TransformedDistribution(base: Normal(loc: Tensor(shape: [2, 3], scalars: wiggle), scale: Tensor(1)),
                                               transform: CorrCholeskyTransform())
        #expect(corr.batchShape == [2] && corr.eventShape == [3, 3])
        #expect(try corr.logProb(corr.sample([7], key: PRNGKey(seed: 24))).shape == [7] + corr.batchShape)
        #expect(throws: SVIError.self) { try TransformedDistribution(base: Normal(loc: 0, scale: 1), transform: StickBreakingTransform()) }
        #expect(throws: SVIError.self) { try TransformedDistribution(base: Normal(loc: 0, scale: 1), transforms: []) }
    }

    @Test func klOfTheSameTransformIsTheBasesKL() throws {
        let transforms: [any Transform] = [ExpTransform(), try AffineTransform(loc: Tensor(1), scale: Tensor(2))]
        let p = try TransformedDistribution(base: Normal(loc: Tensor([0.2, -1]), scale: Tensor([0.7, 1.3])), transforms: transforms)
        let q = try TransformedDistribution(base: Normal(loc: Tensor([0.5, 0]), scale: Tensor([1.1, 0.6])),
                                            transforms: [ExpTransform(), AffineTransform(loc: Tensor(1), scale: Tensor(2))])
        let kl = try klDivergence(p, q)
        let mc = try klMonteCarlo(p, q, numSamples: 50_000, key: PRNGKey(seed: 25))
        for i in 0..<2 {
            #expect(abs(kl.scalars[i] - mc.estimate.scalars[i]) < 5 * mc.standardError.scalars[i])
        }
        #expect(kl.scalars == (try klDivergence(p.base, q.base)).scalars)
        let other = try TransformedDistribution(base: Normal(loc: 0, scale: 1), transform: SoftplusTransform())
        let expOfStandard = try TransformedDistribution(base: Normal(loc: 0, scale: 1), transform: ExpTransform())
        #expect(throws: SVIError.self) { try klDivergence(other, expOfStandard) }
        // Reinterpreted base dimensions are summed: a vector of normals on the simplex.
        let a = try TransformedDistribution(base: Normal(loc: Tensor([0.1, 0.2]), scale: Tensor([1, 2])), transform: StickBreakingTransform())
        let b = try TransformedDistribution(base: Normal(loc: Tensor([0.3, -0.2]), scale: Tensor([1.5, 1])), transform: StickBreakingTransform())
        let simplexKL = try klDivergence(a, b)
        let simplexMC = try klMonteCarlo(a, b, numSamples: 20_000, key: PRNGKey(seed: 26))
        #expect(simplexKL.shape == [] && abs(simplexKL.scalars[0] - simplexMC.estimate.scalars[0]) < 5 * simplexMC.standardError.scalars[0])
    }
}
