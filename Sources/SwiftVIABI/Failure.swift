import CSwiftVI
import SwiftVI

/// A failure of an ABI call: its status code and message.
struct ABIFailure: Error {
    let status: svi_status
    let message: String

    static func null(_ name: String) -> ABIFailure {
        ABIFailure(status: SVI_E_NULL_POINTER, message: "\(name) is NULL")
    }
    static func invalid(_ message: String) -> ABIFailure {
        ABIFailure(status: SVI_E_INVALID_ARGUMENT, message: message)
    }
    static func shape(_ message: String) -> ABIFailure {
        ABIFailure(status: SVI_E_SHAPE_MISMATCH, message: message)
    }
}

extension SVIError {
    /// The status code that reports this error.
    var status: svi_status {
        switch self {
        case .invalidArgument: SVI_E_INVALID_ARGUMENT
        case .shapeMismatch: SVI_E_SHAPE_MISMATCH
        case .callbackFailed: SVI_E_CALLBACK_FAILED
        case .stopped: SVI_E_STOPPED
        case .numerical: SVI_E_NUMERICAL
        case .notImplemented: SVI_E_NOT_IMPLEMENTED
        }
    }
}

/// Runs the body of an ABI function, turning any error into its status code
/// and this thread's last-error message.
func abiCall(_ function: String, _ body: () throws -> Void) -> svi_status {
    do {
        try body()
        return SVI_OK
    } catch let failure as ABIFailure {
        setLastError("\(function): \(failure.message)")
        return failure.status
    } catch let error as SVIError {
        setLastError("\(function): \(error.message)")
        return error.status
    } catch {
        setLastError("\(function): \(error)")
        return SVI_E_INVALID_ARGUMENT
    }
}
