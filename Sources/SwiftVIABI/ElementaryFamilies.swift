/// The univariate continuous families with elementary densities, which svi_dist_new makes by name.
let elementaryFamilies: [String: FamilyMaker] = [:]
