import RealModule
import Testing
@testable import SwiftVI

/// The mean and standard error of the mean of `xs`.
private func meanAndError(_ xs: [Double]) -> (mean: Double, error: Double) {
    let (mean, variance) = moments(xs)
    return (mean, (variance / Double(xs.count)).squareRoot())
}

/// The flat AutoNormal parameters of the one-coordinate coin guide N(loc, scale).
private func coinGuideParameters(loc: Double, scale: Double) -> Tensor {
    Tensor([loc, inverseSoftplus(scale)])
}

/// The negated bounds `elbo` estimates at the guide's `parameters`, over `count` keys.
private func bounds(_ elbo: any ELBO, model: any LogDensityModel, guide: any Guide, parameters: Tensor,
                    count: Int) throws -> [Double] {
    try PRNGKey(seed: 11).split(count).map {
        -(try elbo.loss(model: model, guide: guide, parameters: parameters, key: $0).scalars[0])
    }
}

@Suite struct ELBOTests {
    @Test func theCoinOptimumFoundByQuadratureIsTheOneOfTheIssue() {
        #expect(abs(Coin.optimum.loc - -0.330) < 0.001)
        #expect(abs(Coin.optimum.scale - 0.817) < 0.001)
    }

    @Test func coinFitMatchesTheQuadratureOptimumAndTheEvidence() throws {
        let model = try Coin.model()
        let guide = try AutoNormal(model: model)
        let params = try averagedFit(model: model, guide: guide, loss: TraceELBO(numParticles: 32),
                                     steps: 4000, averaged: 2000, learningRate: 0.01, seed: 3)
        #expect(abs(params["p_auto_loc"]![0] - Coin.optimum.loc) < 0.01)
        #expect(abs(params["p_auto_scale"]![0] - Coin.optimum.scale) < 0.01)

        let evidence = try logEvidence(model: model, guide: guide, params: params, numSamples: 200_000, key: PRNGKey(seed: 1))
        #expect(evidence.standardError < 0.003)
        #expect(abs(evidence.value - Coin.logEvidence) < min(4 * evidence.standardError, 0.01))
        let elbo = try estimateELBO(model: model, guide: guide, params: params, numSamples: 200_000, key: PRNGKey(seed: 2))
        let exact = Coin.elbo(loc: params["p_auto_loc"]![0], scale: params["p_auto_scale"]![0])
        #expect(abs(elbo.value - exact) < 4 * elbo.standardError)
        #expect(elbo.value < evidence.value)
    }

    @Test func aGradientFreeCoinConvergesToTheSameOptimum() throws {
        let model = try Coin.model(withGradient: false)
        #expect(!model.hasGradient)
        let params = try averagedFit(model: model, guide: AutoNormal(model: model), loss: TraceELBO(numParticles: 32),
                                     steps: 4000, averaged: 2000, learningRate: 0.01, seed: 3)
        #expect(abs(params["p_auto_loc"]![0] - Coin.optimum.loc) < 0.02)
        #expect(abs(params["p_auto_scale"]![0] - Coin.optimum.scale) < 0.02)
    }

    @Test func theScoreFunctionGradientIsUnbiased() throws {
        // The gradient of the quadrature ELBO at (loc, scale) = (0.4, 0.6) against the
        // mean of the score-function gradients with respect to (loc, softplus⁻¹ scale).
        let model = try Coin.model(withGradient: false), guide = try AutoNormal(model: model)
        let (loc, raw) = (0.4, inverseSoftplus(0.6))
        let exact = finiteDifferenceGradient([loc, raw], step: 1e-4) { -Coin.elbo(loc: $0[0], scale: softplusForTest($0[1])) }
        let elbo = try TraceELBO(numParticles: 8)
        let gradients = try PRNGKey(seed: 5).split(4000).map { key in
            let tape = Tape()
            let parameters = tape.variable(Tensor([loc, raw]))
            let loss = try elbo.loss(model: model, guide: guide, parameters: parameters, key: key)
            return tape.gradient(of: loss, wrt: [parameters])[0].scalars
        }
        for i in 0..<2 {
            let (mean, error) = meanAndError(gradients.map { $0[i] })
            #expect(abs(mean - exact[i]) < 4 * error, "coordinate \(i): \(mean) ± \(error) vs \(exact[i])")
        }
    }

