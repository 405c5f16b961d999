import SwiftVI

/// Which KL a Normal is fitted by.
enum KLDirection {
    /// KL(q ‖ p): mode-seeking.
    case reverse
    /// KL(p ‖ q): mass-covering.
    case forward
}

/// The Normal(loc, scale) minimizing the chosen KL to `p`, computed deterministically:
/// a grid search over (loc, scale) followed by Adam on the quadrature KL over
/// (loc, log scale), integrating over [low, high].
func fitNormalByQuadrature(to p: any Distribution, direction: KLDirection, low: Double, high: Double,
                           locs: [Double], scales: [Double]) throws -> (loc: Double, scale: Double, kl: Double) {
    func kl(_ q: any Distribution) throws -> Tensor {
        switch direction {
        case .reverse: try klQuadrature(q, p, low: low, high: high, numPoints: 1024)
        case .forward: try klQuadrature(p, q, low: low, high: high, numPoints: 1024)
        }
    }
    var best = (loc: locs[0], scale: scales[0], kl: Double.infinity)
    for loc in locs {
        for scale in scales {
            let value = try kl(Normal(loc: Tensor(loc), scale: Tensor(scale))).scalars[0]
            if value < best.kl { best = (loc, scale, value) }
        }
    }
    var theta = [best.loc, Double.log(best.scale)]
    var state = OptimizerState(slots: [[0, 0], [0, 0]])
    let adam = try Adam(learningRate: 0.01)
    var value = best.kl
    for _ in 0..<3000 {
        let step = try valueWithGradient(at: Tensor(theta)) { t in
            try kl(Normal(loc: t.gathering([0], shape: []), scale: t.gathering([1], shape: []).exp()))
        }
        value = step.value
        adam.update(&theta, gradient: step.gradient.scalars, state: &state)
    }
    return (theta[0], Double.exp(theta[1]), value)
}

/// `count` evenly spaced points from `low` to `high`.
func grid(_ low: Double, _ high: Double, _ count: Int) -> [Double] {
    (0..<count).map { low + (high - low) * Double($0) / Double(count - 1) }
}
