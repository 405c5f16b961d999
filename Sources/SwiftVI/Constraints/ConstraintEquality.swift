extension Constraint: Equatable {
    /// Two constraints are equal when they are the same kind with equal bounds
    /// (same shapes and elements) and equal base constraints.
    public static func == (a: Constraint, b: Constraint) -> Bool {
        switch (a, b) {
        case (.interval(let l1, let h1), .interval(let l2, let h2)),
             (.integerInterval(let l1, let h1), .integerInterval(let l2, let h2)):
            return sameTensor(l1, l2) && sameTensor(h1, h2)
        case (.greaterThan(let x), .greaterThan(let y)), (.lessThan(let x), .lessThan(let y)):
            return sameTensor(x, y)
        case (.independent(let c1, let d1), .independent(let c2, let d2)):
            return d1 == d2 && c1 == c2
        default:
            return a.name == b.name
        }
    }

    private static func sameTensor(_ x: Tensor, _ y: Tensor) -> Bool { x.shape == y.shape && x.scalars == y.scalars }
}
