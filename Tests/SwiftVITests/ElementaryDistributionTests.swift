import RealModule
import Testing
@testable import SwiftVI

/// One elementary family at fixed parameters, with its density written out
/// independently of the library.
struct ElementaryCase: Sendable, CustomTestStringConvertible {
    let name: String
    /// Parameter values, in the order `make` reads them.
    let parameters: [Double]
    let make: @Sendable ([Tensor]) throws -> any Distribution
    let density: @Sendable ([Double], Double) -> Double
    /// Values inside the support, increasing.
    let inside: [Double]
    /// Values outside the support.
    let outside: [Double]
    /// An interval holding all but a negligible part (< 1e-15) of the mass, for
    /// moments and entropy by quadrature; nil for heavy tails.
    let bulk: (Double, Double)?

    var testDescription: String { name }

    func distribution() throws -> any Distribution { try make(parameters.map { Tensor($0) }) }
}

/// Splits θ into scalar parameters (the first `count`) and the rest as a vector.
private func split(_ theta: Tensor, _ count: Int) -> ([Tensor], Tensor) {
    ((0..<count).map { theta.gathering([$0], shape: []) },
     theta.gathering(Array(count..<theta.count), shape: [theta.count - count]))
}

private func normalCDF(_ z: Double) -> Double { 0.5 * Double.erfc(-z / 2.0.squareRoot()) }

