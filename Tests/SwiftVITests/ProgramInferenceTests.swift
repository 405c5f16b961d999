import RealModule
import Testing
@testable import SwiftVI

/// log N(x | mu, sigma), written out.
private func logNormal(_ x: Double, _ mu: Double, _ sigma: Double) -> Double {
    -0.5 * ((x - mu) / sigma) * ((x - mu) / sigma) - Double.log(sigma) - 0.5 * Double.log(2 * Double.pi)
}

/// The half-normal distribution of |N(0, scale)|, written here to give a latent
/// site on the positive half-line.
private struct HalfNormalForTest: Distribution {
    let scale: Double
    var familyName: String { "HalfNormalForTest" }
    var batchShape: [Int] { [] }
    var eventShape: [Int] { [] }
    var support: Constraint { .positive }
    var hasReparameterizedSample: Bool { true }
    func logProb(_ value: Tensor) throws -> Tensor {
        Tensor.map(value) { x in
            x > 0 ? (Double.log(2) + logNormal(x, 0, scale), -x / (scale * scale)) : (-.infinity, 0)
        }
    }
    func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor {
        Tensor(shape: sampleShape, scalars: key.normal(sampleShape.reduce(1, *)).map { abs($0) * scale })
    }
    var mean: Tensor { Tensor(scale * (2 / Double.pi).squareRoot()) }
    var variance: Tensor { Tensor(scale * scale * (1 - 2 / Double.pi)) }
    func entropy() -> Tensor { Tensor(0.5 * Double.log(Double.pi * Double.exp(1) / 2) + Double.log(scale)) }
}

/// exp of N(loc, scale), written here as a reparameterized guide family on the positive half-line.
private struct LogNormalForTest: Distribution {
    let loc: Tensor, scale: Tensor
    var familyName: String { "LogNormalForTest" }
    var batchShape: [Int] { [] }
    var eventShape: [Int] { [] }
    var support: Constraint { .positive }
    var hasReparameterizedSample: Bool { true }
    func logProb(_ value: Tensor) throws -> Tensor {
        try Normal(loc: loc, scale: scale).logProb(value.log()) - value.log()
    }
    func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor {
        (loc + scale * Tensor(shape: sampleShape, scalars: key.normal(sampleShape.reduce(1, *)))).exp()
    }
    var mean: Tensor { (loc + scale.squared() * 0.5).exp() }
    var variance: Tensor { (scale.squared().exp() - 1) * (loc * 2 + scale.squared()).exp() }
    func entropy() -> Tensor { loc + scale.log() + (0.5 + 0.5 * Double.log(2 * Double.pi)) }
}

/// A Normal that declares no reparameterized sampler.
private struct ScoreOnlyNormal: Distribution {
    let base: Normal
    var familyName: String { "ScoreOnlyNormal" }
    var batchShape: [Int] { base.batchShape }
    var eventShape: [Int] { [] }
    var support: Constraint { .real }
    var hasReparameterizedSample: Bool { false }
    func logProb(_ value: Tensor) throws -> Tensor { try base.logProb(value) }
    func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor { base.sample(sampleShape, key: key).detached }
    var mean: Tensor { base.mean }
    var variance: Tensor { base.variance }
    func entropy() -> Tensor { base.entropy() }
}

private let observations = [0.8, 1.9, -0.3, 1.1]

/// mu ~ N(0, 2); s ~ HalfNormal(1.5); y_i ~ N(mu, s) observed, in plate "data".
private func locationScaleModel() -> Program<Void> {
    { ctx in
        let mu = try ctx.sample("mu", Normal(loc: 0, scale: 2))
        let s = try ctx.sample("s", HalfNormalForTest(scale: 1.5))
        try ctx.plate("data", size: observations.count) { _ in
            try ctx.sample("y", Normal(loc: mu, scale: s), obs: Tensor(observations))
        }
    }
}

/// The same log-density over (mu, u = log s), written out: the prior and
/// likelihood at s = eᵘ plus the log-Jacobian u.
private func locationScaleDensity(_ mu: Double, _ u: Double) -> Double {
    let s = Double.exp(u)
    return logNormal(mu, 0, 2) + Double.log(2) + logNormal(s, 0, 1.5) + u
        + observations.reduce(0) { $0 + logNormal($1, mu, s) }
}

