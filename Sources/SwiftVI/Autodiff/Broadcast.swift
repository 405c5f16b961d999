/// The shape that arrays of shapes `a` and `b` broadcast to under NumPy's
/// rules, or nil when they do not broadcast.
public func broadcastShapes(_ a: [Int], _ b: [Int]) -> [Int]? {
    let rank = max(a.count, b.count)
    var out = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
        let x = i < rank - a.count ? 1 : a[i - (rank - a.count)]
        let y = i < rank - b.count ? 1 : b[i - (rank - b.count)]
        guard x == y || x == 1 || y == 1 else { return nil }
        out[i] = x == 1 ? y : x
    }
    return out
}

/// The shape that all of `shapes` broadcast to, or nil.
public func broadcastShapes(_ shapes: [[Int]]) -> [Int]? {
    shapes.reduce([Int]?([])) { acc, s in acc.flatMap { broadcastShapes($0, s) } }
}

/// For each element of an array of shape `result`, the offset of the element of
/// an array of shape `shape` broadcast onto it; nil when the shapes are equal.
func broadcastOffsets(_ shape: [Int], to result: [Int]) -> [Int]? {
    if shape == result { return nil }
    let rank = result.count
    var strides = [Int](repeating: 0, count: rank)
    var step = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
        let r = i + rank - shape.count
        strides[r] = shape[i] == 1 ? 0 : step
        step *= shape[i]
    }
    let total = result.reduce(1, *)
    var offsets = [Int](repeating: 0, count: total)
    var index = [Int](repeating: 0, count: rank)
    var offset = 0
    for k in 0..<total {
        offsets[k] = offset
        var d = rank - 1
        while d >= 0 {
            index[d] += 1
            offset += strides[d]
            if index[d] < result[d] { break }
            offset -= strides[d] * index[d]
            index[d] = 0
            d -= 1
        }
    }
    return offsets
}

/// Sums `grad` (over a broadcast result) back onto the `count` elements of the
/// operand that `offsets` maps from; `grad` itself when nothing was broadcast.
func unbroadcast(_ grad: [Double], _ offsets: [Int]?, count: Int) -> [Double] {
    guard let offsets else { return grad }
    var out = [Double](repeating: 0, count: count)
    for (k, o) in offsets.enumerated() { out[o] += grad[k] }
    return out
}
