import Testing
@testable import SwiftVI

/// A model N(z; 1, 1) whose callback goes wrong at call `badCall` (from 1):
/// it throws, or returns NaN.
final class FaultyTarget: @unchecked Sendable {
    enum Fault { case throwing, nan }
    let fault: Fault, badCall: Int
    var calls = 0

    init(_ fault: Fault, badCall: Int) {
        self.fault = fault
        self.badCall = badCall
    }

    func model() throws -> CallbackModel {
        try CallbackModel(latents: [LatentBlock(name: "z", size: 1)]) { points, _ in
            self.calls += 1
            guard self.calls != self.badCall else {
                if self.fault == .throwing { throw SVIError.callbackFailed("bad point") }
                return (points.map { _ in .nan }, points.map { _ in 0 })
            }
            return (points.map { -0.5 * ($0 - 1) * ($0 - 1) }, points.map { 1 - $0 })
        }
    }
}

@Suite struct StableRunTests {
    private func svi(_ model: CallbackModel) throws -> SVI {
        try SVI(model: model, guide: AutoNormal(model: model), optimizer: Adam(learningRate: 0.05),
                loss: TraceELBO(numParticles: 2))
    }

    @Test(arguments: [FaultyTarget.Fault.throwing, .nan])
    func aPlainRunStopsAtTheBadStepKeepingTheStateBefore(_ fault: FaultyTarget.Fault) throws {
        let svi = try svi(FaultyTarget(fault, badCall: 12).model())
        var state = try svi.initialize(key: PRNGKey(seed: 7)), losses: [Double] = []
        #expect(throws: SVIError.self) { try svi.run(&state, numSteps: 40, losses: &losses) }
        let clean = try self.svi(FaultyTarget(fault, badCall: 0).model()).run(key: PRNGKey(seed: 7), numSteps: 11)
        #expect(state == clean.state && losses == clean.losses)
    }

    @Test(arguments: [FaultyTarget.Fault.throwing, .nan])
    func aStableRunSkipsTheBadStepAndGoesOn(_ fault: FaultyTarget.Fault) throws {
        let fit = try svi(FaultyTarget(fault, badCall: 12).model()).run(key: PRNGKey(seed: 7), numSteps: 40, stable: true)
        #expect(fit.losses.count == 40 && fit.state.step == 39)
        #expect(fit.losses[11].isNaN && fit.losses.enumerated().allSatisfy { $0.offset == 11 || $0.element.isFinite })
        let clean = try svi(FaultyTarget(fault, badCall: 0).model()).run(key: PRNGKey(seed: 7), numSteps: 11)
        #expect(Array(fit.losses[..<11]) == clean.losses)
    }
}
