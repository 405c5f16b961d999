/// Replaces the values of sample, param, deterministic and plate sites
/// (NumPyro's `substitute`); an observed sample site stays observed.
final class SubstituteMessenger: Messenger {
    private let replacement: (SiteMessage) throws -> Tensor?

    init(_ replacement: @escaping (SiteMessage) throws -> Tensor?) { self.replacement = replacement }

    func process(_ message: inout SiteMessage) throws {
        if let value = try replacement(message) { message.value = value }
    }
}

extension Handlers {
    /// `program` with the sites named in `data` taking those values (a plate's
    /// value is its subsample indices).
    public static func substitute<Output>(_ program: @escaping Program<Output>,
                                          data: [String: Tensor]) -> Program<Output> {
        wrap(program) { SubstituteMessenger { data[$0.name] } }
    }

    /// `program` with each site for which `function` returns a value taking it.
    public static func substitute<Output>(_ program: @escaping Program<Output>,
                                          function: @escaping (SiteMessage) throws -> Tensor?) -> Program<Output> {
        wrap(program) { SubstituteMessenger(function) }
    }
}
