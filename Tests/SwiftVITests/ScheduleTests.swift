import RealModule
import Testing
@testable import SwiftVI

@Suite struct ScheduleTests {
    @Test func exponentialDecayAtChosenSteps() {
        let smooth = Schedule.exponentialDecay(initValue: 0.2, decaySteps: 100, decayRate: 0.5)
        #expect(smooth(0) == 0.2)
        #expect(close(smooth(100), 0.1, relative: 1e-15))
        #expect(close(smooth(150), 0.2 * Double.pow(0.5, 1.5), relative: 1e-15))
        #expect(close(smooth(1000), 0.2 / 1024, relative: 1e-15))
        let stairs = Schedule.exponentialDecay(initValue: 0.2, decaySteps: 100, decayRate: 0.5, staircase: true)
        #expect(stairs(99) == 0.2 && stairs(100) == 0.1 && stairs(199) == 0.1 && stairs(200) == 0.05)
    }

    @Test func cosineDecayAtChosenSteps() {
        let s = Schedule.cosineDecay(initValue: 1, decaySteps: 100, alpha: 0.1)
        #expect(s(0) == 1)
        #expect(close(s(50), 0.9 * 0.5 + 0.1, relative: 1e-15))                       // cos(π/2) = 0
        #expect(close(s(25), 0.9 * 0.5 * (1 + 0.5.squareRoot()) + 0.1, relative: 1e-14))  // cos(π/4) = √½
        #expect(close(s(100), 0.1, relative: 1e-15) && s(100) == s(10_000))
        #expect(abs(Schedule.cosineDecay(initValue: 2, decaySteps: 10)(10)) < 1e-15)
    }

    @Test func piecewiseConstantCountsTheBoundariesBelow() {
        let s = Schedule.piecewiseConstant(boundaries: [10, 20], values: [1, 0.5, 0.25])
        #expect([0, 10, 11, 20, 21, 1000].map { s($0) } == [1, 1, 0.5, 0.5, 0.25, 0.25])
    }

    @Test func linearWarmupThenAnotherSchedule() {
        let after = Schedule.exponentialDecay(initValue: 0.1, decaySteps: 10, decayRate: 0.5)
        let s = Schedule.linearWarmup(initValue: 0.02, warmupSteps: 4, then: after)
        #expect(s(0) == 0.02)
        #expect(close(s(1), 0.04, relative: 1e-15) && close(s(3), 0.08, relative: 1e-15))
        #expect(s(4) == 0.1 && s(14) == after(10) && close(s(14), 0.05, relative: 1e-15))
    }

    @Test func invalidSchedulesAreRejected() {
        let bad: [Schedule] = [
            .constant(0), .constant(-1),
            .exponentialDecay(initValue: 0.1, decaySteps: 0, decayRate: 0.5),
            .exponentialDecay(initValue: 0.1, decaySteps: 10, decayRate: 0),
            .cosineDecay(initValue: .nan, decaySteps: 10),
            .cosineDecay(initValue: 0.1, decaySteps: 10, alpha: 1.5),
            .piecewiseConstant(boundaries: [5], values: [0.1]),
            .piecewiseConstant(boundaries: [5, 5], values: [0.1, 0.1, 0.1]),
            .piecewiseConstant(boundaries: [5], values: [0.1, -1]),
            .linearWarmup(initValue: 0, warmupSteps: 0, then: .constant(0.1)),
            .linearWarmup(initValue: 0, warmupSteps: 5, then: .constant(-0.1)),
        ]
        for schedule in bad {
            #expect(throws: SVIError.self, "\(schedule)") { try Adam(learningRate: schedule) }
        }
        #expect(throws: SVIError.invalidArgument("Adagrad: cosine_decay alpha must be in [0, 1]; got 1.5")) {
            try Adagrad(learningRate: .cosineDecay(initValue: 0.1, decaySteps: 10, alpha: 1.5))
        }
    }
}
