/// KL rules between Gamma, Beta, Dirichlet and the families built on them.
let gammaKLRules: [(KLRegistry.Pair, KLRegistry.Rule)] = []
