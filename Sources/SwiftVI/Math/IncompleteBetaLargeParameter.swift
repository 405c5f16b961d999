import RealModule

/// Iₓ(a, b) for a large parameter a and a small one b ≤ 1, with x ≥ ½: the
/// asymptotic expansion in incomplete gamma functions of DiDonato and Morris
/// (ACM TOMS 708, 1992, §9, their BGRAT). With T = a + (b − 1)/2, u = −T log x
/// and H(b, u) = uᵇe⁻ᵘ/Γ(b),
///
///     Iₓ(a, b) = Γ(a + b)/(Γ(a) Tᵇ) · H(b, u) · Σₙ pₙ Jₙ,   J₀ = Q(b, u)/H(b, u),
///
///     pₙ = (b − 1)/(2n + 1)! + (1/n) Σₘ₌₁ⁿ⁻¹ (mb − n) pₙ₋ₘ/(2m + 1)!,
///     Jₙ = [(b + 2n − 2)(b + 2n − 1) Jₙ₋₁ + (u + b + 2n − 1) Lⁿ⁻¹]/(4T²),  L = (½ log x)².
///
/// Its cost does not grow with a, where the continued fraction's grows like
/// √a. The leading term carries the tail Q(b, u) itself, so a small Iₓ keeps
/// its relative precision; 1 − Iₓ near 0 is only as good as 1e-16 absolute.
/// Accuracy against mpmath: see `IncompleteBetaTests`.
func largeParameterIncompleteBeta(_ a: Double, _ b: Double, x: Double, y: Double) -> Double {
    let t = a + (b - 1) / 2
    let logX = y < 0.35 ? Double.log(onePlus: -y) : Double.log(x)
    let u = -t * logX
    let h = gammaPrefix(b, u)
    if h == 0 { return regularizedGammaQ(b, u) }
    // log[Γ(a + b)/(Γ(a) Tᵇ)] by Stirling's formula with its large terms cancelled by hand.
    let logRatio = (a - 0.5) * Double.log(onePlus: b / a) - b + b * Double.log(onePlus: (b + 1) / (2 * t))
        + stirlingCorrection(a + b) - stirlingCorrection(a)
    let prefix = h * Double.exp(logRatio)
    var j = regularizedGammaQ(b, u) / h
    var sum = prefix * j
    let halfLogSquared = logX * logX / 4, fourTSquared = 4 * t * t
    var p: [Double] = [1], power = 1.0, shifted = b
    for n in 1..<oddFactorials.count {
        var pn = 0.0
        for m in 1..<n { pn += (Double(m) * b - Double(n)) * p[n - m] / oddFactorials[m] }
        p.append(pn / Double(n) + (b - 1) / oddFactorials[n])
        j = (shifted * (shifted + 1) * j + (u + shifted + 1) * power) / fourTSquared
        power *= halfLogSquared
        shifted += 2
        let term = prefix * p[n] * j
        sum += term
        if abs(term) <= 1e-17 * abs(sum) { break }
    }
    return sum
}

/// (2m + 1)! for m = 0, 1, …, 29: the expansion needs at most 30 terms.
private let oddFactorials: [Double] = {
    var list: [Double] = [1]
    for m in 1..<30 { list.append(list[m - 1] * Double(2 * m * (2 * m + 1))) }
    return list
}()
