import RealModule
import SwiftVI
import Testing

@Suite struct CombinatorTests {
    /// z ~ N(0, 1), y ~ N(z, sigma): the joint, a proposal and the exact posterior.
    private let sigma = 0.5, y = 0.8

    private var joint: InferenceProgram<Void, Tensor> {
        let (sigma, y) = (sigma, y)
        let prior = InferenceProgram<Void, Tensor> { context, _ in try context.sample("z", Normal(loc: 0, scale: 1)) }
        let likelihood = InferenceProgram<Tensor, Tensor> { context, z in
            try context.sample("y", Normal(loc: z, scale: Tensor(sigma)), obs: Tensor(y))
            return z
        }
        return compose(likelihood, prior)
    }

    private func normalProposal(loc: Double, scale: Double) -> InferenceProgram<Void, Tensor> {
        InferenceProgram { context, _ in try context.sample("z", Normal(loc: Tensor(loc), scale: Tensor(scale))) }
    }

    /// With the exact posterior as proposal every particle's weight is
    /// p(y, z) / p(z | y) = p(y) = N(y; 0, √(1 + σ²)), written out here.
    @Test func proposeWithTheExactPosteriorGivesTheLogEvidenceForEveryParticle() throws {
        let v = sigma * sigma
        let posterior = normalProposal(loc: y / (1 + v), scale: (v / (1 + v)).squareRoot())
        let program = propose(particles(joint, count: 16), particles(posterior, count: 16))
        let evaluation = try tracedEvaluate(program, (), key: PRNGKey(seed: 5))
        let logEvidence = Double.log(normalDensity(y, 0, (1 + v).squareRoot()))
        #expect(evaluation.logWeight.shape == [16])
        #expect(evaluation.logWeight.scalars.allSatisfy { close($0, logEvidence, relative: 1e-12, absolute: 1e-12) })
        #expect(close(ProposalLosses.iwaeBound(evaluation.logWeight).scalars[0], logEvidence, relative: 1e-12))
        // The target's trace holds the proposal's draws.
        #expect(evaluation.trace["z"]!.value!.shape == [16])
        #expect(Set(evaluation.trace["z"]!.value!.scalars).count == 16)
    }

