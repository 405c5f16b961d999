/// KL rules between transformed distributions: the same bijection applied to
/// both sides leaves KL unchanged, so KL(f₊p ‖ f₊q) = KL(p ‖ q) of the bases
/// (summed over base batch dimensions read as event dimensions). Transforms
/// are the same when they are of the same kinds with equal parameters
/// (`Transform.isEqual(to:)`); otherwise no closed form is claimed.
let transformedKLRules = [
    KLRegistry.pair(TransformedDistribution.self, TransformedDistribution.self) { p, q in
        guard p.transforms.count == q.transforms.count,
              zip(p.transforms, q.transforms).allSatisfy({ $0.isEqual(to: $1) }) else {
            throw SVIError.notImplemented(
                "KL(TransformedDistribution ‖ TransformedDistribution) is known only when both use the same transforms; estimate it with klMonteCarlo")
        }
        guard p.base.eventShape == q.base.eventShape else {
            throw SVIError.shapeMismatch(
                "KL(TransformedDistribution ‖ TransformedDistribution): base event shapes \(p.base.eventShape) and \(q.base.eventShape) differ")
        }
        return try klDivergence(p.base, q.base).summingRightmost(p.reinterpretedBaseDims)
    },
]
