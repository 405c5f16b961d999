import Dispatch
import Testing
@testable import SwiftVI

/// The GLM kernel's pass over all rows split across a `WorkerPool`: the same
/// values as the tape reference path, the same bits whatever the number of
/// threads and however often it runs, and safe under concurrent fits.
@Suite struct ParallelKernelTests {
    /// Enough rows for several chunks and enough work to take the pool.
    static func largeModel(_ likelihood: GeneralizedLinearModel.Likelihood, columns: Int) throws -> GeneralizedLinearModel {
        let rows = 5 * GLMKernel.chunkRows / 2
        let x = PRNGKey(seed: 21).normal(rows * columns).map { 0.3 * $0 }
        let noise = PRNGKey(seed: 22).normal(rows), uniforms = PRNGKey(seed: 23).uniform(rows)
        let y = (0..<rows).map { i -> Double in
            let eta = x[i * columns] - 0.5 * x[i * columns + 1] + 0.2
            if case .bernoulliLogit = likelihood { return uniforms[i] < sigmoid(eta) ? 1 : 0 }
            return eta + 0.8 * noise[i]
        }
        return try GeneralizedLinearModel(features: x, columns: columns, responses: y, likelihood: likelihood,
                                          weightPrior: .init(loc: 0.1, scale: 1.5), biasPrior: .init(loc: 0, scale: 2))
    }

    /// (model, particles) pairs whose pass is split and run on the pool.
    static func cases() throws -> [(GeneralizedLinearModel, Int)] {
        let logistic = try largeModel(.bernoulliLogit, columns: 60), normal = { try largeModel(.normal(noiseScalePrior: 5), columns: $0) }
        return [(logistic, 1), (logistic, 3), (try normal(60), 1), (try normal(9), 8)]
    }

    /// The fused kernel's log-densities and gradients run on `pool`.
    static func fused(_ model: GeneralizedLinearModel, count: Int, pool: WorkerPool) -> [Double] {
        let d = model.dimension
        let points = PRNGKey(seed: 5).normal(count * d).map { 0.3 * $0 }
        var values = [Double](repeating: .nan, count: count), gradient = [Double](repeating: .nan, count: count * d)
        var scratch = [Double](repeating: .nan, count: model.scratchCount(points: count, participants: pool.width))
        values.withUnsafeMutableBufferPointer { v in
            gradient.withUnsafeMutableBufferPointer { g in
                scratch.withUnsafeMutableBufferPointer { s in
                    model.logDensityAndGradient(points: points, count: count, key: PRNGKey(seed: 0), logDensity: v.baseAddress!,
                                                gradient: g.baseAddress!, scratch: s.baseAddress!, pool: pool)
                }
            }
        }
        return values + gradient
    }

    @Test func theCasesAreSplitAndLargeEnoughForThePool() throws {
        for (model, count) in try Self.cases() {
            #expect(GLMKernel.chunkCount(rows: model.rows) > 2)
            #expect(model.rows * model.columns * GLMKernel.lanes(count) >= GLMKernel.parallelWork)
        }
    }

    @Test func theSplitPassAgreesWithTheReferencePath() throws {
        for (model, count) in try Self.cases() {
            let pool = WorkerPool(width: 3)
            let values = Self.fused(model, count: count, pool: pool)
            let points = PRNGKey(seed: 5).normal(count * model.dimension).map { 0.3 * $0 }
            let tape = Tape()
            let z = tape.variable(Tensor(shape: [count, model.dimension], scalars: points))
            let logDensity = try model.logDensity(z)
            let gradient = tape.gradient(of: logDensity.sum(), wrt: [z])[0].scalars
            #expect(DirectGradientTests.agree(values, logDensity.scalars + gradient))
        }
    }

    @Test func theResultDoesNotDependOnTheThreadCountOrTheRun() throws {
        for (model, count) in try Self.cases() {
            let serial = Self.fused(model, count: count, pool: WorkerPool(width: 1))
            for width in [2, 3, 5] {
                let pool = WorkerPool(width: width)
                for _ in 0..<3 { #expect(Self.fused(model, count: count, pool: pool) == serial) }
            }
            #expect(Self.fused(model, count: count, pool: .shared) == serial)
        }
    }

    @Test func thePoolRunsEveryTaskOnceOnDistinctParticipants() {
        let pool = WorkerPool(width: 4), tasks = 200
        var runs = [Int](repeating: 0, count: tasks), participants = [Int](repeating: -1, count: tasks)
        runs.withUnsafeMutableBufferPointer { runs in
            participants.withUnsafeMutableBufferPointer { participants in
                pool.run(tasks: tasks) { task, participant in
                    runs[task] += 1
                    participants[task] = participant
                }
            }
        }
        #expect(runs.allSatisfy { $0 == 1 })
        #expect(participants.allSatisfy { (0..<4).contains($0) })
    }

    /// A short fit of one of two large models (logistic, normal).
    static func fit(_ which: Int) throws -> [Double] {
        let model = which == 0 ? try largeModel(.bernoulliLogit, columns: 60) : try largeModel(.normal(noiseScalePrior: 5), columns: 40)
        let svi = try SVI(model: model, guide: AutoNormal(model: model), optimizer: Adam(learningRate: .constant(0.01)),
                          loss: TraceELBO(numParticles: 2))
        return try svi.run(key: PRNGKey(seed: 7), numSteps: 6).losses
    }

    /// Two fits at once on the shared pool (one of them runs on its own
    /// thread while the other holds the pool) give what each gives alone.
    @Test func concurrentFitsGiveWhatEachGivesAlone() throws {
        let alone = try [Self.fit(0), Self.fit(1)]
        for _ in 0..<3 {
            nonisolated(unsafe) let together = UnsafeMutablePointer<[Double]>.allocate(capacity: 2)
            together.initialize(repeating: [], count: 2)
            DispatchQueue.concurrentPerform(iterations: 2) { i in together[i] = (try? Self.fit(i)) ?? [] }
            #expect(Array(UnsafeBufferPointer(start: together, count: 2)) == alone)
            together.deinitialize(count: 2)
            together.deallocate()
        }
    }
}
