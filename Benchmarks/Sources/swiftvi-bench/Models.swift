import SwiftVI

/// The ways a case's model can be written, fastest first.
let apis = ["program"]

/// The case's model as written through `api`.
func makeModel(_ benchCase: BenchCase, _ data: Dataset, api: String) throws -> any LogDensityModel {
    switch api {
    case "program": return try programModel(benchCase, data)
    default: throw BenchError("no API \(api)")
    }
}

/// The case's guide.
func makeGuide(_ kind: GuideKind, _ model: any LogDensityModel) throws -> any Guide {
    switch kind {
    case .autoNormal: return try AutoNormal(model: model)
    case .autoMultivariateNormal: throw BenchError("AutoMultivariateNormal is not on this branch yet")
    }
}
