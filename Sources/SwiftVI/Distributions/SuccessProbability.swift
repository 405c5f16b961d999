import RealModule

/// The success probability p of the Bernoulli-trial families (Bernoulli, Binomial,
/// Geometric, NegativeBinomial), given either as `probs` or as `logits`
/// (log p − log(1 − p)). Derivatives are taken with respect to the form given.
public struct SuccessProbability {
    /// How the probability was given.
    public enum Form: Sendable { case probs, logits }

    public let form: Form
    /// The parameter as given (probabilities or logits).
    public let parameter: Tensor

    /// The parameter's name, "probs" or "logits".
    public var parameterName: String { form == .probs ? "probs" : "logits" }

    /// Checks `probs` with `valid` (described by `requirement`, e.g. "in [0, 1]")
    /// or `logits` for finiteness, naming `family` in the error.
    init(_ family: String, probs: Tensor, requirement: String, _ valid: (Double) -> Bool) throws {
        try ParameterCheck.require(probs, family, "probs", requirement, valid)
        form = .probs
        parameter = probs
    }

    init(_ family: String, logits: Tensor) throws {
        try ParameterCheck.finite(logits, family, "logits")
        form = .logits
        parameter = logits
    }

    /// p and 1 − p at one parameter value, their logarithms, and the derivatives
    /// of p, log p and log(1 − p) with respect to that value.
    struct Terms {
        let p: Double, q: Double, logP: Double, logQ: Double
        let dP: Double, dLogP: Double, dLogQ: Double
    }

    /// The terms at the parameter value `theta` (one element of `parameter`).
    func terms(_ theta: Double) -> Terms {
        switch form {
        case .probs:
            return Terms(p: theta, q: 1 - theta, logP: Double.log(theta), logQ: Double.log(onePlus: -theta),
                         dP: 1, dLogP: 1 / theta, dLogQ: -1 / (1 - theta))
        case .logits:
            let p = sigmoid(theta), q = sigmoid(-theta)
            return Terms(p: p, q: q, logP: -softplus(-theta), logQ: -softplus(theta),
                         dP: p * q, dLogP: q, dLogQ: -p)
        }
    }

    /// p elementwise, differentiable.
    public var probs: Tensor {
        Tensor.map(parameter) { let t = terms($0); return (t.p, t.dP) }
    }

    /// log p − log(1 − p) elementwise, differentiable.
    public var logits: Tensor {
        Tensor.map(parameter) { let t = terms($0); return (t.logP - t.logQ, t.dLogP - t.dLogQ) }
    }

    /// exp(a log p + b log(1 − p)) elementwise, differentiable: the odds-like
    /// quantities of the moments (p/(1 − p) is a = 1, b = −1).
    func power(p a: Double, q b: Double) -> Tensor {
        Tensor.map(parameter) { theta in
            let t = terms(theta)
            let v = Double.exp(weighted(a, t.logP) + weighted(b, t.logQ))
            return (v, v == 0 ? 0 : v * (weighted(a, t.dLogP) + weighted(b, t.dLogQ)))
        }
    }
}

/// A univariate family counting outcomes of Bernoulli trials of success
/// probability `success` (Bernoulli, Binomial, Geometric, NegativeBinomial).
public protocol BernoulliTrials: Distribution {
    var success: SuccessProbability { get }
}

extension BernoulliTrials {
    public var eventShape: [Int] { [] }
    public var hasReparameterizedSample: Bool { false }
    /// The success probability, differentiable.
    public var probs: Tensor { success.probs }
    /// log p − log(1 − p), differentiable.
    public var logits: Tensor { success.logits }
}

/// `count` × `x` with 0 × ±∞ taken as 0, the convention of xlogy: a zero count of
/// an impossible outcome contributes nothing.
func weighted(_ count: Double, _ x: Double) -> Double {
    count == 0 ? 0 : count * x
}

/// Whether `x` is an integer in low…high.
func isInteger(_ x: Double, from low: Double, through high: Double) -> Bool {
    x >= low && x <= high && x.rounded() == x
}
