import Testing
@testable import SwiftVI

/// A tensor of standard normal entries, reproducible from `seed`.
func randomTensor(_ shape: [Int], seed: UInt64) -> Tensor {
    Tensor(shape: shape, scalars: PRNGKey(seed: seed).normal(shape.reduce(1, *)))
}

/// A well-conditioned symmetric positive-definite n × n matrix, X Xᵀ + n I.
func randomSPD(_ n: Int, seed: UInt64) -> [Double] {
    let x = randomTensor([n, n], seed: seed).scalars
    return (0..<(n * n)).map { e in
        let (i, j) = (e / n, e % n)
        return (0..<n).reduce(i == j ? Double(n) : 0) { $0 + x[i * n + $1] * x[j * n + $1] }
    }
}

/// The row-major product of an m × k and a k × n matrix, written out for the tests.
func plainProduct(_ a: [Double], _ b: [Double], _ m: Int, _ k: Int, _ n: Int) -> [Double] {
    (0..<(m * n)).map { e in (0..<k).reduce(0.0) { $0 + a[e / n * k + $1] * b[$1 * n + e % n] } }
}

/// A lower-triangular n × n matrix with diagonal entries in [1, 2) and other entries from `seed`.
func randomLowerTriangular(_ n: Int, seed: UInt64) -> Tensor {
    let x = randomTensor([n, n], seed: seed).scalars
    return Tensor(shape: [n, n], scalars: (0..<(n * n)).map { e in
        let (i, j) = (e / n, e % n)
        return i == j ? 1 + abs(x[e]).truncatingRemainder(dividingBy: 1) : (j < i ? x[e] : 0)
    })
}

