/// How a latent block's values relate to the unconstrained coordinates of a point.
extension LatentBlock {
    /// Two blocks are equal when their names, sizes, kinds and constraints (by
    /// name and bound values) agree.
    public static func == (a: LatentBlock, b: LatentBlock) -> Bool {
        a.name == b.name && a.size == b.size && a.kind == b.kind && a.constraint.name == b.constraint.name
            && a.bounds.map(\.shape) == b.bounds.map(\.shape) && a.bounds.map(\.scalars) == b.bounds.map(\.scalars)
    }

    /// The constraint with any `independent` wrappers removed: a block's values
    /// form one flat vector, so reinterpreting batch dimensions as event
    /// dimensions changes nothing about how they map to coordinates (NumPyro's
    /// biject_to of independent(c) is the independent transform of biject_to(c)).
    var baseConstraint: Constraint {
        var base = constraint
        while case .independent(let inner, _) = base { base = inner }
        return base
    }

    /// The bounds of an interval, greaterThan or lessThan constraint (none for the others).
    private var bounds: [Tensor] {
        switch baseConstraint {
        case .interval(let low, let high): [low, high]
        case .greaterThan(let bound), .lessThan(let bound): [bound]
        default: []
        }
    }

    /// The side n of the n × n matrices of a matrix constraint; nil for the others.
    private var matrixSide: Int? {
        switch baseConstraint {
        case .lowerTriangular, .lowerCholesky, .positiveDefinite, .corrCholesky:
            Int(Double(size).squareRoot().rounded())
        default: nil
        }
    }

    /// The shape of one draw of the values: [n, n] for a matrix constraint, else [size].
    public var shape: [Int] { matrixSide.map { [$0, $0] } ?? [size] }

    /// The number of unconstrained coordinates the block takes in a point.
    public var unconstrainedSize: Int {
        switch baseConstraint {
        case .simplex: size - 1
        case .corrCholesky: matrixSide.map { $0 * ($0 - 1) / 2 } ?? size
        default: matrixSide.map { $0 * ($0 + 1) / 2 } ?? size
        }
    }

    /// Throws `invalidArgument` unless the constraint is one a block supports
    /// (real, realVector, positive, nonnegative, unitInterval, interval,
    /// greaterThan, lessThan, simplex, lowerTriangular, lowerCholesky,
    /// positiveDefinite, corrCholesky, and independent over one of the
    /// elementwise ones or realVector) and fits the size: a simplex needs
    /// K ≥ 2 values, a matrix constraint n·n of them (n ≥ 2 for corrCholesky),
    /// and bounds must be finite scalars or vectors of `size` elements (an
    /// interval's low end below its high end). With `allowingDiscrete` (a
    /// program's latent sites, which a `ProgramGuide` draws) the discrete
    /// constraints are accepted too; their values are their own coordinates.
    func checkConstraint(allowingDiscrete: Bool = false) throws {
        if case .independent = constraint, baseConstraint.eventDim > 0, !isUnconstrained {
            throw SVIError.invalidArgument(
                "latent block '\(name)' (\(constraint.name)): independent is supported for a latent block only over an elementwise constraint or real_vector")
        }
        if allowingDiscrete, baseConstraint.isDiscrete { return }
        let problem: String?
        switch baseConstraint {
        case .real, .realVector, .positive, .nonnegative, .unitInterval, .interval, .greaterThan, .lessThan:
            problem = bounds.contains { $0.count != 1 && $0.shape != [size] }
                ? "bounds must be scalars or vectors of \(size) elements" : nil
        case .simplex:
            problem = size >= 2 ? nil : "a simplex needs at least 2 values; got \(size)"
        case .lowerTriangular, .lowerCholesky, .positiveDefinite, .corrCholesky:
            var least = 1
            if case .corrCholesky = baseConstraint { least = 2 }
            let n = matrixSide!
            problem = n * n == size && n >= least
                ? nil : "needs the n·n values of an n × n matrix (n ≥ \(least)); got \(size)"
        default:
            problem = "is not supported for a latent block"
        }
        if let problem {
            throw SVIError.invalidArgument("latent block '\(name)' (\(constraint.name)): \(problem)")
        }
        do {
            _ = try bijectTo(baseConstraint)
        } catch let error as SVIError {
            throw error.prefixed("latent block '\(name)': ")
        }
    }

    /// Whether the values are the coordinates themselves.
    var isUnconstrained: Bool {
        switch baseConstraint {
        case .real, .realVector: true
        default: false
        }
    }
}

/// The blocks' values at each row of `points` (shape [S, Σ unconstrainedSize],
/// the blocks' unconstrained coordinates one after another) and the
/// log-determinant of the map from coordinates to values: shapes [S, Σ size]
/// (each block's values row-major, one block after another) and [S]. Both are
/// recorded on the tape of `points` if it is on one.
func constrainLatents(_ blocks: [LatentBlock], _ points: Tensor) throws -> (values: Tensor, logDet: Tensor) {
    guard !blocks.allSatisfy(\.isUnconstrained) else { return (points, Tensor.zeros([points.shape[0]])) }
    let (parts, logDet) = try constrainBlocks(blocks, points)
    return (interleavingRows(parts, rows: points.shape[0]), logDet)
}

/// Each block's values at each row of `points` (shape [S, size] per block) and
/// the summed log-determinant of the maps, shape [S].
func constrainBlocks(_ blocks: [LatentBlock], _ points: Tensor) throws -> (values: [Tensor], logDet: Tensor) {
    let rows = points.shape[0], width = points.shape[1]
    var parts: [Tensor] = [], logDet = Tensor.zeros([rows]), start = 0
    for block in blocks {
        let m = block.unconstrainedSize, first = start
        start += m
        let u = points.gathering((0..<rows).flatMap { r in r * width + first ..< r * width + first + m }, shape: [rows, m])
        guard !block.isUnconstrained else {
            parts.append(u)
            continue
        }
        let transform = try bijectTo(block.baseConstraint)
        let x = try transform.forward(u)
        let jacobian = try transform.logAbsDetJacobian(u, x)
        logDet = logDet + jacobian.summingRightmost(jacobian.rank - 1)
        parts.append(x.reshaped([rows, block.size]))
    }
    return (parts, logDet)
}

/// The matrices `parts` (each [rows, cᵢ]) side by side: shape [rows, Σ cᵢ].
private func interleavingRows(_ parts: [Tensor], rows: Int) -> Tensor {
    let widths = parts.map { $0.count / max(rows, 1) }, total = widths.reduce(0, +)
    var partStarts: [Int] = [], offset = 0
    for part in parts {
        partStarts.append(offset)
        offset += part.count
    }
    let offsets = (0..<rows).flatMap { r in
        parts.indices.flatMap { i in partStarts[i] + r * widths[i] ..< partStarts[i] + (r + 1) * widths[i] }
    }
    return Tensor.concatenating(parts).gathering(offsets, shape: [rows, total])
}
