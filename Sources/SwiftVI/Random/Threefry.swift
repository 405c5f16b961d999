/// The Threefry-2x32 block cipher with 20 rounds (Salmon et al., "Parallel random
/// numbers: as easy as 1, 2, 3", SC 2011): a bijection of 64-bit counters keyed by
/// 64 bits, the generator behind `PRNGKey`.
enum Threefry {
    /// Encrypts the counter `(x0, x1)` under the key `(k0, k1)`: five groups of
    /// four rounds (rotations 13, 15, 26, 6 then 17, 29, 16, 24, alternating),
    /// each followed by a key injection; written out straight so that it
    /// compiles to branch-free code.
    static func hash(_ k0: UInt32, _ k1: UInt32, _ x0: UInt32, _ x1: UInt32) -> (UInt32, UInt32) {
        let k2 = k0 ^ k1 ^ 0x1BD1_1BDA
        var a = x0 &+ k0
        var b = x1 &+ k1
        @inline(__always) func round(_ s: UInt32) {
            a &+= b
            b = (b &<< s) | (b &>> (32 - s))
            b ^= a
        }
        @inline(__always) func evenGroup() { round(13); round(15); round(26); round(6) }
        @inline(__always) func oddGroup() { round(17); round(29); round(16); round(24) }
        evenGroup(); a &+= k1; b &+= k2 &+ 1
        oddGroup(); a &+= k2; b &+= k0 &+ 2
        evenGroup(); a &+= k0; b &+= k1 &+ 3
        oddGroup(); a &+= k1; b &+= k2 &+ 4
        evenGroup(); a &+= k2; b &+= k0 &+ 5
        return (a, b)
    }
}
