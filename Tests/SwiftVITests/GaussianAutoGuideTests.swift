import RealModule
import Testing
@testable import SwiftVI

/// The row-major product M Mᵀ of a square matrix given row-major.
private func outerSelf(_ m: [Double], rows n: Int, columns k: Int) -> [Double] {
    (0..<(n * n)).map { e in (0..<k).reduce(0) { $0 + m[(e / n) * k + $1] * m[(e % n) * k + $1] } }
}

/// Whether `mean` and the row-major `covariance` are within `tolerance` posterior
/// standard deviations (per entry, √(Σᵢᵢ Σⱼⱼ)) of the regression's posterior.
private func matchesPosterior(_ problem: RegressionProblem, mean: [Double], covariance: [Double],
                              tolerance: Double) -> Bool {
    let sigma = problem.posteriorCovariance, m = problem.posteriorMean
    let meanOK = (0..<3).allSatisfy { abs(mean[$0] - m[$0]) < tolerance * sigma[$0][$0].squareRoot() }
    let covarianceOK = (0..<9).allSatisfy { e in
        let (i, j) = (e / 3, e % 3)
        return abs(covariance[e] - sigma[i][j]) < tolerance * (sigma[i][i] * sigma[j][j]).squareRoot()
    }
    return meanOK && covarianceOK
}

@Suite struct GaussianAutoGuideTests {
    @Test func theRegressionPosteriorIsCorrelated() {
        // Guards the tests below: a posterior without strong correlations would not tell the families apart.
        let problem = RegressionProblem(collinearity: 0.9), sigma = problem.posteriorCovariance
        #expect(abs(sigma[1][2]) / (sigma[1][1] * sigma[2][2]).squareRoot() > 0.5)
        #expect(problem.meanFieldVariances[1] < 0.5 * sigma[1][1])
    }

    @Test func autoMultivariateNormalRecoversThePosteriorMeanAndCovariance() throws {
        let problem = RegressionProblem(collinearity: 0.9), model = try problem.callbackModel()
        let fit = try averagedFit(model: model, guide: AutoMultivariateNormal(model: model), steps: 4000,
                                  averaged: 2000, learningRate: 0.01, particles: 16) { params in
            ["loc": params["auto_loc"]!, "covariance": outerSelf(params["auto_scale_tril"]!, rows: 3, columns: 3)]
        }
        #expect(matchesPosterior(problem, mean: fit["loc"]!, covariance: fit["covariance"]!, tolerance: 0.1))
    }

    @Test func autoDiagonalNormalRecoversTheMeanAndTheMeanFieldVariances() throws {
        let problem = RegressionProblem(collinearity: 0.9), model = try problem.callbackModel()
        let fit = try averagedFit(model: model, guide: AutoDiagonalNormal(model: model), steps: 4000,
                                  averaged: 2000, learningRate: 0.01, particles: 16) { params in
            ["auto_loc": params["auto_loc"]!, "variance": params["auto_scale"]!.map { $0 * $0 }]
        }
        let sigma = problem.posteriorCovariance
        for i in 0..<3 {
            #expect(abs(fit["auto_loc"]![i] - problem.posteriorMean[i]) < 0.1 * sigma[i][i].squareRoot())
            #expect(abs(fit["variance"]![i] / problem.meanFieldVariances[i] - 1) < 0.1)
        }
    }

    @Test(arguments: [2, 3])
    func autoLowRankMultivariateNormalOfRankDMinusOneOrDRecoversTheCovariance(rank: Int) throws {
        let problem = RegressionProblem(collinearity: 0.9), model = try problem.callbackModel()
        let guide = try AutoLowRankMultivariateNormal(model: model, rank: rank)
        let fit = try averagedFit(model: model, guide: guide, steps: 5000, averaged: 2000, learningRate: 0.01,
                                  particles: 16) { params in
            // diag(s) (W Wᵀ + I) diag(s)
            let s = params["auto_scale"]!, w = params["auto_cov_factor"]!
            let inner = outerSelf(w, rows: 3, columns: rank)
            let covariance: [Double] = (0..<9).map { e in
                let identity: Double = e / 3 == e % 3 ? 1 : 0
                return s[e / 3] * s[e % 3] * (inner[e] + identity)
            }
            return ["loc": params["auto_loc"]!, "covariance": covariance]
        }
        #expect(matchesPosterior(problem, mean: fit["loc"]!, covariance: fit["covariance"]!, tolerance: 0.15))
    }

