/// `count` distinct indices drawn uniformly from 0..<size without replacement,
/// in the order drawn, depending only on `key`. The first `count` steps of a
/// Fisher–Yates shuffle, with the moved positions kept in a dictionary, so the
/// cost is O(count) in time and memory however large `size` is.
func subsampleIndices(size: Int, count: Int, key: PRNGKey) -> [Int] {
    precondition(count >= 0 && count <= size, "cannot pick \(count) of \(size) indices")
    var moved: [Int: Int] = [:]
    var picked: [Int] = []
    picked.reserveCapacity(count)
    var stream = 0
    for position in 0..<count {
        let other = position + uniformIndex(below: size - position, key: key, stream: &stream)
        picked.append(moved[other] ?? other)
        moved[other] = moved[position] ?? position
    }
    return picked
}

/// An integer uniform on 0..<bound from `key`'s stream starting at `stream`
/// (advanced past the bits used): 64-bit draws rejected below 2^64 mod bound,
/// so that the remainder is exactly uniform.
private func uniformIndex(below bound: Int, key: PRNGKey, stream: inout Int) -> Int {
    let range = UInt64(bound)
    let rejectBelow = (0 &- range) % range
    while true {
        let bits = key.bits(at: stream)
        stream += 1
        if bits >= rejectBelow { return Int(bits % range) }
    }
}