@Suite struct ProgramInferenceTests {
    @Test func programModelHasABlockPerLatentSiteAndTheUnconstrainedDensity() throws {
        let model = try ProgramModel(locationScaleModel())
        #expect(model.latents == [LatentBlock(name: "mu", size: 1), LatentBlock(name: "s", size: 1, constraint: .positive)])
        #expect(model.latentSites.map(\.shape) == [[], []])
        let points = Tensor(shape: [3, 2], scalars: [0.5, -0.2, 1.1, 0.4, -2, 1.5])
        let densities = try model.logDensity(points).scalars
        for row in 0..<3 {
            #expect(close(densities[row], locationScaleDensity(points.scalars[2 * row], points.scalars[2 * row + 1])))
        }
        #expect(try gradientMatches(at: points) { try model.logDensity($0).sum() })
        let values = try model.constrainedValues([0.5, -0.2])
        #expect(values["mu"]!.scalars == [0.5] && close(values["s"]!.scalars[0], Double.exp(-0.2)))
    }

    @Test func unsupportedProgramsAreRejectedWithReasons() {
        let localLatent: Program<Void> = { ctx in
            try ctx.plate("data", size: 10, subsampleSize: 2) { _ in
                _ = try ctx.sample("z", Normal(loc: 0, scale: 1))
            }
        }
        #expect { try ProgramModel(localLatent) } throws: { ($0 as? SVIError).map { if case .notImplemented = $0 { true } else { false } } ?? false }
        let nothingLatent: Program<Void> = { ctx in try ctx.sample("y", Normal(loc: 0, scale: 1), obs: 1) }
        #expect(throws: SVIError.self) { try ProgramModel(nothingLatent) }
    }

    @Test func aProgramWhoseLatentSitesChangeIsAnErrorNotASilentDraw() throws {
        let branching = try ProgramModel { ctx in
            let mu = try ctx.sample("mu", Normal(loc: 0, scale: 1))
            if mu.scalars[0] > 5 { try ctx.sample("z", Normal(loc: 0, scale: 1)) }
        }
        #expect(branching.latents == [LatentBlock(name: "mu", size: 1)])
        #expect(try branching.logDensity(Tensor(shape: [1, 1], scalars: [0])).scalars[0].isFinite)
        #expect(throws: SVIError.self) { try branching.logDensity(Tensor(shape: [1, 1], scalars: [6])) }
        #expect(throws: SVIError.self) { try branching.logDensity(Tensor(shape: [1, 1], scalars: [6]), key: PRNGKey(seed: 0)) }
    }

    @Test func aSubsampledModelNeedsAKeyAndIsUnbiased() throws {
        let values = (0..<30).map { Double.cos(Double($0)) * 2 }
        let model = try ProgramModel { ctx in
            let mu = try ctx.sample("mu", Normal(loc: 0, scale: 1))
            try ctx.plate("data", size: 30, subsampleSize: 5) { plate in
                try ctx.sample("y", Normal(loc: mu, scale: 1), obs: plate.subsample(Tensor(values)))
            }
        }
        #expect(model.isSubsampled)
        let points = Tensor(shape: [1, 1], scalars: [0.4])
        #expect(throws: SVIError.self) { try model.logDensity(points) }
        let full = logNormal(0.4, 0, 1) + values.reduce(0) { $0 + logNormal($1, 0.4, 1) }
        let many = Tensor(shape: [3000, 1], scalars: [Double](repeating: 0.4, count: 3000))
        let estimates = try model.logDensity(many, key: PRNGKey(seed: 1)).scalars
        let (mean, variance) = moments(estimates)
        #expect(Set(estimates).count > 100, "each row draws a subsample of its own")
        #expect(abs(mean - full) < 4 * (variance / 3000).squareRoot())
    }

    @Test func autoNormalOnARegressionProgramRecoversThePosterior() throws {
        let regression = RegressionProblem()
        let model = try ProgramModel(regression.model)
        #expect(model.latents == [LatentBlock(name: "w", size: 3)])
        let fit = try averagedFit(model: model, guide: AutoNormal(model: model))
        let mean = regression.posteriorMean, sd = regression.meanFieldVariances.map { $0.squareRoot() }
        for i in 0..<3 {
            #expect(abs(fit["w_auto_loc"]![i] - mean[i]) < 0.1 * sd[i])
            #expect(abs(fit["w_auto_scale"]![i] / sd[i] - 1) < 0.1)
        }
    }

    /// loc and scale params, the scale positive, and w ~ N(loc, scale).
    private func normalGuide() -> Program<Void> {
        { ctx in
            let loc = try ctx.param("w_loc", Tensor([0, 0, 0]))
            let scale = try ctx.param("w_scale", Tensor([0.1, 0.1, 0.1]), constraint: .positive)
            try ctx.sample("w", Normal(loc: loc, scale: scale))
        }
    }

