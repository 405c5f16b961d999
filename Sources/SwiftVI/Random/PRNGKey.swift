import RealModule

/// A counter-based, splittable random key, as in JAX. The numbers a key gives
/// depend only on the key, never on call order or thread; derive independent
/// streams with `split` and `foldIn` rather than reusing a key.
public struct PRNGKey: Hashable, Sendable {
    /// The two 32-bit words of the key.
    public var words: (UInt32, UInt32)

    /// The key of the given words.
    public init(words: (UInt32, UInt32)) { self.words = words }

    /// The key for `seed`; equal to JAX's `PRNGKey(seed)` for seeds below 2^32.
    public init(seed: UInt64) {
        words = (UInt32(truncatingIfNeeded: seed >> 32), UInt32(truncatingIfNeeded: seed))
    }

    public static func == (a: PRNGKey, b: PRNGKey) -> Bool { a.words == b.words }
    public func hash(into h: inout Hasher) { h.combine(words.0); h.combine(words.1) }

    /// `count` independent keys derived from this one (JAX's `random.split`).
    public func split(_ count: Int = 2) -> [PRNGKey] {
        precondition(count >= 0, "split count must be non-negative")
        let n = UInt32(truncatingIfNeeded: count)
        var firsts = [UInt32](repeating: 0, count: count)
        var seconds = [UInt32](repeating: 0, count: count)
        for i in 0..<count {
            (firsts[i], seconds[i]) = Threefry.hash(words.0, words.1, UInt32(i), n &+ UInt32(i))
        }
        let flat = firsts + seconds
        return (0..<count).map { PRNGKey(words: (flat[2 * $0], flat[2 * $0 + 1])) }
    }

    /// The key obtained by folding `data` into this one (JAX's `random.fold_in`).
    public func foldIn(_ data: UInt32) -> PRNGKey {
        let (a, b) = Threefry.hash(words.0, words.1, 0, data)
        return PRNGKey(words: (a, b))
    }

    /// The 64 random bits at position `index` of this key's stream.
    func bits(at index: Int) -> UInt64 {
        let i = UInt64(truncatingIfNeeded: index)
        let (a, b) = Threefry.hash(words.0, words.1, UInt32(truncatingIfNeeded: i), UInt32(truncatingIfNeeded: i >> 32))
        return UInt64(a) << 32 | UInt64(b)
    }

    /// `count` uniform draws from the open interval (0, 1), on a grid of 2^-53.
    public func uniform(_ count: Int) -> [Double] {
        (0..<count).map(uniform(at:))
    }

    /// The uniform draw at position `index` of this key's stream (element `index`
    /// of `uniform(n)` for any n > index): lets rejection samplers consume the
    /// stream one draw at a time without allocating.
    func uniform(at index: Int) -> Double {
        Double(bits(at: index) >> 11) * 0x1p-53 + 0x1p-54
    }

    /// `count` standard normal draws, by inversion of uniform draws.
    public func normal(_ count: Int) -> [Double] {
        [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            fillNormal(buffer.baseAddress!, count: count)
            initialized = count
        }
    }

    /// Writes `normal(count)` into `out` without allocating.
    func fillNormal(_ out: UnsafeMutablePointer<Double>, count: Int) {
        for i in 0..<count { out[i] = standardNormalQuantile(uniform(at: i)) }
    }

    /// `split(2)` without allocating: the key for what comes next, and one for this use.
    func splitPair() -> (PRNGKey, PRNGKey) {
        let (f0, s0) = Threefry.hash(words.0, words.1, 0, 2)
        let (f1, s1) = Threefry.hash(words.0, words.1, 1, 3)
        return (PRNGKey(words: (f0, f1)), PRNGKey(words: (s0, s1)))
    }
}
