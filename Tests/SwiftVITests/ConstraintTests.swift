import Testing
@testable import SwiftVI

@Suite struct ConstraintTests {
    let inf = Double.infinity, nan = Double.nan

    /// The flags of `constraint.check` for scalar values.
    func flags(_ constraint: Constraint, _ values: [Double]) -> [Bool] {
        constraint.check(Tensor(values))
    }

    @Test func scalarConstraintsAtTheirBoundaries() {
        #expect(flags(.real, [0, -1e308, 1e308, inf, -inf, nan]) == [true, true, true, false, false, false])
        #expect(flags(.positive, [1e-320, 0, -0.0, -1e-320, inf, nan]) == [true, false, false, false, true, false])
        #expect(flags(.nonnegative, [0, -0.0, 1e-320, -1e-320, nan]) == [true, true, true, false, false])
        #expect(flags(.unitInterval, [0, 1, 0.5, 1.0.nextUp, (-0.0).nextDown, nan]) == [true, true, true, false, false, false])
        #expect(flags(.boolean, [0, 1, 0.5, 2, -1, nan]) == [true, true, false, false, false, false])
        #expect(flags(.nonnegativeInteger, [0, 1, 7, 2.5, -1, nan]) == [true, true, true, false, false, false])
    }

    @Test func boundedConstraintsBroadcastTheirBounds() {
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 2, 2, 2])
        let bound = Tensor([1, 2, 3])
        #expect(Constraint.greaterThan(bound).check(x) == [false, false, false, true, false, false])
        #expect(Constraint.lessThan(bound).check(x) == [false, false, false, false, false, true])
        #expect(Constraint.interval(low: Tensor(2), high: bound).check(x) == [false, true, true, false, true, true])
        #expect(Constraint.greaterThan(Tensor(0)).check(Tensor([nan])) == [false])
        // Integers between bounds, both ends included.
        #expect(Constraint.integerInterval(low: Tensor(1), high: Tensor(3)).check(Tensor([0, 1, 2.5, 3, 4]))
                == [false, true, false, true, false])
        // The flags follow the broadcast shape: a scalar value against a bound of shape [2, 1].
        let (shape, result) = Constraint.greaterThan(Tensor(shape: [2, 1], scalars: [0, 5])).evaluate(Tensor(1))
        #expect(shape == [2, 1] && result == [true, false])
        // Shapes that do not broadcast put every element outside, never trap.
        #expect(Constraint.interval(low: Tensor([0, 0]), high: Tensor(1)).check(Tensor([0.5, 0.5, 0.5])) == [false, false, false])
    }

    @Test func vectorConstraints() {
        let rows = Tensor(shape: [4, 3], scalars: [0.2, 0.3, 0.5, 1, 0, 0, 0.5, 0.5, 1e-5, -1e-9, 0.5, 0.5 + 1e-9])
        #expect(Constraint.simplex.check(rows) == [true, true, false, false])
        #expect(Constraint.simplex.check(Tensor([0.5, 0.5 + 9e-7])) == [true])
        #expect(Constraint.simplex.check(Tensor([0.5, nan])) == [false])
        #expect(Constraint.realVector.check(Tensor(shape: [2, 2], scalars: [1, 2, 3, inf])) == [true, false])
        #expect(Constraint.realVector.check(Tensor(2)) == [false])  // no event dimension
        #expect(Constraint.simplex.eventDim == 1 && Constraint.realVector.eventDim == 1)
    }

    @Test func matrixConstraints() {
        let lower = Tensor(shape: [2, 2], scalars: [2, 0, -1, 0.5])
        let upper = Tensor(shape: [2, 2], scalars: [2, 0.1, -1, 0.5])
        let zeroDiagonal = Tensor(shape: [2, 2], scalars: [2, 0, -1, 0])
        let nanBelow = Tensor(shape: [2, 2], scalars: [2, 0, nan, 0.5])
        #expect(Constraint.lowerTriangular.check(lower) == [true])
        #expect(Constraint.lowerTriangular.check(zeroDiagonal) == [true])
        #expect(Constraint.lowerTriangular.check(upper) == [false])
        #expect(Constraint.lowerCholesky.check(lower) == [true])
        #expect(Constraint.lowerCholesky.check(zeroDiagonal) == [false])
        #expect(Constraint.lowerCholesky.check(upper) == [false])
        #expect(Constraint.lowerCholesky.check(nanBelow) == [false])
        // A batch of three, and a non-square matrix (every element false).
        let batch = Tensor(shape: [3, 2, 2], scalars: lower.scalars + upper.scalars + zeroDiagonal.scalars)
        #expect(Constraint.lowerCholesky.check(batch) == [true, false, false])
        #expect(Constraint.lowerCholesky.check(Tensor(shape: [2, 2, 3], scalars: [Double](repeating: 1, count: 12))) == [false, false])

        let c = 0.6, s = 0.8
        let corr = Tensor(shape: [2, 2], scalars: [1, 0, c, s])
        #expect(Constraint.corrCholesky.check(corr) == [true])
        #expect(Constraint.corrCholesky.check(Tensor(shape: [2, 2], scalars: [1, 0, c, s + 1e-6])) == [false])
        #expect(Constraint.corrCholesky.check(Tensor(shape: [2, 2], scalars: [1, 0, c, -s])) == [false])
        #expect(Constraint.corrCholesky.check(Tensor(shape: [2, 2], scalars: [1, 0.1, c, s])) == [false])

        let pd = Tensor(shape: [2, 2], scalars: [2, 1, 1, 2])
        #expect(Constraint.positiveDefinite.check(pd) == [true])
        #expect(Constraint.positiveDefinite.check(Tensor(shape: [2, 2], scalars: [1, 2, 2, 1])) == [false])  // eigenvalue -1
        #expect(Constraint.positiveDefinite.check(Tensor(shape: [2, 2], scalars: [2, 1, 1.1, 2])) == [false])  // not symmetric
        #expect(Constraint.positiveDefinite.check(Tensor(shape: [2, 2], scalars: [1, 1, 1, 1])) == [false])  // singular
        #expect(Constraint.positiveDefinite.check(Tensor(shape: [2, 2], scalars: [2, nan, nan, 2])) == [false])
        // Empty matrices and empty batches.
        #expect(Constraint.lowerCholesky.check(Tensor(shape: [3, 0, 0], scalars: [])) == [true, true, true])
        #expect(Constraint.positiveDefinite.check(Tensor(shape: [0, 2, 2], scalars: [])) == [])
    }

    @Test func independentGroupsTheRightmostBatchDimensions() {
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 1, -2, 3])
        #expect(Constraint.independent(.positive, reinterpretedDims: 1).check(x) == [true, false])
        #expect(Constraint.independent(.positive, reinterpretedDims: 2).check(x) == [false])
        #expect(Constraint.independent(.positive, reinterpretedDims: 0).check(x) == [true, true, true, true, false, true])
        // Over a vector constraint: a batch of 2 × 2 simplex rows, grouped by the first axis.
        let rows = Tensor(shape: [2, 2, 2], scalars: [0.5, 0.5, 0.1, 0.9, 0.5, 0.5, 0.5, 0.6])
        #expect(Constraint.independent(.simplex, reinterpretedDims: 1).check(rows) == [true, false])
        // Bounds with a batch shape: the group follows the broadcast shape.
        let bounded = Constraint.independent(.greaterThan(Tensor(shape: [2, 1], scalars: [0, 5])), reinterpretedDims: 1)
        #expect(bounded.check(Tensor([1, 2])) == [true, false])
        #expect(Constraint.independent(.simplex, reinterpretedDims: 2).eventDim == 3)
    }

    @Test func namesAndKinds() {
        #expect(Constraint.interval(low: Tensor(0), high: Tensor(1)).name == "interval")
        #expect(Constraint.independent(.positive, reinterpretedDims: 1).name == "independent(positive, 1)")
        #expect(Constraint.integerInterval(low: Tensor(0), high: Tensor(3)).isDiscrete)
        #expect(Constraint.independent(.boolean, reinterpretedDims: 1).isDiscrete)
        #expect(!Constraint.corrCholesky.isDiscrete && Constraint.corrCholesky.eventDim == 2)
        #expect(Constraint.real.eventDim == 0 && Constraint.lowerTriangular.eventDim == 2)
    }
}
