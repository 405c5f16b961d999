/// f′(x) for x > 0 by central differences with one Richardson extrapolation:
/// (4 D(h/2) − D(h))/3 with D(h) = (f(x + h) − f(x − h))/(2h) and h = min(x, √x)/1000
/// (distribution functions vary in a large shape parameter x on the scale √x), so the
/// truncation error is O(h⁴) and the rounding error about 1e-13 · |f|/h.
/// Used for parameter derivatives that have no closed form (those of the
/// incomplete beta function in its parameters); relative accuracy about 1e-10
/// for smooth f.
func richardsonDerivative(at x: Double, _ f: (Double) -> Double) -> Double {
    let h = min(x, x.squareRoot()) / 1000
    func central(_ step: Double) -> Double { (f(x + step) - f(x - step)) / (2 * step) }
    return (4 * central(h / 2) - central(h)) / 3
}
