import RealModule

/// The log-mass log p(k) of a distribution on the integers and its partial
/// derivatives with respect to up to two parameters.
typealias LogMassWithScores = (_ k: Double) -> (logP: Double, score1: Double, score2: Double)

/// The Shannon entropy H = −Σₖ p(k) log p(k) of a unimodal distribution on the
/// integers `lower`…`upper`, summed outward from `mode` until the rest of the
/// series is below 1e-17 of the sum, and its derivatives −Σₖ p(k) sᵢ(k)(log p(k) + 1)
/// with respect to two parameters (sᵢ the scores ∂ log p/∂θᵢ).
///
/// The tail beyond a term is bounded geometrically by the ratio of successive
/// masses, which never grows for log-concave masses; `tailRatio` is the limit
/// that ratio approaches far out (0 for Poisson and Binomial, p for
/// NegativeBinomial, whose ratios may grow towards it). Throws
/// `SVIError.numerical` when more than ten million terms would be needed — at
/// once when the `standardDeviation` alone is above that, as the bulk of
/// the mass then spans more terms, rather than after ten million of them.
func unimodalEntropy(_ family: String, mode: Double, lower: Double, upper: Double, tailRatio: Double,
                     standardDeviation: Double,
                     _ logMass: LogMassWithScores) throws -> (value: Double, da: Double, db: Double) {
    var h = 0.0, d1 = 0.0, d2 = 0.0
    var budget = 10_000_000
    let tooSpread = SVIError.numerical(
        "\(family): the entropy needs more than ten million terms of its series; the distribution is too spread out")
    guard !(standardDeviation > Double(budget)) else { throw tooSpread }
    for direction in [1.0, -1.0] {
        var k = direction > 0 ? mode : mode - 1
        var previousLogP = Double.nan
        while k >= lower && k <= upper {
            let (logP, s1, s2) = logMass(k)
            if logP == -.infinity { break }
            let p = Double.exp(logP)
            h -= p * logP
            d1 -= p * s1 * (logP + 1)
            d2 -= p * s2 * (logP + 1)
            let ratio = max(previousLogP.isNaN ? 1 : Double.exp(logP - previousLogP), direction > 0 ? tailRatio : 0)
            if ratio == 0 { break }
            if ratio < 1 {
                let rest = p * (-logP * ratio / (1 - ratio) - Double.log(ratio) * ratio / ((1 - ratio) * (1 - ratio)))
                if rest <= 1e-17 * h { break }
            }
            previousLogP = logP
            k += direction
            budget -= 1
            guard budget > 0 else { throw tooSpread }
        }
    }
    return (h, d1, d2)
}
