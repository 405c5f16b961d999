/// The normal distribution over vectors of length D with mean `loc` and a
/// covariance given as `covariance_matrix`, `precision_matrix` or its lower
/// Cholesky factor `scale_tril`. Batch shapes broadcast from `loc` (shape
/// `[..., D]`, or a scalar) and the matrix (shape `[..., D, D]`), as in NumPyro.
public struct MultivariateNormal: Distribution, MultivariateGaussian {
    /// The mean, shape `batchShape + [D]`.
    public let loc: Tensor
    /// The lower Cholesky factor L of the covariance (Σ = L Lᵀ), of the
    /// matrix parameter's batch shape.
    let factor: Tensor
    public let batchShape: [Int]

    /// From a symmetric positive-definite covariance matrix. Throws when it is
    /// not square, symmetric and positive definite, or a parameter is not
    /// finite, or the shapes do not fit.
    public init(loc: Tensor, covarianceMatrix: Tensor) throws {
        try MultivariateNormal.check(covarianceMatrix, "covariance_matrix", .positiveDefinite,
                                     "symmetric positive definite")
        try self.init(loc: loc, factor: covarianceMatrix.cholesky(), "covariance_matrix")
    }

    /// From a symmetric positive-definite precision (inverse covariance)
    /// matrix, with the same checks as `init(loc:covarianceMatrix:)`.
    public init(loc: Tensor, precisionMatrix: Tensor) throws {
        try MultivariateNormal.check(precisionMatrix, "precision_matrix", .positiveDefinite,
                                     "symmetric positive definite")
        // With J the reversal permutation, J P J = U Uᵀ (U lower), so P = (J U J)(J U J)ᵀ
        // with J U J upper triangular, and Σ = P⁻¹ = L Lᵀ for the lower-triangular L = J U⁻ᵀ J.
        let flippedFactor = try precisionMatrix.reversingMatrixAxes().cholesky()
        let n = precisionMatrix.matrixExtents.rows
        let factor = triangularSolve(flippedFactor, .identity(n), transposed: true).reversingMatrixAxes()
        try self.init(loc: loc, factor: factor, "precision_matrix")
    }

    /// From the lower Cholesky factor of the covariance. Throws unless it is
    /// square, lower triangular with a positive diagonal and finite, or when
    /// the shapes do not fit.
    public init(loc: Tensor, scaleTril: Tensor) throws {
        try MultivariateNormal.check(scaleTril, "scale_tril", .lowerCholesky,
                                     "lower triangular with a positive diagonal")
        try self.init(loc: loc, factor: scaleTril, "scale_tril")
    }

    private init(loc: Tensor, factor: Tensor, _ matrixName: String) throws {
        let d = factor.matrixExtents.rows
        let vectorLoc = try VectorParameterCheck.loc(loc, dimension: d, "MultivariateNormal")
        batchShape = try VectorParameterCheck.batchShape(
            "MultivariateNormal", [("loc", vectorLoc, 1), (matrixName, factor, 2)])
        self.loc = vectorLoc.broadcasted(to: batchShape + [d])
        self.factor = factor
    }

    private static func check(_ matrix: Tensor, _ name: String, _ constraint: Constraint,
                              _ requirement: String) throws {
        try VectorParameterCheck.square(matrix, "MultivariateNormal", name)
        try ParameterCheck.finite(matrix, "MultivariateNormal", name)
        try VectorParameterCheck.matrices(matrix, satisfy: constraint, "MultivariateNormal", name, requirement)
    }

    public var familyName: String { "MultivariateNormal" }
    public var eventShape: [Int] { [loc.shape.last!] }
    public var support: Constraint { .realVector }
    public var hasReparameterizedSample: Bool { true }

    /// The lower Cholesky factor of the covariance, shape `batchShape + [D, D]`.
    public var scaleTril: Tensor { factor.broadcasted(to: batchShape + [dimension, dimension]) }
    /// The covariance L Lᵀ, shape `batchShape + [D, D]`.
    public var covarianceMatrix: Tensor { matmul(scaleTril, scaleTril.matrixTransposed()) }
    /// The precision L⁻ᵀ L⁻¹, shape `batchShape + [D, D]`.
    public var precisionMatrix: Tensor {
        let inverse = triangularSolve(scaleTril, .identity(dimension))
        return matmul(inverse.matrixTransposed(), inverse)
    }

    public func logProb(_ value: Tensor) throws -> Tensor { try gaussianLogProb(value) }

    /// loc + L ε with ε standard normal.
    public func sample(_ sampleShape: [Int], key: PRNGKey) -> Tensor {
        let shape = sampleShape + batchShape + [dimension]
        return loc + matvec(factor, Tensor(shape: shape, scalars: key.normal(shape.reduce(1, *))))
    }

    public var mean: Tensor { loc }
    /// The diagonal of the covariance, Σⱼ Lᵢⱼ².
    public var variance: Tensor { factor.squared().sum(alongAxis: -1).broadcasted(to: batchShape + [dimension]) }
    public func entropy() -> Tensor { gaussianEntropy() }

    func precisionQuadraticForm(_ columns: Tensor) -> Tensor {
        triangularSolve(factor, columns).squaredFrobeniusNorm()
    }

    var logDeterminant: Tensor { factor.choleskyLogDeterminant() }
    var covarianceFactors: [Tensor] { [factor] }
}

extension Tensor {
    /// The stack of matrices with the order of rows and of columns both
    /// reversed: J M J for the reversal permutation J.
    fileprivate func reversingMatrixAxes() -> Tensor {
        let (m, n) = matrixExtents
        let blocks = count / Swift.max(m * n, 1)
        let offsets = (0..<blocks).flatMap { b in (0..<(m * n)).map { e in b * m * n + (m * n - 1 - e) } }
        return gathering(offsets, shape: shape)
    }
}
