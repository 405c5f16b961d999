/// KL rules between the multivariate normal families, all through the
/// closed form for Gaussians (`multivariateGaussianKL`), whichever way each
/// side's covariance is factored.
let multivariateKLRules = [
    KLRegistry.pair(MultivariateNormal.self, MultivariateNormal.self) { multivariateGaussianKL($0, $1) },
    KLRegistry.pair(LowRankMultivariateNormal.self, MultivariateNormal.self) { multivariateGaussianKL($0, $1) },
    KLRegistry.pair(MultivariateNormal.self, LowRankMultivariateNormal.self) { multivariateGaussianKL($0, $1) },
    KLRegistry.pair(LowRankMultivariateNormal.self, LowRankMultivariateNormal.self) { multivariateGaussianKL($0, $1) },
]