let elementaryCases: [ElementaryCase] = [
    ElementaryCase(
        name: "LogNormal", parameters: [0.3, 0.6], make: { try LogNormal(loc: $0[0], scale: $0[1]) },
        density: { p, x in
            let z = (Double.log(x) - p[0]) / p[1]
            return Double.exp(-0.5 * z * z) / (x * p[1] * (2 * Double.pi).squareRoot())
        },
        inside: [0.4, 1.1, 2.5, 4.0], outside: [-1, 0], bulk: (0, 200)),
    ElementaryCase(
        name: "HalfNormal", parameters: [1.3], make: { try HalfNormal(scale: $0[0]) },
        density: { p, x in 2.0.squareRoot() / (p[0] * Double.pi.squareRoot()) * Double.exp(-x * x / (2 * p[0] * p[0])) },
        inside: [0.2, 1, 2.5], outside: [-0.5], bulk: (0, 52)),
    ElementaryCase(
        name: "HalfCauchy", parameters: [0.8], make: { try HalfCauchy(scale: $0[0]) },
        density: { p, x in 2 / (Double.pi * p[0] * (1 + (x / p[0]) * (x / p[0]))) },
        inside: [0.1, 1, 5, 40], outside: [-1], bulk: nil),
    ElementaryCase(
        name: "Cauchy", parameters: [-0.5, 2], make: { try Cauchy(loc: $0[0], scale: $0[1]) },
        density: { p, x in 1 / (Double.pi * p[1] * (1 + ((x - p[0]) / p[1]) * ((x - p[0]) / p[1]))) },
        inside: [-30, -1, 0.7, 12], outside: [], bulk: nil),
    ElementaryCase(
        name: "Laplace", parameters: [0.4, 1.5], make: { try Laplace(loc: $0[0], scale: $0[1]) },
        density: { p, x in Double.exp(-abs(x - p[0]) / p[1]) / (2 * p[1]) },
        inside: [-3, 0.1, 0.7, 2.5], outside: [], bulk: (0.4 - 90, 0.4 + 90)),
    ElementaryCase(
        name: "Logistic", parameters: [1, 0.7], make: { try Logistic(loc: $0[0], scale: $0[1]) },
        density: { p, x in
            let e = Double.exp(-(x - p[0]) / p[1])
            return e / (p[1] * (1 + e) * (1 + e))
        },
        inside: [-2, 0.9, 1.3, 4], outside: [], bulk: (1 - 35, 1 + 35)),
    ElementaryCase(
        name: "Gumbel", parameters: [0.5, 1.2], make: { try Gumbel(loc: $0[0], scale: $0[1]) },
        density: { p, x in
            let z = (x - p[0]) / p[1]
            return Double.exp(-z - Double.exp(-z)) / p[1]
        },
        inside: [-1.5, 0.4, 2, 6], outside: [], bulk: (0.5 - 6, 0.5 + 54)),
    ElementaryCase(
        name: "Uniform", parameters: [-1, 2.5], make: { try Uniform(low: $0[0], high: $0[1]) },
        density: { p, _ in 1 / (p[1] - p[0]) },
        inside: [-0.9, 0, 2.4], outside: [-1.1, 2.6], bulk: (-1, 2.5)),
    ElementaryCase(
        name: "Weibull", parameters: [1.5, 3], make: { try Weibull(scale: $0[0], concentration: $0[1]) },
        density: { p, x in p[1] / p[0] * Double.pow(x / p[0], p[1] - 1) * Double.exp(-Double.pow(x / p[0], p[1])) },
        inside: [0.3, 1, 2.5], outside: [-0.1], bulk: (0, 6)),
    ElementaryCase(
        name: "Weibull (concentration < 1)", parameters: [0.7, 0.6],
        make: { try Weibull(scale: $0[0], concentration: $0[1]) },
        density: { p, x in p[1] / p[0] * Double.pow(x / p[0], p[1] - 1) * Double.exp(-Double.pow(x / p[0], p[1])) },
        inside: [0.05, 1, 9], outside: [-2], bulk: nil),
    ElementaryCase(
        name: "Pareto", parameters: [1.2, 3.5], make: { try Pareto(scale: $0[0], alpha: $0[1]) },
        density: { p, x in p[1] * Double.pow(p[0], p[1]) / Double.pow(x, p[1] + 1) },
        inside: [1.3, 2, 9], outside: [1.1, 0, -3], bulk: nil),
    ElementaryCase(
        name: "TruncatedNormal", parameters: [0.5, 1.2, -1, 2.2],
        make: { try TruncatedNormal(loc: $0[0], scale: $0[1], low: $0[2], high: $0[3]) },
        density: { p, x in
            let mass = normalCDF((p[3] - p[0]) / p[1]) - normalCDF((p[2] - p[0]) / p[1])
            return normalDensity(x, p[0], p[1]) / mass
        },
        inside: [-0.9, 0.5, 2.1], outside: [-1.5, 2.3], bulk: (-1, 2.2)),
    ElementaryCase(
        name: "TruncatedNormal (low only)", parameters: [0.2, 0.8, 0.5],
        make: { try TruncatedNormal(loc: $0[0], scale: $0[1], low: $0[2]) },
        density: { p, x in normalDensity(x, p[0], p[1]) / (1 - normalCDF((p[2] - p[0]) / p[1])) },
        inside: [0.6, 1, 3], outside: [0.4], bulk: (0.5, 40)),
    ElementaryCase(
        name: "TruncatedNormal (high only)", parameters: [0.2, 0.8, 0.5],
        make: { try TruncatedNormal(loc: $0[0], scale: $0[1], high: $0[2]) },
        density: { p, x in normalDensity(x, p[0], p[1]) / normalCDF((p[2] - p[0]) / p[1]) },
        inside: [-3, -1, 0.4], outside: [0.6], bulk: (-40, 0.5)),
]

/// ∫ g(x, f(x)) over `bulk` under the distribution's density f, by 16-point Gauss–Legendre on 2000 panels.
private func expectation(_ d: any Distribution, over bulk: (Double, Double), _ g: (Double, Double) -> Double) throws -> Double {
    let (xs, ws) = GaussLegendre(points: 16).composite(bulk.0, bulk.1, panels: 2000)
    let logDensity = try d.logProb(Tensor(xs)).scalars
    return zip(zip(xs, ws), logDensity).reduce(0) { total, node in
        let ((x, w), lp) = node
        return lp == -.infinity ? total : total + w * Double.exp(lp) * g(x, lp)
    }
}

