/// `count` distinct indices drawn uniformly from 0..<size without replacement,
/// in the order drawn, depending only on `key` (see `fillSubsampleIndices`).
func subsampleIndices(size: Int, count: Int, key: PRNGKey) -> [Int] {
    precondition(count >= 0 && count <= size, "cannot pick \(count) of \(size) indices")
    var table = [Int](repeating: 0, count: subsampleTableCount(count))
    return [Int](unsafeUninitializedCapacity: count) { buffer, initialized in
        table.withUnsafeMutableBufferPointer { fillSubsampleIndices(buffer, size: size, key: key, table: $0) }
        initialized = count
    }
}

/// The number of `Int`s the table of `fillSubsampleIndices` needs for `count` draws.
func subsampleTableCount(_ count: Int) -> Int {
    var capacity = 1
    while capacity < 2 * count { capacity *= 2 }
    return 2 * capacity
}

/// Fills `out` with `out.count` distinct indices drawn uniformly from
/// 0..<size without replacement, in the order drawn, depending only on `key`:
/// the first steps of a Fisher–Yates shuffle, with the moved positions kept in
/// `table` (`subsampleTableCount(out.count)` entries, an open-addressing hash
/// map), so the cost is O(count) in time and memory however large `size` is,
/// and nothing is allocated.
func fillSubsampleIndices(_ out: UnsafeMutableBufferPointer<Int>, size: Int, key: PRNGKey,
                          table: UnsafeMutableBufferPointer<Int>) {
    let capacity = table.count / 2, mask = capacity - 1
    for i in 0..<capacity { table[i] = -1 }
    /// The slot of `position`: where it is stored, or the empty slot where it would go.
    func slot(_ position: Int) -> Int {
        var i = Int(truncatingIfNeeded: (UInt64(position) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        while table[i] != -1 && table[i] != position { i = (i + 1) & mask }
        return i
    }
    func moved(_ position: Int) -> Int {
        let i = slot(position)
        return table[i] == -1 ? position : table[capacity + i]
    }
    var stream = 0
    for position in 0..<out.count {
        let other = position + uniformIndex(below: size - position, key: key, stream: &stream)
        out[position] = moved(other)
        let value = moved(position), i = slot(other)
        table[i] = other
        table[capacity + i] = value
    }
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
