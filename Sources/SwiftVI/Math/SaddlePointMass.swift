import RealModule

// Log-masses of the Poisson and binomial distributions by Loader's saddle-point
// expansion ("Fast and accurate computation of binomial probabilities", 2000):
// the large, nearly cancelling terms of k log λ − λ − log k! are rearranged into
// the Stirling error and the deviance term bd0, each computed without
// cancellation, so the result keeps its relative accuracy for counts of any size.

/// log n! − [(n + ½) log n − n + ½ log 2π], the error of Stirling's formula for
/// n!, for real n > 0; it equals the remainder δ(n) of Stirling's formula for Γ(n).
func stirlingError(_ n: Double) -> Double {
    n < 10 ? Double.logGamma(n + 1) - (n + 0.5) * Double.log(n) + n - halfLogTwoPi : stirlingCorrection(n)
}

/// x log(x/m) + m − x, the deviance term, for x ≥ 0 and m > 0; computed by a
/// series in (x − m)/(x + m) when x is close to m.
func devianceTerm(_ x: Double, _ m: Double) -> Double {
    if x == 0 { return m }
    // The series needs x + m finite: near the largest doubles its terms would
    // be NaN and the loop would never end.
    guard abs(x - m) < 0.1 * (x + m), (x + m).isFinite else { return x * Double.log(x / m) + m - x }
    let v = (x - m) / (x + m)
    var sum = (x - m) * v, power = 2 * x * v
    var j = 1.0
    while true {
        power *= v * v
        let next = sum + power / (2 * j + 1)
        if next == sum { return sum }
        sum = next
        j += 1
    }
}

/// log P(K = k) for K ~ Poisson(rate), k a non-negative integer and rate ≥ 0.
func poissonLogMass(_ k: Double, rate: Double) -> Double {
    if rate == 0 { return k == 0 ? 0 : -.infinity }
    if k == 0 { return -rate }
    return -stirlingError(k) - devianceTerm(k, rate) - 0.5 * Double.log(2 * Double.pi * k)
}

/// log P(K = k) for K ~ Binomial(n, p), k an integer in 0…n, with p and q = 1 − p
/// and their logarithms given separately so that neither loses precision. Real
/// 0 ≤ k ≤ n give the same expression with Γ in place of factorials.
func binomialLogMass(_ k: Double, n: Double, p: Double, q: Double, logP: Double, logQ: Double) -> Double {
    if k == 0 { return weighted(n, logQ) }
    if k == n { return weighted(n, logP) }
    if p == 0 || q == 0 { return -.infinity }
    let correction = stirlingError(n) - stirlingError(k) - stirlingError(n - k)
    let deviance = devianceTerm(k, n * p) + devianceTerm(n - k, n * q)
    return correction - deviance - 0.5 * (Double.log(2 * Double.pi * k) + Double.log(onePlus: -k / n))
}
