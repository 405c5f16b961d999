import SwiftVI

/// Seed 004: the analytic KL between a full-covariance and a diagonal bivariate
/// Normal, beside the closed form written out; then diagonal Normals fitted to
/// the full-covariance one by reverse KL (variances 1 / diag(Σ⁻¹)) and by forward
/// KL (variances diag(Σ)), each by Adam on the analytic KL.
func seed004() throws {
    let scaleTril = try FillScaleTriL().forward(Tensor([-0.5, 1.25, 1.0]))
    let l = scaleTril.scalars  // row-major [[a, 0], [b, c]]
    let p = try MultivariateNormal(loc: Tensor([0.0, 0.0]), scaleTril: scaleTril)
    let standard = try MultivariateNormal(loc: Tensor([0.0, 0.0]), scaleTril: Tensor(shape: [2, 2], scalars: [1, 0, 0, 1]))
    let analytic = try klDivergence(standard, p).scalars[0]
    // Σp = L Lᵀ; KL(N(0, I) ‖ N(0, Σp)) = ½ [tr Σp⁻¹ − 2 + log det Σp].
    let (a, b, c) = (l[0], l[2], l[3])
    let s11 = a * a, s12 = a * b, s22 = b * b + c * c, det = s11 * s22 - s12 * s12
    let closedForm = 0.5 * ((s11 + s22) / det - 2 + Double.log(det))
    print("Seed 004: p = MultivariateNormal(0, scale_tril = FillScaleTriL([−0.5, 1.25, 1.0])), q = N(0, I)")
    print("  scale_tril = [[\(a), 0], [\(b), \(c)]]")
    print("  KL(q ‖ p): analytic \(analytic); closed form written out \(closedForm)")
    let reverse = try fitDiagonalNormal(to: p, reverse: true)
    let forward = try fitDiagonalNormal(to: p, reverse: false)
    let precisionDiagonal = [s22 / det, s11 / det]
    print("  reverse-KL fit, argmin KL(q ‖ p): variances \(reverse); 1 / diag(Σ⁻¹) = \(precisionDiagonal.map { 1 / $0 })")
    print("  forward-KL fit, argmin KL(p ‖ q): variances \(forward); diag(Σ) = \([s11, s22])")
}

/// The variances of the diagonal Normal q minimizing KL(q ‖ p) (or KL(p ‖ q)),
/// by Adam on the analytic KL over (loc, log scale).
private func fitDiagonalNormal(to p: MultivariateNormal, reverse: Bool) throws -> [Double] {
    var theta = [0.3, -0.2, 0.0, 0.0]
    var state = OptimizerState(slots: [[Double](repeating: 0, count: 4), [Double](repeating: 0, count: 4)])
    let adam = try Adam(learningRate: 0.02)
    for _ in 0..<4000 {
        let step = try valueWithGradient(at: Tensor(theta)) { t in
            let loc = t.gathering([0, 1], shape: [2])
            let scale = t.gathering([2, 3], shape: [2]).exp()
            let q = try MultivariateNormal(loc: loc, scaleTril: scale.diagonalMatrix())
            return try reverse ? klDivergence(q, p) : klDivergence(p, q)
        }
        adam.update(&theta, gradient: step.gradient.scalars, state: &state)
    }
    return [Double.exp(2 * theta[2]), Double.exp(2 * theta[3])]
}
