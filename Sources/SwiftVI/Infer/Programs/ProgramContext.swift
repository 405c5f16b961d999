/// A probabilistic program: an ordinary function that declares its random
/// variables, parameters and plates through the context it receives, as a
/// NumPyro model or guide calls `numpyro.sample`, `param` and `plate`.
public typealias Program<Output> = (ProgramContext) throws -> Output

/// The state of one run of a program: its stack of handlers. Nothing is global,
/// so programs run concurrently in separate contexts; a context itself belongs
/// to one thread at a time.
public final class ProgramContext {
    private var handlers: [any Messenger] = []

    /// An empty context: sample sites need a value or a key (see `Handlers.seed`).
    public init() {}

    /// Runs `body` with `handler` pushed as the innermost handler, and pops it
    /// afterwards (also when `body` throws).
    public func withHandler<Output>(_ handler: any Messenger, _ body: () throws -> Output) rethrows -> Output {
        handlers.append(handler)
        defer { handlers.removeLast() }
        return try body()
    }

    /// Sends `message` through the handlers (NumPyro's `apply_stack`), fills in
    /// its value if no handler did, and returns the final message.
    func apply(_ message: SiteMessage) throws -> SiteMessage {
        var message = message
        var outermost = handlers.count
        for index in handlers.indices.reversed() {
            try handlers[index].process(&message)
            outermost = index
            if message.stop { break }
        }
        if message.value == nil { message.value = try defaultValue(of: message) }
        for index in outermost..<handlers.count { try handlers[index].postprocess(&message) }
        return message
    }

    /// The value a site takes when no handler gave one.
    private func defaultValue(of message: SiteMessage) throws -> Tensor {
        switch message.kind {
        case .sample:
            guard let key = message.key, let distribution = message.distribution else {
                throw SVIError.invalidArgument(
                    "sample site '\(message.name)' has no value and no random key; run the program under Handlers.seed")
            }
            return distribution.sample(message.sampleShape, key: key)
        case .param:
            return message.initialValue!
        case .plate:
            guard let key = message.key else {
                throw SVIError.invalidArgument(
                    "plate '\(message.name)' is subsampled and has no random key; run the program under Handlers.seed")
            }
            let indices = subsampleIndices(size: message.plateSize!, count: message.subsampleSize!, key: key)
            return Tensor(indices.map(Double.init))
        case .deterministic:
            throw SVIError.invalidArgument("deterministic site '\(message.name)' lost its value to a handler")
        }
    }

    /// A random variable `name` with `distribution` (NumPyro's `sample`): its
    /// observed value `obs` if given, else what the handlers give (a substitute,
    /// a condition, or a draw with the seed's key). Inside plates the
    /// distribution is broadcast to the plates' batch shape.
    @discardableResult
    public func sample(_ name: String, _ distribution: any Distribution, obs: Tensor? = nil,
                       sampleShape: [Int] = []) throws -> Tensor {
        try requireName(name)
        return try apply(SiteMessage(sample: name, distribution, observed: obs, sampleShape: sampleShape)).value!
    }

    /// A learnable parameter `name` (NumPyro's `param`): `initial` (which must
    /// lie in `constraint`) unless a handler substitutes a value.
    public func param(_ name: String, _ initial: Tensor, constraint: Constraint = .real) throws -> Tensor {
        try requireName(name)
        return try apply(SiteMessage(param: name, initialValue: initial, constraint: constraint)).value!
    }

    /// Records `value` under `name` (NumPyro's `deterministic`) and returns what
    /// the handlers leave (`value` unless substituted).
    @discardableResult
    public func deterministic(_ name: String, _ value: Tensor) throws -> Tensor {
        try requireName(name)
        return try apply(SiteMessage(deterministic: name, value)).value!
    }

    /// Runs `body` inside a plate (NumPyro's `plate`) of `size` conditionally
    /// independent elements, of which a random `subsampleSize` (all when nil)
    /// are present in this run. Sample sites inside are broadcast to the
    /// plates' batch shape, the plate on batch dimension `dim` (negative; the
    /// rightmost free one when nil), and a subsampled plate scales their
    /// log-probabilities by size / subsampleSize. `body` receives the plate,
    /// whose `indices` (and `subsample`) select the present elements.
    @discardableResult
    public func plate<Output>(_ name: String, size: Int, subsampleSize: Int? = nil, dim: Int? = nil,
                              _ body: (PlateScope) throws -> Output) throws -> Output {
        let scope = try PlateScope.enter(name, size: size, subsampleSize: subsampleSize, dim: dim, in: self)
        return try withHandler(PlateMessenger(scope)) { try body(scope) }
    }

    private func requireName(_ name: String) throws {
        guard !name.isEmpty else { throw SVIError.invalidArgument("a site needs a non-empty name") }
    }
}
