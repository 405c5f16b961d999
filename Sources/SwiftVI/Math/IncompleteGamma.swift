import RealModule

/// P(a, x) = γ(a, x)/Γ(a), the regularized lower incomplete gamma function: the
/// distribution function at x of a Gamma(a, 1) variable.
///
/// Method: for a < 1 and x ≤ 1.5 the power series of γ(a, x) written so that
/// both P and Q = 1 − P keep their relative accuracy (Q from
/// 1 − x^a/Γ(1 + a) via expm1 and `logGammaOnePlus`); otherwise, for x < a the
/// series P = xᵃe⁻ˣ/Γ(a + 1) · Σ xⁿ/((a + 1)…(a + n)), and for x ≥ a Legendre's
/// continued fraction for Q (modified Lentz). The prefactor xᵃe⁻ˣ/Γ(a) is
/// formed for a ≥ 10 as √(a/2π)·exp(a·log1pmx((x − a)/a) − δ(a)), so that
/// large a loses no digits to cancelling exponents. Near x ≈ a the series and
/// fraction take O(√a) terms, so for a ≥ 1e7 Temme's uniform asymptotic
/// expansion replaces them (`uniformAsymptoticGammaPQ`), whose cost does not
/// depend on a. The smaller of P and Q is computed directly and the other as
/// its complement.
///
/// Accuracy (against mpmath at 50 digits, from a = 1e-300 to 1e15 and x = 1e-300
/// to 700 and around a): relative error of the smaller of P and Q below 1e-13,
/// and mostly below 1e-14. Returns NaN unless a > 0 and x ≥ 0.
public func regularizedGammaP(_ a: Double, _ x: Double) -> Double {
    regularizedGammaPQ(a, x).p
}

/// Q(a, x) = Γ(a, x)/Γ(a) = 1 − P(a, x), the regularized upper incomplete gamma
/// function, computed directly where it is the smaller one so that it keeps its
/// relative accuracy in the upper tail. Method and accuracy as `regularizedGammaP`.
public func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
    regularizedGammaPQ(a, x).q
}

/// The three ways P and Q are evaluated, chosen by `IncompleteGammaMethod(a:x:)`.
enum IncompleteGammaMethod {
    /// a < 1, x ≤ 1.5: the alternating series of γ(a, x), giving P and Q.
    case smallParameter
    /// x < a: the positive series for P.
    case series
    /// x ≥ a: the continued fraction for Q.
    case continuedFraction

    init(a: Double, x: Double) {
        if a < 1 && x <= 1.5 {
            self = .smallParameter
        } else {
            self = x < a ? .series : .continuedFraction
        }
    }
}

/// P(a, x) and Q(a, x) together, each accurate (see `regularizedGammaP`).
func regularizedGammaPQ(_ a: Double, _ x: Double) -> (p: Double, q: Double) {
    guard a > 0, x >= 0 else { return (.nan, .nan) }
    if x == 0 || a == .infinity { return (0, 1) }
    if x == .infinity { return (1, 0) }
    if a >= uniformAsymptoticThreshold { return uniformAsymptoticGammaPQ(a, x) }
    switch IncompleteGammaMethod(a: a, x: x) {
    case .smallParameter:
        let s = smallParameterGammaSeries(a, x)
        let leading = Double.exp(s.logLeading)
        return (leading * (1 + s.sum), -Double.expMinusOne(s.logLeading) - leading * s.sum)
    case .series:
        let p = gammaPrefix(a, x) / a * lowerGammaSeries(a, x).sum
        return (p, 1 - p)
    case .continuedFraction:
        let q = gammaPrefix(a, x) * upperGammaFraction(a, x).value
        return (1 - q, q)
    }
}

/// The a from which `regularizedGammaPQ` uses the uniform asymptotic expansion:
/// below it the series and fraction take at most about 64,000 terms; above it
/// the expansion's first omitted term is below 1e-16 of the result.
let uniformAsymptoticThreshold = 1e7

/// P(a, x) and Q(a, x) for large a by Temme's uniform asymptotic expansion
/// (DLMF 8.12.3–8.12.4) to two terms: with λ = x/a and η of the sign of λ − 1
/// such that ½η² = λ − 1 − log λ,
/// Q = ½ erfc(η√(a/2)) + R and P = ½ erfc(−η√(a/2)) − R, where
/// R = e^(−aη²/2)/√(2πa) · (c₀(η) + c₁(η)/a).
func uniformAsymptoticGammaPQ(_ a: Double, _ x: Double) -> (p: Double, q: Double) {
    let u = UniformGammaExpansion(a, x)
    let r = u.scale * (u.c0 + u.c1 / a)
    let z = u.eta * (0.5 * a).squareRoot()
    if u.eta >= 0 {
        let q = 0.5 * Double.erfc(z) + r
        return (1 - q, q)
    }
    let p = 0.5 * Double.erfc(-z) - r
    return (p, 1 - p)
}

