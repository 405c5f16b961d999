import RealModule

/// The x ∈ [0, 1] with Iₓ(a, b) = p: the quantile at p of a Beta(a, b) variable.
///
/// Method: a starting point from the normal approximation of Abramowitz &
/// Stegun 26.5.22 (a, b ≥ 1) or from the leading term of either tail
/// (xᵃ/(a B(a, b)) near 0, (1 − x)ᵇ/(b B(a, b)) near 1), then Newton steps in
/// log v, on the log of the smaller tail, for whichever v of x and 1 − x is below ½ (switching to Iᵧ(b, a) = 1 − p
/// in y = 1 − x when the iterate crosses ½, so quantiles near 1 keep their
/// distance to 1), inside a bracket that every evaluation narrows.
/// Accuracy: relative error of the smaller of x and 1 − x below 1e-12 against
/// mpmath for a, b from 1e-2 to 1e5 (1e-11 below that, where the quantile is
/// worse conditioned). Quantiles below the smallest double are 0. Returns 0 at
/// p = 0, 1 at p = 1, NaN unless a, b > 0 and p ∈ [0, 1].
public func inverseRegularizedIncompleteBeta(_ a: Double, _ b: Double, _ p: Double) -> Double {
    incompleteBetaQuantile(a, b, p: p, q: 1 - p).x
}

/// The x (and y = 1 − x, accurate when small) with Iₓ(a, b) = p and 1 − Iₓ(a, b) = q.
func incompleteBetaQuantile(_ a: Double, _ b: Double, p: Double, q: Double) -> (x: Double, y: Double) {
    guard a > 0, b > 0, a.isFinite, b.isFinite, p >= 0, p <= 1, q >= 0, q <= 1 else { return (.nan, .nan) }
    if p == 0 { return (0, 1) }
    if q == 0 { return (1, 0) }
    // Solve Iᵥ(α, β) = target (complement = other) for the variable v ≤ ½ of the current frame.
    var (alpha, beta, target, other) = (a, b, p, q)
    let guess = incompleteBetaQuantileGuess(a, b, p: p, q: q)
    if guess.x == 0 { return (0, 1) }  // the quantile is below the smallest double
    if guess.y == 0 { return (1, 0) }
    var v = guess.x, swapped = false
    if v > 0.5 {
        (alpha, beta, target, other, v, swapped) = (b, a, q, p, guess.y, true)
    }
    var low = 0.0, high = 1.0
    for _ in 0..<300 {
        let w = 1 - v
        let (value, complement) = regularizedIncompleteBetaPair(alpha, beta, x: v, y: w)
        // NaN: the function did not converge (parameters beyond its reach); so would every step.
        if value.isNaN || complement.isNaN { return (.nan, .nan) }
        // Newton in log v on the log of the smaller tail (increasing in v); the slope is
        // (dI/d log v)/I with dI/d log v = vᵅwᵝ/B(α, β)/w.
        let lowerTail = target <= other
        let tail = lowerTail ? value : complement
        let residual = lowerTail ? Double.log(value) - Double.log(target) : Double.log(other) - Double.log(complement)
        if residual == 0 { break }
        if residual > 0 { high = v } else { low = v }
        let slope = Double.exp(logIncompleteBetaPrefix(alpha, beta, x: v, y: w)) / (w * tail)
        let step = residual / slope
        var next = v * Double.exp(-step)
        if !(next > low && next < high) {
            // Outside the bracket (or underflowed): bisect, geometrically while the bracket reaches 0.
            next = low == 0 ? high * 1e-4 : 0.5 * (low + high)
            if !(next > low && next < high) { break }
        }
        if abs(next - v) <= 4 * next.ulp { v = next; break }
        v = next
        if v > 0.5 {
            (alpha, beta, target, other, v, swapped) = (beta, alpha, other, target, 1 - v, !swapped)
            (low, high) = (1 - high, 1 - low)
        }
    }
    return swapped ? (1 - v, v) : (v, 1 - v)
}

/// A starting point for `incompleteBetaQuantile`, as x and 1 − x (each
/// accurate when small: a guess within 1e-16 of 1 must not round to 1).
private func incompleteBetaQuantileGuess(_ a: Double, _ b: Double, p: Double, q: Double) -> (x: Double, y: Double) {
    if a >= 1 && b >= 1 {
        // Abramowitz & Stegun 26.5.22 with u the upper normal quantile at p.
        let u = p <= q ? -standardNormalQuantile(p) : standardNormalQuantile(q)
        let lambda = (u * u - 3) / 6
        let h = 2 / (1 / (2 * a - 1) + 1 / (2 * b - 1))
        let w = u * (h + lambda).squareRoot() / h
            - (1 / (2 * b - 1) - 1 / (2 * a - 1)) * (lambda + 5.0 / 6 - 2 / (3 * h))
        let other = b * Double.exp(2 * w), x = a / (a + other), y = other / (a + other)
        if x > 0 && y > 0 { return (x, y) }
    }
    let logB = logBeta(a, b)
    let nearZero = Double.exp((Double.log(p) + Double.log(a) + logB) / a)
    let nearOne = Double.exp((Double.log(q) + Double.log(b) + logB) / b)
    if nearZero < 0.5 && (nearZero <= nearOne || nearOne >= 0.5) { return (nearZero, 1 - nearZero) }
    if nearOne < 0.5 { return (1 - nearOne, nearOne) }
    return (a / (a + b), b / (a + b))
}