@Suite struct ElementaryDistributionTests {
    @Test(arguments: elementaryCases)
    func logProbIsTheDensityAndMinusInfinityOutsideTheSupport(_ c: ElementaryCase) throws {
        let d = try c.distribution()
        let lp = try d.logProb(Tensor(c.inside)).scalars
        for (x, value) in zip(c.inside, lp) {
            #expect(close(value, Double.log(c.density(c.parameters, x)), relative: 1e-12), "\(c.name) at \(x)")
        }
        #expect(try d.logProb(Tensor(c.outside)).scalars.allSatisfy { $0 == -.infinity })
        #expect(d.support.check(Tensor(c.inside)).allSatisfy { $0 })
        #expect(!d.support.check(Tensor(c.outside)).contains(true))
    }

    @Test(arguments: elementaryCases)
    func cdfIncreasesByTheIntegralOfTheDensityAndIcdfInvertsIt(_ c: ElementaryCase) throws {
        let d = try c.distribution()
        let f = try d.cdf(Tensor(c.inside)).scalars
        for i in 1..<c.inside.count {
            let (a, b) = (c.inside[i - 1], c.inside[i])
            let integral = GaussLegendre(points: 16).integrate(a, b, panels: 200) { c.density(c.parameters, $0) }
            #expect(close(f[i] - f[i - 1], integral, relative: 1e-10), "\(c.name) on [\(a), \(b)]")
        }
        let back = try d.icdf(Tensor(f)).scalars
        for (x, y) in zip(c.inside, back) { #expect(close(x, y, relative: 1e-10), "\(c.name) at \(x)") }
        #expect(try d.cdf(Tensor(c.outside)).scalars.allSatisfy { $0 == 0 || $0 == 1 })
        let ends = try d.icdf(Tensor([0, 1])).scalars
        #expect(ends[0] < c.inside[0] && ends[1] > c.inside.last!)
    }

    @Test(arguments: elementaryCases.filter { $0.bulk != nil })
    func meanVarianceAndEntropyAreTheIntegrals(_ c: ElementaryCase) throws {
        let d = try c.distribution(), bulk = c.bulk!
        #expect(close(try expectation(d, over: bulk) { _, _ in 1 }, 1, relative: 1e-11), "\(c.name): mass")
        let mean = try expectation(d, over: bulk) { x, _ in x }
        let variance = try expectation(d, over: bulk) { x, _ in (x - mean) * (x - mean) }
        let entropy = try expectation(d, over: bulk) { _, lp in -lp }
        #expect(close(try d.mean.scalars[0], mean, relative: 1e-10), "\(c.name): mean")
        #expect(close(try d.variance.scalars[0], variance, relative: 1e-10), "\(c.name): variance")
        #expect(close(try d.entropy().scalars[0], entropy, relative: 1e-10, absolute: 1e-10), "\(c.name): entropy")
    }

    @Test(arguments: elementaryCases)
    func gradientsMatchFiniteDifferences(_ c: ElementaryCase) throws {
        let n = c.parameters.count
        let values = Tensor(c.parameters + c.inside)
        #expect(try gradientMatches(at: values) { t in
            let (p, x) = split(t, n)
            return try c.make(p).logProb(x).sum()
        }, "\(c.name): logProb")
        #expect(try gradientMatches(at: values) { t in
            let (p, x) = split(t, n)
            return try c.make(p).cdf(x).sum()
        }, "\(c.name): cdf")
        #expect(try gradientMatches(at: Tensor(c.parameters + [0.03, 0.4, 0.9])) { t in
            let (p, q) = split(t, n)
            return try c.make(p).icdf(q).sum()
        }, "\(c.name): icdf")
        #expect(try gradientMatches(at: Tensor(c.parameters)) { t in
            try c.make(split(t, n).0).sample([16], key: PRNGKey(seed: 5)).sum()
        }, "\(c.name): sample")
        let d = try c.distribution()
        guard try d.variance.scalars[0].isFinite else { return }
        #expect(try gradientMatches(at: Tensor(c.parameters)) { t in
            let d = try c.make(split(t, n).0)
            return try d.mean.sum() + d.variance.sum() + d.entropy().sum()
        }, "\(c.name): mean, variance and entropy")
    }

    @Test(arguments: elementaryCases)
    func samplesFollowTheCdf(_ c: ElementaryCase) throws {
        let d = try c.distribution(), n = 40_000
        let draws = d.sample([n], key: PRNGKey(seed: 11)).scalars
        #expect(d.support.check(Tensor(draws)).allSatisfy { $0 })
        for (x, f) in zip(c.inside, try d.cdf(Tensor(c.inside)).scalars) {
            let fraction = Double(draws.filter { $0 <= x }.count) / Double(n)
            #expect(abs(fraction - f) < 5 * (f * (1 - f) / Double(n)).squareRoot() + 1e-12, "\(c.name) at \(x)")
        }
    }

    @Test func undefinedMomentsAreNaNOrInfinite() throws {
        let cauchy = try Cauchy(loc: Tensor([0, 1]), scale: 1)
        #expect(try cauchy.mean.scalars.allSatisfy(\.isNaN) && cauchy.variance.scalars.allSatisfy(\.isNaN))
        #expect(try HalfCauchy(scale: 2).mean.scalars == [.infinity])
        let pareto = try Pareto(scale: 1, alpha: Tensor([0.5, 1.5, 2.5]))
        #expect(try pareto.mean.scalars[0] == .infinity && pareto.mean.scalars[1] == 3)
        #expect(try pareto.variance.scalars[0...1] == [.infinity, .infinity] && pareto.variance.scalars[2].isFinite)
    }

    @Test func invalidParametersAreRejectedWithTheirName() {
        #expect(throws: SVIError.invalidArgument("Uniform: low must be less than high; got low = 2.0 and high = 1.0 at index 1")) {
            try Uniform(low: Tensor([0, 2]), high: 1)
        }
        #expect(throws: SVIError.invalidArgument("Weibull: concentration must be positive and finite; got 0.0 at index 0")) {
            try Weibull(scale: 1, concentration: 0)
        }
        #expect(throws: SVIError.invalidArgument("Pareto: alpha must be positive and finite; got -1.0 at index 0")) {
            try Pareto(scale: 1, alpha: -1)
        }
        #expect(throws: SVIError.invalidArgument("TruncatedNormal: low must be less than high; got low = 1.0 and high = 1.0 at index 0")) {
            try TruncatedNormal(loc: 0, scale: 1, low: 1, high: 1)
        }
        let messages: [(String, () throws -> any Distribution)] = [
            ("LogNormal: scale", { try LogNormal(loc: 0, scale: -1) }),
            ("HalfNormal: scale", { try HalfNormal(scale: 0) }),
            ("HalfCauchy: scale", { try HalfCauchy(scale: Tensor(.infinity)) }),
            ("Cauchy: loc", { try Cauchy(loc: Tensor(.nan), scale: 1) }),
            ("Laplace: scale", { try Laplace(loc: 0, scale: -2) }),
            ("Logistic: loc", { try Logistic(loc: Tensor(.infinity), scale: 1) }),
            ("Gumbel: scale", { try Gumbel(loc: 0, scale: 0) }),
            ("Uniform: high", { try Uniform(low: 0, high: Tensor(.infinity)) }),
            ("Weibull: scale", { try Weibull(scale: -1, concentration: 1) }),
            ("Pareto: scale", { try Pareto(scale: 0, alpha: 1) }),
            ("TruncatedNormal: scale", { try TruncatedNormal(loc: 0, scale: 0) }),
            ("TruncatedNormal: low", { try TruncatedNormal(loc: 0, scale: 1, low: Tensor(.nan)) }),
        ]
        for (prefix, make) in messages {
            do {
                _ = try make()
                Issue.record("\(prefix) was accepted")
            } catch let SVIError.invalidArgument(message) {
                #expect(message.hasPrefix(prefix), "\(message)")
            } catch {
                Issue.record("\(prefix): unexpected \(error)")
            }
        }
        #expect(throws: SVIError.self) { try Laplace(loc: Tensor([0, 1]), scale: Tensor([1, 2, 3])) }
    }
}

