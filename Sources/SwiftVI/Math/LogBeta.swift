import RealModule

/// log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b) for a, b > 0, without the
/// cancellation of the three log-gamma terms when a or b is large.
///
/// Method (with a ≤ b and c = a + b): for b < 10 the log-gamma sum; for a < 10 ≤ b,
/// log Γ(a) plus log Γ(b) − log Γ(c) from Stirling's formula written as
/// −(b − ½) log1p(a/b) − a log c + a + δ(b) − δ(c); for a ≥ 10,
/// (a − ½) log(a/c) + (b − ½) log1p(−a/c) − ½ log c + ½ log 2π + δ(a) + δ(b) − δ(c),
/// with δ the Stirling remainder. Accuracy: absolute error below about
/// 1e-15 · max(1, |log B|) (checked against mpmath up to a, b = 1e15).
/// Returns NaN unless a, b > 0; +inf when either is 0.
public func logBeta(_ a: Double, _ b: Double) -> Double {
    let (a, b) = (min(a, b), max(a, b))
    guard a >= 0, !b.isNaN else { return .nan }
    if a == 0 { return .infinity }
    if b == .infinity { return -.infinity }
    let c = a + b
    if b < 10 { return Double.logGamma(a) + Double.logGamma(b) - Double.logGamma(c) }
    let corrections = stirlingCorrection(b) - stirlingCorrection(c)
    if a < 10 {
        return Double.logGamma(a) - (b - 0.5) * Double.log(onePlus: a / b) - a * Double.log(c) + a + corrections
    }
    return (a - 0.5) * Double.log(a / c) + (b - 0.5) * Double.log(onePlus: -a / c) - 0.5 * Double.log(c)
        + halfLogTwoPi + stirlingCorrection(a) + corrections
}
