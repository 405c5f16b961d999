/// The errors SwiftVI reports. Each carries a message that names what was wrong.
public enum SVIError: Error, Equatable, CustomStringConvertible {
    /// An argument is outside its domain: a non-positive scale, a NaN, an unknown name.
    case invalidArgument(String)
    /// Shapes or lengths of arrays do not agree.
    case shapeMismatch(String)
    /// A user callback reported failure or returned malformed results.
    case callbackFailed(String)
    /// A progress callback asked the run to stop.
    case stopped(String)
    /// A computation gave a non-finite result.
    case numerical(String)
    /// The operation has no implementation for these arguments.
    case notImplemented(String)

    /// The message alone.
    public var message: String {
        switch self {
        case .invalidArgument(let m), .shapeMismatch(let m), .callbackFailed(let m),
             .stopped(let m), .numerical(let m), .notImplemented(let m):
            return m
        }
    }

    public var description: String { message }
}

extension SVIError {
    /// The same error with `prefix` put before its message.
    func prefixed(_ prefix: String) -> SVIError {
        switch self {
        case .invalidArgument(let m): .invalidArgument(prefix + m)
        case .shapeMismatch(let m): .shapeMismatch(prefix + m)
        case .callbackFailed(let m): .callbackFailed(prefix + m)
        case .stopped(let m): .stopped(prefix + m)
        case .numerical(let m): .numerical(prefix + m)
        case .notImplemented(let m): .notImplemented(prefix + m)
        }
    }
}
