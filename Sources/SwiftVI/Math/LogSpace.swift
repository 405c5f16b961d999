import RealModule

/// log(1 + exp(x)) without overflow or loss of precision.
public func softplus(_ x: Double) -> Double {
    x > 0 ? x + Double.log(onePlus: Double.exp(-x)) : Double.log(onePlus: Double.exp(x))
}

/// The logistic function 1 / (1 + exp(-x)), the derivative of `softplus`.
public func sigmoid(_ x: Double) -> Double {
    x >= 0 ? 1 / (1 + Double.exp(-x)) : Double.exp(x) / (1 + Double.exp(x))
}

/// The inverse of `softplus` on (0, ∞): log(exp(y) - 1).
public func inverseSoftplus(_ y: Double) -> Double {
    y > 30 ? y + Double.log(onePlus: -Double.exp(-y)) : Double.log(Double.expMinusOne(y))
}

/// log(Σ exp(xᵢ)), exact for any finite or -inf inputs; -inf for an empty list.
public func logSumExp<C: Collection>(_ xs: C) -> Double where C.Element == Double {
    guard let m = xs.max(), m.isFinite else { return xs.max() ?? -.infinity }
    return m + Double.log(xs.reduce(0) { $0 + Double.exp($1 - m) })
}

/// log(1 - exp(x)) for x ≤ 0, accurate near 0 and for large negative x.
public func log1mexp(_ x: Double) -> Double {
    x > -0.6931471805599453 ? Double.log(-Double.expMinusOne(x)) : Double.log(onePlus: -Double.exp(x))
}

/// log(1 + t) − t for t > −1, accurate near 0 where the two terms cancel.
///
/// Method: for |t| ≤ ½, with u = t/(2 + t) (so log(1 + t) = 2 artanh u),
/// log(1 + t) − t = −u·t + 2 Σₖ u²ᵏ⁺¹/(2k + 1), |u| ≤ ⅓, summed to convergence;
/// otherwise the direct formula. Relative error below about 1e-15.
public func log1pmx(_ t: Double) -> Double {
    guard abs(t) <= 0.5 else { return Double.log(onePlus: t) - t }
    let u = t / (2 + t), u2 = u * u
    var power = u * u2, sum = 0.0, k = 3.0
    while true {
        let term = power / k
        sum += term
        if abs(term) <= 1e-17 * abs(sum) { break }
        power *= u2
        k += 2
    }
    return 2 * sum - u * t
}

/// The limit of log(xᵉ) as x → 0⁺: 0 for e = 0, +inf for e < 0, −inf for e > 0.
/// Densities with a factor xᵉ use it at the boundary of their support.
public func logPowerLimitAtZero(_ exponent: Double) -> Double {
    exponent == 0 ? 0 : (exponent < 0 ? .infinity : -.infinity)
}
