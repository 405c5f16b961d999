import RealModule
import Testing
@testable import SwiftVI

/// The seed-000 target: 0.5·N(−0.2, 0.4) + 0.5·N(1, 0.5), its log-density and derivative written out here.
private func mixtureLogDensity(_ z: Double) -> (value: Double, derivative: Double) {
    let a = 0.5 * normalDensity(z, -0.2, 0.4), b = 0.5 * normalDensity(z, 1, 0.5)
    return (Double.log(a + b), (a * -(z + 0.2) / 0.16 + b * -(z - 1) / 0.25) / (a + b))
}

/// The minimizer of KL(N(loc, scale) ‖ mixture), by trapezoidal quadrature and Nelder–Mead.
private let reverseKLOptimum: (loc: Double, scale: Double) = {
    let grid = stride(from: -12.0, through: 12.0, by: 0.002).map { $0 }
    let best = nelderMead([0, 0]) { theta in
        let (m, s) = (theta[0], Double.exp(theta[1]))
        return grid.reduce(0) { total, x in
            let q = normalDensity(x, m, s)
            return q > 0 ? total + 0.002 * q * (Double.log(q) - mixtureLogDensity(x).value) : total
        }
    }
    return (best[0], Double.exp(best[1]))
}()

private func mixtureCallbackModel() throws -> CallbackModel {
    try CallbackModel(latents: [LatentBlock(name: "z", size: 1)]) { points, _ in
        let evaluated = points.map(mixtureLogDensity)
        return (evaluated.map(\.value), evaluated.map(\.derivative))
    }
}

@Suite struct SVITests {
    func fitSeed000(_ model: any LogDensityModel, seed: UInt64) throws -> SVIRunResult {
        let svi = try SVI(model: model, guide: AutoNormal(model: model), optimizer: Adam(learningRate: 0.005),
                          loss: TraceELBO(numParticles: 64))
        return try svi.run(key: PRNGKey(seed: seed), numSteps: 4000)
    }

    @Test(arguments: [0, 1] as [UInt64])
    func seed000ReverseKLFitFromABatchedCallback(seed: UInt64) throws {
        let fit = try fitSeed000(mixtureCallbackModel(), seed: seed)
        #expect(abs(fit.params["z_auto_loc"]![0] - reverseKLOptimum.loc) < 0.02)
        #expect(abs(fit.params["z_auto_scale"]![0] - reverseKLOptimum.scale) < 0.02)
    }

    @Test func seed000ReverseKLFitFromTheLibraryMixture() throws {
        let p = try MixtureSameFamily(mixture: Categorical(probs: Tensor([0.5, 0.5])),
                                      components: Normal(loc: Tensor([-0.2, 1]), scale: Tensor([0.4, 0.5])))
        let fromDistribution = try fitSeed000(DistributionModel(site: "z", distribution: p), seed: 0)
        #expect(abs(fromDistribution.params["z_auto_loc"]![0] - reverseKLOptimum.loc) < 0.02)
        #expect(abs(fromDistribution.params["z_auto_scale"]![0] - reverseKLOptimum.scale) < 0.02)
        // The same log-density through the callback takes the same path up to rounding.
        let fromCallback = try fitSeed000(mixtureCallbackModel(), seed: 0)
        #expect(abs(fromCallback.params["z_auto_loc"]![0] - fromDistribution.params["z_auto_loc"]![0]) < 1e-6)
    }

    @Test func conjugateNormalPosteriorIsRecoveredExactly() throws {
        // z ~ N(0, 1), yᵢ ~ N(z, 0.5): the posterior is N(Σy/σ² / (1 + n/σ²), 1 / (1 + n/σ²)).
        let y = [0.9, 1.4, 0.3, 1.1, 0.8], noise = 0.5
        let precision = 1 + Double(y.count) / (noise * noise)
        let postMean = y.reduce(0, +) / (noise * noise) / precision, postSD = (1 / precision).squareRoot()
        let model = try CallbackModel(latents: [LatentBlock(name: "z", size: 1)]) { points, _ in
            let values = points.map { z in -0.5 * z * z - y.reduce(0) { $0 + 0.5 * ($1 - z) * ($1 - z) / (noise * noise) } }
            let grads = points.map { z in -z + y.reduce(0) { $0 + ($1 - z) / (noise * noise) } }
            return (values, grads)
        }
        let svi = try SVI(model: model, guide: AutoNormal(model: model), optimizer: Adam(learningRate: 0.01),
                          loss: TraceELBO(numParticles: 32))
        var state = try svi.run(key: PRNGKey(seed: 7), numSteps: 2000).state
        // Anneal: continue the same state with a smaller step.
        let fine = try SVI(model: model, guide: svi.guide, optimizer: Adam(learningRate: 0.001), loss: svi.loss)
        var losses: [Double] = []
        try fine.run(&state, numSteps: 2000, losses: &losses)
        let params = fine.parameters(state)
        #expect(abs(params["z_auto_loc"]![0] - postMean) < 0.01)
        #expect(abs(params["z_auto_scale"]![0] - postSD) < 0.01)
    }