/// (∂P/∂a)/(xᵃe⁻ˣ/Γ(a)) for a ≥ `uniformAsymptoticThreshold`, by differentiating
/// the expansion of `uniformAsymptoticGammaPQ` in a at fixed x (with
/// dη/da = −t/(aη), t = λ − 1): ∂Q/∂a = e^(−aη²/2)/√(2πa) · (t/η − η/2
/// + (c₀ + c₁/a)(t − η²/2 − 1/(2a)) − c₀′ t/(aη)), up to terms O(a⁻²) relative
/// to the first; and e^(−aη²/2)/√(2πa) is the prefactor times e^δ(a)/a.
func uniformAsymptoticGammaPDerivativeAOverPrefix(_ a: Double, _ x: Double) -> Double {
    let u = UniformGammaExpansion(a, x)
    // t/η → 1 as η → 0: from its series where both vanish.
    let tOverEta = abs(u.eta) < 0.01 ? horner(u.eta, [1, 1.0 / 3, 1.0 / 36, -1.0 / 270, 1.0 / 4320]) : u.t / u.eta
    let leading: Double = tOverEta - 0.5 * u.eta
    let exponentSlope: Double = u.t - 0.5 * u.eta * u.eta - 0.5 / a
    let correction: Double = (u.c0 + u.c1 / a) * exponentSlope - u.c0Derivative * tOverEta / a
    return -(leading + correction) * Double.exp(stirlingCorrection(a)) / a
}

/// The pieces of Temme's expansion at (a, x): t = x/a − 1, η, e^(−aη²/2)/√(2πa),
/// c₀(η), c₀′(η) and c₁(η). The c are taken from their Taylor series in η where
/// |η| < 0.01 (the closed forms cancel there); elsewhere, which for a ≥ 1e7 is
/// only where P or Q underflows, from the closed forms.
private struct UniformGammaExpansion {
    let t, eta, scale, c0, c0Derivative, c1: Double

    private static let c0Series: [Double] = [-1.0 / 3, 1.0 / 12, -2.0 / 135, 1.0 / 864, 1.0 / 2835, -139.0 / 777_600,
                                   3.91926317852243778e-5, -2.18544851067999216e-6]
    private static let c1Series: [Double] = [-1.0 / 540, -1.0 / 288, 1.0 / 378, -9.90226337448559671e-4,
                                   2.05761316872427984e-4, -4.01877572016460905e-7]

    init(_ a: Double, _ x: Double) {
        t = (x - a) / a
        eta = (-2 * log1pmx(t)).squareRoot() * (t < 0 ? -1 : 1)
        scale = Double.exp(-0.5 * a * eta * eta - 0.5 * Double.log(a) - halfLogTwoPi)
        if abs(eta) < 0.01 {
            c0 = horner(eta, Self.c0Series)
            c0Derivative = horner(eta, Self.c0Series.indices.dropFirst().map { Double($0) * Self.c0Series[$0] })
            c1 = horner(eta, Self.c1Series)
        } else {
            c0 = 1 / t - 1 / eta
            // dt/dη = (1 + t)η/t.
            c0Derivative = -(1 + t) * eta / (t * t * t) + 1 / (eta * eta)
            c1 = 1 / (eta * eta * eta) - 1 / (t * t * t) - 1 / (t * t) - 1 / (12 * t)
        }
    }
}

/// For a < 1: log(xᵃ/Γ(1 + a)) and S = Σₙ≥₁ (−x)ⁿ a/(n!(a + n)), so that
/// P = e^L (1 + S) and Q = −expm1(L) − e^L S. Also S′ = dS/da = Σ (−x)ⁿ n/(n!(a + n)²).
func smallParameterGammaSeries(_ a: Double, _ x: Double) -> (logLeading: Double, sum: Double, sumDerivative: Double) {
    var power = 1.0, sum = 0.0, derivative = 0.0, n = 1.0
    while n < 200 {
        power *= -x / n
        let term = power * a / (a + n)
        sum += term
        derivative += power * n / ((a + n) * (a + n))
        if abs(term) <= 1e-17 * abs(sum) && abs(power) <= 1e-17 * abs(derivative) { break }
        n += 1
    }
    return (a * Double.log(x) - logGammaOnePlus(a), sum, derivative)
}

