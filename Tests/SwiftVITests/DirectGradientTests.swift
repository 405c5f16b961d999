import RealModule
import Testing
@testable import SwiftVI

/// The fused kernels and the hand-formed ELBO step against the tape paths
/// they replace, and the built-in GLM against the program it stands for.
@Suite struct DirectGradientTests {
    /// Seed 002's regression data (x sorted, y = 0.5 x − 0.7 + noise).
    static let linearX: [Double] = [-8.1, -5.3, -3.2, -1.7, -0.4, 0.3, 1.9, 2.8, 4.4, 7.6]
    static let linearY: [Double] = [-5.0, -3.1, -2.7, -0.9, -0.4, -1.2, 0.7, 0.4, 1.6, 3.2]

    static func linearModel(subsample: Int? = nil) throws -> GeneralizedLinearModel {
        try GeneralizedLinearModel(features: linearX, columns: 1, responses: linearY, likelihood: .normal(noiseScalePrior: 10),
                                   weightPrior: .init(loc: 0, scale: 10), biasPrior: .init(loc: 0, scale: 10),
                                   subsampleSize: subsample)
    }

    static func logisticModel(rows: Int = 150, columns: Int = 7, subsample: Int? = nil) throws -> GeneralizedLinearModel {
        let x = PRNGKey(seed: 11).normal(rows * columns)
        let y = PRNGKey(seed: 12).uniform(rows).enumerated().map { i, u in u < sigmoid(x[i * columns] - 0.5 * x[i * columns + 1]) ? 1.0 : 0.0 }
        return try GeneralizedLinearModel(features: x, columns: columns, responses: y, likelihood: .bernoulliLogit,
                                          weightPrior: .init(loc: 0.2, scale: 1.5), biasPrior: .init(loc: -0.1, scale: 2),
                                          subsampleSize: subsample)
    }

    /// The fused kernel's log-densities and gradients at `count` points, and
    /// the reference path's (the tape through the library's distributions).
    static func bothPaths(_ model: GeneralizedLinearModel, count: Int, key: PRNGKey)
        throws -> (fused: ([Double], [Double]), reference: ([Double], [Double])) {
        let d = model.dimension
        let points = PRNGKey(seed: 5).normal(count * d).map { 0.7 * $0 }
        var values = [Double](repeating: .nan, count: count), gradient = [Double](repeating: .nan, count: count * d)
        var scratch = [Double](repeating: .nan, count: model.scratchCount(points: count))
        try values.withUnsafeMutableBufferPointer { v in
            try gradient.withUnsafeMutableBufferPointer { g in
                try scratch.withUnsafeMutableBufferPointer { s in
                    try model.logDensityAndGradient(points: points, count: count, key: key, logDensity: v.baseAddress!,
                                                    gradient: g.baseAddress!, scratch: s.baseAddress!)
                }
            }
        }
        let tape = Tape()
        let z = tape.variable(Tensor(shape: [count, d], scalars: points))
        let reference = try model.logDensity(z, key: key)
        let referenceGradient = tape.gradient(of: reference.sum(), wrt: [z])[0].scalars
        return ((values, gradient), (reference.scalars, referenceGradient))
    }

