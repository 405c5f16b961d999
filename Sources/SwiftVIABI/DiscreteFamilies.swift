/// The discrete families, Delta and Independent, which svi_dist_new makes by name.
let discreteFamilies: [String: FamilyMaker] = [:]
