/// An effect handler (NumPyro's `Messenger`): it sees every site message sent
/// while it is on a context's stack. `process` runs before the site's value is
/// filled in, innermost handler first; `postprocess` runs after, outermost
/// handler first. A handler hides a message from those outside it by setting
/// `stop`. Handlers are made afresh for each run of a program, so their state
/// (a seed's key, a trace's sites) belongs to that run.
public protocol Messenger: AnyObject {
    /// Sees (and may change) a message before its value is filled in.
    func process(_ message: inout SiteMessage) throws
    /// Sees (and may change) a message after its value is filled in.
    func postprocess(_ message: inout SiteMessage) throws
}

extension Messenger {
    public func process(_ message: inout SiteMessage) throws {}
    public func postprocess(_ message: inout SiteMessage) throws {}
}
