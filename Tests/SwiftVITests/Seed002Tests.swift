import RealModule
import Testing
@testable import SwiftVI

@Suite struct Seed002Tests {
    @Test func theDataFileIsTheSeedsGenerationWithOurKeys() {
        let generated = Seed002.generated()
        #expect(Seed002.data.x.count == 10)
        #expect(Seed002.data.x.map(\.bitPattern) == generated.x.map(\.bitPattern))
        #expect(Seed002.data.y.map(\.bitPattern) == generated.y.map(\.bitPattern))
    }

    @Test func theReferencesAgreeWithEachOther() {
        // Newton's optimum is a stationary point, and the quadrature's posterior
        // mean lies near the MAP line.
        let map = Seed002.map
        #expect(Seed002.logJoint([map.w, map.b, Double.log(map.s)]).gradient.allSatisfy { abs($0) < 1e-9 })
        let g = finiteDifferenceGradient([0.4, -0.5, 0.1], step: 1e-5) { Seed002.logJoint($0).value }
        #expect(zip(g, Seed002.logJoint([0.4, -0.5, 0.1]).gradient).allSatisfy { close($0, $1, relative: 1e-6, absolute: 1e-6) })
        #expect(abs(Seed002.exact.mean[0] - map.w) < 0.05 && abs(Seed002.exact.mean[1] - map.b) < 0.2)
    }

    /// Fits `guide` with Adam from step size 0.02 decaying tenfold every
    /// `steps`/2 steps, and estimates the fitted ELBO from 20 000 draws.
    private func fittedELBO(_ guide: any Guide, model: ProgramModel, steps: Int, particles: Int = 8)
        throws -> (params: [String: [Double]], state: SVIState, elbo: EvidenceEstimate) {
        let adam = try Adam(learningRate: .exponentialDecay(initValue: 0.02, decaySteps: steps / 2, decayRate: 0.1))
        let svi = try SVI(model: model, guide: guide, optimizer: adam, loss: TraceELBO(numParticles: particles))
        let fit = try svi.run(key: PRNGKey(seed: 21), numSteps: steps)
        let elbo = try estimateELBO(model: model, guide: guide, params: fit.params, numSamples: 20_000, key: PRNGKey(seed: 22))
        return (fit.params, fit.state, elbo)
    }

    @Test func autoDeltaReachesTheMAPOfNewtonsMethod() throws {
        let model = try ProgramModel(Seed002.program)
        let adam = try Adam(learningRate: .exponentialDecay(initValue: 0.05, decaySteps: 1000, decayRate: 0.1))
        let svi = try SVI(model: model, guide: AutoDelta(model: model), optimizer: adam, loss: TraceELBO())
        let fit = try svi.run(key: PRNGKey(seed: 20), numSteps: 3000)
        let map = Seed002.map
        #expect(abs(fit.params["w_auto_loc"]![0] - map.w) < 1e-4)
        #expect(abs(fit.params["b_auto_loc"]![0] - map.b) < 1e-4)
        #expect(abs(fit.params["s_auto_loc"]![0] - map.s) < 1e-4)
        // The point mass's loss is −log p at its point: the maximum.
        #expect(abs(fit.losses.last! + map.logJoint) < 1e-6)
    }

    @Test func richerGuidesReachAnELBOAtLeastAutoNormalsAndAutoMVNSeesTheCorrelation() throws {
        let model = try ProgramModel(Seed002.program)
        // The Gaussian guides start at the MAP: from a random start they can linger in the
        // posterior's flat region at large s.
        let map = Seed002.map
        let atMAP = InitStrategy.initToValue(["w": Tensor(map.w), "b": Tensor(map.b), "s": Tensor(map.s)])
        let normal = try fittedELBO(AutoNormal(model: model, initLocFn: atMAP), model: model, steps: 2000)
        let mvnGuide = try AutoMultivariateNormal(model: model, initLocFn: atMAP)
        let mvn = try fittedELBO(mvnGuide, model: model, steps: 2000)
        let iaf = try fittedELBO(AutoIAFNormal(model: model, hiddenDims: [8]), model: model, steps: 3000)
        let logZ = Seed002.exact.logEvidence
        for fit in [normal, mvn, iaf] {
            // Every ELBO lies below the log evidence, and the fits come close to it.
            #expect(fit.elbo.value < logZ + 4 * fit.elbo.standardError)
            #expect(fit.elbo.value > logZ - 0.2)
        }
        for richer in [mvn, iaf] {
            let error = (richer.elbo.standardError * richer.elbo.standardError
                + normal.elbo.standardError * normal.elbo.standardError).squareRoot()
            #expect(richer.elbo.value > normal.elbo.value - 3 * error)
        }
        let covariance = try mvnGuide.posterior(Tensor(mvn.state.parameters)).covarianceMatrix.scalars
        let correlation = covariance[1] / (covariance[0] * covariance[4]).squareRoot()
        #expect(abs(correlation - Seed002.exactCorrelation) < 0.03)
    }
}
