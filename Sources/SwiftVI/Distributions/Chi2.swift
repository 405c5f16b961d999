/// The chi-squared distribution with `df` degrees of freedom: Gamma(df/2, ½).
/// Every method is that Gamma's, so gradients reach `df` through it.
public struct Chi2: Distribution {
    public let df: Tensor
    private let gamma: Gamma

    /// Throws unless `df` is positive and finite.
    public init(df: Tensor) throws {
        try ParameterCheck.positive(df, "Chi2", "df")
        self.df = df
        gamma = try Gamma(concentration: df * 0.5, rate: 0.5)
    }

    public var familyName: String { "Chi2" }
    public var batchShape: [Int] { df.shape }
    public var eventShape: [Int] { [] }
    public var support: Constraint { .positive }
    public var hasReparameterizedSample: Bool { true }

    public func logProb(_ value: Tensor) throws -> Tensor { try gamma.logProb(value) }
    public func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor { gamma.sample(sampleShape, key: key) }
    public var mean: Tensor { gamma.mean }
    public var variance: Tensor { gamma.variance }
    public func entropy() -> Tensor { gamma.entropy() }
    public func cdf(_ value: Tensor) throws -> Tensor { try gamma.cdf(value) }
    public func icdf(_ probability: Tensor) throws -> Tensor { try gamma.icdf(probability) }
}
