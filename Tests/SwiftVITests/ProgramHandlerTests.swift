import RealModule
import Testing
@testable import SwiftVI

/// log N(x | mu, sigma), written out.
private func logNormal(_ x: Double, _ mu: Double, _ sigma: Double) -> Double {
    Double.log(normalDensity(x, mu, sigma))
}

private let observations = [0.3, -1.2, 2.0]

/// a ~ N(0, 1); b = 2a; p (param); y_i ~ N(a + p, 1) observed, in plate "data".
private func smallModel() -> Program<Void> {
    { ctx in
        let a = try ctx.sample("a", Normal(loc: 0, scale: 1))
        try ctx.deterministic("b", a * 2)
        let p = try ctx.param("p", Tensor(0.5))
        try ctx.plate("data", size: 3) { _ in
            try ctx.sample("y", Normal(loc: a + p, scale: 1), obs: Tensor(observations))
        }
    }
}

@Suite struct ProgramHandlerTests {
    @Test func traceRecordsSitesInOrderWithValuesAndLogProbs() throws {
        let trace = try Trace.record(Handlers.seed(smallModel(), key: PRNGKey(seed: 1)))
        #expect(trace.sites.map(\.name) == ["a", "b", "p", "data", "y"])
        #expect(trace.sites.map(\.kind) == [.sample, .deterministic, .param, .plate, .sample])
        let a = try #require(trace["a"]?.value?.scalars.first)
        #expect(trace["a"]!.isObserved == false)
        #expect(trace["b"]!.value!.scalars == [2 * a])
        #expect(trace["p"]!.value!.scalars == [0.5])
        #expect(trace["data"]!.value!.scalars == [0, 1, 2])
        let y = trace["y"]!
        #expect(y.isObserved && y.value!.scalars == observations)
        #expect(y.plates == [PlateFrame(name: "data", dim: -1, size: 3, subsampleSize: 3)])
        #expect(y.distribution!.batchShape == [3])
        let expectedY = observations.map { logNormal($0, a + 0.5, 1) }
        #expect(zip(try y.logProb().scalars, expectedY).allSatisfy { close($0, $1) })
        let joint = logNormal(a, 0, 1) + expectedY.reduce(0, +)
        #expect(close(try trace.logJoint().scalars[0], joint))
    }

    @Test func aLatentSiteWithoutValueOrKeyIsAnError() {
        #expect(throws: SVIError.self) { try Trace.record(smallModel()) }
    }

    @Test func duplicateSampleSitesAreAnError() {
        let twice: Program<Void> = { ctx in
            try ctx.sample("z", Normal(loc: 0, scale: 1), obs: 0)
            try ctx.sample("z", Normal(loc: 0, scale: 1), obs: 1)
        }
        #expect(throws: SVIError.self) { try Trace.record(twice) }
    }

    @Test func substituteReplacesValuesByNameOrFunction() throws {
        let byName = try Trace.record(Handlers.substitute(smallModel(), data: ["a": 0.7, "p": 2.0]))
        #expect(byName["a"]!.value!.scalars == [0.7] && !byName["a"]!.isObserved)
        #expect(byName["b"]!.value!.scalars == [1.4])
        #expect(byName["p"]!.value!.scalars == [2.0])
        let expected = logNormal(0.7, 0, 1) + observations.reduce(0) { $0 + logNormal($1, 2.7, 1) }
        #expect(close(try byName.logJoint().scalars[0], expected))
        let byFunction = try Trace.record(Handlers.substitute(smallModel()) { $0.kind == .sample && !$0.isObserved ? Tensor(-1) : nil })
        #expect(byFunction["a"]!.value!.scalars == [-1] && byFunction["y"]!.value!.scalars == observations)
    }

    @Test func conditionObservesSampleSites() throws {
        let trace = try Trace.record(Handlers.condition(smallModel(), data: ["a": 0.25, "p": 9.0]))
        #expect(trace["a"]!.isObserved && trace["a"]!.value!.scalars == [0.25])
        #expect(trace["p"]!.value!.scalars == [0.5], "condition leaves params alone")
        let viaFunction = try Trace.record(Handlers.condition(smallModel()) { $0.name == "a" ? Tensor(0.25) : nil })
        #expect(close(try viaFunction.logJoint().scalars[0], try trace.logJoint().scalars[0]))
    }

