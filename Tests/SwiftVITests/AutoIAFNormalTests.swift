import RealModule
import Testing
@testable import SwiftVI

/// The determinant of a 3 × 3 row-major matrix, by cofactors.
private func determinant3(_ m: [Double]) -> Double {
    m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6])
}

/// The mean and standard error of log p − log q over `count` draws of `guide`.
private func elboEstimate(_ model: any LogDensityModel, _ guide: any Guide, _ parameters: [Double],
                          count: Int) throws -> (mean: Double, standardError: Double) {
    let (z, logq) = try guide.sample(parameters: Tensor(parameters), count: count, key: PRNGKey(seed: 99))
    let (mean, variance) = moments(zip(try model.logDensity(z).scalars, logq.scalars).map { $0 - $1 })
    return (mean, (variance / Double(count)).squareRoot())
}

@Suite struct AutoIAFNormalTests {
    private func threeCoordinateModel() throws -> CallbackModel {
        try CallbackModel(latents: [LatentBlock(name: "a", size: 1), LatentBlock(name: "b", size: 2)]) { _, _ in ([], []) }
    }

    @Test(arguments: [AutoIAFNormal.Nonlinearity.elu, .relu])
    func theFlowLogDeterminantMatchesANumericalJacobian(nonlinearity: AutoIAFNormal.Nonlinearity) throws {
        let guide = try AutoIAFNormal(model: threeCoordinateModel(), numFlows: 3, hiddenDims: [4, 5],
                                      nonlinearity: nonlinearity)
        // Random weights well away from the initial ones, so every layer bends the flow.
        let start = guide.initialParameters(key: PRNGKey(seed: 2))
        let parameters = Tensor(zip(start, PRNGKey(seed: 3).normal(start.count)).map { $0 + 0.5 * $1 })
        for (row, base) in [[0.3, -1.1, 0.7], [-0.4, 0.9, 1.6]].enumerated() {
            let (_, logDet) = guide.flow(Tensor(shape: [1, 3], scalars: base), parameters: parameters)
            let h = 1e-6
            var jacobian = [Double](repeating: 0, count: 9)
            for j in 0..<3 {
                var plus = base, minus = base
                plus[j] += h
                minus[j] -= h
                let xp = guide.flow(Tensor(shape: [1, 3], scalars: plus), parameters: parameters).x.scalars
                let xm = guide.flow(Tensor(shape: [1, 3], scalars: minus), parameters: parameters).x.scalars
                for i in 0..<3 { jacobian[3 * i + j] = (xp[i] - xm[i]) / (2 * h) }
            }
            #expect(close(logDet.scalars[0], Double.log(abs(determinant3(jacobian))), relative: 1e-7, absolute: 1e-7),
                    "base point \(row)")
        }
    }

    @Test func eachFlowLayerIsAutoregressive() throws {
        // With one flow (no permutation), output i depends on inputs 0 … i only.
        let guide = try AutoIAFNormal(model: threeCoordinateModel(), numFlows: 1)
        let start = guide.initialParameters(key: PRNGKey(seed: 4))
        let parameters = Tensor(zip(start, PRNGKey(seed: 5).normal(start.count)).map { $0 + $1 })
        let x = guide.flow(Tensor(shape: [1, 3], scalars: [0.2, 0.5, -0.3]), parameters: parameters).x.scalars
        let moved = guide.flow(Tensor(shape: [1, 3], scalars: [0.2, 0.5, 2.0]), parameters: parameters).x.scalars
        #expect(x[0] == moved[0] && x[1] == moved[1] && x[2] != moved[2])
    }

    @Test func itsParametersHaveNumPyroLikeNamesAndItsDensityIsDifferentiable() throws {
        let guide = try AutoIAFNormal(model: threeCoordinateModel(), numFlows: 2, hiddenDims: [6])
        #expect(guide.parameterBlocks.map(\.name) == [
            "auto_arn__0$params.0.W", "auto_arn__0$params.0.b", "auto_arn__0$params.1.W", "auto_arn__0$params.1.b",
            "auto_arn__1$params.0.W", "auto_arn__1$params.0.b", "auto_arn__1$params.1.W", "auto_arn__1$params.1.b",
        ])
        #expect(guide.parameterBlocks.map(\.shape) == [[3, 6], [6], [6, 6], [6]] + [[3, 6], [6], [6, 6], [6]])
        let parameters = Tensor(guide.initialParameters(key: PRNGKey(seed: 6)))
        #expect(try gradientMatches(at: parameters) { p in
            try guide.sample(parameters: p, count: 3, key: PRNGKey(seed: 7)).logDensity.sum()
        })
    }

    @Test func invalidSettingsAreRejected() throws {
        let one = try CallbackModel(latents: [LatentBlock(name: "z", size: 1)]) { _, _ in ([], []) }
        #expect(throws: SVIError.self) { try AutoIAFNormal(model: one) }
        #expect(throws: SVIError.self) { try AutoIAFNormal(model: threeCoordinateModel(), numFlows: 0) }
        #expect(throws: SVIError.self) { try AutoIAFNormal(model: threeCoordinateModel(), hiddenDims: [2]) }
        #expect(throws: SVIError.self) { try AutoIAFNormal(model: threeCoordinateModel(), hiddenDims: []) }
    }

    @Test func itFitsACorrelatedGaussianAtLeastAsWellAsAutoNormal() throws {
        let target = try MultivariateNormal(loc: Tensor([0.5, -0.3]),
                                            covarianceMatrix: Tensor(shape: [2, 2], scalars: [0.64, 0.36, 0.36, 0.25]))
        let model = try DistributionModel(site: "z", distribution: target)
        func fitted(_ guide: any Guide) throws -> (mean: Double, standardError: Double) {
            let svi = try SVI(model: model, guide: guide, optimizer: Adam(learningRate: 0.005),
                              loss: TraceELBO(numParticles: 8))
            return try elboEstimate(model, guide, svi.run(key: PRNGKey(seed: 1), numSteps: 3000).state.parameters,
                                    count: 4000)
        }
        let iaf = try fitted(AutoIAFNormal(model: model, numFlows: 2))
        let meanField = try fitted(AutoNormal(model: model))
        // log Z = 0; the mean-field optimum sits at −½ log(1 − ρ²) ≈ −0.83 (ρ = 0.9).
        #expect(abs(meanField.mean + 0.5 * Double.log(1 / (1 - 0.81))) < 0.05)
        #expect(iaf.mean >= meanField.mean - 3 * (iaf.standardError.squared + meanField.standardError.squared).squareRoot())
        #expect(iaf.mean <= 4 * iaf.standardError, "an ELBO cannot exceed log Z = 0")
    }
}

private extension Double {
    var squared: Double { self * self }
}
