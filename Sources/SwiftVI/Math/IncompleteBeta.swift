import RealModule

/// Iₓ(a, b) = B(x; a, b)/B(a, b), the regularized incomplete beta function: the
/// distribution function at x of a Beta(a, b) variable.
///
/// Method: when one parameter is at least 1e5 and the other at most 1, on the
/// large one's side, `largeParameterIncompleteBeta` (constant cost, any size).
/// Otherwise, with the symmetry Iₓ(a, b) = 1 − I₁₋ₓ(b, a), the expansion is taken
/// on the side x ≤ (a + 1)/(a + b + 2), where it converges fast: the power series
/// in x when b·x ≤ 1 and x ≤ 0.7, otherwise the classical continued fraction
/// (modified Lentz). The prefactor xᵃ(1 − x)ᵇ/B(a, b) is formed for a, b ≥ 10
/// around the mode-like point a/(a + b) with log1pmx and Stirling remainders,
/// so large parameters lose no digits to cancelling exponents. The value
/// computed directly is the one on the convergent side; the other is its complement.
///
/// Accuracy (against mpmath at 50 digits, a and b from 1e-3 to 1e5): relative
/// error of the smaller of I and 1 − I below 2e-13 wherever it is above 1e-300,
/// except that when min(a, b) < 1 a value near 1 computed as a complement has
/// absolute error about 1e-16. Near x ≈ a/(a + b) the fraction takes
/// O(√max(a, b)) terms, so past 1e5 both parameters above 1 cost more.
/// Returns NaN unless a, b > 0 and 0 ≤ x ≤ 1.
public func regularizedIncompleteBeta(_ a: Double, _ b: Double, _ x: Double) -> Double {
    regularizedIncompleteBetaPair(a, b, x: x, y: 1 - x).value
}

/// Iₓ(a, b) and 1 − Iₓ(a, b), given x and y = 1 − x separately (so a caller
/// that knows a small y exactly keeps its digits).
func regularizedIncompleteBetaPair(_ a: Double, _ b: Double, x: Double, y: Double) -> (value: Double, complement: Double) {
    guard a > 0, b > 0, x >= 0, x <= 1, y >= 0, y <= 1 else { return (.nan, .nan) }
    if x == 0 { return (0, 1) }
    if y == 0 { return (1, 0) }
    // One parameter large and the other at most 1, on the side where the large
    // one's mass is, when the expansion's value is the smaller of I and 1 − I;
    // otherwise the power series below gives the other one directly, and fast.
    if a >= largeParameterThreshold && b <= 1 && x >= 0.5 && lowerTailIsSmaller(b, a * y) {
        let value = largeParameterIncompleteBeta(a, b, x: x, y: y)
        return (value, 1 - value)
    }
    if b >= largeParameterThreshold && a <= 1 && y >= 0.5 && lowerTailIsSmaller(a, b * x) {
        let complement = largeParameterIncompleteBeta(b, a, x: y, y: x)
        return (1 - complement, complement)
    }
    // x > (a + 1)/(a + b + 2), asked of y where x is near 1 and would round the bound.
    if x >= 0.5 ? y < (b + 1) / (a + b + 2) : x > (a + 1) / (a + b + 2) {
        let swapped = convergentSideIncompleteBeta(b, a, x: y, y: x)
        return (1 - swapped, swapped)
    }
    let value = convergentSideIncompleteBeta(a, b, x: x, y: y)
    return (value, 1 - value)
}

/// The larger parameter from which `largeParameterIncompleteBeta` is used when the other is at most 1.
let largeParameterThreshold = 1e5

/// For a ≫ b and x = 1 − y near 1, Iₓ(a, b) ≈ Q(b, ay) and 1 − Iₓ(a, b) ≈ P(b, ay):
/// whether the first is the smaller.
private func lowerTailIsSmaller(_ b: Double, _ s: Double) -> Bool {
    let (p, q) = regularizedGammaPQ(b, s)
    return q <= p
}

