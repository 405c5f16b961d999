/// Hides sites from the handlers outside it (NumPyro's `block`): an outer
/// trace does not record them and outer substitutes, conditions and seeds do
/// not touch them.
final class BlockMessenger: Messenger {
    private let hides: (SiteMessage) -> Bool

    init(hiding hides: @escaping (SiteMessage) -> Bool) { self.hides = hides }

    func process(_ message: inout SiteMessage) throws {
        if hides(message) { message.stop = true }
    }
}

extension Handlers {
    /// `program` with the sites for which `hides` is true (all by default)
    /// hidden from the handlers outside.
    public static func block<Output>(_ program: @escaping Program<Output>,
                                     hiding hides: @escaping (SiteMessage) -> Bool = { _ in true }) -> Program<Output> {
        wrap(program) { BlockMessenger(hiding: hides) }
    }

    /// `program` with the sites named in `hide` hidden from the handlers outside.
    public static func block<Output>(_ program: @escaping Program<Output>, hide: Set<String>) -> Program<Output> {
        block(program) { hide.contains($0.name) }
    }

    /// `program` with every site not named in `expose` hidden from the handlers outside.
    public static func block<Output>(_ program: @escaping Program<Output>, expose: Set<String>) -> Program<Output> {
        block(program) { !expose.contains($0.name) }
    }
}
