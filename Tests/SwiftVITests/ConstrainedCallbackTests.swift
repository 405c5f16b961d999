import RealModule
import Testing
@testable import SwiftVI

/// Blocks of every supported kind, and what the callback of `model` saw last.
private final class Recorder {
    var seen: [Double] = []

    static var blocks: [LatentBlock] { [
        LatentBlock(name: "w", size: 2),
        LatentBlock(name: "rate", size: 2, constraint: .positive),
        LatentBlock(name: "p", size: 1, constraint: .unitInterval),
        LatentBlock(name: "t", size: 2, constraint: .interval(low: Tensor(-1), high: Tensor([2, 5]))),
        LatentBlock(name: "above", size: 1, constraint: .greaterThan(Tensor(3))),
        LatentBlock(name: "below", size: 1, constraint: .lessThan(Tensor(-2))),
        LatentBlock(name: "probs", size: 3, constraint: .simplex),
        LatentBlock(name: "L", size: 4, constraint: .lowerCholesky),
        LatentBlock(name: "C", size: 9, constraint: .corrCholesky),
    ] }

    /// f(x) = Σᵢ cᵢ xᵢ + Σᵢ xᵢ² / 2 with cᵢ = i / 10, and its gradient, at each point.
    func model() throws -> CallbackModel {
        try CallbackModel(latents: Self.blocks) { points, count in
            self.seen = points
            let d = points.count / count
            let values = (0..<count).map { s in
                (0..<d).reduce(0.0) { $0 + Double($1) / 10 * points[s * d + $1] + 0.5 * points[s * d + $1] * points[s * d + $1] }
            }
            return (values, points.indices.map { Double($0 % d) / 10 + points[$0] })
        }
    }
}

@Suite struct ConstrainedCallbackTests {
    @Test func theLayoutCountsValuesAndCoordinates() throws {
        let model = try Recorder().model()
        #expect(Recorder.blocks.map(\.unconstrainedSize) == [2, 2, 1, 2, 1, 1, 2, 3, 3])
        #expect(Recorder.blocks.map(\.shape) == [[2], [2], [1], [2], [1], [1], [3], [2, 2], [3, 3]])
        #expect(model.dimension == 17)
        #expect(model.constrainedDimension == 25)
        #expect(try AutoNormal(model: model).parameterBlocks.map(\.size) == [2, 2, 2, 2, 1, 1, 2, 2, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3])
    }

    @Test func theCallbackSeesConstrainedValuesAndTheDensityGainsTheLogDeterminant() throws {
        let recorder = Recorder()
        let model = try recorder.model()
        let u = PRNGKey(seed: 2).normal(2 * model.dimension)
        let points = Tensor(shape: [2, model.dimension], scalars: u)
        let density = try model.logDensity(points)
        #expect(recorder.seen.count == 2 * 25)
        for row in 0..<2 {
            let x = Array(recorder.seen[row * 25 ..< (row + 1) * 25]), v = Array(u[row * 17 ..< (row + 1) * 17])
            let sigmoid = { (t: Double) in 1 / (1 + Double.exp(-t)) }
            // Elementwise blocks, written out.
            #expect(x[0] == v[0] && x[1] == v[1])
            #expect(close(x[2], Double.exp(v[2])) && close(x[3], Double.exp(v[3])))
            #expect(close(x[4], sigmoid(v[4])))
            #expect(close(x[5], -1 + 3 * sigmoid(v[5])) && close(x[6], -1 + 6 * sigmoid(v[6])))
            #expect(close(x[7], 3 + Double.exp(v[7])) && close(x[8], -2 - Double.exp(v[8])))
            // Matrix and simplex blocks land in their regions.
            #expect(Constraint.simplex.check(Tensor(Array(x[9..<12]))) == [true])
            #expect(Constraint.lowerCholesky.check(Tensor(shape: [2, 2], scalars: Array(x[12..<16]))) == [true])
            #expect(Constraint.corrCholesky.check(Tensor(shape: [3, 3], scalars: Array(x[16..<25]))) == [true])
            // The elementwise log-determinants, written out; the others from the transforms.
            let elementwise = v[2] + v[3] + Double.log(sigmoid(v[4]) * (1 - sigmoid(v[4])))
                + Double.log(3 * sigmoid(v[5]) * (1 - sigmoid(v[5]))) + Double.log(6 * sigmoid(v[6]) * (1 - sigmoid(v[6])))
                + v[7] + v[8]
            let f = x.indices.reduce(0.0) { $0 + Double($1) / 10 * x[$1] + 0.5 * x[$1] * x[$1] }
            #expect(density.scalars[row] > -.infinity)
            #expect(close(density.scalars[row] - f - elementwise, logDetOfStructuredBlocks(v), relative: 1e-10, absolute: 1e-10))
        }
    }

