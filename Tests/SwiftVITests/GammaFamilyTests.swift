import RealModule
import Testing
@testable import SwiftVI

/// Pathwise-gradient estimates of d E[f(x)]/dθ from `batches` independent batches:
/// the mean over batches and its standard error, per parameter.
func pathwiseGradient(at parameters: [Double], batches: Int = 20,
                      _ batchEstimate: (Tensor, PRNGKey) throws -> Tensor) rethrows -> (mean: [Double], standardError: [Double]) {
    var perBatch: [[Double]] = []
    for b in 0..<batches {
        let (_, g) = try valueWithGradient(at: Tensor(parameters)) { try batchEstimate($0, PRNGKey(seed: UInt64(100 + b))) }
        perBatch.append(g.scalars)
    }
    let n = Double(batches)
    let mean = parameters.indices.map { i in perBatch.reduce(0) { $0 + $1[i] } / n }
    let error = parameters.indices.map { i in
        (perBatch.reduce(0) { $0 + ($1[i] - mean[i]) * ($1[i] - mean[i]) } / (n - 1) / n).squareRoot()
    }
    return (mean, error)
}

/// The element `i` of a parameter vector as a scalar tensor, on the vector's tape.
func element(_ t: Tensor, _ i: Int) -> Tensor { t.gathering([i], shape: []) }

/// Expects each estimate within 4 standard errors (plus a tiny floor) of the exact value.
func expectWithinMonteCarloError(_ estimate: (mean: [Double], standardError: [Double]), _ exact: [Double],
                                 sourceLocation: SourceLocation = #_sourceLocation) {
    for i in exact.indices {
        #expect(abs(estimate.mean[i] - exact[i]) <= 4 * estimate.standardError[i] + 1e-9,
                "parameter \(i): \(estimate.mean[i]) ± \(estimate.standardError[i]) vs \(exact[i])",
                sourceLocation: sourceLocation)
        // The estimate must be informative: its error well below the value tested.
        #expect(estimate.standardError[i] < 0.05 * max(abs(exact[i]), 0.1), sourceLocation: sourceLocation)
    }
}

