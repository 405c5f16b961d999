/// Four-lane versions of the transcendental functions that the Bernoulli
/// likelihood kernel needs, written with SIMD arithmetic only (no calls into
/// libm), accurate to a few units in the last place.

/// eˣ for x ≤ 0 (below −708 the result is taken as 0, its true value being
/// under 10⁻³⁰⁷): x = k ln 2 + r with |r| ≤ ½ ln 2, eʳ by its Taylor series to
/// degree 13 (coefficients 1/n!, truncation below 2⁻⁵⁶), then scaled by 2ᵏ
/// through the exponent bits.
@inline(__always)
func expNonPositive(_ x: SIMD4<Double>) -> SIMD4<Double> {
    let clamped = x.replacing(with: -708, where: x .< -708)
    // Adding 1.5·2⁵² rounds x/ln 2 to the nearest integer k and leaves k in
    // the low bits of the sum, from which 2ᵏ's exponent bits are made.
    let shifted = clamped * 1.4426950408889634 + 0x1.8p52
    let k = shifted - 0x1.8p52
    let r = (clamped - k * 0.6931471803691238) - k * 1.9082149292705877e-10
    var p = SIMD4<Double>(repeating: 1.6059043836821613e-10)
    p = p * r + 2.08767569878681e-09
    p = p * r + 2.505210838544172e-08
    p = p * r + 2.755731922398589e-07
    p = p * r + 2.7557319223985893e-06
    p = p * r + 2.48015873015873e-05
    p = p * r + 0.0001984126984126984
    p = p * r + 0.001388888888888889
    p = p * r + 0.008333333333333333
    p = p * r + 0.041666666666666664
    p = p * r + 0.16666666666666666
    p = p * r + 0.5
    p = p * r + 1.0
    p = p * r + 1.0
    let kBits = unsafeBitCast(shifted, to: SIMD4<Int64>.self) &- unsafeBitCast(SIMD4<Double>(repeating: 0x1.8p52), to: SIMD4<Int64>.self)
    let scale = unsafeBitCast((kBits &+ 1023) &<< 52, to: SIMD4<Double>.self)
    return (p * scale).replacing(with: 0, where: x .< -708)
}

/// log(1 + t) for t in [0, 1]: 2 atanh(s) with s = t/(2 + t) ≤ ⅓, by the
/// series 2s Σ s²ⁿ/(2n + 1) to n = 16 (coefficients 1/(2n + 1)) (truncation below 2⁻⁵⁷).
@inline(__always)
func logOnePlusUnit(_ t: SIMD4<Double>) -> SIMD4<Double> {
    let s = t / (2 + t), w = s * s
    var p = SIMD4<Double>(repeating: 0.030303030303030304)
    p = p * w + 0.03225806451612903
    p = p * w + 0.034482758620689655
    p = p * w + 0.037037037037037035
    p = p * w + 0.04
    p = p * w + 0.043478260869565216
    p = p * w + 0.047619047619047616
    p = p * w + 0.05263157894736842
    p = p * w + 0.058823529411764705
    p = p * w + 0.06666666666666667
    p = p * w + 0.07692307692307693
    p = p * w + 0.09090909090909091
    p = p * w + 0.1111111111111111
    p = p * w + 0.14285714285714285
    p = p * w + 0.2
    p = p * w + 0.3333333333333333
    p = p * w + 1.0
    return 2 * s * p
}

/// For logits η and responses y in {0, 1}: log Bernoulli(y | logits η) =
/// y η − softplus(η), and its derivative y − sigmoid(η), four lanes at a time.
@inline(__always)
func bernoulliLogitTerms(logits eta: SIMD4<Double>, responses y: SIMD4<Double>)
    -> (logProb: SIMD4<Double>, derivative: SIMD4<Double>) {
    let t = expNonPositive(eta.replacing(with: -eta, where: eta .> 0))  // e^{−|η|}
    let softplus = eta.replacing(with: 0, where: eta .< 0) + logOnePlusUnit(t)
    let inverse = 1 / (1 + t)
    let sigmoid = inverse.replacing(with: t * inverse, where: eta .< 0)
    return (y * eta - softplus, y - sigmoid)
}
