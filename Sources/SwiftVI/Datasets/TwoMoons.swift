import RealModule

/// Two interleaved half circles in the plane with Gaussian noise, drawn as
/// scikit-learn's `make_moons` describes them: ⌊n/2⌋ points on the upper
/// circle (cos πt, sin πt) and the rest on the lower one
/// (1 − cos πt, 1/2 − sin πt), t evenly spaced on [0, 1]; the points shuffled,
/// then `noise` times standard normal draws added to each coordinate.
/// Depends only on `key`. Returns the points (shape [n, 2]) and their labels
/// (0 upper, 1 lower). Throws unless `count` ≥ 1 and `noise` ≥ 0 is finite.
public func makeMoons(count: Int, noise: Double, key: PRNGKey) throws -> (points: Tensor, labels: [Int]) {
    guard count >= 1 else { throw SVIError.invalidArgument("makeMoons: count must be at least 1; got \(count)") }
    guard noise >= 0, noise.isFinite else {
        throw SVIError.invalidArgument("makeMoons: noise must be non-negative and finite; got \(noise)")
    }
    let upper = count / 2, lower = count - upper
    func angles(_ n: Int) -> [Double] { (0..<n).map { n == 1 ? 0 : Double.pi * Double($0) / Double(n - 1) } }
    var points = angles(upper).map { [Double.cos($0), Double.sin($0)] }
        + angles(lower).map { [1 - Double.cos($0), 0.5 - Double.sin($0)] }
    var labels = [Int](repeating: 0, count: upper) + [Int](repeating: 1, count: lower)
    let keys = key.split(2)
    let order = subsampleIndices(size: count, count: count, key: keys[0])
    points = order.map { points[$0] }
    labels = order.map { labels[$0] }
    let jitter = keys[1].normal(2 * count)
    let flat = points.joined().enumerated().map { $0.element + noise * jitter[$0.offset] }
    return (Tensor(shape: [count, 2], scalars: flat), labels)
}
