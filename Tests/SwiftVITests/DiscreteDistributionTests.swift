import RealModule
import Testing
@testable import SwiftVI

/// log n! by summing logarithms, independent of the library's log-gamma route.
private func logFactorial(_ n: Int) -> Double { (1...max(n, 1)).reduce(0.0) { $0 + Double.log(Double($1)) } }

/// Whether the tape gradient of a scalar function of a parameter vector matches finite differences.
private func parameterGradientMatches(_ x: [Double], _ f: (Tensor) throws -> Tensor) rethrows -> Bool {
    try gradientMatches(at: Tensor(x)) { try f($0).sum() }
}

/// Sample mean and variance of `draws` within 5 standard errors of `mean` and `variance`
/// (`fourthCentral` is the fourth central moment, for the variance's standard error).
private func momentsAgree(_ draws: [Double], mean: Double, variance: Double, fourthCentral: Double) -> Bool {
    let n = Double(draws.count)
    let (m, v) = moments(draws)
    return abs(m - mean) < 5 * (variance / n).squareRoot()
        && abs(v - variance) < 5 * ((fourthCentral - variance * variance) / n).squareRoot()
}

@Suite struct BernoulliTests {
    @Test func logProbInBothFormsAndOutsideTheSupport() throws {
        let byProbs = try Bernoulli(probs: Tensor([0.2, 0.9]))
        let byLogits = try Bernoulli(logits: Tensor([Double.log(0.25), Double.log(9)]))
        let x = Tensor(shape: [2, 2], scalars: [1, 0, 0, 1])
        for d in [byProbs, byLogits] {
            let lp = try d.logProb(x).scalars
            #expect(close(lp[0], Double.log(0.2)) && close(lp[1], Double.log(0.1)))
            #expect(close(lp[2], Double.log(0.8)) && close(lp[3], Double.log(0.9)))
            #expect(try d.logProb(Tensor([0.5, 2])).scalars == [-.infinity, -.infinity])
        }
        #expect(try Bernoulli(probs: Tensor(0)).logProb(Tensor([0, 1])).scalars == [0, -.infinity])
    }

    @Test func gradientsMatchFiniteDifferences() throws {
        for x in [0.0, 1.0] {
            #expect(try parameterGradientMatches([0.3, 0.75]) { try Bernoulli(probs: $0).logProb(Tensor(x)) })
            #expect(try parameterGradientMatches([-1.2, 2.5]) { try Bernoulli(logits: $0).logProb(Tensor(x)) })
        }
        #expect(try parameterGradientMatches([0.3, 0.75]) { try Bernoulli(probs: $0).entropy() })
        #expect(try parameterGradientMatches([-1.2, 2.5]) { try Bernoulli(logits: $0).cdf(Tensor(0.5)) })
        #expect(try parameterGradientMatches([-1.2, 2.5]) { try Bernoulli(logits: $0).entropy() + Bernoulli(logits: $0).variance })
    }

    @Test func momentsEntropyAndSampling() throws {
        let d = try Bernoulli(logits: Tensor(0.4))
        let p = 1 / (1 + Double.exp(-0.4))
        #expect(close(d.mean.scalars[0], p) && close(d.variance.scalars[0], p * (1 - p)))
        #expect(close(d.entropy().scalars[0], -p * Double.log(p) - (1 - p) * Double.log(1 - p)))
        let logit = try Bernoulli(probs: Tensor(0.3)).logits.scalars[0]
        #expect(close(d.logits.scalars[0], 0.4) && close(logit, Double.log(0.3 / 0.7)))
        let draws = d.sample([100_000], key: PRNGKey(seed: 2)).scalars
        #expect(draws.allSatisfy { $0 == 0 || $0 == 1 })
        #expect(momentsAgree(draws, mean: p, variance: p * (1 - p), fourthCentral: p * (1 - p) * (1 - 3 * p * (1 - p))))
        #expect(d.sample([10], key: PRNGKey(seed: 2)).scalars == Array(draws.prefix(10)))
    }

    @Test func invalidParametersAreRejectedByName() {
        #expect(throws: SVIError.invalidArgument("Bernoulli: probs must be in [0, 1]; got 1.5 at index 1")) {
            try Bernoulli(probs: Tensor([0.5, 1.5]))
        }
        #expect(throws: SVIError.self) { try Bernoulli(logits: Tensor(.infinity)) }
    }
}