    @Test func theGradientIsChainedThroughTheTransforms() throws {
        let model = try Recorder().model()
        let x = Tensor(shape: [1, model.dimension], scalars: PRNGKey(seed: 3).normal(model.dimension).map { 0.7 * $0 })
        #expect(try gradientMatches(at: x, tolerance: 1e-5) { try model.logDensity($0).sum() })
    }

    @Test func blocksThatDoNotFitTheirConstraintAreRejected() {
        let bad: [LatentBlock] = [
            LatentBlock(name: "s", size: 1, constraint: .simplex),
            LatentBlock(name: "L", size: 3, constraint: .lowerCholesky),
            LatentBlock(name: "C", size: 1, constraint: .corrCholesky),
            LatentBlock(name: "t", size: 2, constraint: .interval(low: Tensor(1), high: Tensor(0))),
            LatentBlock(name: "t", size: 2, constraint: .interval(low: Tensor([0, 0, 0]), high: Tensor(1))),
            LatentBlock(name: "g", size: 1, constraint: .greaterThan(Tensor(.infinity))),
            LatentBlock(name: "n", size: 1, constraint: .nonnegativeInteger),
            LatentBlock(name: "i", size: 3, constraint: .independent(.simplex, reinterpretedDims: 1)),
        ]
        for block in bad {
            #expect(throws: SVIError.self, "\(block.name) \(block.constraint.name)") {
                try CallbackModel(latents: [block]) { _, _ in ([], []) }
            }
        }
    }

    @Test func blocksCompareByNameSizeAndConstraint() {
        #expect(LatentBlock(name: "a", size: 2) == LatentBlock(name: "a", size: 2, constraint: .real))
        #expect(LatentBlock(name: "a", size: 2) != LatentBlock(name: "a", size: 2, constraint: .positive))
        #expect(LatentBlock(name: "a", size: 1, constraint: .greaterThan(Tensor(1)))
            != LatentBlock(name: "a", size: 1, constraint: .greaterThan(Tensor(2))))
    }
}

/// The log-determinants of the simplex, Cholesky and correlation-Cholesky blocks
/// of one point of `Recorder.blocks`' coordinates, each written out.
private func logDetOfStructuredBlocks(_ v: [Double]) -> Double {
    // Stick breaking (K = 3): tᵢ = vᵢ − log(K − 1 − i), zᵢ = σ(tᵢ), yᵢ = zᵢ Πⱼ<ᵢ (1 − zⱼ);
    // the Jacobian onto (y₀, y₁) is triangular with diagonal yᵢ (1 − zᵢ).
    let t = [v[9] - Double.log(2), v[10]]
    let z = t.map { 1 / (1 + Double.exp(-$0)) }
    let y0 = z[0], y1 = z[1] * (1 - z[0])
    let simplex = Double.log(y0 * (1 - z[0])) + Double.log(y1 * (1 - z[1]))
    // Lower Cholesky (n = 2): v₁₁ is the entry below the diagonal, v₁₂ and v₁₃ the log-diagonal.
    let cholesky = v[12] + v[13]
    // Correlation Cholesky (n = 3): on the three entries below the diagonal, numerically.
    let correlation = numericalCorrCholeskyLogDet(Array(v[14..<17]))
    return simplex + cholesky + correlation
}

/// log |det| of the map from the three unconstrained reals to the three free
/// entries (1,0), (2,0), (2,1) of the 3 × 3 correlation Cholesky factor, by
/// central differences of the library's forward map.
private func numericalCorrCholeskyLogDet(_ u: [Double]) -> Double {
    let transform = CorrCholeskyTransform()
    let free = { (x: [Double]) -> [Double] in
        let m = (try! transform.forward(Tensor(x))).scalars
        return [m[3], m[6], m[7]]
    }
    var jacobian = [[Double]](repeating: [0, 0, 0], count: 3)
    for j in 0..<3 {
        var plus = u, minus = u
        plus[j] += 1e-6
        minus[j] -= 1e-6
        let (a, b) = (free(plus), free(minus))
        for i in 0..<3 { jacobian[i][j] = (a[i] - b[i]) / 2e-6 }
    }
    let det = jacobian[0][0] * (jacobian[1][1] * jacobian[2][2] - jacobian[1][2] * jacobian[2][1])
        - jacobian[0][1] * (jacobian[1][0] * jacobian[2][2] - jacobian[1][2] * jacobian[2][0])
        + jacobian[0][2] * (jacobian[1][0] * jacobian[2][1] - jacobian[1][1] * jacobian[2][0])
    return Double.log(abs(det))
}
