import RealModule

// Exact samplers for the count distributions. Each draw uses its own key, and a
// rejection loop takes fresh uniforms from key.foldIn(iteration), so a draw
// depends only on its key.

/// A Poisson(rate) draw: inversion by sequential search for rate < 10, else
/// Hörmann's transformed rejection with squeeze, PTRS ("The transformed
/// rejection method for generating Poisson random variables", 1993). An
/// infinite rate (a Gamma mixing draw that overflowed) gives +inf.
func poissonDraw(rate: Double, key: PRNGKey) -> Double {
    if rate == 0 || rate == .infinity { return rate }
    if rate < 10 {
        return inversionDraw(key: key, firstMass: Double.exp(-rate), last: .infinity) { k in rate / (k + 1) }
    }
    let b = 0.931 + 2.53 * rate.squareRoot()
    let a = -0.059 + 0.02483 * b
    let logInverseAlpha = Double.log(1.1239 + 1.1328 / (b - 3.4))
    let squeezeBound = 0.9277 - 3.6224 / (b - 2)
    return transformedRejection(key: key, a: a, b: b, center: rate + 0.43, last: .infinity,
                                squeezeBound: squeezeBound) { k, us, v in
        !(us < 0.013 && v > us)
            && Double.log(v) + logInverseAlpha - Double.log(a / (us * us) + b) <= poissonLogMass(k, rate: rate)
    }
}

/// A Binomial(n, p) draw, with q = 1 − p given separately: n minus a draw of
/// Binomial(n, q) when p > ½; inversion when n·p < 10; else Hörmann's BTRS
/// ("The generation of binomial random variates", 1993).
func binomialDraw(n: Double, p: Double, q: Double, key: PRNGKey) -> Double {
    if p > q { return n - binomialDraw(n: n, p: q, q: p, key: key) }
    if n == 0 || p == 0 { return 0 }
    let logP = Double.log(p), logQ = Double.log(q)
    if n * p < 10 {
        let ratio = p / q
        return inversionDraw(key: key, firstMass: Double.exp(n * logQ), last: n) { k in (n - k) / (k + 1) * ratio }
    }
    let spread = (n * p * q).squareRoot()
    let b = 1.15 + 2.53 * spread
    let a = -0.0873 + 0.0248 * b + 0.01 * p
    let logAlpha = Double.log((2.83 + 5.1 / b) * spread)
    let mode = ((n + 1) * p).rounded(.down)
    let logMassAtMode = binomialLogMass(mode, n: n, p: p, q: q, logP: logP, logQ: logQ)
    return transformedRejection(key: key, a: a, b: b, center: n * p + 0.5, last: n,
                                squeezeBound: 0.92 - 4.2 / b) { k, us, v in
        Double.log(v) + logAlpha - Double.log(a / (us * us) + b)
            <= binomialLogMass(k, n: n, p: p, q: q, logP: logP, logQ: logQ) - logMassAtMode
    }
}

/// Inversion by sequential search from 0: the first k ≤ `last` at which the
/// cumulative mass reaches a uniform draw, where the mass of 0 is `firstMass`
/// and mass(k + 1) = mass(k) · ratio(k).
private func inversionDraw(key: PRNGKey, firstMass: Double, last: Double, _ ratio: (Double) -> Double) -> Double {
    let u = key.uniform(1)[0]
    var k = 0.0, mass = firstMass, cumulative = firstMass
    while u > cumulative && mass > 0 && k < last {
        mass *= ratio(k)
        k += 1
        cumulative += mass
    }
    return k
}

/// The transformed rejection loop shared by PTRS and BTRS: with U uniform on
/// (−½, ½), V uniform on (0, 1) and us = ½ − |U|, the candidate is
/// ⌊(2a/us + b) U + center⌋, rejected outside 0…`last`; it is accepted at once
/// when us ≥ 0.07 and V ≤ `squeezeBound`, else when `accept(candidate, us, V)`.
private func transformedRejection(key: PRNGKey, a: Double, b: Double, center: Double, last: Double,
                                  squeezeBound: Double, accept: (Double, Double, Double) -> Bool) -> Double {
    var iteration: UInt32 = 0
    while true {
        let uv = key.foldIn(iteration).uniform(2)
        iteration &+= 1
        let u = uv[0] - 0.5, v = uv[1], us = 0.5 - abs(u)
        let k = ((2 * a / us + b) * u + center).rounded(.down)
        if k < 0 || k > last { continue }
        if us >= 0.07 && v <= squeezeBound { return k }
        if accept(k, us, v) { return k }
    }
}
