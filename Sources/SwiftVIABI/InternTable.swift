import Glibc

/// C strings interned for the life of the process, for functions that return
/// names with static storage duration.
final class InternTable: Sendable {
    private let table = Locked<[String: Int]>([:])

    /// The interned copy of `s`.
    func pointer(_ s: String) -> UnsafePointer<CChar> {
        let address = table.withLock { t in
            if let a = t[s] { return a }
            let a = Int(bitPattern: strdup(s))
            t[s] = a
            return a
        }
        return UnsafePointer(bitPattern: address)!
    }
}
