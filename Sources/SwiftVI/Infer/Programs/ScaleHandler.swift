/// Multiplies the scale of sample, param and plate sites by a positive factor
/// (NumPyro's `scale`), so their log-probabilities count that many times.
final class ScaleMessenger: Messenger {
    private let factor: Double

    init(factor: Double) { self.factor = factor }

    func process(_ message: inout SiteMessage) throws {
        guard message.kind != .deterministic else { return }
        message.scale = factor * (message.scale ?? 1)
    }
}

extension Handlers {
    /// `program` with its sites' log-probabilities multiplied by `factor`.
    /// Throws unless `factor` is positive and finite.
    public static func scale<Output>(_ program: @escaping Program<Output>, by factor: Double) throws -> Program<Output> {
        guard factor > 0, factor.isFinite else {
            throw SVIError.invalidArgument("scale: the factor must be positive and finite; got \(factor)")
        }
        return wrap(program) { ScaleMessenger(factor: factor) }
    }
}
