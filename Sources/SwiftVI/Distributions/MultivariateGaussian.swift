import RealModule

/// The algebra shared by the normal distributions over vectors
/// (`MultivariateNormal`, `LowRankMultivariateNormal`): each knows its
/// covariance Σ through a factorization that can apply Σ⁻¹ and give log det Σ,
/// and the log-density, entropy and KL divergences are written once in terms of it.
protocol MultivariateGaussian: Distribution {
    /// The mean, shape `batchShape + [D]`.
    var loc: Tensor { get }
    /// Σ over the k columns c of `columns` (shape `C + [D, k]`) of cᵀ Σ⁻¹ c:
    /// shape C broadcast with the covariance's batch shape.
    func precisionQuadraticForm(_ columns: Tensor) -> Tensor
    /// log det Σ, of the covariance's batch shape (which broadcasts to `batchShape`).
    var logDeterminant: Tensor { get }
    /// Matrices Sᵢ of shapes `Bᵢ + [D, kᵢ]` with Σ = Σᵢ Sᵢ Sᵢᵀ.
    var covarianceFactors: [Tensor] { get }
}

extension MultivariateGaussian {
    /// D, the length of one draw.
    var dimension: Int { eventShape[0] }

    /// −½ [(x − μ)ᵀ Σ⁻¹ (x − μ) + D log 2π + log det Σ].
    func gaussianLogProb(_ value: Tensor) throws -> Tensor {
        let shape = try resultShape(forValueShape: value.shape)
        let mahalanobis = precisionQuadraticForm((value - loc).expandingShape(at: -1))
        let result = -0.5 * (mahalanobis + logDeterminant) - Double(dimension) * halfLogTwoPi
        // A vector with an infinite coordinate lies outside the support: −inf, not the NaN of inf − inf.
        let d = dimension
        let finiteRows = Tensor(shape: Array(value.shape.dropLast()), scalars: (0..<(value.count / max(d, 1))).map { row in
            value.scalars[row * d ..< (row + 1) * d].allSatisfy(\.isFinite) ? 1 : 0
        })
        return Tensor.map(result.broadcasted(to: shape), finiteRows) { r, inside in
            inside == 1 ? (r, 1, 0) : (-.infinity, 0, 0)
        }
    }

    /// ½ [D (1 + log 2π) + log det Σ].
    func gaussianEntropy() -> Tensor {
        (0.5 * logDeterminant + Double(dimension) * (0.5 + halfLogTwoPi)).broadcasted(to: batchShape)
    }
}

/// KL(p ‖ q) = ½ [tr(Σq⁻¹ Σp) + (μq − μp)ᵀ Σq⁻¹ (μq − μp) − D + log det Σq − log det Σp],
/// shape: the broadcast batch shape of p and q.
func multivariateGaussianKL(_ p: some MultivariateGaussian, _ q: some MultivariateGaussian) -> Tensor {
    let trace = p.covarianceFactors.map(q.precisionQuadraticForm).reduce(Tensor(0), +)
    let mahalanobis = q.precisionQuadraticForm((q.loc - p.loc).expandingShape(at: -1))
    let kl = 0.5 * ((trace + mahalanobis - Double(p.dimension)) + (q.logDeterminant - p.logDeterminant))
    return kl.broadcasted(to: broadcastShapes(p.batchShape, q.batchShape)!)
}

/// Checks shared by the parameters of the normal distributions over vectors.
enum VectorParameterCheck {
    /// Throws unless `t` has rank ≥ `rank` (1 for vectors, 2 for matrices) and
    /// a last extent of at least 1.
    static func rank(_ t: Tensor, _ rank: Int, _ family: String, _ name: String) throws {
        guard t.rank >= rank, t.shape.last! >= 1 else {
            throw SVIError.shapeMismatch("\(family): \(name) needs rank ≥ \(rank) and a nonempty last axis; got shape \(t.shape)")
        }
    }

    /// Throws unless the matrices of `t` are square.
    static func square(_ t: Tensor, _ family: String, _ name: String) throws {
        try rank(t, 2, family, name)
        guard t.matrixExtents.rows == t.matrixExtents.columns else {
            throw SVIError.shapeMismatch("\(family): \(name) must hold square matrices; got shape \(t.shape)")
        }
    }

    /// Throws unless every matrix of `t` satisfies `constraint`.
    static func matrices(_ t: Tensor, satisfy constraint: Constraint, _ family: String, _ name: String,
                         _ requirement: String) throws {
        if let i = constraint.check(t).firstIndex(of: false) {
            throw SVIError.invalidArgument("\(family): \(name) must be \(requirement); matrix \(i) is not")
        }
    }

    /// `loc` (a scalar counts as a vector of length 1) broadcast along its last
    /// axis to length `dimension`. Throws when that axis is neither 1 nor `dimension`.
    static func loc(_ loc: Tensor, dimension: Int, _ family: String) throws -> Tensor {
        try ParameterCheck.finite(loc, family, "loc")
        let vector = loc.rank == 0 ? loc.reshaped([1]) : loc
        guard vector.shape.last == 1 || vector.shape.last == dimension else {
            throw SVIError.shapeMismatch("\(family): loc of shape \(loc.shape) does not fit event shape [\(dimension)]")
        }
        return vector.broadcasted(to: vector.batchShape(trailing: 1) + [dimension])
    }

    /// The broadcast of the parameters' batch shapes (each parameter given with
    /// its number of event dimensions), or an error naming them.
    static func batchShape(_ family: String, _ params: [(name: String, value: Tensor, eventDims: Int)]) throws -> [Int] {
        let shapes = params.map { $0.value.batchShape(trailing: $0.eventDims) }
        guard let shape = broadcastShapes(shapes) else {
            let described = zip(params, shapes).map { "\($0.name) \($1)" }.joined(separator: ", ")
            throw SVIError.shapeMismatch("\(family): batch shapes do not broadcast: \(described)")
        }
        return shape
    }
}
