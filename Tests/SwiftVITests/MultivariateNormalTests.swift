import RealModule
import Testing
@testable import SwiftVI

/// The inverse and log-determinant of a symmetric positive-definite matrix by
/// Gauss–Jordan elimination with partial pivoting, independent of the library.
func plainInverseAndLogDet(_ m: [Double], _ n: Int) -> (inverse: [Double], logDet: Double) {
    var a = m, inv = Tensor.identity(n).scalars, logDet = 0.0
    for col in 0..<n {
        let pivot = (col..<n).max { abs(a[$0 * n + col]) < abs(a[$1 * n + col]) }!
        for j in 0..<n { a.swapAt(col * n + j, pivot * n + j); inv.swapAt(col * n + j, pivot * n + j) }
        let p = a[col * n + col]
        logDet += Double.log(abs(p))
        for j in 0..<n { a[col * n + j] /= p; inv[col * n + j] /= p }
        for r in 0..<n where r != col {
            let f = a[r * n + col]
            for j in 0..<n { a[r * n + j] -= f * a[col * n + j]; inv[r * n + j] -= f * inv[col * n + j] }
        }
    }
    return (inv, logDet)
}

/// log N(x; μ, Σ) written out from the inverse and determinant.
func plainNormalLogDensity(_ x: [Double], _ mu: [Double], _ sigma: [Double]) -> Double {
    let n = x.count
    let (inv, logDet) = plainInverseAndLogDet(sigma, n)
    let d = zip(x, mu).map(-)
    let quad = (0..<n).reduce(0.0) { s, i in s + (0..<n).reduce(0.0) { $0 + d[i] * inv[i * n + $1] * d[$1] } }
    return -0.5 * (quad + Double(n) * Double.log(2 * Double.pi) + logDet)
}

/// Keeps the lower triangle of a square matrix: X ↦ X ⊙ tril(1), differentiable.
func lowerPart(_ x: Tensor) -> Tensor {
    let n = x.shape.last!
    return x * Tensor(shape: [n, n], scalars: (0..<(n * n)).map { $0 % n <= $0 / n ? 1 : 0 })
}

/// ½ (X + Xᵀ): a symmetric matrix whose finite differences are symmetric perturbations.
func symmetrized(_ x: Tensor) -> Tensor { (x + x.matrixTransposed()) * 0.5 }

@Suite struct MultivariateNormalTests {
    let loc = Tensor([0.5, -1.0, 2.0])
    let covariance = Tensor(shape: [3, 3], scalars: randomSPD(3, seed: 21))
    let values = randomTensor([4, 3], seed: 22)

    @Test func logProbAgreesForEveryParameterization() throws {
        let precision = Tensor(shape: [3, 3], scalars: plainInverseAndLogDet(covariance.scalars, 3).inverse)
        let tril = try covariance.cholesky()
        for d in [try MultivariateNormal(loc: loc, covarianceMatrix: covariance),
                  try MultivariateNormal(loc: loc, precisionMatrix: symmetrized(precision)),
                  try MultivariateNormal(loc: loc, scaleTril: tril)] {
            #expect(d.batchShape == [] && d.eventShape == [3])
            let lp = try d.logProb(values).scalars
            #expect(lp.count == 4)
            for s in 0..<4 {
                let x = Array(values.scalars[(s * 3)..<(s * 3 + 3)])
                #expect(close(lp[s], plainNormalLogDensity(x, loc.scalars, covariance.scalars), relative: 1e-11))
            }
            #expect(zip(d.covarianceMatrix.scalars, covariance.scalars).allSatisfy { close($0, $1, relative: 1e-11, absolute: 1e-12) })
            #expect(zip(d.precisionMatrix.scalars, precision.scalars).allSatisfy { close($0, $1, relative: 1e-10, absolute: 1e-12) })
            #expect(zip(d.scaleTril.scalars, tril.scalars).allSatisfy { close($0, $1, relative: 1e-11, absolute: 1e-12) })
            #expect(d.mean.scalars == loc.scalars)
            #expect(zip(d.variance.scalars, [0, 4, 8].map { covariance.scalars[$0] }).allSatisfy { close($0, $1, relative: 1e-12) })
            let logDet = plainInverseAndLogDet(covariance.scalars, 3).logDet
            #expect(close(d.entropy().scalars[0], 0.5 * (3 * (1 + Double.log(2 * Double.pi)) + logDet), relative: 1e-12))
            #expect(d.support.eventDim == 1 && d.hasReparameterizedSample)
        }
    }

