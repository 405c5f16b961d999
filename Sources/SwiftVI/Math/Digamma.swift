import RealModule

/// ψ(x) = d/dx log Γ(x), the digamma function.
///
/// Method: for x ≥ 10 the asymptotic series ln x − 1/(2x) − Σₖ B₂ₖ/(2k x²ᵏ)
/// (seven terms); for smaller positive x the recurrence ψ(x) = ψ(x + 1) − 1/x
/// up to 10; within 0.27 of the positive root x₀ ≈ 1.4616 a Taylor series about
/// x₀ (coefficients ψ⁽ᵏ⁾(x₀)/k! from 50-digit arithmetic), so that the result
/// keeps its relative accuracy where ψ crosses zero; for x < 0 the reflection
/// ψ(x) = ψ(1 − x) − π cot(πx).
///
/// Accuracy: relative error below about 5e-15 for x > 0 (checked against mpmath
/// at 50 digits); for x < 0 the error grows like the condition number near the poles.
/// Returns NaN at 0, the negative integers and NaN, and +inf at +inf.
public func digamma(_ x: Double) -> Double {
    if x.isNaN || x == -.infinity { return .nan }
    if x <= 0 {
        let shift = x - x.rounded()  // cot(πx) = cot(π·shift), exactly representable
        if shift == 0 { return .nan }
        return digamma(1 - x) - Double.pi / Double.tan(Double.pi * shift)
    }
    if abs(x - digammaRoot.high) < 0.27 {
        let h = (x - digammaRoot.high) - digammaRoot.low
        return h * horner(h, digammaTaylorAtRoot)
    }
    var shifted = x, correction = 0.0
    while shifted < 10 {
        correction -= 1 / shifted
        shifted += 1
    }
    return correction + Double.log(shifted) + digammaMinusLog(shifted)
}

/// ψ(x) − log x for x ≥ 10 by the asymptotic series, for formulas that
/// subtract ψ from a logarithm of a nearby number (the a-derivatives of the
/// incomplete gamma function) without losing the digits of the shared log x.
func digammaMinusLog(_ x: Double) -> Double {
    let w = 1 / (x * x)
    return -0.5 / x - w * horner(w, digammaAsymptotic)
}

/// The positive root of ψ as a sum of two doubles.
private let digammaRoot = (high: 1.4616321449683622, low: 9.549995429965697e-17)

/// ψ⁽ᵏ⁾(x₀)/k! for k = 1…25: ψ(x) = Σ cₖ (x − x₀)ᵏ.
private let digammaTaylorAtRoot: [Double] = [
    9.6767224544762117e-1, -4.4276316898359211e-1, 2.5849976095565101e-1, -1.6394270544240653e-1,
    1.0782405069126237e-1, -7.2199561256454711e-2, 4.8804288164143107e-2, -3.3161126474847359e-2,
    2.2597648232218105e-2, -1.5424765904948959e-2, 1.0538791616612175e-2, -7.2045343863568682e-3,
    4.9267813957298534e-3, -3.3698016554393281e-3, 2.3051263267349278e-3, -1.5769367714301973e-3,
    1.0788252019162966e-3, -7.3807093899600513e-4, 5.0495326583460204e-4, -3.454680251063077e-4,
    2.3635601564027053e-4, -1.6170622091974803e-4, 1.1063372768747411e-4, -7.5691795821950659e-5,
    5.1785757952220809e-5,
]

/// B₂ₖ/(2k) for k = 1…7, the coefficients of x⁻²ᵏ in ln x − 1/(2x) − ψ(x).
private let digammaAsymptotic: [Double] = [
    1.0 / 12, -1.0 / 120, 1.0 / 252, -1.0 / 240, 1.0 / 132, -691.0 / 32760, 1.0 / 12,
]