/// Q(x)/φ(x), the Mills ratio, by its continued fraction 1/(x + 1/(x + 2/(x + 3/(x + …)))) for x > 0.
private func millsRatio(_ x: Double) -> Double {
    var tail = x
    for k in stride(from: 200, through: 1, by: -1) { tail = x + Double(k) / tail }
    return 1 / tail
}

@Suite struct TruncatedNormalTailTests {
    @Test func logProbIsFiniteAndNormalizedThirtyScalesIntoTheUpperTail() throws {
        let (loc, scale) = (1.5, 2.0)
        let d = try TruncatedNormal(loc: Tensor(loc), scale: Tensor(scale), low: Tensor(loc + 30 * scale))
        let logQ30 = -450 - halfLogTwoPi + Double.log(millsRatio(30))
        for z in [30.0, 30.01, 30.5, 33] {
            let expected = -0.5 * z * z - halfLogTwoPi - logQ30 - Double.log(scale)
            #expect(close(try d.logProb(Tensor(loc + z * scale)).scalars[0], expected, relative: 1e-12))
        }
        // mean = loc + scale λ(30), with λ the inverse Mills ratio; variance = scale² (1 + 30λ - λ²).
        let lambda = 1 / millsRatio(30)
        #expect(close(try d.mean.scalars[0], loc + scale * lambda, relative: 1e-12))
        // The reference's own cancellation (1 + 30λ ≈ λ² ≈ 902) limits it to about 1e-10.
        #expect(close(try d.variance.scalars[0], scale * scale * (1 + 30 * lambda - lambda * lambda), relative: 1e-9))
        #expect(try d.entropy().scalars[0].isFinite)
        for p in [1e-12, 0.3, 0.5, 0.999999] {
            let x = try d.icdf(Tensor(p)).scalars[0]
            #expect(x > loc + 30 * scale)
            #expect(close(try d.cdf(Tensor(x)).scalars[0], p, relative: 1e-11))
        }
        #expect(try gradientMatches(at: Tensor([loc, scale, loc + 30 * scale, loc + 30.2 * scale])) { t in
            let (p, x) = split(t, 3)
            return try TruncatedNormal(loc: p[0], scale: p[1], low: p[2]).logProb(x).sum()
        })
    }

    @Test func anIntervalFarInTheLowerTailHasTheRightMass() throws {
        // [-40.5, -40] standardized: mass Φ(-40) - Φ(-40.5) = Q(40)(1 - Q(40.5)/Q(40)), far below the
        // smallest double, so it can only be right if it is computed in log space.
        let d = try TruncatedNormal(loc: 0, scale: 1, low: -40.5, high: -40)
        let logQ40 = -800 - halfLogTwoPi + Double.log(millsRatio(40))
        let logQ405 = -0.5 * 40.5 * 40.5 - halfLogTwoPi + Double.log(millsRatio(40.5))
        let logMass = logQ40 + Double.log(-Double.expMinusOne(logQ405 - logQ40))
        #expect(close(try d.logProb(Tensor(-40.2)).scalars[0], -0.5 * 40.2 * 40.2 - halfLogTwoPi - logMass,
                      relative: 1e-12, absolute: 1e-11))
        let samples = d.sample([1000], key: PRNGKey(seed: 3)).scalars
        #expect(samples.allSatisfy { $0 >= -40.5 && $0 <= -40 })
        #expect(close(try d.icdf(d.cdf(Tensor(-40.3))).scalars[0], -40.3, relative: 1e-12))
    }

    @Test func logNormalCDFAndItsQuantileAgreeWithTheMillsRatioFarOut() {
        for x in [-20.0, -36.9, -37.1, -60, -300] {
            let expected = -0.5 * x * x - halfLogTwoPi + Double.log(millsRatio(-x))
            #expect(close(logStandardNormalCDF(x), expected, relative: 1e-14), "at \(x)")
            #expect(close(standardNormalQuantileOfLog(expected), x, relative: 1e-13), "at \(x)")
        }
        #expect(close(logStandardNormalCDF(10), -millsRatio(10) * Double.exp(-50 - halfLogTwoPi), relative: 1e-12))
        #expect(close(standardNormalQuantileOfLog(Double.log(0.975)), 1.959963984540054, relative: 1e-14))
    }
}
