import CSwiftVI
import Glibc
import SwiftVI

/// The per-thread message of the last failed call, a malloc'd C string.
private let messageKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key) { free($0) }
    return key
}()

private let emptyMessage: StaticString = ""

/// Records `message` as this thread's last error.
func setLastError(_ message: String) {
    free(pthread_getspecific(messageKey))
    pthread_setspecific(messageKey, strdup(message))
}

@c @implementation
public func svi_last_error_message() -> UnsafePointer<CChar>? {
    if let message = pthread_getspecific(messageKey) {
        return UnsafePointer(message.assumingMemoryBound(to: CChar.self))
    }
    return UnsafeRawPointer(emptyMessage.utf8Start).assumingMemoryBound(to: CChar.self)
}

private let statusNames: [StaticString] = [
    "SVI_OK", "SVI_E_NULL_POINTER", "SVI_E_INVALID_ARGUMENT", "SVI_E_SHAPE_MISMATCH",
    "SVI_E_STALE_HANDLE", "SVI_E_WRONG_HANDLE_KIND", "SVI_E_CALLBACK_FAILED", "SVI_E_STOPPED",
    "SVI_E_NUMERICAL", "SVI_E_NOT_IMPLEMENTED", "SVI_E_VERSION_MISMATCH",
]
private let unknownStatus: StaticString = "SVI_E_UNKNOWN"

@c @implementation
public func svi_status_string(_ code: svi_status) -> UnsafePointer<CChar>? {
    let name = statusNames.indices.contains(Int(code)) ? statusNames[Int(code)] : unknownStatus
    return UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)
}