    @Test func batchShapesBroadcastFromLocAndMatrix() throws {
        let locs = randomTensor([2, 1, 3], seed: 23)
        let trils = Tensor(shape: [4, 3, 3], scalars: (0..<4).flatMap { randomLowerTriangular(3, seed: 30 + UInt64($0)).scalars })
        let d = try MultivariateNormal(loc: locs, scaleTril: trils)
        #expect(d.batchShape == [2, 4])
        #expect(d.mean.shape == [2, 4, 3] && d.variance.shape == [2, 4, 3] && d.entropy().shape == [2, 4])
        #expect(d.scaleTril.shape == [2, 4, 3, 3] && d.covarianceMatrix.shape == [2, 4, 3, 3])
        let x = randomTensor([5, 1, 1, 3], seed: 24)
        let lp = try d.logProb(x)
        #expect(lp.shape == [5, 2, 4])
        for s in 0..<5 { for i in 0..<2 { for j in 0..<4 {
            let l = Array(trils.scalars[(j * 9)..<(j * 9 + 9)])
            let sigma = plainProduct(l, DenseKernels.transpose(l, at: 0, m: 3, n: 3), 3, 3, 3)
            let expected = plainNormalLogDensity(Array(x.scalars[(s * 3)..<(s * 3 + 3)]), Array(locs.scalars[(i * 3)..<(i * 3 + 3)]), sigma)
            #expect(close(lp.scalars[(s * 2 + i) * 4 + j], expected, relative: 1e-11))
        } } }
        #expect(try MultivariateNormal(loc: Tensor(1.5), covarianceMatrix: covariance).mean.scalars == [1.5, 1.5, 1.5])
        #expect(throws: SVIError.self) { try d.logProb(randomTensor([2], seed: 1)) }
    }

