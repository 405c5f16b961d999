import SwiftVI

/// The multivariate families svi_dist_new makes, by name.
let multivariateFamilies: [String: FamilyMaker] = [
    "MultivariateNormal": { p in
        let loc = try p.take("loc")
        let (name, matrix) = try p.takeOne(of: ["covariance_matrix", "precision_matrix", "scale_tril"])
        switch name {
        case "covariance_matrix": return try MultivariateNormal(loc: loc, covarianceMatrix: matrix)
        case "precision_matrix": return try MultivariateNormal(loc: loc, precisionMatrix: matrix)
        default: return try MultivariateNormal(loc: loc, scaleTril: matrix)
        }
    },
    "LowRankMultivariateNormal": { p in
        try LowRankMultivariateNormal(loc: p.take("loc"), covFactor: p.take("cov_factor"), covDiag: p.take("cov_diag"))
    },
]
