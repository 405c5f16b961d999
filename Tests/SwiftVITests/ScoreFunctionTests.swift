import RealModule
import Testing
@testable import SwiftVI

/// Guides with sites that have no reparameterized sampler, fitted by the
/// score-function estimator, against posteriors and ELBO gradients computed
/// by enumerating the discrete latent.
@Suite struct ScoreFunctionTests {
    private static let ys = [0.4, -0.3, 1.1]
    private static let prior = 0.3

    /// z ~ Bernoulli(0.3); yₖ ~ N(2z − 1, 1) observed.
    private static func coinModel() throws -> ProgramModel {
        try ProgramModel { ctx in
            let z = try ctx.sample("z", Bernoulli(probs: Tensor(prior)))
            try ctx.sample("y", Normal(loc: z * 2 - 1, scale: 1), obs: Tensor(ys))
        }
    }

    /// z ~ Bernoulli(sigmoid(theta)).
    private static func coinGuide(_ model: ProgramModel) throws -> ProgramGuide {
        try ProgramGuide({ ctx in
            try ctx.sample("z", Bernoulli(logits: ctx.param("theta", Tensor(0))))
        }, model: model)
    }

    /// log p(z) + Σₖ log N(yₖ | 2z − 1, 1), written out.
    private static func logJoint(_ z: Int) -> Double {
        let p = z == 1 ? prior : 1 - prior
        return ys.reduce(Double.log(p)) { $0 + Double.log(normalDensity($1, Double(2 * z - 1), 1)) }
    }

    private static func sigmoid(_ x: Double) -> Double { 1 / (1 + Double.exp(-x)) }

    /// The log-weight log p(z, y) − log q(z) of a draw z under q = Bernoulli(sigmoid(theta)).
    private static func logWeight(_ z: Int, theta: Double) -> Double {
        let q1 = sigmoid(theta)
        return logJoint(z) - Double.log(z == 1 ? q1 : 1 - q1)
    }

    /// E over K independent draws of q of bound(log-weights), by enumerating the 2^K outcomes.
    private static func expectedBound(theta: Double, particles: Int, _ bound: ([Double]) -> Double) -> Double {
        let q1 = sigmoid(theta)
        return (0 ..< (1 << particles)).reduce(0.0) { total, outcome in
            let zs = (0..<particles).map { (outcome >> $0) & 1 }
            let probability = zs.reduce(1.0) { $0 * ($1 == 1 ? q1 : 1 - q1) }
            return total + probability * bound(zs.map { logWeight($0, theta: theta) })
        }
    }

    @Test func theFitReachesTheEnumeratedPosterior() throws {
        let model = try Self.coinModel()
        #expect(model.hasDiscreteLatents)
        #expect(model.latents == [LatentBlock(name: "z", size: 1, constraint: .boolean)])
        let exact = Self.sigmoid(Self.logJoint(1) - Self.logJoint(0))
        let fit = try averagedFit(model: model, guide: Self.coinGuide(model), particles: 4)
        #expect(abs(Self.sigmoid(fit["theta"]![0]) - exact) < 0.02, "q(z = 1) \(Self.sigmoid(fit["theta"]![0])); exact \(exact)")
    }

    @Test func aStepDependsOnlyOnTheStateAndItsKey() throws {
        let model = try Self.coinModel()
        let svi = try SVI(model: model, guide: Self.coinGuide(model), optimizer: Adam(learningRate: 0.05),
                          loss: TraceELBO(numParticles: 3))
        var state = try svi.initialize(key: PRNGKey(seed: 4))
        for _ in 0..<5 { state = try svi.update(state).state }
        #expect(try svi.update(state).state == svi.update(state).state)
    }

    @Test func theLossIsThePlainNegativeELBOEstimate() throws {
        let model = try Self.coinModel(), guide = try Self.coinGuide(model), theta = 0.7
        for seed in 0..<20 {
            let loss = try TraceELBO().loss(model: model, guide: guide, parameters: Tensor([theta]), key: PRNGKey(seed: UInt64(seed)))
            let candidates = [0, 1].map { -Self.logWeight($0, theta: theta) }
            #expect(candidates.contains { close($0, loss.scalars[0], relative: 1e-12) }, "\(loss.scalars[0]) vs \(candidates)")
        }
    }

