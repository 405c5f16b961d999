/// The multivariate families svi_dist_new makes, by name.
let multivariateFamilies: [String: FamilyMaker] = [:]
