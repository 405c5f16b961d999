/// What a site of a program is.
public enum SiteKind: Sendable {
    /// A random variable: drawn from its distribution, or observed.
    case sample
    /// A learnable parameter.
    case param
    /// A value computed from others, recorded as is.
    case deterministic
    /// A plate's subsample indices, sent when the plate is entered.
    case plate
}

/// A plate enclosing a site (NumPyro's `CondIndepStackFrame`): sites inside it
/// are conditionally independent along batch dimension `dim` (negative,
/// counted from the right of the batch shape).
public struct PlateFrame: Equatable, Sendable {
    public let name: String
    /// The batch dimension the plate occupies, -1 the rightmost.
    public let dim: Int
    /// The number of elements the plate stands for.
    public let size: Int
    /// The number of elements present in this run (`size` unless subsampled).
    public let subsampleSize: Int
}

/// A site's message as handlers see it (NumPyro's `msg`). Each handler on a
/// context's stack may change it in `process` (innermost handler first), then
/// the context fills in a missing value, then each handler sees the result in
/// `postprocess`. A trace records the final messages.
public struct SiteMessage {
    public let kind: SiteKind
    public let name: String
    /// The distribution of a sample site, broadcast by its enclosing plates.
    public var distribution: (any Distribution)?
    /// The site's value: the observation, substitute or draw; a plate's
    /// subsample indices (whole numbers) once known.
    public var value: Tensor?
    /// Whether a sample site's value is data rather than a latent draw.
    public var isObserved: Bool
    /// The factor multiplying the site's log-probability; nil means 1.
    public var scale: Double?
    /// The key a sample site draws with, or a subsampled plate picks its indices with.
    public var key: PRNGKey?
    /// Extra leading dimensions of a sample site's draw.
    public var sampleShape: [Int]
    /// The enclosing plates, innermost last.
    public var plates: [PlateFrame] = []
    /// Set by a handler to keep the handlers outside it from seeing the message.
    public var stop = false
    /// A param site's value before any handler replaces it.
    public let initialValue: Tensor?
    /// The region a param site's value lies in.
    public let paramConstraint: Constraint?
    /// A plate site's full size.
    public let plateSize: Int?
    /// A plate site's subsample size.
    public var subsampleSize: Int?

    /// A sample site's message.
    init(sample name: String, _ distribution: any Distribution, observed: Tensor?, sampleShape: [Int]) {
        self.init(kind: .sample, name: name, distribution: distribution, value: observed,
                  isObserved: observed != nil, sampleShape: sampleShape)
    }

    /// A param site's message.
    init(param name: String, initialValue: Tensor, constraint: Constraint) {
        self.init(kind: .param, name: name, initialValue: initialValue, paramConstraint: constraint)
    }

    /// A deterministic site's message.
    init(deterministic name: String, _ value: Tensor) {
        self.init(kind: .deterministic, name: name, value: value)
    }

    /// A plate's message; its value is known unless it is subsampled.
    init(plate name: String, size: Int, subsampleSize: Int) {
        self.init(kind: .plate, name: name,
                  value: subsampleSize == size ? Tensor((0..<size).map(Double.init)) : nil,
                  plateSize: size, subsampleSize: subsampleSize)
    }

    private init(kind: SiteKind, name: String, distribution: (any Distribution)? = nil, value: Tensor? = nil,
                 isObserved: Bool = false, sampleShape: [Int] = [], initialValue: Tensor? = nil,
                 paramConstraint: Constraint? = nil, plateSize: Int? = nil, subsampleSize: Int? = nil) {
        self.kind = kind
        self.name = name
        self.distribution = distribution
        self.value = value
        self.isObserved = isObserved
        self.sampleShape = sampleShape
        self.initialValue = initialValue
        self.paramConstraint = paramConstraint
        self.plateSize = plateSize
        self.subsampleSize = subsampleSize
    }

    /// The elementwise log-probability of a sample site's value (unscaled), of
    /// the shape of its batch. Throws for other sites.
    public func logProb() throws -> Tensor {
        guard kind == .sample, let distribution, let value else {
            throw SVIError.invalidArgument("site '\(name)' is not a sample site with a value")
        }
        return try distribution.logProb(value)
    }

    /// The sum of a sample site's log-probability times its scale, a scalar.
    public func scaledLogProbSum() throws -> Tensor {
        let total = try logProb().sum()
        return scale.map { total * $0 } ?? total
    }
}
