/// KL rules between the discrete families, Delta and Independent.
let discreteKLRules: [(KLRegistry.Pair, KLRegistry.Rule)] = []