    @Test func autoLowRankDefaultsToRankRoundSqrtDAndStartsAtZeroFactor() throws {
        let model = try CallbackModel(latents: [LatentBlock(name: "a", size: 7)]) { _, _ in ([], []) }
        let guide = try AutoLowRankMultivariateNormal(model: model, initScale: 0.3)
        #expect(guide.rank == 3)
        let named = Dictionary(uniqueKeysWithValues: guide.constrainedParameters(try guide.initialParameters(key: PRNGKey(seed: 1))))
        #expect(guide.parameterBlocks.map(\.name) == ["auto_loc", "auto_cov_factor", "auto_scale"])
        #expect(guide.parameterBlocks[1].shape == [7, 3] && named["auto_cov_factor"]! == [Double](repeating: 0, count: 21))
        #expect(named["auto_scale"]!.allSatisfy { close($0, 0.3, relative: 1e-13) })
        #expect(throws: SVIError.self) { try AutoLowRankMultivariateNormal(model: model, rank: 0) }
    }

    @Test func autoMultivariateNormalStoresItsScaleTrilThroughABijection() throws {
        let model = try RegressionProblem(collinearity: 0.9).callbackModel()
        let guide = try AutoMultivariateNormal(model: model, initScale: 0.25)
        let flat = try guide.initialParameters(key: PRNGKey(seed: 3))
        #expect(flat.count == 3 + 6)
        let named = Dictionary(uniqueKeysWithValues: guide.constrainedParameters(flat))
        #expect(named["auto_scale_tril"]!.enumerated().allSatisfy { e, v in
            close(v, e % 4 == 0 ? 0.25 : 0, relative: 1e-13, absolute: 1e-15)
        })
        let roundTrip = try guide.unconstrainedParameters(named)
        #expect(zip(roundTrip, flat).allSatisfy { close($0, $1, relative: 1e-12, absolute: 1e-14) })
        var upper = named
        upper["auto_scale_tril"]![0] = -1
        #expect(throws: SVIError.self) { try guide.unconstrainedParameters(upper) }
        #expect(throws: SVIError.self) { try AutoMultivariateNormal(model: model, initScale: 0) }
    }

    @Test func autoLaplaceApproximationIsExactOnAGaussianPosterior() throws {
        let problem = RegressionProblem(collinearity: 0.9), model = try problem.callbackModel()
        let guide = try AutoLaplaceApproximation(model: model)
        let svi = try SVI(model: model, guide: guide, optimizer: Adam(learningRate: 0.01), loss: TraceELBO())
        let fit = try svi.run(key: PRNGKey(seed: 0), numSteps: 5000)
        let posterior = try guide.getPosterior(parameters: fit.state.parameters)
        let sigma = problem.posteriorCovariance
        for i in 0..<3 {
            #expect(close(posterior.loc.scalars[i], problem.posteriorMean[i], relative: 1e-6, absolute: 1e-7))
            for j in 0..<3 {
                #expect(close(posterior.covarianceMatrix.scalars[3 * i + j], sigma[i][j], relative: 1e-6,
                              absolute: 1e-9 * sigma[i][i]))
            }
        }
        let draws = try guide.samplePosterior(parameters: fit.state.parameters, count: 20000, key: PRNGKey(seed: 5))["w"]!
        let first = moments((0..<20000).map { draws.scalars[3 * $0] })
        #expect(abs(first.mean - problem.posteriorMean[0]) < 5 * (sigma[0][0] / 20000).squareRoot())
        #expect(abs(first.variance / sigma[0][0] - 1) < 0.05)
    }

    /// x ~ N(0, 1), yₖ ~ N(x, sigma) with sigma a learned model parameter: the
    /// fit is the joint maximum over (x, sigma), and the Laplace posterior of x
    /// has precision 1 + n / sigma² at the fitted sigma, not the initial one.
    @Test func autoLaplaceApproximationUsesTheFittedModelParameters() throws {
        let ys = [2.1, -1.4, 3.3, 0.2, -2.6, 4.0]
        let model = try ProgramModel { ctx in
            let x = try ctx.sample("x", Normal(loc: 0, scale: 1))
            let sigma = try ctx.param("sigma", Tensor(1), constraint: .positive)
            try ctx.sample("y", Normal(loc: x, scale: sigma), obs: Tensor(ys))
        }
        // The joint maximum: sigma² = mean((y − x)²) and x = Σy / (sigma² + n), by fixed-point iteration.
        let n = Double(ys.count)
        var x = 0.0, variance = 1.0
        for _ in 0..<500 {
            variance = ys.reduce(0.0) { $0 + ($1 - x) * ($1 - x) } / n
            x = ys.reduce(0, +) / (variance + n)
        }
        let guide = try AutoLaplaceApproximation(model: model)
        let svi = try SVI(model: model, guide: guide, optimizer: Adam(learningRate: 0.02), loss: TraceELBO())
        let fit = try svi.run(key: PRNGKey(seed: 0), numSteps: 6000)
        #expect(close(fit.params["sigma"]![0], variance.squareRoot(), relative: 1e-5))
        let posterior = try guide.getPosterior(parameters: fit.state.parameters)
        let expectedVariance = 1 / (1 + n / variance)
        #expect(close(posterior.loc.scalars[0], x, relative: 1e-5))
        #expect(close(posterior.covarianceMatrix.scalars[0], expectedVariance, relative: 1e-5))
        let draws = try guide.samplePosterior(parameters: fit.state.parameters, count: 20000, key: PRNGKey(seed: 5))["x"]!
        let m = moments(draws.scalars)
        #expect(abs(m.mean - x) < 5 * (expectedVariance / 20000).squareRoot())
        #expect(abs(m.variance / expectedVariance - 1) < 0.05)
        let marginals = try guide.unconstrainedMarginals(parameters: fit.state.parameters)
        #expect(close(marginals.scale[0], expectedVariance.squareRoot(), relative: 1e-5))
        #expect(throws: SVIError.self) { try guide.getPosterior(parameters: fit.state.parameters + [0]) }
    }

    @Test func autoLaplaceApproximationRejectsAPointThatIsNotAMaximum() throws {
        // log p(z) = z²/2 has a minimum at 0: its Hessian of −log p is −1.
        let model = try CallbackModel(latents: [LatentBlock(name: "z", size: 1)]) { z, _ in
            (z.map { 0.5 * $0 * $0 }, z)
        }
        let guide = try AutoLaplaceApproximation(model: model, initLocFn: .initToUniform(radius: 0))
        #expect(throws: SVIError.numerical(
            "AutoLaplaceApproximation: the Hessian of -log p at auto_loc is not positive definite; the point is not a strict local maximum of the log-density (is the fit converged?)")) {
            try guide.getPosterior(parameters: [0])
        }
    }

    @Test func autoDeltaReachesTheRegressionMAP() throws {
        let problem = RegressionProblem(collinearity: 0.9), model = try problem.callbackModel()
        let svi = try SVI(model: model, guide: AutoDelta(model: model), optimizer: Adam(learningRate: 0.01),
                          loss: TraceELBO())
        let fit = try svi.run(key: PRNGKey(seed: 0), numSteps: 4000)
        // One Newton step from 0 on this quadratic log-density lands on its maximum.
        let gradientAtZero = try valueWithGradient(at: Tensor(shape: [1, 3], scalars: [0, 0, 0])) {
            try model.logDensity($0).sum()
        }.gradient.scalars
        let newton = problem.posteriorCovariance.map { row in zip(row, gradientAtZero).reduce(0) { $0 + $1.0 * $1.1 } }
        for i in 0..<3 { #expect(close(fit.params["w_auto_loc"]![i], newton[i], relative: 1e-5, absolute: 1e-6)) }
        #expect(abs(fit.losses.last! + (try model.logDensity(Tensor(shape: [1, 3], scalars: newton)).scalars[0])) < 1e-8)
    }

    @Test func autoDeltaIsMAPInTheConstrainedSpace() throws {
        // s ~ LogNormal(0, 1), y ~ N(0, s): the MAP of s solves S/s² − (n + 1) − log s = 0
        // (without the Jacobian of s = eᵘ the equation would lose the 1).
        let y = [0.3, -1.2, 0.8, 2.1, -0.4]
        let model = try ProgramModel { ctx in
            let s = try ctx.sample("s", TransformedDistribution(base: Normal(loc: 0, scale: 1), transform: ExpTransform()))
            try ctx.sample("y", Normal(loc: Tensor(0), scale: s), obs: Tensor(y))
        }
        let (n, sumSquares) = (Double(y.count), y.reduce(0) { $0 + $1 * $1 })
        func newton(_ jacobianTerm: Double) -> Double {
            var s = (sumSquares / n).squareRoot()
            for _ in 0..<50 {
                let h = sumSquares / (s * s) - (n + jacobianTerm) - Double.log(s)
                s -= h / (-2 * sumSquares / (s * s * s) - 1 / s)
            }
            return s
        }
        let guide = try AutoDelta(model: model)
        #expect(guide.parameterBlocks.map(\.name) == ["s_auto_loc"] && guide.parameterBlocks[0].shape == [])
        let svi = try SVI(model: model, guide: guide, optimizer: Adam(learningRate: 0.01), loss: TraceELBO())
        let fit = try svi.run(key: PRNGKey(seed: 0), numSteps: 2500)
        let s = fit.params["s_auto_loc"]![0]
        #expect(close(s, newton(1), relative: 1e-5))
        #expect(!close(s, newton(0), relative: 1e-2))
        #expect(try guide.median(parameters: fit.state.parameters)["s"]!.scalars == [s])
    }

    @Test func posteriorDrawsMediansAndQuantilesAreConstrained() throws {
        let model = try ProgramModel { ctx in
            try ctx.sample("m", Normal(loc: Tensor([0, 0]), scale: Tensor(1)))
            try ctx.sample("s", TransformedDistribution(base: Normal(loc: 0, scale: 1), transform: ExpTransform()))
        }
        let guide = try AutoDiagonalNormal(model: model)
        let (loc, scale) = ([0.4, -1.0, 0.3], [0.2, 0.5, 0.7])
        let parameters = try guide.unconstrainedParameters(["auto_loc": loc, "auto_scale": scale])
        let key = PRNGKey(seed: 9)
        let draws = try guide.samplePosterior(parameters: parameters, count: 5, key: key)
        let points = try guide.sample(parameters: Tensor(parameters), count: 5, key: key).points.scalars
        #expect(draws["m"]!.shape == [5, 2] && draws["s"]!.shape == [5])
        for row in 0..<5 {
            #expect(draws["m"]!.scalars[2 * row ..< 2 * row + 2] == points[3 * row ..< 3 * row + 2])
            #expect(close(draws["s"]!.scalars[row], Double.exp(points[3 * row + 2]), relative: 1e-14))
        }
        let median = try guide.median(parameters: parameters)
        #expect(median["m"]!.scalars == [0.4, -1.0] && close(median["s"]!.scalars[0], Double.exp(0.3), relative: 1e-14))
        let q = try guide.quantiles(parameters: parameters, [0.1, 0.5, 0.9])
        let z90 = 1.2815515655446004
        #expect(q["s"]!.shape == [3] && q["m"]!.shape == [3, 2])
        #expect(close(q["s"]!.scalars[0], Double.exp(0.3 - 0.7 * z90), relative: 1e-12))
        #expect(close(q["s"]!.scalars[2], Double.exp(0.3 + 0.7 * z90), relative: 1e-12))
        #expect(close(q["m"]!.scalars[5], -1.0 + 0.5 * z90, relative: 1e-12))
        #expect(throws: SVIError.self) { try guide.quantiles(parameters: parameters, [1]) }
    }
}
