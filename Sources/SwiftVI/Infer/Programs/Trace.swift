/// The sites of one run of a program, in the order their values were settled
/// (NumPyro's trace): each site's final message with its name, kind,
/// distribution, value, observed flag, scale and plates.
public struct Trace {
    /// The sites in order.
    public private(set) var sites: [SiteMessage] = []
    private var positions: [String: Int] = [:]

    /// An empty trace.
    public init() {}

    /// Runs `program` in a fresh context under a trace handler and returns the trace.
    public static func record<Output>(_ program: @escaping Program<Output>) throws -> Trace {
        try Handlers.trace(program)(ProgramContext()).trace
    }

    /// The site called `name`, if the program visited it.
    public subscript(name: String) -> SiteMessage? { positions[name].map { sites[$0] } }

    /// Adds `site`. A param or plate seen again replaces its earlier record; a
    /// sample or deterministic site seen twice throws.
    mutating func record(_ site: SiteMessage) throws {
        guard let position = positions[site.name] else {
            positions[site.name] = sites.count
            sites.append(site)
            return
        }
        guard site.kind == sites[position].kind, site.kind == .param || site.kind == .plate else {
            throw SVIError.invalidArgument("site name '\(site.name)' is used twice; sites need distinct names")
        }
        sites[position] = site
    }

    /// The log joint density of the run: the sum over sample sites (observed
    /// and latent) of each site's log-probability times its scale. A scalar,
    /// recorded on the tape of the values or parameters if any is.
    public func logJoint() throws -> Tensor {
        try sites.filter { $0.kind == .sample }.reduce(Tensor(0)) { $0 + (try $1.scaledLogProbSum()) }
    }
}

/// Records every message that reaches it, after its value is settled (NumPyro's `trace`).
final class TraceMessenger: Messenger {
    private(set) var trace = Trace()

    func postprocess(_ message: inout SiteMessage) throws {
        try trace.record(message)
    }
}

extension Handlers {
    /// `program` returning, beside its output, the trace of the sites that
    /// reached this handler.
    public static func trace<Output>(_ program: @escaping Program<Output>) -> Program<(output: Output, trace: Trace)> {
        { context in
            let recorder = TraceMessenger()
            let output = try context.withHandler(recorder) { try program(context) }
            return (output, recorder.trace)
        }
    }
}
