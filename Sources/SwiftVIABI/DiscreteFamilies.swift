import CSwiftVI
import SwiftVI

/// The discrete families and Delta, which svi_dist_new makes by name
/// (Independent wraps a handle: svi_independent_new).
let discreteFamilies: [String: FamilyMaker] = [
    "Bernoulli": { p in try p.probsOrLogits(Bernoulli.init(probs:), Bernoulli.init(logits:)) },
    "Binomial": { p in
        let n = try p.take("total_count")
        return try p.probsOrLogits({ try Binomial(totalCount: n, probs: $0) }, { try Binomial(totalCount: n, logits: $0) })
    },
    "Poisson": { p in try Poisson(rate: p.take("rate")) },
    "Geometric": { p in try p.probsOrLogits(Geometric.init(probs:), Geometric.init(logits:)) },
    "NegativeBinomial": { p in
        let r = try p.take("total_count")
        return try p.probsOrLogits({ try NegativeBinomial(totalCount: r, probs: $0) },
                                   { try NegativeBinomial(totalCount: r, logits: $0) })
    },
    "Delta": { p in
        let v = try p.take("v")
        let logDensity = p.takeIfPresent("log_density") ?? Tensor(0)
        return try Delta(v: v, logDensity: logDensity, eventDim: p.takeIfPresent("event_dim").map(eventDim) ?? 0)
    },
]

extension NamedParameters {
    /// The distribution made by `byProbs` or `byLogits`, whichever of "probs" and "logits" was given.
    mutating func probsOrLogits(_ byProbs: (Tensor) throws -> any Distribution,
                                _ byLogits: (Tensor) throws -> any Distribution) throws -> any Distribution {
        let (name, value) = try takeOne(of: ["probs", "logits"])
        return try name == "probs" ? byProbs(value) : byLogits(value)
    }
}

/// Delta's event_dim, passed as a 0-d array holding a small non-negative integer.
private func eventDim(_ t: Tensor) throws -> Int {
    guard t.rank == 0, let d = t.scalars.first, d >= 0, d <= Double(SVI_MAX_NDIM), d.rounded() == d else {
        throw ABIFailure.invalid("Delta: event_dim must be a 0-d array holding an integer in 0…\(SVI_MAX_NDIM); got shape \(t.shape) \(t.scalars.prefix(4))")
    }
    return Int(d)
}
