import SwiftVI

/// The gamma families svi_dist_new makes, by name, with NumPyro's parameter names.
let gammaFamilies: [String: FamilyMaker] = [
    "Gamma": { p in try Gamma(concentration: p.take("concentration"), rate: p.take("rate")) },
    "Exponential": { p in try Exponential(rate: p.take("rate")) },
    "Chi2": { p in try Chi2(df: p.take("df")) },
    "InverseGamma": { p in try InverseGamma(concentration: p.take("concentration"), rate: p.take("rate")) },
    "StudentT": { p in try StudentT(df: p.take("df"), loc: p.take("loc"), scale: p.take("scale")) },
    "Beta": { p in try Beta(concentration1: p.take("concentration1"), concentration0: p.take("concentration0")) },
    "Dirichlet": { p in try Dirichlet(concentration: p.take("concentration")) },
]
