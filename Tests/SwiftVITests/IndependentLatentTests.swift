import RealModule
import Testing
@testable import SwiftVI

/// Latent sites whose support is `independent(c, n)`: their coordinates are
/// those of `c`'s bijection, and AutoNormal fits them as it fits `c` itself.
@Suite struct IndependentLatentTests {
    /// mu ~ Independent(N([0, 1], [2, 1.5]), 1); rows yₖ ~ N(mu, 1) observed.
    private static let rows: [[Double]] = [[0.9, -0.2], [1.6, 0.4], [0.3, 1.1], [1.2, 0.7]]

    @Test func anIndependentNormalLatentFitsItsConjugatePosterior() throws {
        let priorLoc = [0.0, 1.0], priorScale = [2.0, 1.5]
        let model = try ProgramModel { ctx in
            let mu = try ctx.sample("mu", Independent(base: Normal(loc: Tensor(priorLoc), scale: Tensor(priorScale)),
                                                      reinterpretedBatchDims: 1))
            for (k, row) in Self.rows.enumerated() {
                try ctx.sample("y\(k)", Normal(loc: mu, scale: 1), obs: Tensor(row))
            }
        }
        #expect(model.latents == [LatentBlock(name: "mu", size: 2, constraint: .independent(.real, reinterpretedDims: 1))])
        let fit = try averagedFit(model: model, guide: AutoNormal(model: model))
        for j in 0..<2 {
            let precision = 1 / (priorScale[j] * priorScale[j]) + Double(Self.rows.count)
            let sum = Self.rows.reduce(0.0) { $0 + $1[j] }
            let mean = (priorLoc[j] / (priorScale[j] * priorScale[j]) + sum) / precision, sd = 1 / precision.squareRoot()
            #expect(abs(fit["mu_auto_loc"]![j] - mean) < 0.1 * sd)
            #expect(abs(fit["mu_auto_scale"]![j] / sd - 1) < 0.1)
        }
    }

    /// tau ~ Independent(LogNormal([0.5, −0.3], [1, 0.8]), 1); rows yₖ ~
    /// LogNormal(log tau, 0.5) observed: log tau has a normal posterior, which
    /// AutoNormal's unconstrained coordinates (log tau, through exp) match exactly.
    @Test func anIndependentPositiveLatentFitsItsConjugatePosteriorInLogSpace() throws {
        let priorLoc = [0.5, -0.3], priorScale = [1.0, 0.8], noise = 0.5
        let data = Self.rows.map { $0.map { Double.exp($0) } }
        let model = try ProgramModel { ctx in
            let tau = try ctx.sample("tau", Independent(base: LogNormal(loc: Tensor(priorLoc), scale: Tensor(priorScale)),
                                                        reinterpretedBatchDims: 1))
            for (k, row) in data.enumerated() {
                try ctx.sample("y\(k)", LogNormal(loc: tau.log(), scale: Tensor(noise)), obs: Tensor(row))
            }
        }
        let fit = try averagedFit(model: model, guide: AutoNormal(model: model))
        for j in 0..<2 {
            let precision = 1 / (priorScale[j] * priorScale[j]) + Double(data.count) / (noise * noise)
            let sumOfLogs = data.reduce(0.0) { $0 + Double.log($1[j]) }
            let mean = (priorLoc[j] / (priorScale[j] * priorScale[j]) + sumOfLogs / (noise * noise)) / precision
            let sd = 1 / precision.squareRoot()
            #expect(abs(fit["tau_auto_loc"]![j] - mean) < 0.1 * sd)
            #expect(abs(fit["tau_auto_scale"]![j] / sd - 1) < 0.1)
        }
    }

    @Test func aCallbackBlockIndependentOverPositiveMapsAsPositive() throws {
        let model = try CallbackModel(latents: [
            LatentBlock(name: "i", size: 2, constraint: .independent(.positive, reinterpretedDims: 1)),
        ]) { points, _ in (points.map { -$0 }, points.map { _ in -1 }) }
        let u = [0.3, -1.2]
        let (values, logDet) = try model.constrain(Tensor(shape: [1, 2], scalars: u))
        #expect(values["i"]!.scalars == u.map { Double.exp($0) })
        #expect(close(logDet.scalars[0], u[0] + u[1]))
    }

    @Test func aDirichletLatentTakesItsSimplexCoordinates() throws {
        let model = try ProgramModel { ctx in try ctx.sample("p", Dirichlet(concentration: Tensor([2, 3, 4]))) }
        #expect(model.dimension == 2)
        #expect(model.constrainedDimension == 3)
        let batched: Program<Void> = { ctx in
            try ctx.sample("p", Dirichlet(concentration: Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])))
        }
        #expect(throws: SVIError.self) { try ProgramModel(batched) }
    }
}
