/// A probability distribution over values of shape `batchShape + eventShape`.
///
/// Values passed to `logProb` and `cdf` have shape `sampleShape + batchShape +
/// eventShape` (the batch part broadcast as NumPy does); results drop the event
/// dimensions. When parameters are recorded on a tape, results are too, so
/// gradients flow to the parameters (and, for reparameterized samples, through
/// `sample`).
public protocol Distribution {
    /// The family's name, as NumPyro spells it ("Normal").
    var familyName: String { get }
    /// The shape of independent, differently parameterized distributions.
    var batchShape: [Int] { get }
    /// The shape of one draw.
    var eventShape: [Int] { get }
    /// The values the distribution puts mass on.
    var support: Constraint { get }
    /// Whether `sample` is differentiable with respect to the parameters.
    var hasReparameterizedSample: Bool { get }
    /// Log-density (or log-mass); -inf outside the support.
    func logProb(_ value: Tensor) throws -> Tensor
    /// Draws of shape `sampleShape + batchShape + eventShape`.
    func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor
    /// The mean, shape `batchShape + eventShape`.
    var mean: Tensor { get throws }
    /// The variance, shape `batchShape + eventShape`.
    var variance: Tensor { get throws }
    /// The entropy, shape `batchShape`.
    func entropy() throws -> Tensor
    /// The distribution function of a univariate distribution.
    func cdf(_ value: Tensor) throws -> Tensor
    /// The quantile function of a univariate distribution, at probabilities in [0, 1].
    func icdf(_ probability: Tensor) throws -> Tensor
}

extension Distribution {
    public func cdf(_ value: Tensor) throws -> Tensor {
        throw SVIError.notImplemented("\(familyName) has no cdf")
    }

    public func icdf(_ probability: Tensor) throws -> Tensor {
        throw SVIError.notImplemented("\(familyName) has no icdf")
    }

    /// The shape of `logProb(value)` for a value of shape `valueShape`: the value's
    /// non-event dimensions broadcast with the batch shape. Throws when the event
    /// dimensions differ or the rest does not broadcast.
    public func resultShape(forValueShape valueShape: [Int]) throws -> [Int] {
        let e = eventShape.count
        guard valueShape.count >= e, Array(valueShape.suffix(e)) == eventShape,
              let shape = broadcastShapes(Array(valueShape.dropLast(e)), batchShape)
        else {
            throw SVIError.shapeMismatch(
                "\(familyName): a value of shape \(valueShape) does not fit batch shape \(batchShape) and event shape \(eventShape)")
        }
        return shape
    }
}
