import RealModule
import Testing
@testable import SwiftVI

@Suite struct DiscreteKLTests {
    /// The analytic KL agrees with Monte Carlo within 4 standard errors, and KL(p ‖ p) = 0.
    private func agreesWithMonteCarlo(_ p: any Distribution, _ q: any Distribution, seed: UInt64) throws -> Bool {
        let exact = try klDivergence(p, q).scalars
        let mc = try klMonteCarlo(p, q, numSamples: 200_000, key: PRNGKey(seed: seed))
        let matches = exact.indices.allSatisfy { abs(mc.estimate.scalars[$0] - exact[$0]) < 4 * mc.standardError.scalars[$0] + 1e-12 }
        let selfKL = try klDivergence(p, p).scalars
        return matches && selfKL.allSatisfy { abs($0) < 1e-15 }
    }

    @Test func analyticKLAgreesWithMonteCarlo() throws {
        #expect(try agreesWithMonteCarlo(Bernoulli(probs: Tensor([0.2, 0.7])), Bernoulli(logits: Tensor([0.5, -1])), seed: 1))
        #expect(try agreesWithMonteCarlo(Binomial(totalCount: Tensor(30), probs: Tensor([0.2, 0.7])),
                                         Binomial(totalCount: Tensor(30), logits: Tensor(0.1)), seed: 2))
        #expect(try agreesWithMonteCarlo(Geometric(probs: Tensor([0.2, 0.7])), Geometric(logits: Tensor([0.5, -1])), seed: 3))
        #expect(try agreesWithMonteCarlo(Poisson(rate: Tensor([0.5, 40])), Poisson(rate: Tensor([1.5, 33])), seed: 4))
        #expect(try agreesWithMonteCarlo(Categorical(probs: Tensor([0.1, 0.6, 0.3])), Categorical(logits: Tensor([0.2, -1, 0.4])), seed: 5))
        let base = { (loc: Double) in try Normal(loc: Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5].map { $0 + loc }), scale: Tensor(1.5)) }
        #expect(try agreesWithMonteCarlo(Independent(base: base(0), reinterpretedBatchDims: 1),
                                         Independent(base: base(0.4), reinterpretedBatchDims: 1), seed: 6))
    }

    /// A transformed distribution whose transform parameters add batch
    /// dimensions ([1, 1] from an Affine's loc) has its bases' KL, broadcast to
    /// that batch shape, so Independent can sum over it (found by fuzzing: it trapped).
    @Test func independentOfTransformedWithBatchFromTheTransformSumsTheBroadcastKL() throws {
        let affine = try AffineTransform(loc: Tensor(shape: [1, 1], scalars: [2]), scale: Tensor(shape: [1, 1], scalars: [3]))
        let p = try Independent(base: TransformedDistribution(base: Normal(loc: 0.5, scale: 1), transform: affine),
                                reinterpretedBatchDims: 1)
        let q = try Independent(base: TransformedDistribution(base: Normal(loc: -1, scale: 2), transform: affine),
                                reinterpretedBatchDims: 1)
        let kl = try klDivergence(p, q)
        // KL(N(0.5, 1) ‖ N(−1, 2)) = log 2 + (1 + 1.5²)/8 − 1/2, unchanged by the shared bijection.
        #expect(kl.shape == [1])
        #expect(abs(kl.scalars[0] - (Double.log(2) + (1 + 2.25) / 8 - 0.5)) < 1e-14)
    }

    @Test func impossibleOutcomesMakeTheDivergenceInfinite() throws {
        let inf = Double.infinity
        #expect(try klDivergence(Bernoulli(probs: Tensor([0.3, 0, 1])), Bernoulli(probs: Tensor([0, 0, 1]))).scalars == [inf, 0, 0])
        #expect(try klDivergence(Binomial(totalCount: Tensor([5, 0]), probs: Tensor(0.5)),
                                 Binomial(totalCount: Tensor([5, 0]), probs: Tensor(1))).scalars == [inf, 0])
        #expect(try klDivergence(Poisson(rate: Tensor([2, 0])), Poisson(rate: Tensor([0, 3]))).scalars == [inf, 3])
        #expect(try klDivergence(Geometric(probs: Tensor([0.5, 1])), Geometric(probs: Tensor(1))).scalars == [inf, 0])
        #expect(try klDivergence(Categorical(probs: Tensor([0.5, 0.5, 0])), Categorical(probs: Tensor([1, 0, 0]))).scalars == [inf])
        let zeroMass = try klDivergence(Categorical(probs: Tensor([0.5, 0.5, 0])), Categorical(probs: Tensor([0.25, 0.25, 0.5])))
        #expect(close(zeroMass.scalars[0], Double.log(2)))
    }

    @Test func closedFormsAgainstTheirSeries() throws {
        // KL(Geometric(p) ‖ Geometric(q)) as Σ_k p(k) log(p(k)/q(k)), written out.
        let (a, b) = (0.35, 0.6)
        let series = (0..<300).reduce(0.0) { s, k in
            let lp = Double.log(a) + Double(k) * Double.log(1 - a), lq = Double.log(b) + Double(k) * Double.log(1 - b)
            return s + Double.exp(lp) * (lp - lq)
        }
        #expect(close(try klDivergence(Geometric(probs: Tensor(a)), Geometric(probs: Tensor(b))).scalars[0], series, relative: 1e-13))
    }

    @Test func gradientsMatchFiniteDifferences() throws {
        #expect(try gradientMatches(at: Tensor([0.3, 0.6])) { t in
            try klDivergence(Bernoulli(probs: t.gathering([0], shape: [])), Bernoulli(probs: t.gathering([1], shape: [])))
        })
        #expect(try gradientMatches(at: Tensor([-0.3, 0.8])) { t in
            try klDivergence(Binomial(totalCount: Tensor(8), logits: t.gathering([0], shape: [])),
                             Binomial(totalCount: Tensor(8), logits: t.gathering([1], shape: [])))
        })
        #expect(try gradientMatches(at: Tensor([0.3, 0.6])) { t in
            try klDivergence(Geometric(probs: t.gathering([0], shape: [])), Geometric(probs: t.gathering([1], shape: [])))
        })
        #expect(try gradientMatches(at: Tensor([-0.3, 0.8])) { t in
            try klDivergence(Geometric(logits: t.gathering([0], shape: [])), Geometric(logits: t.gathering([1], shape: [])))
        })
        #expect(try gradientMatches(at: Tensor([2.5, 1.2])) { t in
            try klDivergence(Poisson(rate: t.gathering([0], shape: [])), Poisson(rate: t.gathering([1], shape: [])))
        })
        #expect(try gradientMatches(at: Tensor([0.1, -0.4, 0.3, 0.9, 0.2, -1])) { t in
            try klDivergence(Categorical(logits: t.gathering([0, 1, 2], shape: [3])), Categorical(logits: t.gathering([3, 4, 5], shape: [3])))
        })
    }

    @Test func deltaAgainstAnyFamilyIsMinusTheLogDensityAtV() throws {
        let q = try Normal(loc: Tensor([0, 1]), scale: Tensor(2))
        let kl = try klDivergence(Delta(v: Tensor([0.5, -1]), logDensity: Tensor(3)), q).scalars
        #expect(kl == (try q.logProb(Tensor([0.5, -1])).scalars.map { -$0 }))
        #expect(try klDivergence(Delta(v: Tensor(2.5)), Poisson(rate: Tensor(2))).scalars == [.infinity])
    }

    @Test func mismatchedPairsAreRejected() throws {
        #expect(throws: SVIError.self) {
            try klDivergence(Binomial(totalCount: Tensor(5), probs: Tensor(0.5)), Binomial(totalCount: Tensor(6), probs: Tensor(0.5)))
        }
        let base = try Normal(loc: Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5]), scale: Tensor(1))
        #expect(throws: SVIError.self) {
            try klDivergence(Independent(base: base, reinterpretedBatchDims: 1), Independent(base: base, reinterpretedBatchDims: 2))
        }
        #expect(throws: SVIError.self) {
            try klDivergence(Independent(base: Poisson(rate: Tensor([1, 2])), reinterpretedBatchDims: 1),
                             Independent(base: Bernoulli(probs: Tensor([0.1, 0.2])), reinterpretedBatchDims: 1))
        }
        #expect(throws: SVIError.self) {
            try klDivergence(Categorical(probs: Tensor([0.5, 0.5])), Categorical(probs: Tensor([0.2, 0.3, 0.5])))
        }
    }
}
