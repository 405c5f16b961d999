/// Turns observed sample sites back into latent draws (Pyro's `uncondition`):
/// their values are dropped, so an outer seed draws them from their distributions.
final class UnconditionMessenger: Messenger {
    func process(_ message: inout SiteMessage) throws {
        guard message.kind == .sample, message.isObserved else { return }
        message.value = nil
        message.isObserved = false
    }
}

extension Handlers {
    /// `program` with its observed sample sites drawn instead (for posterior
    /// predictive draws): run it under `Handlers.seed`.
    public static func uncondition<Output>(_ program: @escaping Program<Output>) -> Program<Output> {
        wrap(program) { UnconditionMessenger() }
    }
}
