import Testing
@testable import SwiftVI

@Suite struct CoinProgramTests {
    @Test func theCoinProgramFitsTheQuadratureOptimumAndTheEvidence() throws {
        let model = try ProgramModel(Coin.program)
        // AutoNormal works on the logit: the unconstrained coordinate of the prior's (0, 1) support.
        #expect(model.latents == [LatentBlock(name: "p", size: 1, constraint: .interval(low: 0, high: 1))])
        let guide = try AutoNormal(model: model)
        let params = try averagedFit(model: model, guide: guide, steps: 3000, averaged: 1500, learningRate: 0.01,
                                     particles: 8, seed: 3)
        #expect(abs(params["p_auto_loc"]![0] - Coin.optimum.loc) < 0.01)
        #expect(abs(params["p_auto_scale"]![0] - Coin.optimum.scale) < 0.01)
        let evidence = try logEvidence(model: model, guide: guide, params: params, numSamples: 10_000, key: PRNGKey(seed: 1))
        #expect(evidence.standardError < 0.01)
        #expect(abs(evidence.value - Coin.logEvidence) < 4 * evidence.standardError)
    }
}
