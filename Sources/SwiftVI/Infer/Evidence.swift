import RealModule

/// A Monte Carlo estimate of a scalar and its standard error.
public struct EvidenceEstimate: Equatable, Sendable {
    public let value: Double
    public let standardError: Double
}

/// The ELBO of `guide` with the constrained parameters `params` (as
/// `SVIRunResult.params` gives them, with the model's own parameters if it has any), E_q[log p(z) − log q(z)], estimated from
/// `numSamples` (at least 2) draws: the sample mean of the log-weights, with
/// standard error s/√N from their sample standard deviation s.
public func estimateELBO(model: any LogDensityModel, guide: any Guide, params: [String: [Double]],
                         numSamples: Int, key: PRNGKey) throws -> EvidenceEstimate {
    let w = try logWeights(model: model, guide: guide, params: params, numSamples: numSamples, key: key)
    let (mean, standardError) = meanAndStandardError(w)
    return EvidenceEstimate(value: mean, standardError: standardError)
}

/// The importance-sampled estimate of the log evidence log p(data) with the
/// guide (constrained parameters `params`) as proposal: log (1/K) Σ exp(wₖ)
/// over K = `numSamples` (at least 2) draws with log-weights
/// wₖ = log p(zₖ) − log q(zₖ). It is the IWAE bound of K particles, so its
/// expectation lies below the log evidence (and above the ELBO) and tends to
/// it as K grows. The standard error is the delta method's: that of the mean
/// weight divided by the mean weight, sd(exp(w)) / (√K · mean(exp(w))), computed
/// with the weights scaled by exp(−max w). A model with −inf log-density at
/// every draw gives −inf with an infinite standard error.
public func logEvidence(model: any LogDensityModel, guide: any Guide, params: [String: [Double]],
                        numSamples: Int, key: PRNGKey) throws -> EvidenceEstimate {
    let w = try logWeights(model: model, guide: guide, params: params, numSamples: numSamples, key: key)
    let largest = w.max()!
    guard largest > -.infinity else { return EvidenceEstimate(value: -.infinity, standardError: .infinity) }
    let (mean, standardError) = meanAndStandardError(w.map { Double.exp($0 - largest) })
    return EvidenceEstimate(value: largest + Double.log(mean), standardError: standardError / mean)
}

/// log p(z) − log q(z) at `numSamples` draws of the guide.
private func logWeights(model: any LogDensityModel, guide: any Guide, params: [String: [Double]],
                        numSamples: Int, key: PRNGKey) throws -> [Double] {
    guard numSamples >= 2 else {
        throw SVIError.invalidArgument("an evidence estimate needs at least 2 samples; got \(numSamples)")
    }
    guard guide.dimension == model.dimension else {
        throw SVIError.shapeMismatch("the guide draws \(guide.dimension) coordinates; the model has \(model.dimension)")
    }
    let keys = key.split(2)
    let parameters = Tensor(try guide.unconstrainedParameters(params))
    let (z, logq) = try guide.sample(parameters: parameters, count: numSamples, key: keys[0])
    return (try model.withParameters(named: params).logDensity(z, key: keys[1]) - logq).scalars
}

/// The sample mean of `xs` and its standard error.
private func meanAndStandardError(_ xs: [Double]) -> (mean: Double, standardError: Double) {
    let n = Double(xs.count)
    let mean = xs.reduce(0.0) { $0 + $1 } / n
    let squares = xs.reduce(0.0) { $0 + ($1 - mean) * ($1 - mean) }
    return (mean, (squares / (n - 1) / n).squareRoot())
}
