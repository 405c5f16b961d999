import SwiftVI

/// The univariate continuous families with elementary densities, which svi_dist_new makes by name.
let elementaryFamilies: [String: FamilyMaker] = [
    "LogNormal": { p in try LogNormal(loc: p.take("loc"), scale: p.take("scale")) },
    "HalfNormal": { p in try HalfNormal(scale: p.take("scale")) },
    "HalfCauchy": { p in try HalfCauchy(scale: p.take("scale")) },
    "Cauchy": { p in try Cauchy(loc: p.take("loc"), scale: p.take("scale")) },
    "Laplace": { p in try Laplace(loc: p.take("loc"), scale: p.take("scale")) },
    "Logistic": { p in try Logistic(loc: p.take("loc"), scale: p.take("scale")) },
    "Gumbel": { p in try Gumbel(loc: p.take("loc"), scale: p.take("scale")) },
    "Uniform": { p in try Uniform(low: p.take("low"), high: p.take("high")) },
    "Weibull": { p in try Weibull(scale: p.take("scale"), concentration: p.take("concentration")) },
    "Pareto": { p in try Pareto(scale: p.take("scale"), alpha: p.take("alpha")) },
    // low and high are optional: a missing bound leaves that side untruncated.
    "TruncatedNormal": { p in
        try TruncatedNormal(loc: p.take("loc"), scale: p.take("scale"),
                            low: (try? p.take("low")) ?? Tensor(-.infinity), high: (try? p.take("high")) ?? Tensor(.infinity))
    },
]