    /// A proposal that is not the posterior: the weight is log p(y, z) − log q(z)
    /// at q's draws, written out; the ELBO loss is minus its mean.
    @Test func proposeWeighsByTheDensityRatioAndTheELBOLossAveragesIt() throws {
        let program = propose(particles(joint, count: 8), particles(normalProposal(loc: 0.1, scale: 0.7), count: 8),
                              loss: ProposalLosses.elbo)
        let evaluation = try tracedEvaluate(program, (), key: PRNGKey(seed: 6))
        let z = evaluation.trace["z"]!.value!.scalars
        let expected = z.map {
            Double.log(normalDensity($0, 0, 1) * normalDensity(y, $0, sigma) / normalDensity($0, 0.1, 0.7))
        }
        for (w, e) in zip(evaluation.logWeight.scalars, expected) { #expect(close(w, e, relative: 1e-12, absolute: 1e-12)) }
        #expect(close(evaluation.loss.scalars[0], -expected.reduce(0, +) / 8, relative: 1e-12))
    }

    @Test func aPrimitiveProgramWeighsItsObservedSitesOnly() throws {
        let evaluation = try tracedEvaluate(joint, (), key: PRNGKey(seed: 1))
        let z = evaluation.output.scalars[0]
        #expect(close(evaluation.logWeight.scalars[0], Double.log(normalDensity(y, z, sigma)), relative: 1e-12))
        #expect(evaluation.trace.sites.map(\.name) == ["z", "y"])
    }

    @Test func extendKeepsTheOutputAndAddsTheKernelsSites() throws {
        let kernel = InferenceProgram<Tensor, Tensor> { context, z in try context.sample("u", Normal(loc: z, scale: 1)) }
        let evaluation = try tracedEvaluate(extend(joint, kernel), (), key: PRNGKey(seed: 2))
        #expect(evaluation.trace.sites.map(\.name) == ["z", "y", "u"])
        #expect(evaluation.output.scalars == evaluation.trace["z"]!.value!.scalars)
    }

    @Test func composingProgramsWithTheSameSiteNameThrows() throws {
        let twice = compose(normalProposal(loc: 0, scale: 1).mapInput(), normalProposal(loc: 0, scale: 1))
        #expect(throws: SVIError.self) { try tracedEvaluate(twice, (), key: PRNGKey(seed: 0)) }
    }

    /// Resampling keeps weighted averages unbiased: over many seeds, the
    /// average of f(z) over the resampled particles minus the self-normalized
    /// weighted average before resampling has mean zero (within 4 standard
    /// errors), for f(z) = z and f(z) = z².
    @Test(arguments: [ResamplingScheme.multinomial, .systematic])
    func resamplingLeavesWeightedAveragesUnbiased(scheme: ResamplingScheme) throws {
        let k = 8, runs = 1500
        let weighted = particles(joint, count: k)
        let resampled = resample(weighted, scheme: scheme)
        for f in [{ (z: Double) in z }, { (z: Double) in z * z }] {
            var differences: [Double] = []
            for seed in 0..<runs {
                let key = PRNGKey(seed: UInt64(seed))
                let after = try tracedEvaluate(resampled, (), key: key)
                let before = try tracedEvaluate(weighted, (), key: key.split(2)[1])
                let w = ProposalLosses.normalizedWeights(before.logWeight).scalars
                let values = before.output.scalars.map(f)
                let weightedMean = zip(w, values).reduce(0) { $0 + $1.0 * $1.1 }
                let resampledMean = after.output.scalars.map(f).reduce(0, +) / Double(k)
                differences.append(resampledMean - weightedMean)
            }
            let (mean, variance) = moments(differences)
            #expect(abs(mean) < 4 * (variance / Double(runs)).squareRoot())
        }
    }

    @Test func resampledParticlesCarryTheAverageWeightAndTheirAncestorsLogDensities() throws {
        let weighted = particles(joint, count: 6)
        let before = try tracedEvaluate(weighted, (), key: PRNGKey(seed: 3).split(2)[1])
        let after = try tracedEvaluate(resample(weighted, scheme: .multinomial), (), key: PRNGKey(seed: 3))
        let average = logSumExp(before.logWeight.scalars) - Double.log(6)
        #expect(after.logWeight.scalars.allSatisfy { close($0, average, relative: 1e-12) })
        let z = after.trace["z"]!
        let originals = before.trace["z"]!.value!.scalars
        for (value, logProb) in zip(z.value!.scalars, try z.logProb().scalars) {
            #expect(originals.contains(value))
            #expect(close(logProb, Double.log(normalDensity(value, 0, 1)), relative: 1e-12))
        }
    }

    /// The wake losses weigh particles by their normalized weights: wake-q is
    /// −Σ w̄ log q(z) and wake-p −Σ w̄ log p(y, z), written out.
    @Test func wakeLossesAreSelfNormalizedLogDensities() throws {
        let q = normalProposal(loc: 0.2, scale: 0.9)
        let wakeP = try tracedEvaluate(propose(particles(joint, count: 5), particles(q, count: 5), loss: ProposalLosses.wakeP),
                                       (), key: PRNGKey(seed: 8))
        let wakeQ = try tracedEvaluate(propose(particles(joint, count: 5), particles(q, count: 5), loss: ProposalLosses.wakeQ),
                                       (), key: PRNGKey(seed: 8))
        let z = wakeP.trace["z"]!.value!.scalars
        let logJoint = z.map { Double.log(normalDensity($0, 0, 1) * normalDensity(y, $0, sigma)) }
        let logQ = z.map { Double.log(normalDensity($0, 0.2, 0.9)) }
        let lse = logSumExp(zip(logJoint, logQ).map { $0 - $1 })
        let w = zip(logJoint, logQ).map { Double.exp($0 - $1 - lse) }
        #expect(close(wakeP.loss.scalars[0], -zip(w, logJoint).reduce(0) { $0 + $1.0 * $1.1 }, relative: 1e-12))
        #expect(close(wakeQ.loss.scalars[0], -zip(w, logQ).reduce(0) { $0 + $1.0 * $1.1 }, relative: 1e-12))
    }
}

extension InferenceProgram where Input == Void {
    /// The same program taking (and ignoring) a tensor input.
    func mapInput() -> InferenceProgram<Tensor, Output> {
        InferenceProgram<Tensor, Output> { context, _, key in try self.run(context, (), key) }
    }
}