    @Test func aHandWrittenGuideMatchesAutoNormal() throws {
        let regression = RegressionProblem()
        let model = try ProgramModel(regression.model)
        let guide = try ProgramGuide(normalGuide(), model: model)
        #expect(guide.parameterBlocks.map(\.name) == ["w_loc", "w_scale"])
        #expect(guide.initialParameters(key: PRNGKey(seed: 0)).map { ($0 * 1e12).rounded() / 1e12 }
                == [0, 0, 0] + [Double](repeating: (Double.log(0.1) * 1e12).rounded() / 1e12, count: 3))
        let handWritten = try averagedFit(model: model, guide: guide)
        let automatic = try averagedFit(model: model, guide: AutoNormal(model: model))
        let sd = regression.meanFieldVariances.map { $0.squareRoot() }
        for i in 0..<3 {
            #expect(abs(handWritten["w_loc"]![i] - automatic["w_auto_loc"]![i]) < 0.15 * sd[i])
            #expect(abs(handWritten["w_scale"]![i] / automatic["w_auto_scale"]![i] - 1) < 0.15)
            #expect(abs(handWritten["w_loc"]![i] - regression.posteriorMean[i]) < 0.1 * sd[i])
            #expect(abs(handWritten["w_scale"]![i] / sd[i] - 1) < 0.1)
        }
    }

    @Test func aGuideDrawOnAConstrainedLatentHasItsDensityInTheUnconstrainedSpace() throws {
        let model = try ProgramModel(locationScaleModel())
        let guide = try ProgramGuide({ ctx in
            let m = try ctx.param("mu_loc", Tensor(0.2))
            try ctx.sample("mu", Normal(loc: m, scale: 0.5))
            let loc = try ctx.param("s_loc", Tensor(-0.3))
            let scale = try ctx.param("s_scale", Tensor(0.7), constraint: .positive)
            try ctx.sample("s", LogNormalForTest(loc: loc, scale: scale))
        }, model: model)
        let parameters = guide.initialParameters(key: PRNGKey(seed: 0))
        #expect(parameters.count == 3 && close(parameters[2], Double.log(0.7)))
        let named = guide.constrainedParameters(parameters)
        #expect(named.map(\.name) == ["mu_loc", "s_loc", "s_scale"] && close(named[2].value[0], 0.7))
        let (points, logq) = try guide.sample(parameters: Tensor(parameters), count: 4, key: PRNGKey(seed: 3))
        #expect(points.shape == [4, 2])
        for row in 0..<4 {
            let (mu, u) = (points.scalars[2 * row], points.scalars[2 * row + 1])
            // In u = log s the guide is N(-0.3, 0.7): the Jacobian of s = eᵘ cancels the LogNormal's 1/s.
            #expect(close(logq.scalars[row], logNormal(mu, 0.2, 0.5) + logNormal(u, -0.3, 0.7)))
        }
    }

    @Test func guidesThatDoNotFitTheModelAreRejected() throws {
        let model = try ProgramModel(RegressionProblem().model)
        let missing: Program<Void> = { ctx in _ = try ctx.param("a", Tensor(0)) }
        #expect(throws: SVIError.self) { try ProgramGuide(missing, model: model) }
        let extra: Program<Void> = { ctx in
            try ctx.sample("w", Normal(loc: Tensor([0, 0, 0]), scale: 1))
            try ctx.sample("v", Normal(loc: 0, scale: 1))
        }
        #expect(throws: SVIError.self) { try ProgramGuide(extra, model: model) }
        let wrongShape: Program<Void> = { ctx in try ctx.sample("w", Normal(loc: Tensor([0, 0]), scale: 1)) }
        #expect(throws: SVIError.self) { try ProgramGuide(wrongShape, model: model) }
        let scoreOnly: Program<Void> = { ctx in
            try ctx.sample("w", ScoreOnlyNormal(base: Normal(loc: Tensor([0, 0, 0]), scale: 1)))
        }
        #expect(try ProgramGuide(scoreOnly, model: model).hasNonReparameterizedSites)
        let discrete: Program<Void> = { ctx in try ctx.sample("w", Poisson(rate: Tensor([1, 1, 1]))) }
        #expect(throws: SVIError.self) { try ProgramGuide(discrete, model: model) }
        let outside: Program<Void> = { ctx in
            let scale = try ctx.param("scale", Tensor(-1), constraint: .positive)
            try ctx.sample("w", Normal(loc: Tensor([0, 0, 0]), scale: scale))
        }
        #expect(throws: SVIError.self) { try ProgramGuide(outside, model: model) }
    }
}
