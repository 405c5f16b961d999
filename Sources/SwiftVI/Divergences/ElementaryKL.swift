/// KL rules between the elementary families (univariate closed forms, discrete families, Delta, Independent).
let elementaryKLRules: [(KLRegistry.Pair, KLRegistry.Rule)] = []
