import RealModule
import Testing
@testable import SwiftVI

@Suite struct GammaKLTests {
    /// Pairs of distributions with a registered closed-form KL.
    static func pairs() throws -> [(String, any Distribution, any Distribution)] {
        [
            ("Gamma‖Gamma", try Gamma(concentration: 2.5, rate: 1.3), try Gamma(concentration: 1.2, rate: 0.6)),
            ("Gamma‖Gamma small α", try Gamma(concentration: 0.4, rate: 2.0), try Gamma(concentration: 0.9, rate: 1.0)),
            ("Exponential‖Exponential", try Exponential(rate: 0.7), try Exponential(rate: 2.1)),
            ("Exponential‖Gamma", try Exponential(rate: 1.4), try Gamma(concentration: 1.8, rate: 0.9)),
            ("Beta‖Beta", try Beta(concentration1: 2.3, concentration0: 0.8), try Beta(concentration1: 1.1, concentration0: 3.0)),
            ("Dirichlet‖Dirichlet", try Dirichlet(concentration: Tensor([1.5, 0.6, 3.0])),
             try Dirichlet(concentration: Tensor([2.0, 2.0, 0.9]))),
        ]
    }

    @Test func closedFormsAgreeWithMonteCarloWithinFourStandardErrors() throws {
        for (name, p, q) in try Self.pairs() {
            let exact = try klDivergence(p, q).scalars[0]
            let estimate = try klMonteCarlo(p, q, numSamples: 100_000, key: PRNGKey(seed: 17))
            let (mc, se) = (estimate.estimate.scalars[0], estimate.standardError.scalars[0])
            #expect(abs(exact - mc) <= 4 * se, "\(name): \(exact) vs \(mc) ± \(se)")
            #expect(se < 0.05 * max(exact, 0.1), "\(name): the estimate is informative")
        }
    }

    @Test func divergenceOfADistributionFromItselfIsZero() throws {
        for (name, p, _) in try Self.pairs() {
            #expect(try klDivergence(p, p).scalars.allSatisfy { $0 == 0 }, "\(name)")
        }
        // Exponential(λ) is Gamma(1, λ).
        let e = try Exponential(rate: 1.7)
        #expect(abs(try klDivergence(e, Gamma(concentration: 1, rate: 1.7)).scalars[0]) < 1e-15)
    }

    @Test func divergencesBroadcastOverBatches() throws {
        let p = try Gamma(concentration: Tensor(shape: [2, 1], scalars: [1.5, 3]), rate: Tensor([1, 2, 4]))
        let q = try Gamma(concentration: 2, rate: 1)
        let kl = try klDivergence(p, q)
        #expect(kl.shape == [2, 3])
        let single = try klDivergence(Gamma(concentration: 3, rate: 4), q).scalars[0]
        #expect(close(kl.scalars[5], single, relative: 1e-14))
        let d = try klDivergence(Dirichlet(concentration: Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])),
                                 Dirichlet(concentration: Tensor([1, 1])))
        #expect(d.shape == [2])
    }

    @Test func divergenceGradientsMatchFiniteDifferences() throws {
        #expect(try gradientMatches(at: Tensor([2.5, 1.3, 1.2, 0.6])) { t in
            try klDivergence(Gamma(concentration: element(t, 0), rate: element(t, 1)),
                             Gamma(concentration: element(t, 2), rate: element(t, 3))) })
        #expect(try gradientMatches(at: Tensor([1.4, 1.8, 0.9])) { t in
            try klDivergence(Exponential(rate: element(t, 0)), Gamma(concentration: element(t, 1), rate: element(t, 2))) })
        #expect(try gradientMatches(at: Tensor([2.3, 0.8, 1.1, 3.0])) { t in
            try klDivergence(Beta(concentration1: element(t, 0), concentration0: element(t, 1)),
                             Beta(concentration1: element(t, 2), concentration0: element(t, 3))) })
        #expect(try gradientMatches(at: Tensor([1.5, 0.6, 3.0, 2.0, 2.0, 0.9])) { t in
            try klDivergence(Dirichlet(concentration: t.gathering([0, 1, 2], shape: [3])),
                             Dirichlet(concentration: t.gathering([3, 4, 5], shape: [3]))) })
    }
}