@Suite struct BinomialTests {
    @Test func logProbMatchesTheDirectFormula() throws {
        let d = try Binomial(totalCount: Tensor(12), probs: Tensor([0.3, 0.95]))
        for k in 0...12 {
            let lp = try d.logProb(Tensor(Double(k))).scalars
            for (j, p) in [0.3, 0.95].enumerated() {
                let direct = logFactorial(12) - logFactorial(k) - logFactorial(12 - k)
                    + Double(k) * Double.log(p) + Double(12 - k) * Double.log(1 - p)
                #expect(close(lp[j], direct, relative: 1e-12))
            }
        }
        #expect(try d.logProb(Tensor(shape: [3, 1], scalars: [2.5, -1, 13])).scalars.allSatisfy { $0 == -.infinity })
        let certain = try Binomial(totalCount: Tensor(4), probs: Tensor(1))
        #expect(try certain.logProb(Tensor([4, 3])).scalars == [0, -.infinity])
    }

    @Test func largeCountMassesSumToOneWithTheRightMean() throws {
        let d = try Binomial(totalCount: Tensor(1_000_000), logits: Tensor(-1.3))
        let p = 1 / (1 + Double.exp(1.3)), n = 1e6
        let ks = Tensor(Array(stride(from: (n * p - 6000).rounded(), through: n * p + 6000, by: 1)))
        let mass = try d.logProb(ks).exp().scalars
        #expect(abs(mass.reduce(0, +) - 1) < 1e-11)
        #expect(close(zip(mass, ks.scalars).reduce(0) { $0 + $1.0 * $1.1 }, n * p, relative: 1e-12))
    }

    @Test func gradientsMatchFiniteDifferences() throws {
        for k in [0.0, 3.0, 7.0] {
            #expect(try parameterGradientMatches([0.3, 0.6]) { try Binomial(totalCount: Tensor(7), probs: $0).logProb(Tensor(k)) })
            #expect(try parameterGradientMatches([-0.4, 1.1]) { try Binomial(totalCount: Tensor(7), logits: $0).logProb(Tensor(k)) })
        }
        #expect(try parameterGradientMatches([0.3, 0.6]) { try Binomial(totalCount: Tensor(9), probs: $0).entropy() })
        #expect(try parameterGradientMatches([-0.4, 1.1]) { p in
            let d = try Binomial(totalCount: Tensor([5, 40]), logits: p)
            return try d.entropy() + d.mean + d.variance
        })
    }

    @Test func entropyOfOneTrialIsBernoulli() throws {
        let b = try Binomial(totalCount: Tensor(1), probs: Tensor([0.2, 0.5, 1]))
        #expect(zip(try b.entropy().scalars, try Bernoulli(probs: Tensor([0.2, 0.5, 1])).entropy().scalars)
            .allSatisfy { close($0, $1, relative: 1e-14) })
    }

    @Test func samplesHaveBinomialMoments() throws {
        // Inversion (n p < 10), BTRS, and BTRS after the p > ½ reflection.
        for (n, p) in [(20.0, 0.3), (1000.0, 0.4), (50_000.0, 0.93)] {
            let draws = try Binomial(totalCount: Tensor(n), probs: Tensor(p)).sample([100_000], key: PRNGKey(seed: 5)).scalars
            #expect(draws.allSatisfy { $0 >= 0 && $0 <= n && $0.rounded() == $0 })
            let v = n * p * (1 - p)
            #expect(momentsAgree(draws, mean: n * p, variance: v, fourthCentral: v * (1 + 3 * (n - 2) * p * (1 - p))))
        }
    }

    @Test func invalidParametersAreRejectedByName() {
        #expect(throws: SVIError.invalidArgument("Binomial: total_count must be a non-negative integer below 2^53; got 2.5 at index 0")) {
            try Binomial(totalCount: Tensor(2.5), probs: Tensor(0.5))
        }
        #expect(throws: SVIError.self) { try Binomial(totalCount: Tensor([3, 4]), probs: Tensor([0.1, 0.2, 0.3])) }
        #expect(throws: SVIError.self) { try Binomial(totalCount: Tensor(3), probs: Tensor(-0.1)) }
    }
}

@Suite struct PoissonTests {
    @Test func logProbMatchesTheDirectFormula() throws {
        let d = try Poisson(rate: Tensor([0.7, 23]))
        for k in [0, 1, 5, 30] {
            let lp = try d.logProb(Tensor(Double(k))).scalars
            for (j, rate) in [0.7, 23].enumerated() {
                #expect(close(lp[j], Double(k) * Double.log(rate) - rate - logFactorial(k), relative: 1e-13))
            }
        }
        #expect(try d.logProb(Tensor([-1, 0.5])).scalars.allSatisfy { $0 == -.infinity })
        #expect(try Poisson(rate: Tensor(0)).logProb(Tensor([0, 1])).scalars == [0, -.infinity])
    }

