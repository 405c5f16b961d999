/// A transform from unconstrained reals onto `constraint` (NumPyro's `biject_to`):
///
/// | constraint | transform |
/// |---|---|
/// | real | `IdentityTransform` |
/// | realVector | `IdentityTransform` with one event dimension |
/// | positive, nonnegative | `ExpTransform` |
/// | greaterThan(a) | `ExpTransform`, then `AffineTransform(a, 1)` on (0, ∞) |
/// | lessThan(b) | `ExpTransform`, then `AffineTransform(b, -1)` on (0, ∞) |
/// | unitInterval | `SigmoidTransform` |
/// | interval(a, b) | `SigmoidTransform`, then `AffineTransform(a, b - a)` on [0, 1] |
/// | simplex | `StickBreakingTransform` |
/// | lowerTriangular | `FillTriangular` |
/// | lowerCholesky | `LowerCholeskyTransform` |
/// | positiveDefinite | `LowerCholeskyTransform`, then L ↦ L Lᵀ (`CholeskyTransform().inverted`) |
/// | corrCholesky | `CorrCholeskyTransform` |
/// | independent(c, n) | `IndependentTransform(bijectTo(c), n)` |
///
/// Throws `SVIError.notImplemented` for discrete constraints, and
/// `invalidArgument` for bounds that are not finite or an interval whose low
/// end is not below its high end.
public func bijectTo(_ constraint: Constraint) throws -> any Transform {
    switch constraint {
    case .real: return IdentityTransform()
    case .realVector: return try IndependentTransform(IdentityTransform(), reinterpretedDims: 1)
    case .positive, .nonnegative: return ExpTransform()
    case .greaterThan(let a):
        try ParameterCheck.finite(a, "greater_than", "lower_bound")
        return try ComposeTransform([ExpTransform(), AffineTransform(loc: a, scale: Tensor(1), domain: .positive)])
    case .lessThan(let b):
        try ParameterCheck.finite(b, "less_than", "upper_bound")
        return try ComposeTransform([ExpTransform(), AffineTransform(loc: b, scale: Tensor(-1), domain: .positive)])
    case .unitInterval: return SigmoidTransform()
    case .interval(let a, let b):
        try ParameterCheck.finite(a, "interval", "lower_bound")
        try ParameterCheck.finite(b, "interval", "upper_bound")
        _ = try ParameterCheck.batchShape("interval", [("lower_bound", a), ("upper_bound", b)])
        let width = (b - a).detached
        try ParameterCheck.require(width, "interval", "upper_bound - lower_bound", "positive and finite") {
            $0 > 0 && $0.isFinite
        }
        return try ComposeTransform([SigmoidTransform(), AffineTransform(loc: a, scale: width, domain: .unitInterval)])
    case .simplex: return StickBreakingTransform()
    case .lowerTriangular: return FillTriangular()
    case .lowerCholesky: return LowerCholeskyTransform()
    case .positiveDefinite: return try ComposeTransform([LowerCholeskyTransform(), CholeskyTransform().inverted])
    case .corrCholesky: return CorrCholeskyTransform()
    case .independent(let base, let dims): return try IndependentTransform(bijectTo(base), reinterpretedDims: dims)
    case .boolean, .nonnegativeInteger, .integerInterval:
        throw SVIError.notImplemented("bijectTo: \(constraint.name) is a discrete constraint; no bijection from the reals reaches it")
    }
}