/// Iₓ(a, b) for x ≤ (a + 1)/(a + b + 2).
private func convergentSideIncompleteBeta(_ a: Double, _ b: Double, x: Double, y: Double) -> Double {
    if b * x <= 1 && x <= 0.7 {
        // Iₓ = xᵃ/(a B(a, b)) · Σₙ (1 − b)ₙ xⁿ a/(n!(a + n)).
        var power = 1.0, sum = 1.0, n = 1.0
        while n < 10_000 {
            power *= (n - b) * x / n
            let term = power * a / (a + n)
            sum += term
            if abs(term) <= 1e-17 * abs(sum) { break }
            n += 1
        }
        return Double.exp(a * Double.log(x) - Double.log(a) - logBeta(a, b)) * sum
    }
    return Double.exp(logIncompleteBetaPrefix(a, b, x: x, y: y)) / a * incompleteBetaFraction(a, b, x: x)
}

/// The continued fraction h with Iₓ(a, b) = xᵃ(1 − x)ᵇ/(a B(a, b)) · h, by the modified Lentz method.
/// NaN when it has not converged after `maxTerms` terms, which only parameters
/// above about 2.5e11 can need.
private func incompleteBetaFraction(_ a: Double, _ b: Double, x: Double) -> Double {
    let tiny = 1e-300, maxTerms = 1e7
    func guarded(_ v: Double) -> Double { abs(v) < tiny ? tiny : v }
    var c = 1.0
    var d = 1 / guarded(1 - (a + b) * x / (a + 1))
    var h = d
    var m = 1.0
    let wanted = 1000 + 20 * max(a, b).squareRoot(), limit = min(wanted, maxTerms)
    while m < limit {
        let m2 = 2 * m
        let even = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
        d = 1 / guarded(1 + even * d)
        c = guarded(1 + even / c)
        h *= d * c
        let odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
        d = 1 / guarded(1 + odd * d)
        c = guarded(1 + odd / c)
        let delta = d * c
        h *= delta
        if abs(delta - 1) <= 1e-16 { break }
        m += 1
    }
    return m >= limit && wanted > maxTerms ? .nan : h
}

/// log(xᵃyᵇ/B(a, b)) with y = 1 − x. For a, b ≥ 10, with c = a + b and
/// (x₀, y₀) = (a/c, b/c): a·M(x/x₀) + b·M(y/y₀) + ½ log(ab/(2πc)) + δ(c) − δ(a) − δ(b),
/// where M(r) = log r − (r − 1) (the linear terms cancel because a/x₀ = b/y₀).
func logIncompleteBetaPrefix(_ a: Double, _ b: Double, x: Double, y: Double) -> Double {
    // The smaller of x and y is the accurate one; the other's log comes from it by log1p.
    let (logX, logY) = x <= y ? (Double.log(x), Double.log(onePlus: -x)) : (Double.log(onePlus: -y), Double.log(y))
    guard a >= 10 && b >= 10 else {
        return a * logX + b * logY - logBeta(a, b)
    }
    let c = a + b, (x0, y0) = (a / c, b / c)
    // tₓ = x/x₀ − 1 and tᵧ = y/y₀ − 1 from the accurate variable; M(t) = log(1 + t) − t,
    // where log(1 + t) for |t| > ½ is taken from the logs above.
    let (tx, ty) = x <= y ? ((x - x0) / x0, (x0 - x) / y0) : ((y0 - y) / x0, (y - y0) / y0)
    func m(_ t: Double, _ logRatio: @autoclosure () -> Double) -> Double {
        abs(t) <= 0.5 ? log1pmx(t) : logRatio() - t
    }
    return a * m(tx, logX - Double.log(x0)) + b * m(ty, logY - Double.log(y0))
        + 0.5 * Double.log(x0 * b) - halfLogTwoPi
        + stirlingCorrection(c) - stirlingCorrection(a) - stirlingCorrection(b)
}
