import RealModule

/// δ(x) = log Γ(x) − [(x − ½) log x − x + ½ log 2π], the remainder of Stirling's
/// formula, for x ≥ 10.
///
/// Formulas that combine log-gamma values of large arguments (log-beta, the
/// incomplete-gamma and -beta prefactors, large-parameter log-densities) use δ
/// so that the large terms cancel analytically rather than in floating point.
/// Method: the asymptotic series Σₖ B₂ₖ / (2k(2k − 1) x²ᵏ⁻¹), eight terms;
/// relative error below 1e-15 for x ≥ 10.
func stirlingCorrection(_ x: Double) -> Double {
    let r = 1 / x
    return r * horner(r * r, stirlingCoefficients)
}

/// B₂ₖ / (2k(2k − 1)) for k = 1…8.
private let stirlingCoefficients: [Double] = [
    1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680, 1.0 / 1188, -691.0 / 360_360, 1.0 / 156, -3617.0 / 122_400,
]
