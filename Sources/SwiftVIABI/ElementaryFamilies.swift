/// The elementary families svi_dist_new makes, by name.
let elementaryFamilies: [String: FamilyMaker] = [:]