    @Test func largeRateMassesSumToOneWithTheRightMoments() throws {
        for rate in [1e4, 1e9] {
            let ks = Tensor(Array(stride(from: (rate - 12 * rate.squareRoot()).rounded(), through: rate + 12 * rate.squareRoot(), by: 1)))
            let mass = try Poisson(rate: Tensor(rate)).logProb(ks).exp().scalars
            #expect(abs(mass.reduce(0, +) - 1) < 1e-11)
            let variance = zip(mass, ks.scalars).reduce(0) { $0 + $1.0 * ($1.1 - rate) * ($1.1 - rate) }
            #expect(close(variance, rate, relative: 1e-9))
        }
    }

    @Test func gradientsMatchFiniteDifferences() throws {
        for k in [0.0, 2.0, 40.0] {
            #expect(try parameterGradientMatches([0.4, 3, 35]) { try Poisson(rate: $0).logProb(Tensor(k)) })
        }
        #expect(try parameterGradientMatches([0.4, 3, 35, 2e5]) { try Poisson(rate: $0).entropy() })
    }

    @Test func entropySeriesMeetsItsAsymptoticExpansion() throws {
        // Just below and above the switch at 10⁵ the two routes agree.
        let h = try Poisson(rate: Tensor([99_999.999, 100_000.001])).entropy().scalars
        #expect(close(h[1] - h[0], 0.002 / 2e5, relative: 1e-4))
        let x: Double = 1 / 99_999.999
        let leading: Double = 0.5 * Double.log(2 * Double.pi * Double.exp(1) / x)
        let expansion: Double = leading - x * (1.0 / 12 + x * (1.0 / 24 + x * 19 / 360))
        #expect(close(h[0], expansion, relative: 1e-15))
    }

    @Test func samplesHavePoissonMomentsAndDependOnlyOnTheKey() throws {
        // Inversion below rate 10, PTRS above.
        for rate in [0.3, 4.0, 10.0, 57.5, 1e4, 1e8] {
            let d = try Poisson(rate: Tensor(rate))
            let draws = d.sample([100_000], key: PRNGKey(seed: 9)).scalars
            #expect(draws.allSatisfy { $0 >= 0 && $0.rounded() == $0 })
            #expect(momentsAgree(draws, mean: rate, variance: rate, fourthCentral: rate * (1 + 3 * rate)))
            #expect(d.sample([100_000], key: PRNGKey(seed: 9)).scalars == draws)
        }
    }
}

@Suite struct GeometricTests {
    @Test func logProbMomentsAndEntropy() throws {
        let d = try Geometric(probs: Tensor([0.3, 1]))
        let lp = try d.logProb(Tensor(shape: [3, 1], scalars: [0, 4, 1.5])).scalars
        #expect(close(lp[0], Double.log(0.3)) && lp[1] == 0)
        #expect(close(lp[2], Double.log(0.3) + 4 * Double.log(0.7)) && lp[3] == -.infinity)
        #expect(lp[4] == -.infinity && lp[5] == -.infinity)
        #expect(close(d.mean.scalars[0], 0.7 / 0.3) && d.mean.scalars[1] == 0)
        #expect(close(d.variance.scalars[0], 0.7 / 0.09) && d.variance.scalars[1] == 0)
        // Entropy as the series −Σ p(k) log p(k), written out.
        let series = (0..<400).reduce(0.0) { h, k in
            let logP = Double.log(0.3) + Double(k) * Double.log(0.7)
            return h - Double.exp(logP) * logP
        }
        #expect(close(d.entropy().scalars[0], series, relative: 1e-13) && d.entropy().scalars[1] == 0)
    }

    @Test func gradientsMatchFiniteDifferences() throws {
        for k in [0.0, 5.0] {
            #expect(try parameterGradientMatches([0.2, 0.9]) { try Geometric(probs: $0).logProb(Tensor(k)) })
            #expect(try parameterGradientMatches([-2, 1.5]) { try Geometric(logits: $0).logProb(Tensor(k)) })
        }
        #expect(try parameterGradientMatches([0.2, 0.9]) { p in
            let d = try Geometric(probs: p)
            return d.entropy() + d.mean + d.variance
        })
        #expect(try parameterGradientMatches([-2, 1.5]) { try Geometric(logits: $0).entropy() })
        #expect(try parameterGradientMatches([0.2, 0.9]) { try Geometric(probs: $0).cdf(Tensor(3.5)) })
    }

    @Test func samplesHaveGeometricMoments() throws {
        for p in [0.05, 0.6] {
            let draws = try Geometric(probs: Tensor(p)).sample([100_000], key: PRNGKey(seed: 3)).scalars
            let q = 1 - p, v = q / (p * p)
            #expect(momentsAgree(draws, mean: q / p, variance: v, fourthCentral: q * (p * p + 9 * q) / (p * p * p * p)))
        }
    }

    @Test func invalidParametersAreRejectedByName() {
        #expect(throws: SVIError.invalidArgument("Geometric: probs must be in (0, 1]; got 0.0 at index 0")) {
            try Geometric(probs: Tensor(0))
        }
    }
}

