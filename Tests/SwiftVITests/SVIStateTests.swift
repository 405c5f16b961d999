import Testing
@testable import SwiftVI

/// A Gaussian log-density −½‖z − (1, −2)‖² whose value is NaN on the calls listed in `nanCalls`.
private final class Gaussian {
    var calls = 0
    let nanCalls: Set<Int>

    init(nanCalls: Set<Int> = []) { self.nanCalls = nanCalls }

    func model() throws -> CallbackModel {
        try CallbackModel(latents: [LatentBlock(name: "z", size: 2)]) { points, count in
            self.calls += 1
            var values: [Double] = [], gradient: [Double] = []
            for s in 0..<count {
                let dx = points[2 * s] - 1, dy = points[2 * s + 1] + 2
                values.append(-0.5 * (dx * dx + dy * dy))
                gradient += [-dx, -dy]
            }
            return (self.nanCalls.contains(self.calls) ? values.map { _ in .nan } : values, gradient)
        }
    }
}

private func makeSVI(_ model: any LogDensityModel, _ optimizer: any Optimizer) throws -> SVI {
    try SVI(model: model, guide: AutoNormal(model: model), optimizer: optimizer, loss: TraceELBO(numParticles: 3))
}

/// Takes `steps` steps from `state`.
private func advance(_ svi: SVI, _ state: SVIState, _ steps: Int) throws -> (SVIState, [Double]) {
    var state = state, losses: [Double] = []
    try svi.run(&state, numSteps: steps, losses: &losses)
    return (state, losses)
}

@Suite struct SVIStateTests {
    @Test func evaluateGivesTheNextStepsLossWithoutStepping() throws {
        let svi = try makeSVI(Gaussian().model(), Adam(learningRate: 0.05))
        let (state, _) = try advance(svi, svi.initialize(key: PRNGKey(seed: 4)), 5)
        let evaluated = try svi.evaluate(state)
        #expect(try svi.evaluate(state) == evaluated)
        #expect(try svi.update(state).loss == evaluated)
    }

    @Test(arguments: [
        try Adam(learningRate: 0.05) as any Optimizer,
        try RMSProp(learningRate: .exponentialDecay(initValue: 0.01, decaySteps: 7, decayRate: 0.5), momentum: 0.5, centered: true),
        try GradientClipping(ClippedAdam(learningRate: 0.05, lrd: 0.99), maxGlobalNorm: 2),
    ])
    func saveRestoreContinueEqualsAnUninterruptedRun(optimizer: any Optimizer) throws {
        let svi = try makeSVI(Gaussian().model(), optimizer)
        let initial = try svi.initialize(key: PRNGKey(seed: 11))
        let (straight, straightLosses) = try advance(svi, initial, 30)
        let (half, firstLosses) = try advance(svi, initial, 12)
        let bytes = half.serialized()
        let restored = try svi.restore(bytes)
        #expect(restored == half)
        let (resumed, secondLosses) = try advance(svi, restored, 18)
        #expect(resumed == straight)
        #expect((firstLosses + secondLosses).map(\.bitPattern) == straightLosses.map(\.bitPattern))
        #expect(resumed.parameters.map(\.bitPattern) == straight.parameters.map(\.bitPattern))
    }

    @Test func theFormatIsAsDocumented() throws {
        let state = SVIState(parameters: [1.5, -2], optimizerState: OptimizerState(step: 7, slots: [[0.25, 3]]),
                             key: PRNGKey(words: (0x0102_0304, 0xA0B0_C0D0)))
        let bytes = state.serialized()
        #expect(bytes.count == 44 + 8 * 4 + 4)
        #expect(Array(bytes[0..<8]) == [0x89, 0x53, 0x56, 0x49, 0x53, 0x0D, 0x0A, 0x1A])
        #expect(Array(bytes[8..<12]) == [1, 0, 0, 0])
        #expect(Array(bytes[12..<20]) == [0x04, 0x03, 0x02, 0x01, 0xD0, 0xC0, 0xB0, 0xA0])
        #expect(Array(bytes[20..<28]) == [7, 0, 0, 0, 0, 0, 0, 0])
        #expect(Array(bytes[28..<44]) == [2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0])
        #expect(Array(bytes[44..<52]) == [0, 0, 0, 0, 0, 0, 0xF8, 0x3F])           // 1.5
        let crc = bytes[(bytes.count - 4)...].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        #expect(crc == CRC32.checksum(bytes.dropLast(4)))
        #expect(try SVIState(serialized: bytes) == state)
    }

