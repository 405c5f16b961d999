import RealModule
@testable import SwiftVI

/// The seed-003 coin: flips 0, 1, 1, 0, 0 with a Uniform(0, 1) prior on the
/// probability of heads p, so the evidence is B(3, 4) = 1/60. Written out here
/// independently of the library.
enum Coin {
    static let heads = 2.0, tails = 3.0
    /// log B(3, 4) = log(2! 3! / 6!).
    static let logEvidence = Double.log(1.0 / 60)

    /// log p(flips | p) + log Uniform(p; 0, 1) and its derivative in p.
    static func logJoint(_ p: Double) -> (value: Double, derivative: Double) {
        guard p > 0, p < 1 else { return (-.infinity, 0) }
        return (heads * Double.log(p) + tails * Double.log(1 - p), heads / p - tails / (1 - p))
    }

    /// The model over p ∈ (0, 1), with the gradient or without it.
    static func model(withGradient: Bool = true) throws -> CallbackModel {
        let blocks = [LatentBlock(name: "p", size: 1, constraint: .unitInterval)]
        if withGradient {
            return try CallbackModel(latents: blocks) { points, _ in
                let evaluated = points.map(logJoint)
                return (evaluated.map(\.value), evaluated.map(\.derivative))
            }
        }
        return try CallbackModel(latents: blocks) { points, _ in points.map { logJoint($0).value } }
    }

    /// The model as a program: p ~ Uniform(0, 1), each flip ~ Bernoulli(p).
    static var program: Program<Void> {
        { ctx in
            let p = try ctx.sample("p", Uniform(low: 0, high: 1))
            try ctx.plate("flips", size: 5) { _ in
                try ctx.sample("flip", Bernoulli(probs: p), obs: Tensor([0, 1, 1, 0, 0]))
            }
        }
    }

    /// The ELBO of q = Normal(loc, scale) on u = logit p, by the trapezoidal rule:
    /// E_q[log p(σ(u)) + log σ'(u)] + entropy of q.
    static func elbo(loc: Double, scale: Double) -> Double {
        let step = 0.002
        let expected = stride(from: -12.0, through: 12.0, by: step).reduce(0.0) { total, t in
            let u = loc + scale * t
            let logSigmoid = -softplusForTest(-u), logOneMinus = -softplusForTest(u)
            let integrand = heads * logSigmoid + tails * logOneMinus + logSigmoid + logOneMinus
            return total + step * normalDensity(t, 0, 1) * integrand
        }
        return expected + Double.log(scale) + 0.5 * Double.log(2 * Double.pi * Double.exp(1))
    }

    /// The (loc, scale) maximizing the ELBO, by Nelder–Mead over (loc, log scale).
    static let optimum: (loc: Double, scale: Double) = {
        let best = nelderMead([0, 0]) { -elbo(loc: $0[0], scale: Double.exp($0[1])) }
        return (best[0], Double.exp(best[1]))
    }()
}

/// log(1 + eˣ) without overflow, written out for the tests.
func softplusForTest(_ x: Double) -> Double {
    x > 0 ? x + Double.log(onePlus: Double.exp(-x)) : Double.log(onePlus: Double.exp(x))
}