    /// The mean of 4000 single-key gradients of each ELBO (20000 for one
    /// particle, which has no baseline) is within 4 standard errors of the
    /// derivative of its expectation, enumerated exactly (central differences
    /// of the enumeration, accurate to about 1e-8); 4 standard errors are less
    /// than half that derivative, so a missing or wrong score term fails.
    @Test(arguments: [
        ("Trace_ELBO, 1 particle", 1, 1.0),
        ("Trace_ELBO, 3 particles", 3, 1.0),
        ("TraceMeanField_ELBO, 3 particles", 3, 1.0),
        ("RenyiELBO alpha 0, 2 particles", 2, 0.0),
        ("RenyiELBO alpha 0.5, 3 particles", 3, 0.5),
    ])
    func theMeanSurrogateGradientIsTheExactELBOGradient(name: String, particles: Int, alpha: Double) throws {
        let model = try Self.coinModel(), guide = try Self.coinGuide(model), theta = 0.5
        let loss: any ELBO
        if name.hasPrefix("Trace_ELBO") {
            loss = try TraceELBO(numParticles: particles)
        } else if name.hasPrefix("TraceMeanField") {
            loss = try TraceMeanFieldELBO(numParticles: particles)
        } else {
            loss = try RenyiELBO(alpha: alpha, numParticles: particles)
        }
        let bound: ([Double]) -> Double = { w in
            guard alpha != 1 else { return w.reduce(0, +) / Double(w.count) }
            let m = w.max()!, power = 1 - alpha
            let mean = w.reduce(0.0) { $0 + Double.exp(power * ($1 - m)) } / Double(w.count)
            return m + Double.log(mean) / power
        }
        let h = 1e-5
        let exact = -(Self.expectedBound(theta: theta + h, particles: particles, bound)
            - Self.expectedBound(theta: theta - h, particles: particles, bound)) / (2 * h)
        let count = particles == 1 ? 20000 : 4000
        let gradients = try (0..<count).map { seed in
            try valueWithGradient(at: Tensor([theta])) {
                try loss.loss(model: model, guide: guide, parameters: $0, key: PRNGKey(seed: UInt64(seed)))
            }.gradient.scalars[0]
        }
        let (mean, variance) = moments(gradients)
        let standardError = (variance / Double(count)).squareRoot()
        #expect(abs(mean - exact) < 4 * standardError, "\(name): mean \(mean) ± \(standardError); exact \(exact)")
        #expect(4 * standardError < 0.5 * abs(exact), "\(name): the check is too loose to fail")
    }

    /// z ~ Bernoulli(0.4); mu ~ N(0, 1); yₖ ~ N(mu + 2z − 1, 1) observed, fitted
    /// with the guide z ~ Bernoulli(sigmoid(theta)), mu ~ N(loc0 + delta·z, scale),
    /// a family holding the exact posterior: p(z | y) from the marginal
    /// likelihoods y | z ~ N((2z − 1)·1, I + 11ᵀ), and mu | z, y ~ N(Σₖ(yₖ − 2z + 1) / (1 + n), 1 / (1 + n)).
    @Test(arguments: ["Trace_ELBO", "TraceMeanField_ELBO"])
    func aGuideMixingReparameterizedAndDiscreteSitesFitsTheExactPosterior(lossName: String) throws {
        let ys = Self.ys, n = Double(ys.count), zPrior = 0.4
        let model = try ProgramModel { ctx in
            let z = try ctx.sample("z", Bernoulli(probs: Tensor(zPrior)))
            let mu = try ctx.sample("mu", Normal(loc: 0, scale: 1))
            try ctx.sample("y", Normal(loc: mu + z * 2 - 1, scale: 1), obs: Tensor(ys))
        }
        let guide = try ProgramGuide({ ctx in
            let z = try ctx.sample("z", Bernoulli(logits: ctx.param("theta", Tensor(0))))
            let loc = try ctx.param("loc0", Tensor(0)) + ctx.param("delta", Tensor(0)) * z
            try ctx.sample("mu", Normal(loc: loc, scale: ctx.param("scale", Tensor(1), constraint: .positive)))
        }, model: model)
        let logMarginal: (Int) -> Double = { z in
            let offset = Double(2 * z - 1)
            let r: [Double] = ys.map { $0 - offset }
            let sum = r.reduce(0.0, +), squares = r.reduce(0.0) { $0 + $1 * $1 }
            return -0.5 * (squares - sum * sum / (1 + n))
        }
        let priorLogOdds = Double.log(zPrior / (1 - zPrior))
        let p1 = Self.sigmoid(priorLogOdds + logMarginal(1) - logMarginal(0))
        let means: [Double] = [0, 1].map { z in
            let offset = Double(2 * z - 1)
            return ys.reduce(0.0) { $0 + ($1 - offset) } / (1 + n)
        }
        let sd = 1 / (1 + n).squareRoot()
        let loss: any ELBO
        if lossName == "Trace_ELBO" { loss = try TraceELBO(numParticles: 8) } else { loss = try TraceMeanFieldELBO(numParticles: 8) }
        let fit = try averagedFit(model: model, guide: guide, loss: loss)
        #expect(abs(Self.sigmoid(fit["theta"]![0]) - p1) < 0.02, "q(z = 1) \(Self.sigmoid(fit["theta"]![0])); exact \(p1)")
        #expect(abs(fit["loc0"]![0] - means[0]) < 0.1 * sd)
        #expect(abs(fit["loc0"]![0] + fit["delta"]![0] - means[1]) < 0.1 * sd)
        #expect(abs(fit["scale"]![0] / sd - 1) < 0.1)
    }

    @Test func discreteLatentsAreLeftToProgramGuides() throws {
        let model = try Self.coinModel()
        #expect { try AutoNormal(model: model) } throws: { ($0 as? SVIError).map { if case .notImplemented = $0 { true } else { false } } ?? false }
        #expect(throws: SVIError.self) { try AutoDelta(model: model) }
        #expect(throws: SVIError.self) { try model.initialPoint(.initToMedian(), key: PRNGKey(seed: 0)) }
        let continuous: Program<Void> = { ctx in try ctx.sample("z", Normal(loc: 0, scale: 1)) }
        #expect(throws: SVIError.self) { try ProgramGuide(continuous, model: model) }
        let draws = try Self.coinGuide(model).samplePosterior(parameters: [0], count: 2000, key: PRNGKey(seed: 1))["z"]!
        #expect(draws.scalars.allSatisfy { $0 == 0 || $0 == 1 })
        let ones = draws.scalars.reduce(0.0, +)
        #expect(abs(ones / 2000 - 0.5) < 4 * (0.25 / 2000).squareRoot())
    }
}