    @Test func crc32KnownAnswer() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
    }

    @Test func corruptTruncatedOrForeignBytesAreRejected() throws {
        let svi = try makeSVI(Gaussian().model(), Adam(learningRate: 0.05))
        let (state, _) = try advance(svi, svi.initialize(key: PRNGKey(seed: 2)), 3)
        let bytes = state.serialized()
        for length in 0..<bytes.count {
            #expect(throws: SVIError.self) { try svi.restore(Array(bytes[..<length])) }
        }
        for index in bytes.indices {
            for bit in [0, 3, 7] {
                var flipped = bytes
                flipped[index] ^= UInt8(1 << bit)
                #expect(throws: SVIError.self) { try svi.restore(flipped) }
            }
        }
        #expect(throws: SVIError.self) { try svi.restore(bytes + [0]) }
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 47, 48, 100, bytes.count, 4096] {
            let noise = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(throws: SVIError.self) { try svi.restore(noise) }
        }
        // A well-formed state of another layout: different optimizer slots or parameter count.
        #expect(throws: SVIError.self) { try makeSVI(Gaussian().model(), SGD(learningRate: 0.1)).restore(bytes) }
        let wider = try CallbackModel(latents: [LatentBlock(name: "z", size: 3)]) { _, _ in ([], []) }
        #expect(throws: SVIError.self) { try makeSVI(wider, Adam(learningRate: 0.05)).restore(bytes) }
        // Non-finite values and unknown versions are refused even with a valid checksum.
        for (offset, patch) in [(8, [2, 0, 0, 0] as [UInt8]), (50, [0xF0, 0x7F])] {
            var forged = Array(bytes.dropLast(4))
            forged.replaceSubrange(offset..<(offset + patch.count), with: patch)
            let crc = CRC32.checksum(forged)
            forged += (0..<4).map { UInt8(truncatingIfNeeded: crc >> (8 * $0)) }
            #expect(throws: SVIError.self) { try svi.restore(forged) }
        }
    }

    @Test func stableUpdateRefusesANaNStepAndKeepsTheState() throws {
        // Each step calls the model once: the third step's loss is NaN.
        let svi = try makeSVI(Gaussian(nanCalls: [3]).model(), Adam(learningRate: 0.05))
        let (before, _) = try advance(svi, svi.initialize(key: PRNGKey(seed: 5)), 2)
        let refused = try svi.stableUpdate(before)
        #expect(!refused.accepted && refused.loss.isNaN)
        #expect(refused.state.parameters == before.parameters)
        #expect(refused.state.optimizerState == before.optimizerState)
        #expect(refused.state.key == before.key.split(2)[0])
        let next = try svi.stableUpdate(refused.state)
        #expect(next.accepted && next.loss.isFinite && next.state.step == 3)
        // update instead throws and the caller's state is untouched.
        let plain = try makeSVI(Gaussian(nanCalls: [3]).model(), Adam(learningRate: 0.05))
        let (same, _) = try advance(plain, plain.initialize(key: PRNGKey(seed: 5)), 2)
        #expect(same == before)
        #expect(throws: SVIError.self) { try plain.update(same) }
    }

    @Test func earlyStoppingFollowsItsDocumentedRule() throws {
        // Smoothed with β = 0.5: s = 10, 10, 10.5, 10.5, 10.5 → the 2nd, 4th and 5th steps are calm.
        var rule = try EarlyStopping(relativeTolerance: 1e-9, smoothing: 0.5, patience: 2)
        #expect([10.0, 10, 11, 10.5, 10.5].map { rule.shouldStop(after: $0) } == [false, false, false, false, true])
        // A fit whose step size decays settles (q reaches p exactly, so the loss noise vanishes) and ends early.
        let svi = try makeSVI(Gaussian().model(), Adam(learningRate: .exponentialDecay(initValue: 0.05, decaySteps: 500, decayRate: 0.1)))
        var state = try svi.initialize(key: PRNGKey(seed: 1)), losses: [Double] = []
        let stopped = try svi.run(&state, numSteps: 5000, losses: &losses,
                                  earlyStopping: EarlyStopping(relativeTolerance: 1e-3, smoothing: 0.98, patience: 10))
        #expect(stopped && losses.count < 5000 && state.step == losses.count, "\(losses.suffix(5))")
        #expect(throws: SVIError.self) { try EarlyStopping(relativeTolerance: 0) }
        #expect(throws: SVIError.self) { try EarlyStopping(relativeTolerance: 0.1, smoothing: 1) }
        #expect(throws: SVIError.self) { try EarlyStopping(relativeTolerance: 0.1, patience: 0) }
    }
}
