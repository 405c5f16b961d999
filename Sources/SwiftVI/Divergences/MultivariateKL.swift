/// KL rules between the multivariate normal families.
let multivariateKLRules: [(KLRegistry.Pair, KLRegistry.Rule)] = []