    @Test func logProbGradientsMatchFiniteDifferences() throws {
        let tril = try covariance.cholesky()
        let mvn = { (loc: Tensor, tril: Tensor) in try MultivariateNormal(loc: loc, scaleTril: lowerPart(tril)) }
        #expect(try gradientMatches(at: values) { try mvn(loc, tril).logProb($0).sum() })
        #expect(try gradientMatches(at: loc) { try mvn($0, tril).logProb(values).sum() })
        #expect(try gradientMatches(at: tril) { try mvn(loc, $0).logProb(values).sum() })
        #expect(try gradientMatches(at: covariance) {
            try MultivariateNormal(loc: loc, covarianceMatrix: symmetrized($0)).logProb(values).sum()
        })
        let precision = Tensor(shape: [3, 3], scalars: randomSPD(3, seed: 25))
        #expect(try gradientMatches(at: precision) {
            try MultivariateNormal(loc: loc, precisionMatrix: symmetrized($0)).logProb(values).sum()
        })
        #expect(try gradientMatches(at: tril) { try mvn(loc, $0).entropy().sum() })
    }

    @Test func samplesHaveTheMeanAndCovariance() throws {
        let d = try MultivariateNormal(loc: loc, covarianceMatrix: covariance)
        let n = 100_000
        let x = d.sample([n], key: PRNGKey(seed: 26))
        #expect(x.shape == [n, 3])
        let c = covariance.scalars
        for i in 0..<3 {
            let mean = (0..<n).reduce(0.0) { $0 + x.scalars[$1 * 3 + i] } / Double(n)
            #expect(abs(mean - loc.scalars[i]) < 5 * (c[i * 3 + i] / Double(n)).squareRoot())
            for j in 0...i {
                let cov = (0..<n).reduce(0.0) { $0 + (x.scalars[$1 * 3 + i] - loc.scalars[i]) * (x.scalars[$1 * 3 + j] - loc.scalars[j]) } / Double(n)
                let standardError = ((c[i * 3 + i] * c[j * 3 + j] + c[i * 3 + j] * c[i * 3 + j]) / Double(n)).squareRoot()
                #expect(abs(cov - c[i * 3 + j]) < 5 * standardError)
            }
        }
    }

    @Test func reparameterizedGradientOfAQuadraticExpectationIsExact() throws {
        // f(x) = xᵀAx + bᵀx has E f = tr(A L Lᵀ) + μᵀAμ + bᵀμ. The sample gradient is averaged over
        // 20 groups of draws and compared, within 4 standard errors, with finite differences of E f.
        let a = randomTensor([3, 3], seed: 27), b = Tensor([0.3, -1.2, 0.8])
        let tril = randomLowerTriangular(3, seed: 28)
        func exact(_ mu: [Double], _ l: [Double]) -> Double {
            let sigma = plainProduct(l, DenseKernels.transpose(l, at: 0, m: 3, n: 3), 3, 3, 3)
            let am = plainProduct(a.scalars, mu, 3, 3, 1)
            return (0..<9).reduce(0.0) { $0 + a.scalars[$1] * sigma[$1] }
                + (0..<3).reduce(0.0) { $0 + mu[$1] * am[$1] + b.scalars[$1] * mu[$1] }
        }
        let parameters = loc.scalars + tril.scalars
        let expected = finiteDifferenceGradient(parameters) { exact(Array($0[0..<3]), Array($0[3...])) }
        let groups = 20
        var gradients = [[Double]]()
        for g in 0..<groups {
            let tape = Tape()
            let mu = tape.variable(loc), l = tape.variable(tril)
            let x = try MultivariateNormal(loc: mu, scaleTril: lowerPart(l)).sample([2_000], key: PRNGKey(seed: 100 + UInt64(g)))
            let f = ((matvec(a, x) + b) * x).sum(alongAxis: -1).mean()
            let grads = tape.gradient(of: f, wrt: [mu, l])
            gradients.append(grads[0].scalars + grads[1].scalars)
        }
        for k in parameters.indices where k < 3 || (k - 3) % 3 <= (k - 3) / 3 {
            let (mean, variance) = moments(gradients.map { $0[k] })
            #expect(abs(mean - expected[k]) < 4 * (variance / Double(groups)).squareRoot() + 1e-9)
        }
    }

    @Test func invalidParametersAreRejectedWithTheirName() throws {
        let indefinite = Tensor(shape: [2, 2], scalars: [1, 2, 2, 1])
        #expect(throws: SVIError.invalidArgument("MultivariateNormal: covariance_matrix must be symmetric positive definite; matrix 0 is not")) {
            try MultivariateNormal(loc: Tensor([0, 0]), covarianceMatrix: indefinite)
        }
        #expect(throws: SVIError.invalidArgument("MultivariateNormal: precision_matrix must be symmetric positive definite; matrix 0 is not")) {
            try MultivariateNormal(loc: Tensor([0, 0]), precisionMatrix: Tensor(shape: [2, 2], scalars: [2, 1, 0, 2]))
        }
        #expect(throws: SVIError.invalidArgument("MultivariateNormal: scale_tril must be lower triangular with a positive diagonal; matrix 0 is not")) {
            try MultivariateNormal(loc: Tensor([0, 0]), scaleTril: Tensor(shape: [2, 2], scalars: [1, 0, 0.5, -1]))
        }
        #expect(throws: SVIError.self) { try MultivariateNormal(loc: Tensor([0, 0]), scaleTril: Tensor(shape: [2, 2], scalars: [1, 0.1, 0, 1])) }
        #expect(throws: SVIError.self) { try MultivariateNormal(loc: Tensor([0, 0, 0]), covarianceMatrix: .identity(2)) }
        #expect(throws: SVIError.self) { try MultivariateNormal(loc: Tensor([0, 0]), covarianceMatrix: Tensor(shape: [2, 3], scalars: [1, 0, 0, 0, 1, 0])) }
        #expect(throws: SVIError.self) { try MultivariateNormal(loc: Tensor([.nan, 0]), covarianceMatrix: .identity(2)) }
        #expect(throws: SVIError.self) { try MultivariateNormal(loc: Tensor(shape: [3, 2], scalars: [0, 0, 0, 0, 0, 0]),
                                                                scaleTril: Tensor(shape: [2, 2, 2], scalars: [1, 0, 0, 1, 1, 0, 0, 1])) }
        #expect(throws: SVIError.invalidArgument("LowRankMultivariateNormal: cov_diag must be positive and finite; got 0.0 at index 1")) {
            try LowRankMultivariateNormal(loc: Tensor([0, 0]), covFactor: Tensor(shape: [2, 1], scalars: [1, 1]), covDiag: Tensor([1, 0]))
        }
        #expect(throws: SVIError.self) {
            try LowRankMultivariateNormal(loc: Tensor([0, 0]), covFactor: Tensor(shape: [3, 1], scalars: [1, 1, 1]), covDiag: Tensor([1, 1]))
        }
    }
}

@Suite struct LowRankMultivariateNormalTests {
    let loc = Tensor([0.5, -1.0, 2.0, 0.0])
    let factor = randomTensor([4, 2], seed: 40)
    let diagonal = Tensor([0.5, 1.5, 0.8, 2.0])
    let values = randomTensor([3, 4], seed: 41)

