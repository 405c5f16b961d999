/// The Threefry-2x32 block cipher with 20 rounds (Salmon et al., "Parallel random
/// numbers: as easy as 1, 2, 3", SC 2011): a bijection of 64-bit counters keyed by
/// 64 bits, the generator behind `PRNGKey`.
enum Threefry {
    private static let rotations: [UInt32] = [13, 15, 26, 6, 17, 29, 16, 24]

    /// Encrypts the counter `(x0, x1)` under the key `(k0, k1)`.
    static func hash(_ k0: UInt32, _ k1: UInt32, _ x0: UInt32, _ x1: UInt32) -> (UInt32, UInt32) {
        let ks = (k0, k1, k0 ^ k1 ^ 0x1BD1_1BDA)
        var a = x0 &+ ks.0
        var b = x1 &+ ks.1
        for group in 0..<5 {
            for r in 0..<4 {
                let s = rotations[(group % 2) * 4 + r]
                a &+= b
                b = (b << s) | (b >> (32 - s))
                b ^= a
            }
            let injection = UInt32(group + 1)
            switch group % 3 {
            case 0: a &+= ks.1; b &+= ks.2 &+ injection
            case 1: a &+= ks.2; b &+= ks.0 &+ injection
            default: a &+= ks.0; b &+= ks.1 &+ injection
            }
        }
        return (a, b)
    }
}