@Suite struct GammaFamilyDensityTests {
    @Test func logDensitiesMatchTheirFormulas() throws {
        let x = 1.7, a = 2.3, b = 0.8
        #expect(close(try Gamma(concentration: Tensor(a), rate: Tensor(b)).logProb(Tensor(x)).scalars[0],
                      a * Double.log(b) + (a - 1) * Double.log(x) - b * x - Double.logGamma(a), relative: 1e-14))
        #expect(close(try Exponential(rate: Tensor(b)).logProb(Tensor(x)).scalars[0], Double.log(b) - b * x, relative: 1e-14))
        #expect(close(try Chi2(df: Tensor(3)).logProb(Tensor(x)).scalars[0],
                      0.5 * Double.log(x) - x / 2 - 1.5 * Double.log(2) - Double.logGamma(1.5), relative: 1e-14))
        #expect(close(try InverseGamma(concentration: Tensor(a), rate: Tensor(b)).logProb(Tensor(x)).scalars[0],
                      a * Double.log(b) - (a + 1) * Double.log(x) - b / x - Double.logGamma(a), relative: 1e-14))
        let (nu, m, s) = (4.5, -0.3, 1.9), z = (x - m) / s
        #expect(close(try StudentT(df: Tensor(nu), loc: Tensor(m), scale: Tensor(s)).logProb(Tensor(x)).scalars[0],
                      Double.logGamma((nu + 1) / 2) - Double.logGamma(nu / 2) - 0.5 * Double.log(nu * Double.pi) - Double.log(s)
                          - (nu + 1) / 2 * Double.log(1 + z * z / nu), relative: 1e-14))
        let u = 0.35
        #expect(close(try Beta(concentration1: Tensor(a), concentration0: Tensor(b)).logProb(Tensor(u)).scalars[0],
                      (a - 1) * Double.log(u) + (b - 1) * Double.log(1 - u) - Double.logGamma(a) - Double.logGamma(b) + Double.logGamma(a + b),
                      relative: 1e-14))
        let alpha = [1.5, 0.7, 3.0], point = [0.2, 0.5, 0.3]
        let expected = zip(alpha, point).reduce(Double.logGamma(5.2)) { $0 + ($1.0 - 1) * Double.log($1.1) - Double.logGamma($1.0) }
        #expect(close(try Dirichlet(concentration: Tensor(alpha)).logProb(Tensor(point)).scalars[0], expected, relative: 1e-14))
    }

    @Test func valuesOutsideTheSupportHaveMinusInfiniteLogDensity() throws {
        let outside = Tensor([-1, -.infinity, .infinity])
        for d: any Distribution in [try Gamma(concentration: 2, rate: 1), try Exponential(rate: 2), try Chi2(df: 3),
                                    try InverseGamma(concentration: 2, rate: 1)] {
            #expect(try d.logProb(outside).scalars.allSatisfy { $0 == -.infinity }, "\(d.familyName)")
        }
        #expect(try Beta(concentration1: 2, concentration0: 3).logProb(Tensor([-0.1, 1.1])).scalars.allSatisfy { $0 == -.infinity })
        let dirichlet = try Dirichlet(concentration: Tensor([1, 2, 3]))
        #expect(try dirichlet.logProb(Tensor(shape: [2, 3], scalars: [0.5, 0.6, -0.1, 0.3, 0.3, 0.3])).scalars == [-.infinity, -.infinity])
        // Boundary values take the density's limit: Gamma(1, β) at 0 is β, Beta(1, 3) at 0 is 3.
        #expect(close(try Gamma(concentration: 1, rate: 2.5).logProb(0).scalars[0], Double.log(2.5)))
        #expect(close(try Beta(concentration1: 1, concentration0: 3).logProb(0).scalars[0], Double.log(3)))
        #expect(try Gamma(concentration: 0.5, rate: 1).logProb(0).scalars[0] == .infinity)
    }

    @Test func largeConcentrationLogDensityKeepsItsDigits() throws {
        // Gamma(1e6, 1e6) at x = 1 + 1e-3: the log-density ½log(a/2π) − δ(a) + a·log1pmx(1e-3) − log x
        // written with the series of log(1 + t) − t, where the naive formula cancels terms of size 1e7.
        let a = 1e6, t = 1e-3
        let series = -t * t / 2 + t * t * t / 3 - t * t * t * t / 4 + t * t * t * t * t / 5
        let expected = 0.5 * Double.log(a / (2 * Double.pi)) - 1 / (12 * a) + a * series - Double.log(1 + t)
        #expect(close(try Gamma(concentration: Tensor(a), rate: Tensor(a)).logProb(Tensor(1 + t)).scalars[0], expected, relative: 1e-12))
    }

    @Test func logProbGradientsMatchFiniteDifferences() throws {
        // Each closure maps [value, parameters…] to the log-density.
        let cases: [([Double], (Tensor) throws -> Tensor)] = [
            ([1.3, 2.2, 0.7], { t in try Gamma(concentration: element(t, 1), rate: element(t, 2)).logProb(element(t, 0)) }),
            ([0.4, 1.6], { t in try Exponential(rate: element(t, 1)).logProb(element(t, 0)) }),
            ([2.4, 3.3], { t in try Chi2(df: element(t, 1)).logProb(element(t, 0)) }),
            ([0.9, 3.1, 1.4], { t in try InverseGamma(concentration: element(t, 1), rate: element(t, 2)).logProb(element(t, 0)) }),
            ([0.8, 3.7, -0.4, 1.3], { t in
                try StudentT(df: element(t, 1), loc: element(t, 2), scale: element(t, 3)).logProb(element(t, 0)) }),
            ([0.3, 2.5, 4.1], { t in try Beta(concentration1: element(t, 1), concentration0: element(t, 2)).logProb(element(t, 0)) }),
            ([0.2, 0.5, 0.3, 1.5, 0.7, 3.0], { t in
                let x = t.gathering([0, 1, 2], shape: [3]), alpha = t.gathering([3, 4, 5], shape: [3])
                return try Dirichlet(concentration: alpha).logProb(x) }),
        ]
        for (point, f) in cases {
            #expect(try gradientMatches(at: Tensor(point), tolerance: 1e-6, f), "at \(point)")
        }
    }

    @Test func summaryGradientsMatchFiniteDifferences() throws {
        let gammaPoint = Tensor([2.2, 0.7])
        #expect(try gradientMatches(at: gammaPoint) { t in try Gamma(concentration: element(t, 0), rate: element(t, 1)).entropy() })
        #expect(try gradientMatches(at: Tensor([3.1, 1.4])) { t in
            try InverseGamma(concentration: element(t, 0), rate: element(t, 1)).variance + InverseGamma(concentration: element(t, 0), rate: element(t, 1)).entropy() })
        #expect(try gradientMatches(at: Tensor([3.7, 1.3])) { t in
            let d = try StudentT(df: element(t, 0), loc: 0, scale: element(t, 1))
            return d.entropy() + d.variance })
        #expect(try gradientMatches(at: Tensor([2.5, 4.1])) { t in try Beta(concentration1: element(t, 0), concentration0: element(t, 1)).entropy() })
        #expect(try gradientMatches(at: Tensor([1.5, 0.7, 3.0])) { t in try Dirichlet(concentration: t).entropy() })
    }

    @Test func cdfIsTheIntegralOfTheDensityAndIcdfItsInverse() throws {
        let rule = GaussLegendre(points: 16)
        // (distribution, lower limit, cdf there, exponent k of the substitution t = low + (x − low)·sᵏ,
        // which smooths a density singular like t^(k⁻¹ − 1) at low, points).
        let families: [(any Distribution, Double, Double, Double, [Double])] = [
            (try Gamma(concentration: 2.7, rate: 1.3), 0, 0, 4, [0.3, 1.9, 5.0]),
            (try Gamma(concentration: 0.4, rate: 2.0), 0, 0, 10, [1e-3, 0.2, 1.5]),
            (try Exponential(rate: 0.6), 0, 0, 1, [0.1, 2.0, 9.0]),
            (try Chi2(df: 5), 0, 0, 4, [1.0, 4.0, 12.0]),
            (try InverseGamma(concentration: 3.0, rate: 2.0), 0, 0, 1, [0.2, 1.0, 4.0]),
            (try StudentT(df: 2.5, loc: 1, scale: 2), 1, 0.5, 1, [-5.0, 0.5, 1.5, 3.0]),
            (try Beta(concentration1: 2.5, concentration0: 1.5), 0, 0, 4, [0.05, 0.5, 0.93]),
        ]
        for (d, low, atLow, k, points) in families {
            for x in points {
                let integral = try rule.integrate(0, 1, panels: 64) { s in
                    let t = low + (x - low) * Double.pow(s, k)
                    return Double.exp(try d.logProb(Tensor(t)).scalars[0]) * k * Double.pow(s, k - 1) * (x - low)
                }
                let cdf = try d.cdf(Tensor(x)).scalars[0]
                #expect(close(cdf, atLow + integral, relative: 1e-10), "\(d.familyName) cdf at \(x)")
                #expect(close(try d.icdf(Tensor(cdf)).scalars[0], x, relative: 1e-11), "\(d.familyName) icdf at \(x)")
            }
        }
        // Student's t with 2 degrees of freedom has F(t) = ½ + t/(2√(2 + t²)).
        let t2 = try StudentT(df: 2)
        for t in [-1e6, -30.0, -0.7, 0.2, 4.0] {
            #expect(close(try t2.cdf(Tensor(t)).scalars[0], 0.5 + t / (2 * (2 + t * t).squareRoot()), relative: 1e-13))
        }
        // At ν ≥ 1e13, F(t) = Φ(t) − φ(t)(t³ + t)/(4ν) to below double precision (the next
        // term is O(t⁸/ν²)), out to the last representable tail; the quantile inverts it.
        for nu in [1e13, 1e17, 1e40, 1e300, .greatestFiniteMagnitude] {
            let d = try StudentT(df: Tensor(nu))
            for t in [-38.0, -30.0, -5.0, -0.3, 0.0, 2.0, 9.0] {
                let density = Double.exp(-0.5 * t * t) / (2 * Double.pi).squareRoot()
                let expected = t < 0 ? standardNormalCDF(t) - density * (t * t * t + t) / (4 * nu)
                    : 1 - standardNormalCDF(-t) - density * (t * t * t + t) / (4 * nu)
                #expect(close(try d.cdf(Tensor(t)).scalars[0], expected, relative: 2e-13), "ν = \(nu), t = \(t)")
            }
            for p in [1e-200, 1e-10, 0.3, 0.5, 0.9] where nu < 1e100 || p > 1e-100 {
                let quantile = try d.icdf(Tensor(p)).scalars[0]
                #expect(close(try d.cdf(Tensor(quantile)).scalars[0], p, relative: 1e-12), "ν = \(nu), p = \(p)")
            }
        }
    }

    @Test func cdfAndIcdfGradientsMatchFiniteDifferences() throws {
        #expect(try gradientMatches(at: Tensor([1.3, 2.2, 0.7])) { t in
            try Gamma(concentration: element(t, 1), rate: element(t, 2)).cdf(element(t, 0)) })
        #expect(try gradientMatches(at: Tensor([0.3, 2.2, 0.7])) { t in
            try Gamma(concentration: element(t, 1), rate: element(t, 2)).icdf(element(t, 0)) })
        #expect(try gradientMatches(at: Tensor([1.1, 3.1, 1.4])) { t in
            try InverseGamma(concentration: element(t, 1), rate: element(t, 2)).cdf(element(t, 0)) })
        #expect(try gradientMatches(at: Tensor([0.8, 3.1, 1.4])) { t in
            try InverseGamma(concentration: element(t, 1), rate: element(t, 2)).icdf(element(t, 0)) })
        #expect(try gradientMatches(at: Tensor([0.8, 3.7, -0.4, 1.3]), tolerance: 1e-5) { t in
            try StudentT(df: element(t, 1), loc: element(t, 2), scale: element(t, 3)).cdf(element(t, 0)) })
        #expect(try gradientMatches(at: Tensor([0.3, 3.7, -0.4, 1.3]), tolerance: 1e-5) { t in
            try StudentT(df: element(t, 1), loc: element(t, 2), scale: element(t, 3)).icdf(element(t, 0)) })
        #expect(try gradientMatches(at: Tensor([0.3, 2.5, 4.1]), tolerance: 1e-5) { t in
            try Beta(concentration1: element(t, 1), concentration0: element(t, 2)).cdf(element(t, 0)) })
        #expect(try gradientMatches(at: Tensor([0.6, 2.5, 4.1]), tolerance: 1e-5) { t in
            try Beta(concentration1: element(t, 1), concentration0: element(t, 2)).icdf(element(t, 0)) })
        #expect(try gradientMatches(at: Tensor([0.6, 1.6])) { t in try Exponential(rate: element(t, 1)).icdf(element(t, 0)) })
    }

    @Test func momentsThatDoNotExistFollowScipy() throws {
        let t = try StudentT(df: Tensor([0.5, 1.5, 3.0]), loc: 2, scale: 1)
        let mean = try t.mean.scalars, variance = try t.variance.scalars
        #expect(mean[0] == .infinity && mean[1] == 2 && mean[2] == 2)
        #expect(variance[0].isNaN && variance[1] == .infinity && close(variance[2], 3))
        let ig = try InverseGamma(concentration: Tensor([0.5, 1.5, 3.0]), rate: 2)
        #expect(try ig.mean.scalars[0] == .infinity && close(try ig.mean.scalars[1], 4))
        #expect(try ig.variance.scalars[0] == .infinity && ig.variance.scalars[1] == .infinity && close(try ig.variance.scalars[2], 1))
    }

    @Test func dirichletOfTwoCategoriesIsTheBeta() throws {
        let dirichlet = try Dirichlet(concentration: Tensor([2.5, 0.8])), beta = try Beta(concentration1: 2.5, concentration0: 0.8)
        #expect(close(dirichlet.entropy().scalars[0], beta.entropy().scalars[0], relative: 1e-13))
        for x in [0.01, 0.4, 0.97] {
            #expect(close(try dirichlet.logProb(Tensor([x, 1 - x])).scalars[0], try beta.logProb(Tensor(x)).scalars[0], relative: 1e-13))
        }
        #expect(close(dirichlet.variance.scalars[0], beta.variance.scalars[0], relative: 1e-14))
    }

    @Test func invalidParametersAreRejectedWithTheirName() {
        #expect(throws: SVIError.invalidArgument("Gamma: concentration must be positive and finite; got -1.0 at index 0")) {
            try Gamma(concentration: -1, rate: 1)
        }
        #expect(throws: SVIError.invalidArgument("Gamma: rate must be positive and finite; got 0.0 at index 0")) {
            try Gamma(concentration: 1, rate: 0)
        }
        #expect(throws: SVIError.invalidArgument("Exponential: rate must be positive and finite; got inf at index 0")) {
            try Exponential(rate: Tensor(.infinity))
        }
        #expect(throws: SVIError.invalidArgument("Chi2: df must be positive and finite; got -3.0 at index 0")) { try Chi2(df: -3) }
        #expect(throws: SVIError.invalidArgument("InverseGamma: rate must be positive and finite; got -2.0 at index 1")) {
            try InverseGamma(concentration: 1, rate: Tensor([1, -2]))
        }
        #expect(throws: SVIError.invalidArgument("StudentT: df must be positive and finite; got 0.0 at index 0")) { try StudentT(df: 0) }
        #expect(throws: SVIError.invalidArgument("StudentT: loc must be finite; got nan at index 0")) { try StudentT(df: 1, loc: Tensor(.nan)) }
        #expect(throws: SVIError.invalidArgument("StudentT: scale must be positive and finite; got -1.0 at index 0")) {
            try StudentT(df: 1, loc: 0, scale: -1)
        }
        #expect(throws: SVIError.invalidArgument("Beta: concentration0 must be positive and finite; got 0.0 at index 0")) {
            try Beta(concentration1: 1, concentration0: 0)
        }
        #expect(throws: SVIError.invalidArgument("Dirichlet: concentration must be positive and finite; got -0.5 at index 1")) {
            try Dirichlet(concentration: Tensor([1, -0.5]))
        }
        #expect(throws: SVIError.self) { try Dirichlet(concentration: Tensor(1)) }
        #expect(throws: SVIError.self) { try Gamma(concentration: Tensor([1, 2]), rate: Tensor([1, 2, 3])) }
    }
}