    /// W Wᵀ + diag(d), written out.
    var covariance: [Double] {
        let w = factor.scalars
        let outer = plainProduct(w, DenseKernels.transpose(w, at: 0, m: 4, n: 2), 4, 2, 4)
        let dense: [Double] = Tensor(diagonal.scalars).diagonalMatrix().scalars
        return zip(outer, dense).map(+)
    }

    @Test func logProbMomentsAndEntropyAgreeWithTheDenseCovariance() throws {
        let d = try LowRankMultivariateNormal(loc: loc, covFactor: factor, covDiag: diagonal)
        #expect(d.batchShape == [] && d.eventShape == [4])
        let lp = try d.logProb(values).scalars
        for s in 0..<3 {
            #expect(close(lp[s], plainNormalLogDensity(Array(values.scalars[(s * 4)..<(s * 4 + 4)]), loc.scalars, covariance), relative: 1e-11))
        }
        #expect(zip(d.variance.scalars, [0, 5, 10, 15].map { covariance[$0] }).allSatisfy { close($0, $1, relative: 1e-13) })
        let (inverse, logDet) = plainInverseAndLogDet(covariance, 4)
        #expect(close(d.entropy().scalars[0], 0.5 * (4 * (1 + Double.log(2 * Double.pi)) + logDet), relative: 1e-12))
        #expect(zip(d.covarianceMatrix.scalars, covariance).allSatisfy { close($0, $1, relative: 1e-13) })
        #expect(zip(d.precisionMatrix.scalars, inverse).allSatisfy { close($0, $1, relative: 1e-10, absolute: 1e-12) })
        let tril = try d.scaleTril
        #expect(zip(matmul(tril, tril.matrixTransposed()).scalars, covariance).allSatisfy { close($0, $1, relative: 1e-12) })
    }

    @Test func vectorsWithAnInfiniteCoordinateHaveLogProbMinusInfinity() throws {
        let low = try LowRankMultivariateNormal(loc: loc, covFactor: factor, covDiag: diagonal)
        let full = try MultivariateNormal(loc: loc, covarianceMatrix: Tensor(shape: [4, 4], scalars: covariance))
        let points = Tensor(shape: [3, 4], scalars: [0, .infinity, 0, 0, 1, 2, 3, 4, -.infinity, 0, 0, .infinity])
        for d in [low as any Distribution, full] {
            let lp = try d.logProb(points).scalars
            #expect(lp[0] == -.infinity && lp[2] == -.infinity && lp[1].isFinite)
        }
    }

    @Test func logProbGradientsMatchFiniteDifferences() throws {
        let make = { (loc: Tensor, w: Tensor, d: Tensor) in try LowRankMultivariateNormal(loc: loc, covFactor: w, covDiag: d) }
        #expect(try gradientMatches(at: values) { try make(loc, factor, diagonal).logProb($0).sum() })
        #expect(try gradientMatches(at: loc) { try make($0, factor, diagonal).logProb(values).sum() })
        #expect(try gradientMatches(at: factor) { try make(loc, $0, diagonal).logProb(values).sum() })
        #expect(try gradientMatches(at: diagonal) { try make(loc, factor, $0).logProb(values).sum() })
        #expect(try gradientMatches(at: factor) { try make(loc, $0, diagonal).entropy().sum() })
    }

    @Test func batchesBroadcastAndSamplesHaveTheCovariance() throws {
        let d = try LowRankMultivariateNormal(loc: randomTensor([3, 1, 4], seed: 42), covFactor: factor,
                                              covDiag: Tensor(shape: [2, 4], scalars: diagonal.scalars + [1, 1, 1, 1]))
        #expect(d.batchShape == [3, 2])
        #expect(try d.logProb(values.reshaped([3, 1, 4])).shape == [3, 2])
        let single = try LowRankMultivariateNormal(loc: loc, covFactor: factor, covDiag: diagonal)
        let n = 100_000
        let x = single.sample([n], key: PRNGKey(seed: 43))
        let c = covariance
        for i in 0..<4 {
            let mean = (0..<n).reduce(0.0) { $0 + x.scalars[$1 * 4 + i] } / Double(n)
            #expect(abs(mean - loc.scalars[i]) < 5 * (c[i * 5] / Double(n)).squareRoot())
            for j in 0...i {
                let cov = (0..<n).reduce(0.0) { $0 + (x.scalars[$1 * 4 + i] - loc.scalars[i]) * (x.scalars[$1 * 4 + j] - loc.scalars[j]) } / Double(n)
                #expect(abs(cov - c[i * 4 + j]) < 5 * ((c[i * 5] * c[j * 5] + c[i * 4 + j] * c[i * 4 + j]) / Double(n)).squareRoot())
            }
        }
    }
}
