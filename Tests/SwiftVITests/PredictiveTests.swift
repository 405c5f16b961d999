import RealModule
import Testing
@testable import SwiftVI

@Suite struct PredictiveTests {
    /// z ~ N(0, 1), y ~ N(z, 0.5) for four observations, twice_z = 2z; guide z ~ N(0.4, 0.3).
    private func program() throws -> (ProgramModel, ProgramGuide) {
        let model = try ProgramModel { ctx in
            let z = try ctx.sample("z", Normal(loc: 0, scale: 1))
            try ctx.deterministic("twice_z", z * 2)
            try ctx.plate("data", size: 4) { _ in
                try ctx.sample("y", Normal(loc: z, scale: Tensor(0.5)), obs: Tensor([0.1, 0.5, 0.7, 0.2]))
            }
        }
        let guide = try ProgramGuide({ ctx in
            let loc = try ctx.param("loc", Tensor(0.0))
            let scale = try ctx.param("scale", Tensor(1.0), constraint: .positive)
            try ctx.sample("z", Normal(loc: loc, scale: scale))
        }, model: model)
        return (model, guide)
    }

    @Test func programPredictionsDrawTheObservedSitesGivenTheGuidesLatents() throws {
        let (model, guide) = try program()
        let predictive = try Predictive(model: model, guide: guide, params: ["loc": [0.4], "scale": [0.3]], numSamples: 20_000)
        let draws = try predictive(key: PRNGKey(seed: 1))
        #expect(Set(draws.keys) == ["z", "twice_z", "y"])
        #expect(draws["z"]!.shape == [20_000])
        #expect(draws["y"]!.shape == [20_000, 4])
        #expect(draws["twice_z"]!.scalars == draws["z"]!.scalars.map { 2 * $0 })
        let z = moments(draws["z"]!.scalars)
        #expect(abs(z.mean - 0.4) < 5 * (0.09 / 20_000).squareRoot())
        // y = z + 0.5 ε: mean 0.4, variance 0.3² + 0.5², and y − z independent of z.
        let column = (0..<20_000).map { draws["y"]!.scalars[$0 * 4 + 2] }
        let y = moments(column)
        #expect(abs(y.mean - 0.4) < 5 * (0.34 / 20_000).squareRoot())
        #expect(abs(y.variance - 0.34) < 5 * 0.34 * (2.0 / 20_000).squareRoot())
        let noise = moments(zip(column, draws["z"]!.scalars).map { $0 - $1 })
        #expect(abs(noise.variance - 0.25) < 5 * 0.25 * (2.0 / 20_000).squareRoot())
    }

    @Test func returnSitesSelectAndUnknownSitesAreErrors() throws {
        let (model, guide) = try program()
        let params = ["loc": [0.4], "scale": [0.3]]
        let some = try Predictive(model: model, guide: guide, params: params, numSamples: 3, returnSites: ["y"])(key: PRNGKey(seed: 0))
        #expect(Array(some.keys) == ["y"])
        #expect(throws: SVIError.self) {
            try Predictive(model: model, guide: guide, params: params, numSamples: 3, returnSites: ["x"])(key: PRNGKey(seed: 0))
        }
        #expect(throws: SVIError.self) { try Predictive(model: model, guide: guide, params: ["loc": [0.4]], numSamples: 3) }
        #expect(throws: SVIError.self) { try Predictive(model: model, guide: guide, params: params, numSamples: 0) }
    }

    @Test func callbackModelPredictionsAreTheConstrainedLatents() throws {
        let model = try CallbackModel(latents: [LatentBlock(name: "p", size: 1, constraint: .unitInterval),
                                                LatentBlock(name: "probs", size: 3, constraint: .simplex)]) { points, count in
            ([Double](repeating: 0, count: count), [Double](repeating: 0, count: points.count))
        }
        let guide = try AutoNormal(model: model)
        let params = ["p_auto_loc": [-0.33], "p_auto_scale": [0.8], "probs_auto_loc": [0.1, -0.2], "probs_auto_scale": [0.5, 0.5]]
        let draws = try Predictive(model: model, guide: guide, params: params, numSamples: 50_000)(key: PRNGKey(seed: 4))
        #expect(draws["p"]!.shape == [50_000, 1])
        #expect(draws["probs"]!.shape == [50_000, 3])
        #expect(Constraint.simplex.check(draws["probs"]!).allSatisfy { $0 })
        // E[σ(u)] for u ~ N(−0.33, 0.8), by the trapezoidal rule.
        let expected = stride(from: -10.0, through: 10.0, by: 0.001).reduce(0.0) { total, t in
            total + 0.001 * normalDensity(t, 0, 1) / (1 + Double.exp(0.33 - 0.8 * t))
        }
        let p = moments(draws["p"]!.scalars)
        #expect(abs(p.mean - expected) < 5 * (p.variance / 50_000).squareRoot())
    }

    @Test func constrainedParametersRoundTrip() throws {
        let (model, guide) = try program()
        let flat = [0.25, -0.7]
        let named = Dictionary(uniqueKeysWithValues: guide.constrainedParameters(flat).map { ($0.name, $0.value) })
        #expect(zip(try guide.unconstrainedParameters(named), flat).allSatisfy { close($0, $1, relative: 1e-12) })
        let auto = try AutoNormal(model: model)
        let autoFlat = [0.3, -1.2]
        let autoNamed = Dictionary(uniqueKeysWithValues: auto.constrainedParameters(autoFlat).map { ($0.name, $0.value) })
        #expect(zip(try auto.unconstrainedParameters(autoNamed), autoFlat).allSatisfy { close($0, $1, relative: 1e-12) })
    }
}
