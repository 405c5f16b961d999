import RealModule

/// log Γ(1 + a), accurate for small |a| where forming 1 + a would lose digits.
///
/// Method: for |a| ≤ ½ the series
/// log Γ(1 + a) = −log(1 + a) + (1 − γ)a + Σₖ₌₂ (−1)ᵏ (ζ(k) − 1) aᵏ / k
/// (25 terms, coefficients from 40-digit arithmetic); otherwise `Double.logGamma(1 + a)`.
/// Accuracy: relative error below about 1e-15 for |a| ≤ ½.
public func logGammaOnePlus(_ a: Double) -> Double {
    guard abs(a) <= 0.5 else { return Double.logGamma(1 + a) }
    return -Double.log(onePlus: a) + a * (oneMinusEulerGamma + a * horner(a, logGammaOnePlusSeries))
}

/// 1 − γ (γ the Euler–Mascheroni constant).
private let oneMinusEulerGamma = 0.42278433509846713939

/// (−1)ᵏ (ζ(k) − 1)/k for k = 2…26.
private let logGammaOnePlusSeries: [Double] = [
    3.2246703342411322e-1, -6.7352301053198095e-2, 2.0580808427784548e-2, -7.3855510286739853e-3,
    2.8905103307415233e-3, -1.192753911703261e-3, 5.0966952474304242e-4, -2.2315475845357938e-4,
    9.9457512781808534e-5, -4.4926236738133142e-5, 2.0507212775670692e-5, -9.4394882752683959e-6,
    4.3748667899074878e-6, -2.0392157538013662e-6, 9.5514121304074198e-7, -4.492469198764566e-7,
    2.1207184805554666e-7, -1.00432248239681e-7, 4.7698101693639806e-8, -2.2711094608943165e-8,
    1.0838659214896954e-8, -5.1834750419700467e-9, 2.4836745438024783e-9, -1.1921401405860912e-9,
    5.731367241678862e-10,
]
