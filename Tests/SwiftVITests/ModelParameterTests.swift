import RealModule
import Testing
@testable import SwiftVI

/// Latent zᵢ ~ N(0, 1) observed through yᵢ ~ N(zᵢ, σ) with the noise σ a
/// learnable model parameter. Marginally yᵢ ~ N(0, 1 + σ²), so the maximum
/// marginal likelihood is σ̂² = mean(y²) − 1; the exact posterior of each zᵢ is
/// normal and independent of the others, so AutoNormal holds it and
/// maximizing the ELBO over guide and σ together reaches σ̂.
private enum LearnedNoise {
    static let n = 40
    static let y: [Double] = PRNGKey(seed: 11).normal(n).map { $0 * (1 + 0.8 * 0.8).squareRoot() }
    /// σ̂ in closed form.
    static var maximumMarginalLikelihood: Double { (y.reduce(0) { $0 + $1 * $1 } / Double(n) - 1).squareRoot() }

    static var program: Program<Void> {
        { ctx in
            let sigma = try ctx.param("sigma", Tensor(1), constraint: .positive)
            try ctx.plate("data", size: n) { _ in
                let z = try ctx.sample("z", Normal(loc: 0, scale: 1))
                try ctx.sample("y", Normal(loc: z, scale: sigma), obs: Tensor(y))
            }
        }
    }

    /// The same model as a callback over the latent block z and the parameter block sigma.
    static func callbackModel() throws -> CallbackModel {
        let blocks = [LatentBlock(name: "z", size: n),
                      LatentBlock(name: "sigma", size: 1, constraint: .positive, kind: .parameter)]
        return try CallbackModel(latents: blocks) { points, count in
            let width = n + 1
            var values: [Double] = [], gradient: [Double] = []
            for s in 0..<count {
                let row = Array(points[s * width ..< (s + 1) * width]), sigma = row[n]
                var value = 0.0, dSigma = 0.0
                var g = [Double](repeating: 0, count: width)
                for i in 0..<n {
                    let z = row[i], r = y[i] - z
                    value += -0.5 * z * z - 0.5 * r * r / (sigma * sigma) - Double.log(sigma)
                    g[i] = -z + r / (sigma * sigma)
                    dSigma += r * r / (sigma * sigma * sigma) - 1 / sigma
                }
                g[n] = dSigma
                values.append(value)
                gradient += g
            }
            return (values, gradient)
        }
    }
}

@Suite struct ModelParameterTests {
    @Test func programParamSitesAreModelParametersLearnedJointlyWithTheGuide() throws {
        let model = try ProgramModel(LearnedNoise.program)
        #expect(model.parameterBlocks.map(\.name) == ["sigma"] && model.initialParameters == [0])
        let svi = try SVI(model: model, guide: AutoNormal(model: model), optimizer: Adam(learningRate: 0.02),
                          loss: TraceELBO(numParticles: 4))
        #expect(Set(svi.parameterBlocks.map(\.name)) == ["z_auto_loc", "z_auto_scale", "sigma"])
        let params = try averagedFit(model: model, guide: AutoNormal(model: model), steps: 1500, averaged: 500,
                                     particles: 4, seed: 5)
        #expect(abs(params["sigma"]![0] - LearnedNoise.maximumMarginalLikelihood) < 0.02)
    }

    @Test func callbackParameterBlocksAreSeenByTheFunctionAndLearned() throws {
        let model = try LearnedNoise.callbackModel()
        #expect(model.latents.map(\.name) == ["z"] && model.dimension == LearnedNoise.n)
        #expect(model.callbackDimension == LearnedNoise.n + 1)
        let params = try averagedFit(model: model, guide: AutoNormal(model: model), steps: 1500, averaged: 500,
                                     particles: 4, seed: 5)
        #expect(abs(params["sigma"]![0] - LearnedNoise.maximumMarginalLikelihood) < 0.02)
    }

    @Test func theLossIsDifferentiableInTheModelParameters() throws {
        // With the guide fixed, the loss's gradient in log σ matches finite differences of the loss.
        for model in [try ProgramModel(LearnedNoise.program) as any LogDensityModel, try LearnedNoise.callbackModel()] {
            let guide = try AutoNormal(model: model)
            let svi = try SVI(model: model, guide: guide, optimizer: SGD(learningRate: 0.1), loss: TraceELBO(numParticles: 2))
            let state = try svi.initialize(key: PRNGKey(seed: 1))
            let at = { (logSigma: Double) throws -> Double in
                var moved = state
                moved.parameters[moved.parameters.count - 1] = logSigma
                return try svi.evaluate(moved)
            }
            let step = 1e-5, u = 0.3
            let numeric = (try at(u + step) - at(u - step)) / (2 * step)
            var moved = state
            moved.parameters[moved.parameters.count - 1] = u
            let before = moved.parameters
            let after = try svi.update(moved).state.parameters
            // SGD's first step moves each coordinate by −0.1 × its gradient.
            #expect(close((before.last! - after.last!) / 0.1, numeric, relative: 1e-5, absolute: 1e-6))
        }
    }

    @Test func fittedModelParametersReachPredictiveAndEvidence() throws {
        let model = try ProgramModel(LearnedNoise.program), guide = try AutoNormal(model: model)
        let svi = try SVI(model: model, guide: guide, optimizer: Adam(learningRate: 0.02), loss: TraceELBO())
        let fit = try svi.run(key: PRNGKey(seed: 2), numSteps: 10)
        var other = fit.params
        other["sigma"] = [3.0]
        let a = try estimateELBO(model: model, guide: guide, params: fit.params, numSamples: 10, key: PRNGKey(seed: 4))
        let b = try estimateELBO(model: model, guide: guide, params: other, numSamples: 10, key: PRNGKey(seed: 4))
        #expect(a.value != b.value)
        var missing = fit.params
        missing["sigma"] = nil
        #expect(throws: SVIError.invalidArgument("no value for the model parameter 'sigma'")) {
            try Predictive(model: model, guide: guide, params: missing, numSamples: 2)
        }
        let restored = try svi.restore(fit.state.serialized())
        #expect(restored == fit.state)
    }

    @Test func modelParametersAreCheckedWhereTheyAreDeclared() throws {
        let clash: Program<Void> = { ctx in
            let m = try ctx.param("z_auto_loc", Tensor(0))
            try ctx.sample("z", Normal(loc: m, scale: 1))
        }
        let model = try ProgramModel(clash)
        #expect(throws: SVIError.invalidArgument("the model parameter 'z_auto_loc' has the name of a guide parameter")) {
            try SVI(model: model, guide: AutoNormal(model: model), optimizer: Adam(learningRate: 0.1), loss: TraceELBO())
        }
        let outside: Program<Void> = { ctx in
            let s = try ctx.param("s", Tensor(-1), constraint: .positive)
            try ctx.sample("z", Normal(loc: 0, scale: s))
        }
        #expect(throws: SVIError.self) { try ProgramModel(outside) }
        let blocks = [LatentBlock(name: "z", size: 1), LatentBlock(name: "t", size: 1, kind: .parameter)]
        #expect(throws: SVIError.invalidArgument("parameter block 't' needs the gradient of the log-density; this model gives none")) {
            try CallbackModel(latents: blocks) { points, count in [Double](repeating: 0, count: count) }
        }
        #expect(throws: SVIError.invalidArgument("a model needs at least one latent block")) {
            try CallbackModel(latents: [blocks[1]]) { _, count in ([Double](repeating: 0, count: count), []) }
        }
    }
}
