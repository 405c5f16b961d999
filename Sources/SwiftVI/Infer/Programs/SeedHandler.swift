/// Gives each sample site that has no value (and is not observed) and each
/// subsampled plate its own key, split off from the handler's key in the order
/// the sites come (NumPyro's `seed`).
final class SeedMessenger: Messenger {
    private var key: PRNGKey

    init(key: PRNGKey) { self.key = key }

    func process(_ message: inout SiteMessage) throws {
        let needsKey = switch message.kind {
        case .sample: !message.isObserved && message.key == nil
        case .plate: true
        case .param, .deterministic: false
        }
        guard needsKey, message.value == nil else { return }
        let keys = key.split(2)
        key = keys[0]
        message.key = keys[1]
    }
}

extension Handlers {
    /// `program` with its random draws and subsamples made from `key`: each run
    /// starts from `key`, so the draws depend only on it (and on the order of the sites).
    public static func seed<Output>(_ program: @escaping Program<Output>, key: PRNGKey) -> Program<Output> {
        wrap(program) { SeedMessenger(key: key) }
    }
}
