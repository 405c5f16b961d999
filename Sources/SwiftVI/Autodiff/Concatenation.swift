extension Tensor {
    /// The elements of `parts`, one part after another in row-major order, as
    /// a vector. The parts recorded on a tape must share it.
    public static func concatenating(_ parts: [Tensor]) -> Tensor {
        let counts = parts.map(\.count)
        return result([counts.reduce(0, +)], parts.flatMap(\.scalars), parts) { g in
            var start = 0
            return counts.map { count in
                defer { start += count }
                return Array(g[start ..< start + count])
            }
        }
    }
}
