import Testing
@testable import SwiftVI

@Suite struct AutodiffTests {
    let x = Tensor(shape: [2, 3], scalars: [0.3, -1.2, 2.0, 0.7, 1.5, -0.4])
    let positive = Tensor(shape: [2, 3], scalars: [0.3, 1.2, 2.0, 0.7, 1.5, 0.4])

    @Test func unaryOperations() {
        #expect(gradientMatches(at: x) { (-$0).sum() })
        #expect(gradientMatches(at: x) { $0.exp().sum() })
        #expect(gradientMatches(at: positive) { $0.log().sum() })
        #expect(gradientMatches(at: positive) { $0.log1p().sum() })
        #expect(gradientMatches(at: positive) { $0.sqrt().sum() })
        #expect(gradientMatches(at: x) { $0.squared().sum() })
        #expect(gradientMatches(at: x) { $0.softplus().sum() })
        #expect(gradientMatches(at: x) { $0.sigmoid().sum() })
        #expect(gradientMatches(at: x) { $0.tanh().sum() })
    }

    @Test func binaryOperationsWithBroadcasting() {
        let row = Tensor(shape: [3], scalars: [0.5, -2.0, 1.5])
        let column = Tensor(shape: [2, 1], scalars: [1.3, 0.8])
        for other in [row, column, Tensor(2.5)] {
            #expect(gradientMatches(at: x) { ($0 + other).squared().sum() })
            #expect(gradientMatches(at: x) { ($0 - other).squared().sum() })
            #expect(gradientMatches(at: x) { ($0 * other).sum() })
            #expect(gradientMatches(at: x) { ($0 / other).sum() })
            // With respect to the broadcast operand, whose gradient sums over the broadcast axes.
            #expect(gradientMatches(at: other) { (x * $0 + $0.squared()).sum() })
            #expect(gradientMatches(at: other) { (x / ($0.squared() + 1)).sum() })
        }
    }

    @Test func reductions() {
        #expect(gradientMatches(at: x) { ($0.sum(alongAxis: 0) * Tensor([1, 2, 3])).sum() })
        #expect(gradientMatches(at: x) { ($0.sum(alongAxis: -1) * Tensor([1, 2])).sum() })
        #expect(gradientMatches(at: x) { ($0.logSumExp(alongAxis: 1) * Tensor([0.5, 2])).sum() })
        #expect(gradientMatches(at: x) { ($0.logSumExp(alongAxis: 0) * Tensor([1, -1, 2])).sum() })
        #expect(gradientMatches(at: x) { $0.mean() * $0.mean() })
        let lse = x.logSumExp(alongAxis: 1).scalars
        #expect(close(lse[0], logSumExp([0.3, -1.2, 2.0])) && close(lse[1], logSumExp([0.7, 1.5, -0.4])))
        #expect(x.sum(alongAxis: 0).scalars == [1.0, 0.30000000000000004, 1.6])
    }

    @Test func indexingAndShapes() {
        #expect(gradientMatches(at: x) { ($0.reshaped([3, 2]) * Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])).sum() })
        #expect(gradientMatches(at: x) { ($0.expandingShape(at: 1) * Tensor(shape: [3, 1], scalars: [1, 2, 3])).sum() })
        #expect(gradientMatches(at: x) { ($0.gathering([5, 0, 0, 3], shape: [2, 2]) * Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])).sum() })
        #expect(gradientMatches(at: x) { $0.takingAlongLastAxis([2, 0], shape: [2]).squared().sum() })
        #expect(gradientMatches(at: Tensor([1.0, 2.0, 3.0])) { ($0.broadcasted(to: [2, 3]) * x).sum() })
        #expect(x.takingAlongLastAxis([2, 0], shape: [2]).scalars == [2.0, 0.7])
        #expect(x.expandingShape(at: -1).shape == [2, 3, 1])
    }

    @Test func fusedTernaryMapMatchesFiniteDifferences() throws {
        let loc = Tensor([0.2, -0.5, 1.0]), scale = Tensor(shape: [2, 1], scalars: [0.7, 1.9])
        #expect(try gradientMatches(at: x) { try Normal(loc: loc, scale: scale).logProb($0).sum() })
        #expect(try gradientMatches(at: loc) { try Normal(loc: $0, scale: scale).logProb(x).sum() })
        #expect(try gradientMatches(at: scale) { try Normal(loc: loc, scale: $0).logProb(x).sum() })
        #expect(try gradientMatches(at: scale) { try Normal(loc: loc, scale: $0).cdf(x).sum() })
        #expect(try gradientMatches(at: loc) { try Normal(loc: $0, scale: scale).cdf(x).sum() })
        let p = Tensor([0.1, 0.5, 0.93])
        #expect(try gradientMatches(at: p) { try Normal(loc: loc, scale: scale).icdf($0).sum() })
        #expect(try gradientMatches(at: scale) { try Normal(loc: loc, scale: $0).icdf(p).sum() })
    }

    @Test func gradientsAccumulateOverRepeatedUseAndIgnoreUnrelatedInputs() {
        let tape = Tape()
        let a = tape.variable(Tensor([2.0, 3.0])), unused = tape.variable(Tensor(1.0))
        let y = (a * a * a).sum() + a.sum()
        let grads = tape.gradient(of: y, wrt: [a, unused])
        #expect(grads[0].scalars == [13, 28])
        #expect(grads[1].scalars == [0])
    }

    @Test func untrackedComputationsRecordNothing() {
        let t = (x * 2).exp().sum()
        #expect(!t.isTracked)
        let tape = Tape()
        #expect((tape.variable(x) * 2).isTracked)
        #expect(!(tape.variable(x) * 2).detached.isTracked)
    }

    @Test func vectorJacobianProductWithSeed() {
        let tape = Tape()
        let a = tape.variable(Tensor([1.0, 2.0]))
        let y = a.squared()
        #expect(tape.gradient(of: y, wrt: [a], seed: [3, 5])[0].scalars == [6, 20])
    }

    @Test func broadcastShapeRules() {
        #expect(broadcastShapes([2, 1, 3], [4, 1]) == [2, 4, 3])
        #expect(broadcastShapes([], [5]) == [5])
        #expect(broadcastShapes([2, 3], [3, 2]) == nil)
        #expect(broadcastShapes([[1], [2, 1], [3]]) == [2, 3])
    }
}

@Suite struct TapeLifetimeTests {
    @Test func aTapeIsFreedAfterAnEvaluation() throws {
        weak var freed: Tape?
        do {
            let tape = Tape()
            freed = tape
            let x = tape.variable(Tensor([0.3, 1.2]))
            let y = try (Normal(loc: x, scale: x.softplus()).logProb(Tensor([0.1, 0.2])) * x / x.exp()).logSumExp(alongAxis: 0)
            _ = tape.gradient(of: y, wrt: [x])
        }
        #expect(freed == nil)
    }
}