    @Test func seedDrawsDependOnlyOnTheKey() throws {
        let twoDraws: Program<Void> = { ctx in
            try ctx.sample("u", Normal(loc: 0, scale: 1))
            try ctx.sample("v", Normal(loc: 0, scale: 1), sampleShape: [4])
        }
        func draws(_ seed: UInt64) throws -> [Double] {
            let trace = try Trace.record(Handlers.seed(twoDraws, key: PRNGKey(seed: seed)))
            return trace["u"]!.value!.scalars + trace["v"]!.value!.scalars
        }
        let seeded = Handlers.seed(twoDraws, key: PRNGKey(seed: 3))
        let once = try Trace.record(seeded), again = try Trace.record(seeded)
        #expect(once["v"]!.value!.scalars == again["v"]!.value!.scalars, "a seeded program starts from its key on every run")
        #expect(try draws(3) == draws(3))
        #expect(try draws(3) != draws(4))
        let first = try draws(3)
        #expect(Set(first).count == 5, "each site draws with a key of its own")
        // Keys are split off only for sites without a value: substituting u hands v the first key.
        let substituted = try Trace.record(Handlers.seed(Handlers.substitute(twoDraws, data: ["u": 0]), key: PRNGKey(seed: 3)))
        let onlyV: Program<Void> = { ctx in try ctx.sample("v", Normal(loc: 0, scale: 1), sampleShape: [4]) }
        #expect(substituted["v"]!.value!.scalars == (try Trace.record(Handlers.seed(onlyV, key: PRNGKey(seed: 3))))["v"]!.value!.scalars)
    }

    @Test func scaleMultipliesLogProbabilities() throws {
        let fixed = Handlers.substitute(smallModel(), data: ["a": 0.1])
        let plain = try Trace.record(fixed).logJoint().scalars[0]
        let scaled = try Trace.record(Handlers.scale(Handlers.scale(fixed, by: 3), by: 2))
        #expect(scaled["a"]!.scale == 6 && scaled["y"]!.scale == 6)
        #expect(close(try scaled.logJoint().scalars[0], 6 * plain))
        #expect(throws: SVIError.self) { try Handlers.scale(fixed, by: 0) }
    }