@Suite struct NegativeBinomialTests {
    /// A distribution whose standard deviation alone spans more than the
    /// series' ten million terms is refused without summing them (the refusal
    /// had taken two seconds a value, twenty under sanitizers); one just inside runs.
    @Test func entropyRefusesATooSpreadDistributionAtOnce() throws {
        let spread = try NegativeBinomial(totalCount: Tensor(64), logits: Tensor(64))
        #expect(throws: SVIError.numerical(
            "NegativeBinomial: the entropy needs more than ten million terms of its series; the distribution is too spread out")) {
            try spread.entropy()
        }
        #expect(throws: SVIError.self) { try Binomial(totalCount: Tensor(1e300), probs: Tensor(0.5)).entropy() }
        // Standard deviation about 3,000: summed, and near the Gaussian entropy ½ log(2πe σ²) at that scale.
        let near = try NegativeBinomial(totalCount: Tensor(1e6), probs: Tensor(0.9))
        let sigma = (1e6 * 0.9).squareRoot() / 0.1
        #expect(abs(try near.entropy().scalars[0] - 0.5 * Double.log(2 * Double.pi * Double.exp(1) * sigma * sigma)) < 1e-3)
    }

    @Test func logProbMatchesTheDirectFormula() throws {
        let d = try NegativeBinomial(totalCount: Tensor([0.7, 12]), probs: Tensor([0.3, 0.85]))
        for k in [0, 1, 6, 80] {
            let lp = try d.logProb(Tensor(Double(k))).scalars
            for (j, (r, p)) in [(0.7, 0.3), (12.0, 0.85)].enumerated() {
                let direct = Double.logGamma(Double(k) + r) - Double.logGamma(r) - logFactorial(k)
                    + Double(k) * Double.log(p) + r * Double.log(1 - p)
                #expect(close(lp[j], direct, relative: 1e-12))
            }
        }
        #expect(try d.logProb(Tensor(shape: [2, 1], scalars: [-1, 0.5])).scalars.allSatisfy { $0 == -.infinity })
        #expect(try NegativeBinomial(totalCount: Tensor(3), probs: Tensor(0)).logProb(Tensor([0, 1])).scalars == [0, -.infinity])
    }

    @Test func gradientsMatchFiniteDifferences() throws {
        for k in [0.0, 4.0, 30.0] {
            #expect(try parameterGradientMatches([2.5, 0.4]) { t in
                try NegativeBinomial(totalCount: t.gathering([0], shape: []), probs: t.gathering([1], shape: [])).logProb(Tensor(k))
            })
            #expect(try parameterGradientMatches([0.6, 1.2]) { t in
                try NegativeBinomial(totalCount: t.gathering([0], shape: []), logits: t.gathering([1], shape: [])).logProb(Tensor(k))
            })
        }
        #expect(try parameterGradientMatches([2.5, -0.3]) { t in
            let d = try NegativeBinomial(totalCount: t.gathering([0], shape: []), logits: t.gathering([1], shape: []))
            return try d.entropy() + d.mean + d.variance
        })
    }

    @Test func entropyWithOneFailureIsGeometric() throws {
        // With r = 1 the successes before the first failure are Geometric with success probability 1 − p.
        let h = try NegativeBinomial(totalCount: Tensor(1), probs: Tensor([0.2, 0.97])).entropy().scalars
        let g = try Geometric(probs: Tensor([0.8, 0.03])).entropy().scalars
        #expect(close(h[0], g[0], relative: 1e-14) && close(h[1], g[1], relative: 1e-14))
    }

    @Test func samplesHaveNegativeBinomialMoments() throws {
        for (r, p) in [(0.3, 0.8), (2.5, 0.4), (60.0, 0.9)] {
            let draws = try NegativeBinomial(totalCount: Tensor(r), probs: Tensor(p)).sample([100_000], key: PRNGKey(seed: 6)).scalars
            let q = 1 - p, variance = r * p / (q * q)
            let fourth = r * p * (1 + 4 * p + p * p) / (q * q * q * q) + 3 * variance * variance
            #expect(momentsAgree(draws, mean: r * p / q, variance: variance, fourthCentral: fourth))
        }
    }

    @Test func invalidParametersAreRejectedByName() {
        #expect(throws: SVIError.invalidArgument("NegativeBinomial: probs must be in [0, 1); got 1.0 at index 0")) {
            try NegativeBinomial(totalCount: Tensor(2), probs: Tensor(1))
        }
        #expect(throws: SVIError.self) { try NegativeBinomial(totalCount: Tensor(0), logits: Tensor(0)) }
    }
}