    static func agree(_ a: [Double], _ b: [Double], tolerance: Double = 1e-12) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
    }

    @Test(arguments: [1, 3])
    func linearKernelAgreesWithTheReferencePath(particles: Int) throws {
        let (fused, reference) = try Self.bothPaths(Self.linearModel(), count: particles, key: PRNGKey(seed: 1))
        #expect(Self.agree(fused.0, reference.0))
        #expect(Self.agree(fused.1, reference.1))
    }

    @Test(arguments: [1, 8])
    func logisticKernelAgreesWithTheReferencePath(particles: Int) throws {
        let (fused, reference) = try Self.bothPaths(Self.logisticModel(), count: particles, key: PRNGKey(seed: 2))
        #expect(Self.agree(fused.0, reference.0))
        #expect(Self.agree(fused.1, reference.1))
    }

    @Test(arguments: [1, 4])
    func subsampledKernelAgreesWithTheReferencePath(particles: Int) throws {
        for model in [try Self.logisticModel(rows: 500, subsample: 37), try Self.linearModel(subsample: 4)] {
            let (fused, reference) = try Self.bothPaths(model, count: particles, key: PRNGKey(seed: 3))
            #expect(Self.agree(fused.0, reference.0))
            #expect(Self.agree(fused.1, reference.1))
        }
    }

    /// The built-in model is the program it describes: same log-density as a
    /// ProgramModel written with sample and plate.
    @Test func theModelIsItsProgram() throws {
        let glm = try Self.logisticModel(rows: 40, columns: 3)
        let x = Tensor(shape: [40, 3], scalars: glm.features), y = Tensor(glm.responses)
        let program = try ProgramModel { ctx in
            let w = try ctx.sample("w", Normal(loc: Tensor([0.2, 0.2, 0.2]), scale: 1.5))
            let b = try ctx.sample("b", Normal(loc: -0.1, scale: 2))
            try ctx.plate("data", size: 40) { _ in
                _ = try ctx.sample("y", Bernoulli(logits: matmul(x, w.reshaped([3, 1])).reshaped([40]) + b), obs: y)
            }
        }
        let linear = try Self.linearModel(), xs = Tensor(Self.linearX), ys = Tensor(Self.linearY)
        let linearProgram = try ProgramModel { ctx in
            let w = try ctx.sample("w", Normal(loc: 0, scale: 10))
            let b = try ctx.sample("b", Normal(loc: 0, scale: 10))
            let sigma = try ctx.sample("sigma", HalfCauchy(scale: 10))
            try ctx.plate("data", size: 10) { _ in
                _ = try ctx.sample("y", Normal(loc: w * xs + b, scale: sigma), obs: ys)
            }
        }
        for (model, reference) in [(glm, program), (linear, linearProgram)] as [(GeneralizedLinearModel, ProgramModel)] {
            #expect(model.latents.map { [$0.name: $0.unconstrainedSize] } == reference.latents.map { [$0.name: $0.unconstrainedSize] })
            let points = Tensor(shape: [3, model.dimension], scalars: PRNGKey(seed: 9).normal(3 * model.dimension))
            #expect(Self.agree(try model.logDensity(points).scalars, try reference.logDensity(points).scalars))
        }
    }

    /// SVI's hand-formed step gives the loss and gradient of the tape's Trace_ELBO.
    @Test(arguments: [1, 5])
    func directStepAgreesWithTheTapeELBO(particles: Int) throws {
        // log p = −½(a₀² + 3a₁²) − s, over a ∈ ℝ², s > 0.
        let callback = try CallbackModel(latents: [LatentBlock(name: "a", size: 2),
                                                   LatentBlock(name: "s", size: 1, constraint: .positive)]) { z, count in
            var values: [Double] = [], gradient: [Double] = []
            for s in 0..<count {
                let (a0, a1) = (z[3 * s], z[3 * s + 1])
                values.append(-0.5 * (a0 * a0 + 3 * a1 * a1) - z[3 * s + 2])
                gradient += [-a0, -3 * a1, -1]
            }
            return (values, gradient)
        }
        // log p = log p₀ + log(1 − p₀) over p ∈ (0, 1): a block the tape maps.
        let coin = try CallbackModel(latents: [LatentBlock(name: "p", size: 1, constraint: .unitInterval)]) { z, count in
            (z.map { Double.log($0) + Double.log(1 - $0) }, z.map { 1 / $0 - 1 / (1 - $0) })
        }
        let models: [any LogDensityModel] = [try Self.linearModel(), try Self.logisticModel(subsample: 20), callback, coin]
        let guides: [(any LogDensityModel) throws -> any Guide] = [{ try AutoNormal(model: $0) },
                                                                  { try AutoMultivariateNormal(model: $0) }]
        for model in models {
          for makeGuide in guides {
            let guide = try makeGuide(model)
            let loss = try TraceELBO(numParticles: particles)
            var parameters = try guide.initialParameters(key: PRNGKey(seed: 4))
            parameters = parameters.enumerated().map { $0.element + 0.1 * Double($0.offset % 5) }  // off the initial symmetry
            let direct = try #require(DirectELBOStep(model: model, guide: guide, loss: loss, parameterCount: parameters.count))
            let key = PRNGKey(seed: 6)
            let value = try direct.lossAndGradient(parameters: parameters, key: key)
            let (referenceValue, referenceGradient) = try valueWithGradient(at: Tensor(parameters)) {
                try loss.loss(model: model, guide: guide, parameters: $0, key: key)
            }
            #expect(Self.agree([value], [referenceValue]))
            #expect(Self.agree(direct.gradient, referenceGradient.scalars))
          }
        }
    }

    /// The allocation-free subsample draws the same indices as a Fisher–Yates
    /// shuffle with its moved positions in a dictionary, written out here.
    @Test func subsampleIndicesFollowTheShuffle() {
        for (size, count, seed) in [(10, 10, 1), (1000, 7, 2), (100_000, 1000, 3), (5, 1, 4)] as [(Int, Int, UInt64)] {
            let key = PRNGKey(seed: seed)
            var moved: [Int: Int] = [:], expected: [Int] = [], stream = 0
            for position in 0..<count {
                let bound = UInt64(size - position), rejectBelow = (0 &- bound) % bound
                var bits = key.bits(at: stream)
                stream += 1
                while bits < rejectBelow {
                    bits = key.bits(at: stream)
                    stream += 1
                }
                let other = position + Int(bits % bound)
                expected.append(moved[other] ?? other)
                moved[other] = moved[position] ?? position
            }
            #expect(subsampleIndices(size: size, count: count, key: key) == expected)
        }
    }

    @Test func invalidDataIsRejected() {
        #expect(throws: SVIError.self) {
            try GeneralizedLinearModel(features: [1, 2, 3], columns: 2, responses: [0, 1], likelihood: .bernoulliLogit,
                                       weightPrior: .init(loc: 0, scale: 1), biasPrior: .init(loc: 0, scale: 1))
        }
        #expect(throws: SVIError.self) {
            try GeneralizedLinearModel(features: [1, 2], columns: 1, responses: [0, 0.5], likelihood: .bernoulliLogit,
                                       weightPrior: .init(loc: 0, scale: 1), biasPrior: .init(loc: 0, scale: 1))
        }
        #expect(throws: SVIError.self) { try GeneralizedLinearModel.NormalPrior(loc: 0, scale: -1) }
        #expect(throws: SVIError.self) { try Self.linearModel(subsample: 11) }
    }
}
