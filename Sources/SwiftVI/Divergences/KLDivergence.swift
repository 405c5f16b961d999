/// Analytic Kullback–Leibler divergences KL(p ‖ q), registered by family pair.
public enum KLRegistry {
    /// Computes KL(p ‖ q) for one pair of families.
    public typealias Rule = @Sendable (any Distribution, any Distribution) throws -> Tensor

    private struct Pair: Hashable {
        let p: ObjectIdentifier, q: ObjectIdentifier
    }

    private static let rules: [Pair: Rule] = [
        Pair(p: ObjectIdentifier(Normal.self), q: ObjectIdentifier(Normal.self)): { p, q in
            normalNormal(p as! Normal, q as! Normal)
        },
    ]

    /// The rule for the families of `p` and `q`, if one is registered.
    static func rule(_ p: any Distribution, _ q: any Distribution) -> Rule? {
        rules[Pair(p: ObjectIdentifier(type(of: p)), q: ObjectIdentifier(type(of: q)))]
    }

    private static func normalNormal(_ p: Normal, _ q: Normal) -> Tensor {
        let ratio = p.scale / q.scale
        let shift = (p.loc - q.loc) / q.scale
        return 0.5 * (ratio.squared() + shift.squared() - 1) - ratio.log()
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
    guard p.eventShape == q.eventShape, broadcastShapes(p.batchShape, q.batchShape) != nil else {
        throw SVIError.shapeMismatch(
            "KL(\(p.familyName) ‖ \(q.familyName)): batch shapes \(p.batchShape) and \(q.batchShape) or event shapes \(p.eventShape) and \(q.eventShape) do not agree")
    }
    return try rule(p, q)
}
