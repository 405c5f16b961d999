/// The normal distribution over vectors of length D with mean `loc` and
/// covariance W Wᵀ + diag(d), for a D × r `cov_factor` W and a positive
/// `cov_diag` d. Densities cost O(D r²) through the Woodbury identity and the
/// matrix determinant lemma, never a dense D × D factorization. Batch shapes
/// broadcast from `loc` (`[..., D]` or a scalar), `cov_factor` (`[..., D, r]`)
/// and `cov_diag` (`[..., D]`), as in NumPyro.
public struct LowRankMultivariateNormal: Distribution, MultivariateGaussian {
    /// The mean, shape `batchShape + [D]`.
    public let loc: Tensor
    /// W, shape `[..., D, r]`.
    public let covFactor: Tensor
    /// d, shape `[..., D]`.
    public let covDiag: Tensor
    public let batchShape: [Int]
    /// W scaled row by row by d^(-1/2): D^(-1/2) W.
    private let whitenedFactor: Tensor
    /// The lower Cholesky factor of the r × r capacitance matrix I + Wᵀ D⁻¹ W.
    private let capacitanceTril: Tensor

    /// Throws unless the parameters are finite, `cov_diag` is positive, and
    /// the shapes fit: W has rank ≥ 2 with D rows and r ≥ 1 columns, d ends in
    /// D, and the batch shapes broadcast.
    public init(loc: Tensor, covFactor: Tensor, covDiag: Tensor) throws {
        let family = "LowRankMultivariateNormal"
        try VectorParameterCheck.rank(covFactor, 2, family, "cov_factor")
        try VectorParameterCheck.rank(covDiag, 1, family, "cov_diag")
        try ParameterCheck.finite(covFactor, family, "cov_factor")
        try ParameterCheck.positive(covDiag, family, "cov_diag")
        let d = covFactor.matrixExtents.rows
        guard covDiag.shape.last == d else {
            throw SVIError.shapeMismatch("\(family): cov_diag of shape \(covDiag.shape) does not fit cov_factor of shape \(covFactor.shape)")
        }
        let vectorLoc = try VectorParameterCheck.loc(loc, dimension: d, family)
        batchShape = try VectorParameterCheck.batchShape(
            family, [("loc", vectorLoc, 1), ("cov_factor", covFactor, 2), ("cov_diag", covDiag, 1)])
        self.loc = vectorLoc.broadcasted(to: batchShape + [d])
        self.covFactor = covFactor
        self.covDiag = covDiag
        whitenedFactor = covFactor / covDiag.sqrt().expandingShape(at: -1)
        let rank = covFactor.matrixExtents.columns
        capacitanceTril = try (matmul(whitenedFactor.matrixTransposed(), whitenedFactor) + .identity(rank)).cholesky()
    }

    public var familyName: String { "LowRankMultivariateNormal" }
    public var eventShape: [Int] { [loc.shape.last!] }
    public var support: Constraint { .realVector }
    public var hasReparameterizedSample: Bool { true }

    /// The covariance W Wᵀ + diag(d), shape `batchShape + [D, D]`.
    public var covarianceMatrix: Tensor {
        (matmul(covFactor, covFactor.matrixTransposed()) + covDiag.diagonalMatrix())
            .broadcasted(to: batchShape + [dimension, dimension])
    }

    /// The precision D⁻¹ − D⁻¹ W C⁻¹ Wᵀ D⁻¹ (Woodbury), shape `batchShape + [D, D]`.
    public var precisionMatrix: Tensor {
        let scaled = triangularSolve(capacitanceTril, (covFactor / covDiag.expandingShape(at: -1)).matrixTransposed())
        return ((1 / covDiag).diagonalMatrix() - matmul(scaled.matrixTransposed(), scaled))
            .broadcasted(to: batchShape + [dimension, dimension])
    }

    /// The lower Cholesky factor of the covariance, shape `batchShape + [D, D]`
    /// (a dense O(D³) factorization, made on each access).
    public var scaleTril: Tensor {
        get throws { try covarianceMatrix.cholesky() }
    }

    public func logProb(_ value: Tensor) throws -> Tensor { try gaussianLogProb(value) }

    /// loc + W ε + √d η with ε (length r) and η (length D) standard normal.
    public func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor {
        let keys = key.split()
        let prefix = sampleShape + batchShape, rank = covFactor.matrixExtents.columns
        let lowRankNoise = Tensor(shape: prefix + [rank], scalars: keys[0].normal(prefix.reduce(1, *) * rank))
        let diagonalNoise = Tensor(shape: prefix + [dimension], scalars: keys[1].normal(prefix.reduce(1, *) * dimension))
        return loc + matvec(covFactor, lowRankNoise) + covDiag.sqrt() * diagonalNoise
    }

    public var mean: Tensor { loc }
    /// The diagonal of the covariance, Σⱼ Wᵢⱼ² + dᵢ.
    public var variance: Tensor {
        (covFactor.squared().sum(alongAxis: -1) + covDiag).broadcasted(to: batchShape + [dimension])
    }
    public func entropy() -> Tensor { gaussianEntropy() }

    /// With y = D^(-1/2) c: yᵀy − ‖L_C⁻¹ Wᵀ D^(-1/2) y‖², summed over columns.
    func precisionQuadraticForm(_ columns: Tensor) -> Tensor {
        let whitened = columns / covDiag.sqrt().expandingShape(at: -1)
        let projected = triangularSolve(capacitanceTril, matmul(whitenedFactor.matrixTransposed(), whitened))
        return whitened.squaredFrobeniusNorm() - projected.squaredFrobeniusNorm()
    }

    /// log det C + Σ log d (the matrix determinant lemma).
    var logDeterminant: Tensor {
        capacitanceTril.choleskyLogDeterminant() + covDiag.log().sum(alongAxis: -1)
    }

    var covarianceFactors: [Tensor] { [covFactor, covDiag.sqrt().diagonalMatrix()] }
}
