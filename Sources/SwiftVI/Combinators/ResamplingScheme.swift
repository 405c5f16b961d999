/// How `resample` picks ancestors: K indices into K weighted particles, each
/// particle's expected number of copies K times its normalized weight, so
/// weighted averages stay unbiased.
public enum ResamplingScheme: Sendable {
    /// K independent draws from the categorical distribution of the weights.
    case multinomial
    /// One uniform u in [0, 1/K) and the K points u + k/K through the
    /// cumulative weights (lower variance than multinomial).
    case systematic

    /// `probabilities.count` ancestor indices for normalized `probabilities`,
    /// depending only on `key`.
    public func ancestors(_ probabilities: [Double], key: PRNGKey) -> [Int] {
        let k = probabilities.count
        var cumulative = [Double](repeating: 0, count: k)
        var total = 0.0
        for (i, p) in probabilities.enumerated() {
            total += p
            cumulative[i] = total
        }
        let positions: [Double]
        switch self {
        case .multinomial: positions = key.uniform(k).map { $0 * total }.sorted()
        case .systematic:
            let u = key.uniform(1)[0]
            positions = (0..<k).map { (Double($0) + u) / Double(k) * total }
        }
        var result: [Int] = [], index = 0
        result.reserveCapacity(k)
        for position in positions {
            while index < k - 1 && cumulative[index] <= position { index += 1 }
            result.append(index)
        }
        return result
    }
}
