import SwiftVI

/// The ways a case's model can be written, the one the report times first:
/// "glm" is the built-in `GeneralizedLinearModel` (fused kernels), "program"
/// the same model as a `ProgramModel` (the generic tape path).
let apis = ["glm", "program"]

/// The case's model as written through `api`.
func makeModel(_ benchCase: BenchCase, _ data: Dataset, api: String) throws -> any LogDensityModel {
    switch api {
    case "program": return try programModel(benchCase, data)
    case "glm": return try glmModel(benchCase, data)
    default: throw BenchError("no API \(api)")
    }
}

/// The case's model as the built-in GLM: the same priors and likelihood as `programModel`.
func glmModel(_ benchCase: BenchCase, _ data: Dataset) throws -> GeneralizedLinearModel {
    switch benchCase.family {
    case "linear":
        return try GeneralizedLinearModel(features: data.features, columns: data.columns, responses: data.responses,
                                          likelihood: .normal(noiseScalePrior: 10), weightPrior: .init(loc: 0, scale: 10),
                                          biasPrior: .init(loc: 0, scale: 10))
    default:
        return try GeneralizedLinearModel(features: data.features, columns: data.columns, responses: data.responses,
                                          likelihood: .bernoulliLogit, weightPrior: .init(loc: 0, scale: 1),
                                          biasPrior: .init(loc: 0, scale: 1), subsampleSize: benchCase.subsample)
    }
}

/// The case's guide.
func makeGuide(_ kind: GuideKind, _ model: any LogDensityModel) throws -> any Guide {
    switch kind {
    case .autoNormal: return try AutoNormal(model: model)
    case .autoMultivariateNormal: return try AutoMultivariateNormal(model: model)
    }
}