@Suite struct GammaFamilySamplingTests {
    @Test func standardGammaDrawsDependOnlyOnTheKey() {
        let key = PRNGKey(seed: 3)
        #expect(standardGammaSample(0.3, key: key) == standardGammaSample(0.3, key: key))
        #expect(standardGammaSample(0.3, key: key) != standardGammaSample(0.3, key: PRNGKey(seed: 4)))
        let draws = Tensor.standardGamma(concentration: Tensor([0.5, 7]), shape: [4, 2], key: key)
        #expect(draws.scalars[3] == standardGammaSample(7, key: key.foldIn(3)))
        // Tiny concentrations give positive normal numbers, never 0.
        #expect(standardGammaSample(1e-3, key: key) >= Double.leastNormalMagnitude)
    }

    @Test(arguments: [(0.01, 1e-30), (0.3, 0.02), (1.0, 1.0), (4.5, 9.0), (200.0, 180.0), (1e5, 1e5 + 300)])
    func implicitDerivativeMovesTheDrawAlongItsQuantile(a: Double, x: Double) {
        // dx/da at fixed u = P(a, x), by differences of the quantile function.
        let u = regularizedGammaPQ(a, x)
        let quantile = { (b: Double) in u.p < 0.5 ? inverseRegularizedGammaP(b, u.p) : inverseRegularizedGammaQ(b, u.q) }
        #expect(close(standardGammaSampleDerivative(a, x), richardsonDerivative(at: a, quantile), relative: 1e-7))
    }

