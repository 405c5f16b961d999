/// KL rules between Normal distributions.
let normalKLRules = [
    KLRegistry.pair(Normal.self, Normal.self) { p, q in
        let ratio = p.scale / q.scale
        let shift = (p.loc - q.loc) / q.scale
        return 0.5 * (ratio.squared() + shift.squared() - 1) - ratio.log()
    },
]
