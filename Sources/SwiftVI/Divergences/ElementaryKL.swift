/// KL rules between the elementary families (univariate continuous closed forms).
let elementaryKLRules: [(KLRegistry.Pair, KLRegistry.Rule)] = []
