/// The gamma families svi_dist_new makes, by name.
let gammaFamilies: [String: FamilyMaker] = [:]
