import RealModule
import Testing
@testable import SwiftVI

@Suite struct ExpandedDistributionTests {
    @Test func logProbBroadcastsTheBaseToTheNewBatch() throws {
        let base = try Normal(loc: Tensor(shape: [2, 1], scalars: [0, 1]), scale: 2)
        let expanded = try base.expanded(to: [3, 2, 4])
        #expect(expanded.batchShape == [3, 2, 4])
        let value = Tensor(shape: [4], scalars: [0.5, -1, 2, 0])
        let lp = try expanded.logProb(value)
        #expect(lp.shape == [3, 2, 4])
        for (k, got) in lp.scalars.enumerated() {
            let row = (k / 4) % 2, x = value.scalars[k % 4]
            #expect(close(got, Double.log(normalDensity(x, Double(row), 2))))
        }
        #expect(throws: SVIError.self) { try base.expanded(to: [3, 4]) }
        #expect(try base.expanded(to: [2, 1]) is Normal)
    }

    @Test func drawsAreIndependentCopiesOfTheirBaseElement() throws {
        let base = try Normal(loc: Tensor(shape: [2, 1], scalars: [-3, 5]), scale: Tensor(shape: [2, 1], scalars: [1, 2]))
        for shape in [[2, 3], [4, 2, 3], [5, 2, 1], [2, 1]] {
            let expanded = try base.expanded(to: shape)
            let draws = expanded.sample([4000], key: PRNGKey(seed: 2))
            #expect(draws.shape == [4000] + shape)
            let cells = shape.reduce(1, *)
            var columns = [[Double]](repeating: [], count: cells)
            for (k, x) in draws.scalars.enumerated() { columns[k % cells].append(x) }
            for (cell, column) in columns.enumerated() {
                let row = (cell / shape.last!) % 2
                let (m, v) = moments(column)
                let (mu, sigma2) = row == 0 ? (-3.0, 1.0) : (5.0, 4.0)
                #expect(abs(m - mu) < 5 * (sigma2 / 4000).squareRoot())
                #expect(abs(v - sigma2) < 5 * sigma2 * (2.0 / 3999).squareRoot())
            }
            if cells > 2 {
                // Copies of one base element are independent: their correlation is near zero.
                let (a, b) = (columns[0], columns[1])
                let (ma, va) = moments(a), (mb, vb) = moments(b)
                var covariance = 0.0
                for (x, y) in zip(a, b) { covariance += (x - ma) * (y - mb) / 3999 }
                let bound: Double = 5 / Double(4000).squareRoot()
                #expect(abs(covariance / (va * vb).squareRoot()) < bound)
            }
        }
    }

    @Test func drawsAreReparameterizedThroughTheBase() throws {
        let x = Tensor([0.3, -0.4])
        #expect(try gradientMatches(at: x) { loc in
            let base = try Normal(loc: loc.reshaped([2, 1]), scale: 1.5)
            return try (base.expanded(to: [3, 2, 3]).sample([2], key: PRNGKey(seed: 9)).squared()).sum()
        })
    }

    @Test func concatenationGradientMatchesFiniteDifferences() throws {
        let joined = { (x: Tensor) in
            Tensor.concatenating([x.gathering([0, 1], shape: [2]).squared(), Tensor(7),
                                  x.gathering([2, 3, 4], shape: [3, 1]).exp()])
        }
        let x = Tensor([0.5, -1, 2, 0.25, 3])
        #expect(joined(x).shape == [6])
        #expect(joined(x).scalars == [0.25, 1, 7, Double.exp(2), Double.exp(0.25), Double.exp(3)])
        #expect(gradientMatches(at: x) { (joined($0) * Tensor([1, 2, 3, 4, 5, 6])).sum() })
    }
}
