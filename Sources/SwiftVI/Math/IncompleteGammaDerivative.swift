import RealModule

/// ∂P(a, x)/∂a, the derivative of the regularized lower incomplete gamma
/// function with respect to its parameter (always ≤ 0). It gives the implicit
/// reparameterization gradient of Gamma samples (see `standardGammaSample`).
///
/// Method: forward-mode differentiation of the same expansion that
/// `regularizedGammaP` uses at (a, x): term by term for the two power series
/// (d tₙ/da = −tₙ Σₖ≤ₙ 1/(a + k)) and factor by factor for the Lentz
/// continued fraction, times the derivative of the prefactor,
/// log x − ψ(a), with log x − ψ(a) formed as log1p((x − a)/a) − (ψ(a) − log a)
/// for a ≥ 10 so that no digits are lost near x ≈ a. From a = 1e7, where
/// these would take O(√a) terms, the derivative of the uniform asymptotic
/// expansion (`uniformAsymptoticGammaPDerivativeAOverPrefix`).
/// Accuracy (against mpmath at 80 digits, a from 1e-300 to 1e6, including far
/// tails): relative error below 5e-13.
public func regularizedGammaPDerivativeA(_ a: Double, _ x: Double) -> Double {
    guard a > 0, x >= 0 else { return .nan }
    if x == 0 || x == .infinity || a == .infinity { return 0 }
    return regularizedGammaPDerivativeAOverPrefix(a, x) * gammaPrefix(a, x)
}

/// (∂P/∂a)/(xᵃe⁻ˣ/Γ(a)): free of the prefactor, which may under- or overflow
/// where this ratio does not, for a > 0 and 0 < x < ∞.
func regularizedGammaPDerivativeAOverPrefix(_ a: Double, _ x: Double) -> Double {
    if a >= uniformAsymptoticThreshold { return uniformAsymptoticGammaPDerivativeAOverPrefix(a, x) }
    switch IncompleteGammaMethod(a: a, x: x) {
    case .smallParameter:
        // P = xᵃ/Γ(1 + a) · (1 + S) and xᵃ/Γ(1 + a) = prefactor · eˣ/a.
        let s = smallParameterGammaSeries(a, x)
        let logTerm = Double.log(x) - digamma(1 + a)
        return Double.exp(x) / a * (logTerm * (1 + s.sum) + s.sumDerivative)
    case .series:
        // P = prefactor/a · Σ tₙ, and d log(prefactor/a)/da = log x − ψ(a + 1).
        let s = lowerGammaSeries(a, x)
        return (logMinusDigamma(x, a) - 1 / a) * s.sum / a - s.harmonicSum / a
    case .continuedFraction:
        // Q = prefactor · h, so ∂P/∂a = −prefactor · h · (log x − ψ(a) + d log h/da).
        let f = upperGammaFraction(a, x)
        return -f.value * (logMinusDigamma(x, a) + f.logDerivative)
    }
}

/// log x − ψ(a), without cancelling the shared log a when a ≥ 10.
private func logMinusDigamma(_ x: Double, _ a: Double) -> Double {
    a < 10 ? Double.log(x) - digamma(a) : Double.log(onePlus: (x - a) / a) - digammaMinusLog(a)
}