    @Test func aGradientFreeModelNeedsTwoParticlesAndRefusesThePathwiseGradient() throws {
        let model = try Coin.model(withGradient: false), guide = try AutoNormal(model: model)
        let tape = Tape()
        let parameters = tape.variable(coinGuideParameters(loc: 0, scale: 1))
        #expect(throws: SVIError.self) {
            try TraceELBO(numParticles: 1).loss(model: model, guide: guide, parameters: parameters, key: PRNGKey(seed: 0))
        }
        #expect(throws: SVIError.self) { try model.logDensity(tape.variable(Tensor(shape: [1, 1], scalars: [0]))) }
    }

    @Test func vectorizedAndOneByOneParticlesGiveTheSameLoss() throws {
        final class Calls { var sizes: [Int] = [] }
        let calls = Calls()
        let model = try CallbackModel(latents: [LatentBlock(name: "p", size: 1, constraint: .unitInterval)]) { points, count in
            calls.sizes.append(count)
            let evaluated = points.map(Coin.logJoint)
            return (evaluated.map(\.value), evaluated.map(\.derivative))
        }
        let guide = try AutoNormal(model: model), parameters = coinGuideParameters(loc: 0.2, scale: 0.5)
        let batched = try TraceELBO(numParticles: 5).loss(model: model, guide: guide, parameters: parameters, key: PRNGKey(seed: 4))
        #expect(calls.sizes == [5])
        let single = try TraceELBO(numParticles: 5, vectorizeParticles: false)
            .loss(model: model, guide: guide, parameters: parameters, key: PRNGKey(seed: 4))
        #expect(calls.sizes == [5, 1, 1, 1, 1, 1])
        #expect(close(batched.scalars[0], single.scalars[0], relative: 1e-14))
    }

    @Test func renyiBoundsWithOneParticleAreTraceELBOs() throws {
        let model = try Coin.model(), guide = try AutoNormal(model: model)
        let parameters = coinGuideParameters(loc: 0.1, scale: 0.9)
        let trace = try TraceELBO().loss(model: model, guide: guide, parameters: parameters, key: PRNGKey(seed: 8))
        for alpha in [0.0, 0.5, -1, 2] {
            let renyi = try RenyiELBO(alpha: alpha, numParticles: 1)
                .loss(model: model, guide: guide, parameters: parameters, key: PRNGKey(seed: 8))
            #expect(close(renyi.scalars[0], trace.scalars[0], relative: 1e-12))
        }
    }

    @Test func renyiBoundIsNumPyrosFormulaOfTheLogWeights() throws {
        let model = try Coin.model(), guide = try AutoNormal(model: model)
        let parameters = coinGuideParameters(loc: -0.5, scale: 1.3), key = PRNGKey(seed: 9), alpha = 0.3
        let keys = key.split(2)
        let (z, logq) = try guide.sample(parameters: parameters, count: 6, key: keys[0])
        let w = zip(z.scalars, logq.scalars).map { u, lq in
            let p = 1 / (1 + Double.exp(-u))
            return Coin.logJoint(p).value + Double.log(p * (1 - p)) - lq
        }
        let expected = Double.log(w.map { Double.exp((1 - alpha) * $0) }.reduce(0, +) / 6) / (1 - alpha)
        let loss = try RenyiELBO(alpha: alpha, numParticles: 6).loss(model: model, guide: guide, parameters: parameters, key: key)
        #expect(close(-loss.scalars[0], expected, relative: 1e-12))
    }

    @Test func theIWAEBoundLiesAboveTraceELBOsAndBelowTheEvidence() throws {
        let model = try Coin.model(), guide = try AutoNormal(model: model)
        let parameters = coinGuideParameters(loc: 0.5, scale: 1.2)
        let iwae = meanAndError(try bounds(RenyiELBO(alpha: 0, numParticles: 8), model: model, guide: guide,
                                           parameters: parameters, count: 4000))
        let trace = meanAndError(try bounds(TraceELBO(numParticles: 8), model: model, guide: guide,
                                            parameters: parameters, count: 4000))
        #expect(abs(trace.mean - Coin.elbo(loc: 0.5, scale: 1.2)) < 4 * trace.error)
        let gap = iwae.mean - trace.mean, gapError = (iwae.error * iwae.error + trace.error * trace.error).squareRoot()
        #expect(gap > 4 * gapError)
        #expect(iwae.mean < Coin.logEvidence + 4 * iwae.error)
    }

    @Test func renyiRejectsAlphaOneAndNonFiniteAlpha() {
        #expect(throws: SVIError.invalidArgument("RenyiELBO: alpha = 1 is the usual ELBO; use Trace_ELBO for it")) {
            try RenyiELBO(alpha: 1)
        }
        #expect(throws: SVIError.self) { try RenyiELBO(alpha: .nan) }
        #expect(throws: SVIError.self) { try RenyiELBO(alpha: 0, numParticles: 0) }
        #expect(throws: SVIError.self) { try TraceMeanFieldELBO(numParticles: 0) }
    }

    @Test func evidenceEstimatesNeedTwoSamplesAndKnownParameters() throws {
        let model = try Coin.model(), guide = try AutoNormal(model: model)
        let params = ["p_auto_loc": [0.0], "p_auto_scale": [1.0]]
        #expect(throws: SVIError.self) { try logEvidence(model: model, guide: guide, params: params, numSamples: 1, key: PRNGKey(seed: 0)) }
        #expect(throws: SVIError.self) {
            try estimateELBO(model: model, guide: guide, params: ["p_auto_loc": [0.0]], numSamples: 10, key: PRNGKey(seed: 0))
        }
        #expect(throws: SVIError.self) {
            try estimateELBO(model: model, guide: guide, params: ["p_auto_loc": [0.0], "p_auto_scale": [-1.0]],
                             numSamples: 10, key: PRNGKey(seed: 0))
        }
    }
}

