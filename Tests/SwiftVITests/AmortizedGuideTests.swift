import RealModule
import SwiftVI
import Testing

@Suite struct AmortizedGuideTests {
    /// z_n ~ N(0, 1), x_n ~ N(z_n, σ): the posterior of z_n is
    /// N(x_n / (1 + σ²), σ² / (1 + σ²)), linear in x_n, so an encoder without
    /// hidden layers can be exact: loc = x / (1 + σ²), scale = √(σ² / (1 + σ²))
    /// for every x. SVI with minibatches of 20 out of 200 rows finds it.
    @Test func svIWithMinibatchesFitsTheExactAmortizedPosterior() throws {
        let sigma = 0.5, v = sigma * sigma
        let data = Tensor(shape: [200, 1], scalars: PRNGKey(seed: 1).normal(200).map { $0 * (1 + v).squareRoot() })
        let model = try LocalLatentModel(data: data, latentDim: 1, batchSize: 20) { z, x in
            let prior = try Normal(loc: 0, scale: 1).logProb(z)
            let likelihood = try Normal(loc: z, scale: Tensor(sigma)).logProb(x)
            return (prior + likelihood).sum(alongAxis: -1)
        }
        let guide = try AmortizedNormal(model: model)
        let svi = try SVI(model: model, guide: guide, optimizer: Adam(learningRate: 0.02), loss: TraceELBO(numParticles: 4))
        var state = try svi.initialize(key: PRNGKey(seed: 2))
        var averaged = [Double](repeating: 0, count: state.parameters.count)
        for step in 0..<1500 {
            state = try svi.update(state).state
            if step >= 1000 { for i in averaged.indices { averaged[i] += state.parameters[i] / 500 } }
        }
        let probe = Tensor(shape: [3, 1], scalars: [-1, 0, 1.5])
        let (loc, scale) = try guide.encode(probe, parameters: Tensor(averaged))
        for (x, m) in zip(probe.scalars, loc.scalars) { #expect(abs(m - x / (1 + v)) < 0.03) }
        for s in scale.scalars { #expect(abs(s - (v / (1 + v)).squareRoot()) < 0.03) }
    }

    @Test func anAmortizedGuideNeedsAMinibatchModelsBatch() throws {
        let data = Tensor(shape: [4, 1], scalars: [0, 1, 2, 3])
        let model = try LocalLatentModel(data: data, latentDim: 1, batchSize: 2) { z, _ in z.sum(alongAxis: -1) }
        let guide = try AmortizedNormal(model: model, hiddenSizes: [3])
        #expect(throws: SVIError.self) { try guide.sample(parameters: Tensor(guide.initialParameters(key: PRNGKey(seed: 0))), count: 1, key: PRNGKey(seed: 0)) }
        #expect(throws: SVIError.self) { try model.logDensity(Tensor(shape: [1, 2], scalars: [0, 0])) }
        let autoNormal = try AutoNormal(model: model)
        let svi = try SVI(model: model, guide: autoNormal, optimizer: Adam(learningRate: 0.1), loss: TraceELBO())
        #expect(throws: SVIError.self) { try svi.update(svi.initialize(key: PRNGKey(seed: 0))) }
    }
}
