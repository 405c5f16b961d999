import RealModule
import Testing
@testable import SwiftVI

@Suite struct MultivariateKLTests {
    @Test func seed004TriLAgainstDiagonalHasTheHandComputedClosedForm() throws {
        // p = N(0, Σp) with scale_tril Lp = [[1, 0], [1.25, 0.5]]: Σp = [[1, 1.25], [1.25, 1.8125]],
        //   det Σp = (1 · 0.5)² = 0.25, Σp⁻¹ = 4 · [[1.8125, −1.25], [−1.25, 1]] = [[7.25, −5], [−5, 4]].
        // q = N([1, −1], diag(2², 0.5²)): Σq = diag(4, 0.25), det Σq = 1.
        // KL(q ‖ p) = ½ [tr(Σp⁻¹Σq) + (μp − μq)ᵀ Σp⁻¹ (μp − μq) − 2 + ln det Σp − ln det Σq]
        //           = ½ [(7.25·4 + 4·0.25) + (7.25 + 4 + 2·5) − 2 + ln 0.25 − 0]
        //           = ½ [30 + 21.25 − 2 − ln 4].
        let p = try MultivariateNormal(loc: Tensor([0, 0]), scaleTril: Tensor(shape: [2, 2], scalars: [1, 0, 1.25, 0.5]))
        let q = try MultivariateNormal(loc: Tensor([1, -1]), scaleTril: Tensor([2, 0.5]).diagonalMatrix())
        let byHand = 0.5 * (30 + 21.25 - 2 - Double.log(4))
        #expect(close(try klDivergence(q, p).scalars[0], byHand, relative: 1e-13))
        // The reverse direction, with Σq⁻¹ = diag(0.25, 4): tr = 0.25·1 + 4·1.8125 = 7.5,
        // Mahalanobis 0.25 + 4 = 4.25, so KL(p ‖ q) = ½ [7.5 + 4.25 − 2 + ln 1 − ln 0.25].
        #expect(close(try klDivergence(p, q).scalars[0], 0.5 * (7.5 + 4.25 - 2 + Double.log(4)), relative: 1e-13))
    }

    /// A batch of two MultivariateNormals of dimension 3, one per parameterization asked for.
    func normal(_ kind: Int, seed: UInt64) throws -> MultivariateNormal {
        let loc = randomTensor([2, 3], seed: seed)
        let spd = Tensor(shape: [2, 3, 3], scalars: randomSPD(3, seed: seed + 1).map { $0 / 3 } + randomSPD(3, seed: seed + 2).map { $0 / 3 })
        switch kind {
        case 0: return try MultivariateNormal(loc: loc, covarianceMatrix: spd)
        case 1: return try MultivariateNormal(loc: loc, precisionMatrix: spd)
        default: return try MultivariateNormal(loc: loc, scaleTril: spd.cholesky())
        }
    }

    func lowRank(seed: UInt64) throws -> LowRankMultivariateNormal {
        try LowRankMultivariateNormal(loc: randomTensor([3], seed: seed), covFactor: randomTensor([2, 3, 2], seed: seed + 1) * 0.7,
                                      covDiag: randomTensor([3], seed: seed + 2).exp())
    }

    @Test func analyticKLAgreesWithMonteCarloForEveryPair() throws {
        // Each parameterization on each side, then the low-rank family on either side.
        var pairs: [(any Distribution, any Distribution)] = try (0..<3).map { (try normal($0, seed: 50), try normal(($0 + 1) % 3, seed: 60)) }
        pairs += [(try lowRank(seed: 70), try normal(0, seed: 80)), (try normal(2, seed: 90), try lowRank(seed: 100)),
                  (try lowRank(seed: 110), try lowRank(seed: 120))]
        for (i, (p, q)) in pairs.enumerated() {
            let exact = try klDivergence(p, q)
            #expect(exact.shape == [2])
            let mc = try klMonteCarlo(p, q, numSamples: 20_000, key: PRNGKey(seed: 200 + UInt64(i)))
            for b in 0..<2 {
                #expect(abs(mc.estimate.scalars[b] - exact.scalars[b]) < 4 * mc.standardError.scalars[b],
                        "pair \(i) (\(p.familyName) ‖ \(q.familyName)), batch element \(b)")
            }
        }
    }

    @Test func klOfADistributionWithItselfIsZero() throws {
        for kind in 0..<3 {
            let p = try normal(kind, seed: 130)
            #expect(try klDivergence(p, p).scalars.allSatisfy { abs($0) < 1e-12 })
        }
        let exactlyZero = try MultivariateNormal(loc: Tensor([1, 2]), scaleTril: Tensor(shape: [2, 2], scalars: [1.5, 0, 0.3, 0.7]))
        #expect(try klDivergence(exactlyZero, exactlyZero).scalars == [0])
        let l = try lowRank(seed: 140)
        #expect(try klDivergence(l, l).scalars.allSatisfy { abs($0) < 1e-12 })
    }

    @Test func klBroadcastsBatchesAndIsDifferentiable() throws {
        let p = try MultivariateNormal(loc: randomTensor([4, 1, 3], seed: 150), scaleTril: randomLowerTriangular(3, seed: 151))
        let q = try normal(1, seed: 152)
        #expect(try klDivergence(p, q).shape == [4, 2])
        let loc = Tensor([0.2, -0.4, 1.0]), tril = randomLowerTriangular(3, seed: 153)
        #expect(try gradientMatches(at: tril) {
            try klDivergence(MultivariateNormal(loc: loc, scaleTril: lowerPart($0)), q).sum()
        })
        #expect(try gradientMatches(at: loc) { try klDivergence(q, MultivariateNormal(loc: $0, scaleTril: tril)).sum() })
        let factor = randomTensor([3, 2], seed: 154)
        #expect(try gradientMatches(at: factor) {
            try klDivergence(LowRankMultivariateNormal(loc: loc, covFactor: $0, covDiag: Tensor([1, 2, 0.5])), q).sum()
        })
        #expect(try gradientMatches(at: factor) {
            try klDivergence(q, LowRankMultivariateNormal(loc: loc, covFactor: $0, covDiag: Tensor([1, 2, 0.5]))).sum()
        })
    }

    @Test func mismatchedDimensionsAreRejected() throws {
        let p = try MultivariateNormal(loc: Tensor([0, 0]), covarianceMatrix: .identity(2))
        let q = try MultivariateNormal(loc: Tensor([0, 0, 0]), covarianceMatrix: .identity(3))
        #expect(throws: SVIError.self) { try klDivergence(p, q) }
    }
}