    @Test(arguments: [1e-3, 0.02, 0.3])
    func logDrawDerivativeIsContinuousWhereDrawsUnderflow(a: Double) {
        // Below the normal range the derivative switches to (ψ(1 + a) − log x)/a; just above it
        // the series-based derivative must agree.
        let logX = Double.log(1e-300)
        let fromSeries = standardGammaSampleDerivative(a, 1e-300) / 1e-300
        #expect(close(standardGammaLogSampleDerivative(a, logX), fromSeries, relative: 1e-12))
        #expect(close(standardGammaLogSampleDerivative(a, -2000), (digamma(1 + a) + 2000) / a, relative: 1e-15))
        let key = PRNGKey(seed: 8)
        #expect(close(Double.exp(standardGammaLogSample(a, key: key)), standardGammaSample(a, key: key), relative: 1e-15)
                || standardGammaSample(a, key: key) == Double.leastNormalMagnitude)
    }

    @Test func smallConcentrationsKeepTheirLawThroughLogSpace() throws {
        // Beta(0.01, 0.02): most Gamma draws underflow, yet X/(X + Y) must keep mean 1/3 and put
        // mass 2/3 (≈ I_½) below ½; normalizing underflowed draws would give ½ instead.
        let n = 100_000
        let draws = try Beta(concentration1: 0.01, concentration0: 0.02).sample([n], key: PRNGKey(seed: 2)).scalars
        let variance = 0.0002 / (0.0009 * 1.03)
        #expect(abs(moments(draws).mean - 1.0 / 3) < 5 * (variance / Double(n)).squareRoot())
        let below = Double(draws.filter { $0 < 0.5 }.count) / Double(n)
        let mass = regularizedIncompleteBeta(0.01, 0.02, 0.5)
        #expect(abs(below - mass) < 5 * (mass * (1 - mass) / Double(n)).squareRoot())
        let rows = try Dirichlet(concentration: Tensor([0.01, 0.01, 0.02])).sample([n], key: PRNGKey(seed: 3)).scalars
        let first = (0..<n).map { rows[3 * $0] }
        #expect(abs(moments(first).mean - 0.25) < 5 * (0.25 * 0.75 / 1.04 / Double(n)).squareRoot())
    }

    @Test func specialFunctionTensorGradientsMatchFiniteDifferences() throws {
        #expect(try gradientMatches(at: Tensor([0.3, 2.5, 40])) { $0.logGamma().sum() })
        #expect(try gradientMatches(at: Tensor([0.3, 2.5, 40])) { $0.digamma().sum() })
        #expect(try gradientMatches(at: Tensor([0.3, 2.5, 40, 1e4])) { t in
            Tensor.logBeta(t.gathering([0, 1], shape: [2]), t.gathering([2, 3], shape: [2])).sum() })
    }

    @Test(arguments: [0.05, 0.4, 1.0, 3.5, 250.0])
    func gammaDrawsHaveTheRightMoments(a: Double) throws {
        let n = 100_000
        let s = try Gamma(concentration: Tensor(a), rate: 2).sample([n], key: PRNGKey(seed: 9))
        let (m, v) = moments(s.scalars)
        // Mean a/2 and variance a/4 within 5 standard errors (the variance's from the fourth moment).
        #expect(abs(m - a / 2) < 5 * (a / 4 / Double(n)).squareRoot())
        let fourthCentral = 3 * a * (a + 2) / 16
        #expect(abs(v - a / 4) < 5 * ((fourthCentral - a * a / 16) / Double(n)).squareRoot())
    }

    @Test func samplesOfEveryFamilyHaveTheRightMeanAndShape() throws {
        let n = 100_000
        let families: [(any Distribution, Double, Double)] = [
            (try Exponential(rate: 1.7), 1 / 1.7, 1 / (1.7 * 1.7)),
            (try Chi2(df: 4.5), 4.5, 9),
            (try InverseGamma(concentration: 5, rate: 2), 0.5, 0.25 / 3),
            (try StudentT(df: 6, loc: -1, scale: 0.5), -1, 0.25 * 1.5),
            (try Beta(concentration1: 0.3, concentration0: 2), 0.3 / 2.3, 0.6 / (2.3 * 2.3 * 3.3)),
        ]
        for (d, mean, variance) in families {
            let s = d.sample([n], key: PRNGKey(seed: 21))
            #expect(s.shape == [n])
            #expect(abs(moments(s.scalars).mean - mean) < 5 * (variance / Double(n)).squareRoot(), "\(d.familyName)")
            #expect(d.hasReparameterizedSample)
        }
        let dirichlet = try Dirichlet(concentration: Tensor(shape: [2, 3], scalars: [1, 2, 3, 0.1, 0.1, 5]))
        let s = dirichlet.sample([n], key: PRNGKey(seed: 5))
        #expect(s.shape == [n, 2, 3])
        for row in 0..<2 {
            let total: Double = (0..<3).map { s.scalars[row * 3 + $0] }.reduce(0.0) { $0 + $1 }
            #expect(abs(total - 1) < 1e-12)
        }
        let first = (0..<n).map { s.scalars[$0 * 6] }
        #expect(abs(moments(first).mean - 1.0 / 6) < 5 * (5.0 / 252 / Double(n)).squareRoot())
    }

    @Test(arguments: [0.3, 2.5, 40.0])
    func gammaPathwiseGradientsMatchTheExactExpectations(a: Double) throws {
        let b = 1.7
        // E[x] = α/β, E[x²] = α(α + 1)/β², E[log x] = ψ(α) − log β.
        let mean = try pathwiseGradient(at: [a, b]) { t, key in
            try Gamma(concentration: element(t, 0), rate: element(t, 1)).sample([10_000], key: key).mean()
        }
        expectWithinMonteCarloError(mean, [1 / b, -a / (b * b)])
        let square = try pathwiseGradient(at: [a, b]) { t, key in
            try Gamma(concentration: element(t, 0), rate: element(t, 1)).sample([10_000], key: key).squared().mean()
        }
        expectWithinMonteCarloError(square, [(2 * a + 1) / (b * b), -2 * a * (a + 1) / (b * b * b)])
        let log = try pathwiseGradient(at: [a, b]) { t, key in
            try Gamma(concentration: element(t, 0), rate: element(t, 1)).sample([10_000], key: key).log().mean()
        }
        expectWithinMonteCarloError(log, [trigamma(a), -1 / b])
    }

    @Test func betaAndDirichletPathwiseGradientsMatchTheExactExpectations() throws {
        let a = 0.7, b = 2.4, total = a + b
        let beta = try pathwiseGradient(at: [a, b]) { t, key in
            try Beta(concentration1: element(t, 0), concentration0: element(t, 1)).sample([10_000], key: key).mean()
        }
        expectWithinMonteCarloError(beta, [b / (total * total), -a / (total * total)])
        // E[log x] = ψ(α) − ψ(α + β).
        let logBeta = try pathwiseGradient(at: [a, b]) { t, key in
            try Beta(concentration1: element(t, 0), concentration0: element(t, 1)).sample([10_000], key: key).log().mean()
        }
        expectWithinMonteCarloError(logBeta, [trigamma(a) - trigamma(total), -trigamma(total)])
        // Dirichlet: E[x₀] = α₀/Σα.
        let alpha = [0.6, 1.5, 3.2], sum = 5.3
        let dirichlet = try pathwiseGradient(at: alpha) { t, key in
            try Dirichlet(concentration: t).sample([10_000], key: key).gathering(Array(stride(from: 0, to: 30_000, by: 3)), shape: [10_000]).mean()
        }
        let exact: [Double] = [(sum - alpha[0]) / (sum * sum), -alpha[0] / (sum * sum), -alpha[0] / (sum * sum)]
        expectWithinMonteCarloError(dirichlet, exact)
    }

    @Test func familiesBuiltOnGammaPassGradientsThrough() throws {
        // Chi2: E[x] = ν. Exponential: E[x] = 1/λ. InverseGamma: E[x] = β/(α − 1).
        expectWithinMonteCarloError(try pathwiseGradient(at: [3.3]) { t, key in
            try Chi2(df: element(t, 0)).sample([10_000], key: key).mean() }, [1])
        expectWithinMonteCarloError(try pathwiseGradient(at: [1.6]) { t, key in
            try Exponential(rate: element(t, 0)).sample([10_000], key: key).mean() }, [-1 / (1.6 * 1.6)])
        let a = 4.5, b = 1.2
        expectWithinMonteCarloError(try pathwiseGradient(at: [a, b]) { t, key in
            try InverseGamma(concentration: element(t, 0), rate: element(t, 1)).sample([10_000], key: key).mean()
        }, [-b / ((a - 1) * (a - 1)), 1 / (a - 1)])
        // StudentT: E[x²] = μ² + σ²ν/(ν − 2).
        let nu = 7.0, m = 0.4, s = 1.3
        expectWithinMonteCarloError(try pathwiseGradient(at: [nu, m, s]) { t, key in
            try StudentT(df: element(t, 0), loc: element(t, 1), scale: element(t, 2)).sample([10_000], key: key).squared().mean()
        }, [-2 * s * s / ((nu - 2) * (nu - 2)), 2 * m, 2 * s * nu / (nu - 2)] as [Double])
    }
}