@Suite struct LinearAlgebraTests {
    @Test func matmulComputesTheProductAndBroadcastsBatches() throws {
        let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]), b = Tensor(shape: [3, 2], scalars: [7, 8, 9, 10, 11, 12])
        #expect(matmul(a, b).scalars == [58, 64, 139, 154])
        #expect(matvec(a, Tensor([1, 0, -1])).scalars == [-2, -2])
        // Batch [2, 1] against [3]: every pair of blocks.
        let x = randomTensor([2, 1, 2, 3], seed: 1), y = randomTensor([3, 3, 4], seed: 2)
        let product = matmul(x, y)
        #expect(product.shape == [2, 3, 2, 4])
        for i in 0..<2 {
            for j in 0..<3 {
                let expected = plainProduct(Array(x.scalars[(i * 6)..<(i * 6 + 6)]), Array(y.scalars[(j * 12)..<(j * 12 + 12)]), 2, 3, 4)
                let actual = Array(product.scalars[((i * 3 + j) * 8)..<((i * 3 + j) * 8 + 8)])
                #expect(zip(actual, expected).allSatisfy { close($0, $1, relative: 1e-14) })
            }
        }
    }

    @Test func matmulAndMatvecGradientsMatchFiniteDifferences() {
        let x = randomTensor([2, 1, 2, 3], seed: 3), y = randomTensor([3, 3, 4], seed: 4)
        let weights = randomTensor([2, 3, 2, 4], seed: 5)
        #expect(gradientMatches(at: x) { (matmul($0, y) * weights).sum() })
        #expect(gradientMatches(at: y) { (matmul(x, $0) * weights).sum() })
        let v = randomTensor([4, 1, 3], seed: 6), m = randomTensor([2, 2, 3], seed: 7)
        #expect(gradientMatches(at: v) { matvec(m, $0).squared().sum() })
        #expect(gradientMatches(at: m) { matvec($0, v).squared().sum() })
    }

    @Test func transposeAndDiagonals() {
        let a = Tensor(shape: [2, 2, 3], scalars: (0..<12).map(Double.init))
        #expect(a.matrixTransposed().shape == [2, 3, 2])
        #expect(a.matrixTransposed().scalars == [0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11])
        let square = Tensor(shape: [2, 2, 2], scalars: [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(square.diagonalPart().scalars == [1, 4, 5, 8])
        #expect(Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]).diagonalMatrix().scalars == [1, 0, 0, 2, 3, 0, 0, 4])
        #expect(Tensor.identity(2).scalars == [1, 0, 0, 1])
        #expect(square.squaredFrobeniusNorm().scalars == [30, 174])
        #expect(gradientMatches(at: a) { ($0.squaredFrobeniusNorm() * Tensor([0.5, -2])).sum() })
        let weights = randomTensor([2, 3, 2], seed: 8)
        #expect(gradientMatches(at: a) { ($0.matrixTransposed() * weights).sum() })
        #expect(gradientMatches(at: square) { $0.diagonalPart().squared().sum() })
        #expect(gradientMatches(at: Tensor([1.5, -2, 0.3])) { ($0.diagonalMatrix() * randomTensor([3, 3], seed: 9)).sum() })
    }

    @Test func choleskyFactorsAndIsDifferentiable() throws {
        let n = 4
        let a = Tensor(shape: [n, n], scalars: randomSPD(n, seed: 10))
        let l = try a.cholesky()
        let rebuilt = matmul(l, l.matrixTransposed()).scalars
        #expect(zip(rebuilt, a.scalars).allSatisfy { close($0, $1, relative: 1e-13, absolute: 1e-13) })
        for i in 0..<n { #expect(l.scalars[i * n + i] > 0 && (i + 1..<n).allSatisfy { l.scalars[i * n + $0] == 0 }) }
        // Through a symmetric input, X ↦ chol(½(X + Xᵀ)), so every perturbation is symmetric.
        let weights = randomTensor([2, n, n], seed: 11)
        let stack = Tensor(shape: [2, n, n], scalars: randomSPD(n, seed: 12) + randomSPD(n, seed: 13))
        #expect(try gradientMatches(at: stack) { x in
            (try ((x + x.matrixTransposed()) * 0.5).cholesky() * weights).sum()
        })
        // The gradient itself is symmetric.
        let (_, g) = try valueWithGradient(at: a) { try ($0.cholesky() * weights.gathering(Array(0..<16), shape: [n, n])).sum() }
        for i in 0..<n { for j in 0..<n { #expect(g.scalars[i * n + j] == g.scalars[j * n + i]) } }
        // log det from the factor.
        #expect(try gradientMatches(at: stack) { x in try ((x + x.matrixTransposed()) * 0.5).cholesky().choleskyLogDeterminant().sum() })
        let small = Tensor(shape: [2, 2], scalars: [2, 0.5, 0.5, 3])  // det = 2·3 − 0.5² = 5.75
        #expect(close(try small.cholesky().choleskyLogDeterminant().scalars[0], Double.log(5.75)))
    }

    @Test func choleskyRejectsMatricesThatAreNotPositiveDefinite() {
        let indefinite = Tensor(shape: [2, 2, 2], scalars: [2, 0, 0, 1, 1, 2, 2, 1])
        #expect(throws: SVIError.invalidArgument("cholesky: matrix 1 of the stack of shape [2, 2, 2] is not positive definite")) {
            try indefinite.cholesky()
        }
        #expect(throws: SVIError.self) { try Tensor(shape: [2, 2], scalars: [1, 0, 0, .nan]).cholesky() }
        #expect(throws: SVIError.self) { try Tensor(shape: [2, 3], scalars: [1, 0, 0, 0, 1, 0]).cholesky() }
    }

    @Test func triangularSolveSolvesAndIsDifferentiable() {
        let n = 3
        let l = randomLowerTriangular(n, seed: 14), b = randomTensor([2, n, 2], seed: 15)
        for transposed in [false, true] {
            let x = triangularSolve(l, b, transposed: transposed)
            #expect(x.shape == [2, n, 2])
            let op = transposed ? l.matrixTransposed() : l
            let back = matmul(op, x).scalars
            #expect(zip(back, b.scalars).allSatisfy { close($0, $1, relative: 1e-13, absolute: 1e-13) })
            let weights = randomTensor([2, n, 2], seed: 16)
            #expect(gradientMatches(at: l) { (triangularSolve($0, b, transposed: transposed) * weights).sum() })
            #expect(gradientMatches(at: b) { (triangularSolve(l, $0, transposed: transposed) * weights).sum() })
        }
        // Batches of factors against batches of right-hand sides.
        let factors = Tensor(shape: [2, 1, n, n], scalars: randomLowerTriangular(n, seed: 17).scalars + randomLowerTriangular(n, seed: 18).scalars)
        let rhs = randomTensor([3, n, 1], seed: 19)
        #expect(triangularSolve(factors, rhs).shape == [2, 3, n, 1])
        #expect(gradientMatches(at: factors) { triangularSolve($0, rhs).squared().sum() })
        #expect(gradientMatches(at: rhs) { triangularSolve(factors, $0, transposed: true).squared().sum() })
    }
}