@Suite struct DiscreteCDFTests {
    @Test func cdfsAreRunningSumsOfTheMasses() throws {
        let families: [any Distribution] = [
            try Poisson(rate: Tensor(6.5)), try Binomial(totalCount: Tensor(30), logits: Tensor(0.4)),
            try Geometric(probs: Tensor(0.15)), try Bernoulli(probs: Tensor(0.35)),
        ]
        for d in families {
            let ks = Tensor((0...40).map(Double.init))
            var running = 0.0
            let mass = try d.logProb(ks).exp().scalars
            let cdf = try d.cdf(ks + 0.5).scalars
            for k in 0...40 {
                running += mass[k]
                #expect(close(cdf[k], running, relative: 1e-12, absolute: 1e-15), "\(d.familyName) at \(k)")
            }
            #expect(try d.cdf(Tensor([-0.5, .infinity])).scalars == [0, 1])
        }
    }

    @Test func cdfGradientsMatchFiniteDifferences() throws {
        for x in [0.0, 3.5, 11.0] {
            #expect(try parameterGradientMatches([0.7, 5]) { try Poisson(rate: $0).cdf(Tensor(x)) })
            #expect(try parameterGradientMatches([0.2, 0.65]) { try Binomial(totalCount: Tensor(12), probs: $0).cdf(Tensor(x)) })
        }
    }
}

@Suite struct DeltaAndIndependentTests {
    @Test func deltaPutsItsLogDensityOnV() throws {
        let d = try Delta(v: Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), logDensity: Tensor([0.5, -1]), eventDim: 1)
        #expect(d.batchShape == [2] && d.eventShape == [2])
        let lp = try d.logProb(Tensor(shape: [2, 2], scalars: [1, 2, 3, 5])).scalars
        #expect(lp == [0.5, -.infinity])
        #expect(d.sample([3], key: PRNGKey(seed: 0)).scalars == [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4])
        #expect(try d.variance.scalars == [0, 0, 0, 0] && d.entropy().scalars == [0, 0])
        #expect(throws: SVIError.self) { try d.logProb(Tensor([1, 2, 3])) }
    }

    @Test func deltaSamplesAreReparameterized() throws {
        let (_, g) = try valueWithGradient(at: Tensor([1.5, -2])) { v in
            try Delta(v: v).sample([4], key: PRNGKey(seed: 1)).squared().sum()
        }
        #expect(g.scalars == [12, -16])
    }

    @Test func deltaArgumentsAreChecked() {
        #expect(throws: SVIError.invalidArgument("Delta: event_dim must be between 0 and the rank 1 of v; got 2")) {
            try Delta(v: Tensor([1, 2]), eventDim: 2)
        }
        #expect(throws: SVIError.self) { try Delta(v: Tensor([1, 2]), logDensity: Tensor([0, 0, 0])) }
        #expect(throws: SVIError.self) { try Delta(v: Tensor(.nan)) }
    }

    @Test func independentSumsTheBaseOverReinterpretedDimensions() throws {
        let base = try Poisson(rate: Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        let d = try Independent(base: base, reinterpretedBatchDims: 1)
        #expect(d.batchShape == [2] && d.eventShape == [3])
        let x = Tensor(shape: [4, 2, 3], scalars: (0..<24).map { Double($0 % 7) })
        let summed = try base.logProb(x).sum(alongAxis: -1).scalars
        #expect(try d.logProb(x).scalars == summed)
        #expect(try d.entropy().scalars == base.entropy().sum(alongAxis: -1).scalars)
        #expect(try d.mean.scalars == base.mean.scalars)
        #expect(d.sample([2], key: PRNGKey(seed: 4)).scalars == base.sample([2], key: PRNGKey(seed: 4)).scalars)
        let whole = try Independent(base: base, reinterpretedBatchDims: 2)
        #expect(try whole.logProb(x).shape == [4] && whole.support.eventDim == 2)
        #expect(throws: SVIError.self) { try Independent(base: base, reinterpretedBatchDims: 3) }
        #expect(throws: SVIError.self) { try d.logProb(Tensor([1, 2])) }
    }
}