/// z ~ N(0, 1), yᵢ ~ N(z, 2) for two observations (weak, so the prior term
/// dominates the variance), with the guide z ~ N(loc, scale).
private enum NormalNormal {
    static let y = [0.9, 1.4], noise = 2.0

    static func model() throws -> ProgramModel {
        try ProgramModel { ctx in
            let z = try ctx.sample("z", Normal(loc: 0, scale: 1))
            try ctx.plate("data", size: y.count) { _ in
                try ctx.sample("y", Normal(loc: z, scale: Tensor(noise)), obs: Tensor(y))
            }
        }
    }

    static func guide(_ model: ProgramModel, loc: Double, scale: Double) throws -> ProgramGuide {
        try ProgramGuide({ ctx in
            let l = try ctx.param("loc", Tensor(loc))
            let s = try ctx.param("scale", Tensor(scale), constraint: .positive)
            try ctx.sample("z", Normal(loc: l, scale: s))
        }, model: model)
    }

    /// The ELBO in closed form: Σᵢ E_q log N(yᵢ | z, σ) − KL(N(loc, scale) ‖ N(0, 1)).
    static func elbo(loc: Double, scale: Double) -> Double {
        let likelihood = y.reduce(0.0) { total, yi in
            total - 0.5 * Double.log(2 * Double.pi * noise * noise) - ((yi - loc) * (yi - loc) + scale * scale) / (2 * noise * noise)
        }
        return likelihood - 0.5 * (scale * scale + loc * loc - 1 - 2 * Double.log(scale))
    }
}

@Suite struct TraceMeanFieldTests {
    /// With the guide away from the posterior, as early in a fit, the Monte Carlo
    /// noise of the KL term dominates Trace_ELBO's variance. (Near the posterior
    /// Trace_ELBO's integrand is nearly constant and its variance can be the lower.)
    @Test func meanFieldEqualsTraceELBOInExpectationWithLowerVariance() throws {
        let model = try NormalNormal.model(), guide = try NormalNormal.guide(model, loc: 1.0, scale: 0.4)
        let parameters = Tensor(guide.initialParameters(key: PRNGKey(seed: 0)))
        let meanField = try bounds(TraceMeanFieldELBO(), model: model, guide: guide, parameters: parameters, count: 3000)
        let trace = try bounds(TraceELBO(), model: model, guide: guide, parameters: parameters, count: 3000)
        let exact = NormalNormal.elbo(loc: 1.0, scale: 0.4)
        let (mf, mfError) = meanAndError(meanField), (tr, trError) = meanAndError(trace)
        #expect(abs(mf - exact) < 4 * mfError)
        #expect(abs(tr - exact) < 4 * trError)
        #expect(moments(meanField).variance < 0.1 * moments(trace).variance)
    }

    @Test func meanFieldGradientMatchesTheClosedForm() throws {
        let model = try NormalNormal.model(), guide = try NormalNormal.guide(model, loc: 0.3, scale: 0.7)
        let start = guide.initialParameters(key: PRNGKey(seed: 0))
        // Parameters are (loc, log scale); the closed form's gradient by finite differences.
        let exact = finiteDifferenceGradient(start) { -NormalNormal.elbo(loc: $0[0], scale: Double.exp($0[1])) }
        let gradients = try PRNGKey(seed: 3).split(2000).map { key in
            let tape = Tape()
            let parameters = tape.variable(Tensor(start))
            let loss = try TraceMeanFieldELBO().loss(model: model, guide: guide, parameters: parameters, key: key)
            return tape.gradient(of: loss, wrt: [parameters])[0].scalars
        }
        for i in 0..<2 {
            let (mean, error) = meanAndError(gradients.map { $0[i] })
            #expect(abs(mean - exact[i]) < 4 * error + 1e-9, "coordinate \(i): \(mean) ± \(error) vs \(exact[i])")
        }
    }

    @Test func callbackModelsFallBackToTraceELBO() throws {
        let model = try Coin.model(), guide = try AutoNormal(model: model)
        let parameters = coinGuideParameters(loc: 0.1, scale: 0.9)
        let meanField = try TraceMeanFieldELBO(numParticles: 4).loss(model: model, guide: guide, parameters: parameters, key: PRNGKey(seed: 6))
        let trace = try TraceELBO(numParticles: 4).loss(model: model, guide: guide, parameters: parameters, key: PRNGKey(seed: 6))
        #expect(meanField.scalars == trace.scalars)
    }
}
