/// Analytic Kullback–Leibler divergences KL(p ‖ q), registered by family pair.
///
/// Rules live beside the families they concern (one `…KL.swift` file per group)
/// and are collected in `KLRegistry.rules`.
public enum KLRegistry {
    /// Computes KL(p ‖ q) for one pair of families.
    public typealias Rule = @Sendable (any Distribution, any Distribution) throws -> Tensor

    struct Pair: Hashable {
        let p: ObjectIdentifier, q: ObjectIdentifier
    }

    /// A rule for distributions of types `P` and `Q`.
    static func pair<P: Distribution, Q: Distribution>(
        _: P.Type, _: Q.Type, _ rule: @escaping @Sendable (P, Q) throws -> Tensor
    ) -> (Pair, Rule) {
        (Pair(p: ObjectIdentifier(P.self), q: ObjectIdentifier(Q.self)), { p, q in try rule(p as! P, q as! Q) })
    }

    /// Stands for every family as the second member of a pair.
    private enum AnyFamily {}

    /// A rule for a distribution of type `P` against any q without a rule of its own.
    static func pair<P: Distribution>(
        _: P.Type, anyFamily rule: @escaping @Sendable (P, any Distribution) throws -> Tensor
    ) -> (Pair, Rule) {
        (Pair(p: ObjectIdentifier(P.self), q: ObjectIdentifier(AnyFamily.self)), { p, q in try rule(p as! P, q) })
    }

    private static let rules: [Pair: Rule] = Dictionary(
        uniqueKeysWithValues: normalKLRules + elementaryKLRules + discreteKLRules + gammaKLRules + multivariateKLRules + transformedKLRules)

    /// The rule for the families of `p` and `q`, if one is registered, else p's rule against any family.
    static func rule(_ p: any Distribution, _ q: any Distribution) -> Rule? {
        let family = ObjectIdentifier(type(of: p))
        return rules[Pair(p: family, q: ObjectIdentifier(type(of: q)))]
            ?? rules[Pair(p: family, q: ObjectIdentifier(AnyFamily.self))]
    }
}

/// KL(p ‖ q) in closed form, of the broadcast batch shape. Throws
/// `SVIError.notImplemented`, naming both families, when no closed form is
/// registered for the pair: estimate it with `klMonteCarlo` or `klQuadrature`.
public func klDivergence(_ p: any Distribution, _ q: any Distribution) throws -> Tensor {
    guard let rule = KLRegistry.rule(p, q) else {
        throw SVIError.notImplemented(
            "no analytic KL(\(p.familyName) ‖ \(q.familyName)) is registered; estimate it with klMonteCarlo or klQuadrature")
    }
    guard p.eventShape == q.eventShape, let batch = broadcastShapes(p.batchShape, q.batchShape) else {
        throw SVIError.shapeMismatch(
            "KL(\(p.familyName) ‖ \(q.familyName)): batch shapes \(p.batchShape) and \(q.batchShape) or event shapes \(p.eventShape) and \(q.eventShape) do not agree")
    }
    // A rule may answer in a shape that broadcasts to the batch shape (a
    // transformed distribution's KL is its bases', whose batch may be smaller).
    let kl = try rule(p, q)
    guard kl.shape != batch else { return kl }
    guard broadcastShapes(kl.shape, batch) == batch else {
        throw SVIError.shapeMismatch("KL(\(p.familyName) ‖ \(q.familyName)) has shape \(kl.shape); expected \(batch)")
    }
    return kl + Tensor(shape: batch, scalars: [Double](repeating: 0, count: batch.reduce(1, *)))
}
