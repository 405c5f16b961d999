import RealModule

/// log φ(x), the standard normal log-density; -inf at ±inf.
public func logStandardNormalDensity(_ x: Double) -> Double {
    -0.5 * x * x - halfLogTwoPi
}

/// log Φ(x), the log of the standard normal distribution function, to full
/// relative accuracy in both tails: log1p(-Q(x)) above 0, log Φ(x) from erfc
/// down to x = -37, and below (where Φ soon underflows) the asymptotic series
/// Φ(x) = φ(x)/|x| · Σₖ (-1)ᵏ (2k-1)!! / x²ᵏ, summed to k = 10 (the first
/// omitted term is below 1e-20 there).
public func logStandardNormalCDF(_ x: Double) -> Double {
    if x >= 0 { return Double.log(onePlus: -0.5 * Double.erfc(x / 2.0.squareRoot())) }
    if x > -37 { return Double.log(0.5 * Double.erfc(-x / 2.0.squareRoot())) }
    if x == -.infinity { return -.infinity }
    let w = 1 / (x * x)
    var term = 1.0, series = 1.0
    for k in 1...10 {
        term *= -Double(2 * k - 1) * w
        series += term
    }
    return logStandardNormalDensity(x) - Double.log(-x) + Double.log(series)
}

/// log(Φ(b) - Φ(a)) for a ≤ b (either may be infinite): the log-probability
/// of [a, b] under the standard normal. Stays accurate when both bounds lie far
/// in the same tail (it works with the smaller of Φ and 1 - Φ there), and is
/// -inf when a = b.
public func logStandardNormalMass(_ a: Double, _ b: Double) -> Double {
    if a >= 0 {  // Q(a) - Q(b), with Q(x) = Φ(-x)
        let upper = logStandardNormalCDF(-a)
        return upper + log1mexp(min(logStandardNormalCDF(-b) - upper, 0))
    }
    if b <= 0 {
        let lower = logStandardNormalCDF(b)
        return lower + log1mexp(min(logStandardNormalCDF(a) - lower, 0))
    }
    let root2 = 2.0.squareRoot()
    let outside = 0.5 * (Double.erfc(-a / root2) + Double.erfc(b / root2))  // Φ(a) + Q(b)
    return outside < 0.25 ? Double.log(onePlus: -outside)
        : Double.log(0.5 * (Double.erf(b / root2) - Double.erf(a / root2)))
}

/// R(x) = (1 - Φ(x)) / φ(x), the Mills ratio, for x > -37: from erfc below 3
/// and by its continued fraction 1/(x + 1/(x + 2/(x + 3/(x + …)))) from 3 on,
/// where 50 terms leave a relative error below 1e-16. Unlike the difference of
/// logarithms it stays accurate where both are large, so inverse Mills ratios
/// φ(x)/(1 - Φ(x)) far in the tail keep full precision.
public func standardNormalMillsRatio(_ x: Double) -> Double {
    if x < 3 { return 0.5 * Double.erfc(x / 2.0.squareRoot()) / Double.exp(logStandardNormalDensity(x)) }
    var tail = x
    for k in stride(from: 50, through: 1, by: -1) { tail = x + Double(k) / tail }
    return 1 / tail
}

/// The z with log Φ(z) = `logProbability` (≤ 0): the standard normal quantile
/// to full accuracy even where Φ(z) underflows. Above log ½ it inverts the
/// upper tail 1 - Φ(z) = -expm1(logProbability); below -700 it solves
/// log Φ(z) = logProbability by Newton's method from the asymptote
/// log Φ(z) ≈ -z²/2 - log(-z √(2π)).
public func standardNormalQuantileOfLog(_ lp: Double) -> Double {
    if lp > -0.6931471805599453 { return -standardNormalQuantile(-Double.expMinusOne(lp)) }
    if lp > -700 { return standardNormalQuantile(Double.exp(lp)) }
    if lp == -.infinity { return -.infinity }
    var z = -(-2 * lp - Double.log(-2 * lp) - 2 * halfLogTwoPi).squareRoot()
    for _ in 0..<20 {
        let logCDF = logStandardNormalCDF(z)
        let step = (logCDF - lp) / Double.exp(logStandardNormalDensity(z) - logCDF)
        z -= step
        if abs(step) <= 1e-16 * abs(z) { break }
    }
    return z
}