    @Test func blockHidesSitesFromOuterHandlers() throws {
        let fixed = Handlers.substitute(smallModel(), data: ["a": 0.1])
        let hidden = try Trace.record(Handlers.block(fixed, hide: ["a", "y"]))
        #expect(hidden.sites.map(\.name) == ["b", "p", "data"])
        let exposed = try Trace.record(Handlers.block(fixed, expose: ["p"]))
        #expect(exposed.sites.map(\.name) == ["p"])
        #expect(try Trace.record(Handlers.block(fixed)).sites.isEmpty)
        // An inner trace still sees what the block hides from the outer one.
        let inner = Handlers.trace(fixed)
        let (result, outer) = try Handlers.trace(Handlers.block(inner))(ProgramContext())
        #expect(outer.sites.isEmpty && result.trace.sites.count == 5)
        // Outer handlers do not reach hidden sites: an outer substitute or seed does not apply.
        let outerSubstitute = Handlers.substitute(Handlers.block(inner, hide: ["p"]), data: ["p": 7.0, "a": 3.0])
        let seen = try outerSubstitute(ProgramContext()).trace
        #expect(seen["p"]!.value!.scalars == [0.5] && seen["a"]!.value!.scalars == [3.0])
        #expect(throws: SVIError.self) {
            try Trace.record(Handlers.seed(Handlers.block(smallModel(), hide: ["a"]), key: PRNGKey(seed: 0)))
        }
    }

    @Test func platesBroadcastDistributionsToTheirDimensions() throws {
        let nested: Program<Void> = { ctx in
            try ctx.plate("outer", size: 2) { outer in
                #expect(outer.dim == -1)
                try ctx.plate("inner", size: 3) { inner in
                    #expect(inner.dim == -2)
                    try ctx.sample("z", Normal(loc: 0, scale: 1))
                }
            }
            try ctx.plate("rows", size: 5, dim: -2) { _ in
                try ctx.sample("column", Normal(loc: 0, scale: 1))
                try ctx.sample("grid", Normal(loc: Tensor([0, 10]), scale: 1))
                try ctx.sample("draws", Normal(loc: 0, scale: 1), sampleShape: [4, 1, 1])
            }
        }
        let trace = try Trace.record(Handlers.seed(nested, key: PRNGKey(seed: 0)))
        #expect(trace["z"]!.value!.shape == [3, 2])
        #expect(trace["z"]!.plates.map(\.name) == ["inner", "outer"])
        #expect(trace["column"]!.value!.shape == [5, 1])
        #expect(trace["grid"]!.value!.shape == [5, 2])
        #expect(trace["draws"]!.value!.shape == [4, 5, 1])
        let grid = trace["grid"]!.value!.scalars
        #expect(Set(grid).count == 10, "broadcast elements are independent draws")
        #expect(try trace.logJoint().scalars[0].isFinite)
        let mismatched: Program<Void> = { ctx in
            try ctx.plate("p", size: 3) { _ in _ = try ctx.sample("x", Normal(loc: Tensor([0, 1]), scale: 1)) }
        }
        #expect(throws: SVIError.self) { try Trace.record(Handlers.seed(mismatched, key: PRNGKey(seed: 0))) }
        let taken: Program<Void> = { ctx in
            try ctx.plate("a", size: 2) { _ in try ctx.plate("b", size: 2, dim: -1) { _ in } }
        }
        #expect(throws: SVIError.self) { try Trace.record(taken) }
    }

    @Test func subsampledPlatesPickDistinctIndicesAndScale() throws {
        let values = Tensor((0..<10).map { Double($0) * 0.5 })
        let model: Program<[Int]> = { ctx in
            try ctx.plate("data", size: 10, subsampleSize: 4) { plate in
                try ctx.sample("x", Normal(loc: 1, scale: 2), obs: plate.subsample(values))
                return plate.indices
            }
        }
        let (indices, trace) = try Handlers.trace(Handlers.seed(model, key: PRNGKey(seed: 5)))(ProgramContext())
        #expect(indices.count == 4 && Set(indices).count == 4 && indices.allSatisfy { (0..<10).contains($0) })
        #expect(trace["data"]!.value!.scalars == indices.map(Double.init))
        #expect(trace["x"]!.value!.scalars == indices.map { values.scalars[$0] })
        #expect(trace["x"]!.scale == 2.5)
        #expect(throws: SVIError.self) { try Trace.record(model) }
        // A plate far too large to permute still subsamples at once.
        let huge: Program<[Int]> = { ctx in try ctx.plate("huge", size: 1 << 40, subsampleSize: 5) { $0.indices } }
        let picked = try Handlers.seed(huge, key: PRNGKey(seed: 0))(ProgramContext())
        #expect(Set(picked).count == 5 && picked.allSatisfy { $0 >= 0 && $0 < 1 << 40 })
    }

    /// The log-likelihood of `values` under N(1, 2) in a plate of which `size` of
    /// `values.count` elements are present.
    private func subsampledLikelihood(_ values: Tensor, size: Int) -> Program<Void> {
        { ctx in
            try ctx.plate("data", size: values.count, subsampleSize: size) { plate in
                _ = try ctx.sample("x", Normal(loc: 1, scale: 2), obs: plate.subsample(values))
            }
        }
    }

    @Test func theSubsampledLikelihoodAveragedOverAllSubsamplesIsTheFullOne() throws {
        let values = Tensor([0.4, -1.3, 2.2, 0.9, -0.1])
        let full = values.scalars.reduce(0) { $0 + logNormal($1, 1, 2) }
        var subsets: [[Int]] = []
        for i in 0..<5 { for j in (i + 1)..<5 { subsets.append([i, j]) } }
        let average = try subsets.reduce(0.0) { total, subset in
            let pinned = Handlers.substitute(subsampledLikelihood(values, size: 2),
                                             data: ["data": Tensor(subset.map(Double.init))])
            return total + (try Trace.record(pinned).logJoint().scalars[0])
        } / Double(subsets.count)
        #expect(close(average, full, relative: 1e-12))
    }

    @Test func theSubsampledLikelihoodIsUnbiasedOverSeeds() throws {
        let values = Tensor((0..<40).map { Double.sin(Double($0)) * 3 })
        let full = values.scalars.reduce(0) { $0 + logNormal($1, 1, 2) }
        let seeds = 4000
        var estimates: [Double] = [], inclusion = [Int](repeating: 0, count: 40)
        for seed in 0..<seeds {
            let trace = try Trace.record(Handlers.seed(subsampledLikelihood(values, size: 6), key: PRNGKey(seed: UInt64(seed))))
            estimates.append(try trace.logJoint().scalars[0])
            for index in trace["data"]!.value!.scalars { inclusion[Int(index)] += 1 }
        }
        let (mean, variance) = moments(estimates)
        #expect(abs(mean - full) < 4 * (variance / Double(seeds)).squareRoot())
        // Each index is included with probability 6/40.
        let p: Double = 6.0 / 40, expected = Double(seeds) * p, sd = (Double(seeds) * p * (1 - p)).squareRoot()
        #expect(inclusion.allSatisfy { abs(Double($0) - expected) < 5 * sd })
        let chiSquare = inclusion.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        #expect(chiSquare / (1 - p) < 80, "chi-square with 39 degrees of freedom, p < 1e-4 beyond 80")
    }

    @Test func programsRunConcurrentlyInTheirOwnContexts() async throws {
        let results = try await withThrowingTaskGroup(of: [Double].self) { group in
            for _ in 0..<8 {
                group.addTask { try Trace.record(Handlers.seed(smallModel(), key: PRNGKey(seed: 11)))["a"]!.value!.scalars }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(results).count == 1)
    }
}