/// For x < a: Σₙ tₙ with tₙ = xⁿ/((a + 1)…(a + n)), so P = xᵃe⁻ˣ/Γ(a + 1) · Σ tₙ;
/// also Σ tₙ Hₙ with Hₙ = Σₖ≤ₙ 1/(a + k), since d tₙ/da = −tₙ Hₙ.
func lowerGammaSeries(_ a: Double, _ x: Double) -> (sum: Double, harmonicSum: Double) {
    var term = 1.0, sum = 1.0, harmonic = 0.0, harmonicSum = 0.0, n = 1.0
    let limit = iterationLimit(a)
    while n < limit {
        term *= x / (a + n)
        harmonic += 1 / (a + n)
        sum += term
        harmonicSum += term * harmonic
        if term <= 1e-17 * sum && term * harmonic <= 1e-17 * harmonicSum { break }
        n += 1
    }
    return exhausted(n, a) ? (.nan, .nan) : (sum, harmonicSum)
}

/// Legendre's continued fraction h with Q = xᵃe⁻ˣ/Γ(a) · h, by the modified
/// Lentz method, and d(log h)/da by differentiating each Lentz factor.
func upperGammaFraction(_ a: Double, _ x: Double) -> (value: Double, logDerivative: Double) {
    let tiny = 1e-300
    var b = x + 1 - a
    var d = 1 / b, dd = d * d          // D and dD/da (db/da = −1)
    var c = 1 / tiny, dc = 0.0         // C and dC/da
    var h = d, g = d                   // h and d(log h)/da = −(db/da)/b
    var i = 1.0
    let limit = iterationLimit(a)
    while i < limit {
        let an = -i * (i - a), dan = i
        b += 2
        var denominator = b + an * d
        if abs(denominator) < tiny { denominator = tiny }
        let newD = 1 / denominator
        dd = -newD * newD * (-1 + dan * d + an * dd)
        d = newD
        var newC = b + an / c
        if abs(newC) < tiny { newC = tiny }
        dc = -1 + dan / c - an * dc / (c * c)
        c = newC
        let delta = c * d
        let logStep = dc / c + dd / d
        h *= delta
        g += logStep
        if abs(delta - 1) <= 1e-16 && abs(logStep) <= 1e-16 * abs(g) { break }
        i += 1
    }
    return exhausted(i, a) ? (.nan, .nan) : (h, g)
}

/// The most terms the series and fraction take; only a above about 2.5e11 can need more.
private let maxTerms = 1e7

/// An iteration cap for the series and fraction, which need O(√a) terms near x ≈ a.
private func iterationLimit(_ a: Double) -> Double {
    min(1000 + 20 * a.squareRoot(), maxTerms)
}

/// Whether `count` terms reached the cap before converging, where a needs more
/// than `maxTerms`: the result is then NaN rather than an unconverged value.
private func exhausted(_ count: Double, _ a: Double) -> Bool {
    count >= iterationLimit(a) && 1000 + 20 * a.squareRoot() > maxTerms
}

/// xᵃe⁻ˣ/Γ(a) to full relative precision where it does not under- or overflow.
func gammaPrefix(_ a: Double, _ x: Double) -> Double {
    if a >= 10 { return Double.exp(logGammaPrefix(a, x)) }
    let power = a * Double.log(x) - Double.logGamma(a)
    // exp(-x) of the exact x is correctly rounded; folding x into one exponent would not be.
    if abs(power) < 700 && x < 700 { return Double.exp(power) * Double.exp(-x) }
    return Double.exp(power - x)
}

/// log(xᵃe⁻ˣ/Γ(a)); for a ≥ 10 as a·(log(x/a) − (x − a)/a) + ½ log(a/2π) − δ(a),
/// the bracket by `log1pmx` when x is within a/2 of a.
func logGammaPrefix(_ a: Double, _ x: Double) -> Double {
    if a < 10 { return a * Double.log(x) - x - Double.logGamma(a) }
    let t = (x - a) / a
    // For x far below a, 1 + t would lose the digits of x/a.
    let exponent = abs(t) <= 0.5 ? log1pmx(t) : Double.log(x / a) - t
    return a * exponent + 0.5 * Double.log(a) - halfLogTwoPi - stirlingCorrection(a)
}