    @Test func runsAreDeterministic() throws {
        let model = try mixtureCallbackModel()
        let svi = try SVI(model: model, guide: AutoNormal(model: model), optimizer: Adam(learningRate: 0.01),
                          loss: TraceELBO(numParticles: 4))
        #expect(try svi.run(key: PRNGKey(seed: 3), numSteps: 50).losses == svi.run(key: PRNGKey(seed: 3), numSteps: 50).losses)
    }

    /// A model that behaves like the mixture until `failAt` calls, then fails as `failure` says.
    private final class Flaky {
        var calls = 0
        func model(failAt: Int, nan: Bool) throws -> CallbackModel {
            try CallbackModel(latents: [LatentBlock(name: "z", size: 1)]) { points, _ in
                self.calls += 1
                if self.calls == failAt {
                    if nan { return (points.map { _ in .nan }, points.map { _ in 0 }) }
                    throw SVIError.callbackFailed("refused")
                }
                let evaluated = points.map(mixtureLogDensity)
                return (evaluated.map(\.value), evaluated.map(\.derivative))
            }
        }
    }

    @Test(arguments: [false, true])
    func aFailedStepLeavesTheStateAsItWas(nan: Bool) throws {
        let reference = try mixtureCallbackModel()
        let svi = { (m: any LogDensityModel) in
            try SVI(model: m, guide: AutoNormal(model: m), optimizer: Adam(learningRate: 0.01), loss: TraceELBO(numParticles: 2))
        }
        var expected = try svi(reference).initialize(key: PRNGKey(seed: 1))
        var expectedLosses: [Double] = []
        try svi(reference).run(&expected, numSteps: 4, losses: &expectedLosses)

        let flaky = try svi(Flaky().model(failAt: 5, nan: nan))
        var state = try flaky.initialize(key: PRNGKey(seed: 1))
        var losses: [Double] = []
        do {
            try flaky.run(&state, numSteps: 10, losses: &losses)
            Issue.record("the run should have failed")
        } catch let error as SVIError {
            if nan {
                guard case .numerical = error else { Issue.record("expected a numerical error, got \(error)"); return }
            } else {
                #expect(error == .callbackFailed("step 5: refused"))
            }
        }
        #expect(state == expected)
        #expect(losses == expectedLosses)
    }

