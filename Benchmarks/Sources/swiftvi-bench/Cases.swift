import SwiftVI

/// Which automatic guide a case fits.
enum GuideKind: String {
    case autoNormal = "AutoNormal"
    case autoMultivariateNormal = "AutoMultivariateNormal"
}

/// One benchmark problem, with the settings the NumPyro script uses too.
struct BenchCase {
    let name: String
    let dataFile: String
    /// "linear" (seed 002's model) or "logistic".
    let family: String
    let guide: GuideKind
    let particles: Int
    /// The plate's subsample size, nil for the whole data.
    let subsample: Int?
    let steps: Int
    let learningRate: Double
    let repeats: Int

    static let all: [BenchCase] = [
        BenchCase(name: "linreg_autonormal", dataFile: "linreg_10.bin", family: "linear", guide: .autoNormal,
                  particles: 1, subsample: nil, steps: 20_000, learningRate: 0.01, repeats: 3),
        BenchCase(name: "linreg_automvn", dataFile: "linreg_10.bin", family: "linear", guide: .autoMultivariateNormal,
                  particles: 1, subsample: nil, steps: 20_000, learningRate: 0.01, repeats: 3),
        BenchCase(name: "logreg_1k_autonormal", dataFile: "logreg_1000x10.bin", family: "logistic", guide: .autoNormal,
                  particles: 1, subsample: nil, steps: 5_000, learningRate: 0.01, repeats: 3),
        BenchCase(name: "logreg_100k_autonormal", dataFile: "logreg_100000x50.bin", family: "logistic",
                  guide: .autoNormal, particles: 1, subsample: nil, steps: 200, learningRate: 0.01, repeats: 3),
        BenchCase(name: "logreg_100k_8particles", dataFile: "logreg_100000x50.bin", family: "logistic",
                  guide: .autoNormal, particles: 8, subsample: nil, steps: 50, learningRate: 0.01, repeats: 3),
        BenchCase(name: "logreg_100k_minibatch1000", dataFile: "logreg_100000x50.bin", family: "logistic",
                  guide: .autoNormal, particles: 1, subsample: 1000, steps: 5_000, learningRate: 0.01, repeats: 3),
    ]

    /// The settings as the JSON the NumPyro script reads.
    var settingsJSON: String {
        """
        {"name": "\(name)", "data": "\(dataFile)", "family": "\(family)", "guide": "\(guide.rawValue)", \
        "particles": \(particles), "subsample": \(subsample.map(String.init) ?? "null"), "steps": \(steps), \
        "learning_rate": \(learningRate), "repeats": \(repeats)}
        """
    }
}

/// The model of a case written as a user writes it: a program with `sample`
/// and a (possibly subsampled) `plate`, as in NumPyro.
func programModel(_ benchCase: BenchCase, _ data: Dataset) throws -> ProgramModel {
    let n = data.rows, d = data.columns
    let x = Tensor(shape: [n, d], scalars: data.features), y = Tensor(data.responses)
    switch benchCase.family {
    case "linear":
        let xs = Tensor(data.features)
        return try ProgramModel { ctx in
            let w = try ctx.sample("w", Normal(loc: 0, scale: 10))
            let b = try ctx.sample("b", Normal(loc: 0, scale: 10))
            let s = try ctx.sample("sigma", HalfCauchy(scale: 10))
            try ctx.plate("data", size: n) { _ in
                _ = try ctx.sample("y", Normal(loc: w * xs + b, scale: s), obs: y)
            }
        }
    default:
        let subsample = benchCase.subsample
        return try ProgramModel { ctx in
            // A batch of D weights (Independent(Normal) is not accepted as a latent block on main yet).
            let w = try ctx.sample("w", Normal(loc: Tensor(shape: [d], scalars: .init(repeating: 0, count: d)), scale: 1))
            let b = try ctx.sample("b", Normal(loc: 0, scale: 1))
            try ctx.plate("data", size: n, subsampleSize: subsample) { plate in
                let rows = try plate.subsample(x, eventDim: 1), obs = try plate.subsample(y)
                let logits = matmul(rows, w.reshaped([d, 1])).reshaped([rows.shape[0]]) + b
                _ = try ctx.sample("y", Bernoulli(logits: logits), obs: obs)
            }
        }
    }
}
