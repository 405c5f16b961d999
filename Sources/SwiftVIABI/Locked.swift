import Glibc

/// A value guarded by a pthread mutex. The ABI's shared tables use it rather
/// than the standard library's `Mutex`, whose lock on Linux ThreadSanitizer
/// cannot see (the uninstrumented runtime's atomics and futex calls), so that
/// the thread tests under ThreadSanitizer check the real synchronization.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init(_ value: Value) {
        self.value = value
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value.
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
