/// Observes sample sites at given values (NumPyro's `condition`): the value is
/// set and the site counts as observed.
final class ConditionMessenger: Messenger {
    private let observation: (SiteMessage) throws -> Tensor?

    init(_ observation: @escaping (SiteMessage) throws -> Tensor?) { self.observation = observation }

    func process(_ message: inout SiteMessage) throws {
        guard message.kind == .sample, let value = try observation(message) else { return }
        message.value = value
        message.isObserved = true
    }
}

extension Handlers {
    /// `program` with the sample sites named in `data` observed at those values.
    public static func condition<Output>(_ program: @escaping Program<Output>,
                                         data: [String: Tensor]) -> Program<Output> {
        wrap(program) { ConditionMessenger { data[$0.name] } }
    }

    /// `program` with each sample site for which `function` returns a value observed at it.
    public static func condition<Output>(_ program: @escaping Program<Output>,
                                         function: @escaping (SiteMessage) throws -> Tensor?) -> Program<Output> {
        wrap(program) { ConditionMessenger(function) }
    }
}