    @Test func progressCanStopARun() throws {
        let model = try mixtureCallbackModel()
        let svi = try SVI(model: model, guide: AutoNormal(model: model), optimizer: Adam(learningRate: 0.01), loss: TraceELBO())
        var state = try svi.initialize(key: PRNGKey(seed: 0))
        var losses: [Double] = []
        #expect(throws: SVIError.stopped("stopped by the progress callback after step 3")) {
            try svi.run(&state, numSteps: 10, losses: &losses) { step, _ in step < 3 }
        }
        #expect(state.step == 3 && losses.count == 3)
    }

    @Test func guideMustMatchTheModel() throws {
        let one = try mixtureCallbackModel()
        let two = try CallbackModel(latents: [LatentBlock(name: "w", size: 2)]) { _, _ in ([], []) }
        #expect(throws: SVIError.self) {
            try SVI(model: two, guide: AutoNormal(model: one), optimizer: Adam(learningRate: 0.1), loss: TraceELBO())
        }
        #expect(throws: SVIError.self) { try CallbackModel(latents: [LatentBlock(name: "w", size: 0)]) { _, _ in ([], []) } }
        #expect(throws: SVIError.self) { try TraceELBO(numParticles: 0) }
    }

    @Test func autoNormalNamesAndConstrainsItsParameters() throws {
        let model = try CallbackModel(latents: [LatentBlock(name: "w", size: 2), LatentBlock(name: "b", size: 1)]) { _, _ in ([], []) }
        let guide = try AutoNormal(model: model, initScale: 0.3,
                                   initLocFn: .initToValue(["w": Tensor([1, 2]), "b": Tensor([3])]))
        let params = guide.constrainedParameters(try guide.initialParameters(key: PRNGKey(seed: 0)))
        #expect(params.map(\.name) == ["w_auto_loc", "w_auto_scale", "b_auto_loc", "b_auto_scale"])
        #expect(params[0].value == [1, 2] && params[2].value == [3])
        #expect(params[1].value.allSatisfy { close($0, 0.3, relative: 1e-14) })
    }

    /// The refusal check of a scale_tril block (read off its packing) finds
    /// what the transform's image shows: an overflowing diagonal entry only.
    @Test func scaleTrilCheckFindsWhatTheTransformGives() throws {
        let model = try CallbackModel(latents: [LatentBlock(name: "w", size: 3)]) { _, _ in ([], []) }
        let block = try AutoMultivariateNormal(model: model).parameterBlocks[1]
        for (position, value) in [(0, 0.5), (2, 800), (3, -800), (4, 800), (5, 710)] {
            var u = [Double](repeating: 0.1, count: 6)
            u[position] = value
            let image = try bijectTo(.lowerCholesky).forward(Tensor(u)).scalars
            let expected = image.firstIndex { !$0.isFinite }.map { "auto_scale_tril[\($0)] \(image[$0])" }
            #expect(block.problem(in: u[...]) == expected)
        }
    }

    /// The plain-value check every step runs passes exactly when the block's
    /// full check finds nothing, for the blocks it decides, and never passes
    /// a block it leaves to the full check.
    @Test func stepChecksAgreeWithTheBlocksOwnChecks() throws {
        let blocks = [ParameterBlock(name: "loc", size: 3, constraint: .real),
                      ParameterBlock(name: "scale", size: 3, constraint: .softplusPositive),
                      ParameterBlock(name: "tril", size: 3, constraint: .bijected(.lowerCholesky), shape: [2, 2]),
                      ParameterBlock(name: "p", size: 2, constraint: .bijected(.simplex), shape: [3])]
        let values = [0.3, -2, 709, 710, -745, -746, 800, -800, .infinity, -.infinity, .nan]
        var key = PRNGKey(seed: 7)
        for trial in 0..<600 {
            let (next, draw) = key.splitPair()
            key = next
            let picks = draw.uniform(4).map { values[Int($0 * Double(values.count))] }
            for block in blocks {
                // A few entries of the block set from `picks`, the rest ordinary.
                var u = [Double](repeating: 0.1, count: 1 + block.size + 1)
                for (j, value) in picks.prefix(trial % 3 + 1).enumerated() { u[1 + (j * 2 + trial) % block.size] = value }
                let check = ParameterBlockCheck(block, offset: 1)
                let passes = u.withUnsafeBufferPointer { check.passes($0) }
                let problem = block.problem(in: u[1 ..< 1 + block.size])
                if case .bijected(.simplex) = block.constraint {
                    #expect(!passes)
                } else {
                    #expect(passes == (problem == nil), "\(block.name) \(u)")
                }
            }
        }
    }
}

@Suite struct OptimizerTests {
    @Test func adamFirstStepMovesEachParameterByTheLearningRate() throws {
        let adam = try Adam(learningRate: 0.1)
        var x = [1.0, -2.0], state = adam.initialState(parameterCount: 2)
        adam.update(&x, gradient: [3.0, -0.5], state: &state)
        #expect(close(x[0], 0.9, relative: 1e-7) && close(x[1], -1.9, relative: 1e-7))
        #expect(state.step == 1)
    }

    @Test func sgdWithMomentumFollowsItsRecurrence() throws {
        let sgd = try SGD(learningRate: 0.1, momentum: 0.9)
        var x = [1.0], state = sgd.initialState(parameterCount: 1)
        sgd.update(&x, gradient: [2], state: &state)   // v = 2, x = 0.8
        sgd.update(&x, gradient: [1], state: &state)   // v = 2.8, x = 0.52
        #expect(close(x[0], 0.52))
        let nesterov = try SGD(learningRate: 0.1, momentum: 0.9, nesterov: true)
        var y = [1.0], s2 = nesterov.initialState(parameterCount: 1)
        nesterov.update(&y, gradient: [2], state: &s2)  // v = 2, y = 1 − 0.1(2 + 1.8)
        #expect(close(y[0], 0.62))
    }

    @Test func optimizersMinimizeAQuadratic() throws {
        for optimizer in [try SGD(learningRate: 0.1), try SGD(learningRate: 0.05, momentum: 0.9), try Adam(learningRate: 0.05)] as [any Optimizer] {
            var x = [3.0, -4.0], state = optimizer.initialState(parameterCount: 2)
            for _ in 0..<2000 { optimizer.update(&x, gradient: [2 * (x[0] - 1), 2 * (x[1] + 2)], state: &state) }
            #expect(abs(x[0] - 1) < 1e-3 && abs(x[1] + 2) < 1e-3)
        }
    }

    @Test func badSettingsAreRejected() {
        #expect(throws: SVIError.self) { try Adam(learningRate: -1) }
        #expect(throws: SVIError.self) { try Adam(learningRate: 0.1, beta1: 1) }
        #expect(throws: SVIError.self) { try SGD(learningRate: .constant(.nan)) }
        #expect(throws: SVIError.self) { try SGD(learningRate: 0.1, nesterov: true) }
    }
}
