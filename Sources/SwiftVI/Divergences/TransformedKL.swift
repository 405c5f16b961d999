/// KL rules between transformed distributions.
let transformedKLRules: [(KLRegistry.Pair, KLRegistry.Rule)] = []
