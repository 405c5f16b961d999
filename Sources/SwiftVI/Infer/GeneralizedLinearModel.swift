import RealModule

/// A Bayesian generalized linear model as a built-in model, the program
///
///     w ~ Normal(weightPrior.loc, weightPrior.scale)   (one per feature column)
///     b ~ Normal(biasPrior.loc, biasPrior.scale)
///     [sigma ~ HalfCauchy(γ)]                            (normal likelihood only)
///     plate data (n rows, optionally subsampled to m):
///         y ~ Normal(x·w + b, sigma)   or   y ~ Bernoulli(logits: x·w + b)
///
/// with latent blocks `w` (columns), `b` (1) and, for the normal likelihood,
/// `sigma` (1, positive, through exp). Its log-density is the same as that of
/// the `ProgramModel` of this program, but it is also a `DirectGradientModel`:
/// a fused kernel evaluates the likelihood and its hand-written gradient for
/// all particles in one pass over the data (each row is read once and used for
/// every particle, a matrix–matrix product), with no tape and no allocation.
/// `logDensity(_:key:)` is the reference path, written with the library's
/// distributions on the tape.
///
/// When subsampled, each particle's rows are drawn without replacement from
/// `key.foldIn(particle)` in O(m) (see `subsampleIndices`) and the likelihood
/// is scaled by n/m, as in a subsampled NumPyro plate.
public struct GeneralizedLinearModel: DirectGradientModel {
    /// The distribution of a response given its linear predictor η = x·w + b.
    public enum Likelihood: Equatable, Sendable {
        /// y ~ Normal(η, sigma), with sigma a latent of prior HalfCauchy(scale).
        case normal(noiseScalePrior: Double)
        /// y ~ Bernoulli(logits: η); responses must be 0 or 1.
        case bernoulliLogit
    }

    /// A Normal prior's location and scale.
    public struct NormalPrior: Equatable, Sendable {
        public let loc: Double
        public let scale: Double
        /// Throws unless `loc` is finite and `scale` positive and finite.
        public init(loc: Double, scale: Double) throws {
            guard loc.isFinite else { throw SVIError.invalidArgument("Normal: loc must be finite; got \(loc)") }
            guard scale > 0, scale.isFinite else {
                throw SVIError.invalidArgument("Normal: scale must be positive and finite; got \(scale)")
            }
            self.loc = loc
            self.scale = scale
        }
    }

    public let latents: [LatentBlock]
    /// The features, `rows` × `columns` row-major.
    public let features: [Double]
    public let responses: [Double]
    public let rows: Int
    public let columns: Int
    public let likelihood: Likelihood
    public let weightPrior: NormalPrior
    public let biasPrior: NormalPrior
    /// The rows the likelihood sees per evaluation (`rows` unless subsampled).
    public let subsampleSize: Int
    /// The number of latent coordinates: w, b and, for the normal likelihood, u = log sigma.
    public let dimension: Int
    /// The terms of the log prior that do not depend on the point: the Normal
    /// priors' −log scale − ½ log 2π over all coordinates, and HalfCauchy's log(2/(πγ)).
    private let logPriorConstant: Double

    /// Throws unless the features fill whole rows of `columns`, one response
    /// per row, all finite (Bernoulli responses 0 or 1), the noise prior's
    /// scale positive and finite, and the subsample size in 1...rows.
    public init(features: [Double], columns: Int, responses: [Double], likelihood: Likelihood,
                weightPrior: NormalPrior, biasPrior: NormalPrior, subsampleSize: Int? = nil) throws {
        guard columns > 0, features.count == columns * responses.count, !responses.isEmpty else {
            throw SVIError.shapeMismatch(
                "GeneralizedLinearModel: \(features.count) features do not fill \(responses.count) rows of \(columns) columns")
        }
        guard features.allSatisfy(\.isFinite), responses.allSatisfy(\.isFinite) else {
            throw SVIError.invalidArgument("GeneralizedLinearModel: features and responses must be finite")
        }
        switch likelihood {
        case .normal(let gamma):
            guard gamma > 0, gamma.isFinite else {
                throw SVIError.invalidArgument("HalfCauchy: scale must be positive and finite; got \(gamma)")
            }
        case .bernoulliLogit:
            guard responses.allSatisfy({ $0 == 0 || $0 == 1 }) else {
                throw SVIError.invalidArgument("GeneralizedLinearModel: Bernoulli responses must be 0 or 1")
            }
        }
        let m = subsampleSize ?? responses.count
        guard m >= 1, m <= responses.count else {
            throw SVIError.invalidArgument(
                "GeneralizedLinearModel: subsample size must be in 1...\(responses.count); got \(m)")
        }
        var blocks = [LatentBlock(name: "w", size: columns), LatentBlock(name: "b", size: 1)]
        if case .normal = likelihood { blocks.append(LatentBlock(name: "sigma", size: 1, constraint: .positive)) }
        latents = blocks
        dimension = blocks.count == 3 ? columns + 2 : columns + 1
        var constant = Double(columns) * (-Double.log(weightPrior.scale) - halfLogTwoPi)
            - Double.log(biasPrior.scale) - halfLogTwoPi
        if case .normal(let gamma) = likelihood { constant += Double.log(2 / (Double.pi * gamma)) }
        logPriorConstant = constant
        self.features = features
        self.responses = responses
        rows = responses.count
        self.columns = columns
        self.likelihood = likelihood
        self.weightPrior = weightPrior
        self.biasPrior = biasPrior
        self.subsampleSize = m
    }

    private var isSubsampled: Bool { subsampleSize < rows }

    /// The reference path; throws when the model is subsampled (its indices need a key).
    public func logDensity(_ points: Tensor) throws -> Tensor {
        guard !isSubsampled else {
            throw SVIError.invalidArgument("GeneralizedLinearModel: a subsampled model's log-density needs a key")
        }
        return try logDensity(points, key: PRNGKey(seed: 0))
    }

    /// The reference path: each row's log-density built from the library's
    /// distributions on the tape.
    public func logDensity(_ points: Tensor, key: PRNGKey) throws -> Tensor {
        let d = dimension
        guard points.rank == 2, points.shape[1] == d else {
            throw SVIError.shapeMismatch("GeneralizedLinearModel: points of shape \(points.shape); expected [S, \(d)]")
        }
        let x = Tensor(shape: [rows, columns], scalars: features), y = Tensor(responses)
        return Tensor.concatenating(try (0..<points.shape[0]).map { s in
            let w = points.gathering(Array(s * d ..< s * d + columns), shape: [columns])
            let b = points.gathering([s * d + columns], shape: [])
            var xs = x, ys = y
            if isSubsampled {
                let indices = subsampleIndices(size: rows, count: subsampleSize, key: key.foldIn(UInt32(s)))
                xs = x.gathering(indices.flatMap { $0 * columns ..< ($0 + 1) * columns }, shape: [subsampleSize, columns])
                ys = y.gathering(indices, shape: [subsampleSize])
            }
            let eta = matmul(xs, w.reshaped([columns, 1])).reshaped([subsampleSize]) + b
            var joint = try Normal(loc: Tensor(weightPrior.loc), scale: Tensor(weightPrior.scale)).logProb(w).sum()
                + Normal(loc: Tensor(biasPrior.loc), scale: Tensor(biasPrior.scale)).logProb(b)
            let likelihoodTerms: Tensor
            switch likelihood {
            case .normal(let gamma):
                let u = points.gathering([s * d + columns + 1], shape: [])
                let sigma = u.exp()
                joint = joint + (try HalfCauchy(scale: Tensor(gamma)).logProb(sigma)) + u
                likelihoodTerms = try Normal(loc: eta, scale: sigma).logProb(ys)
            case .bernoulliLogit:
                likelihoodTerms = try Bernoulli(logits: eta).logProb(ys)
            }
            return (joint + likelihoodTerms.sum() * (Double(rows) / Double(subsampleSize))).reshaped([1])
        })
    }

    public func scratchCount(points count: Int) -> Int {
        (isSubsampled ? subsampleSize + subsampleTableCount(subsampleSize) : 0)
            + GLMKernel.scratchCount(columns: columns, particles: count)
    }

    /// The fused kernel: see `GLMKernel`.
    public func logDensityAndGradient(points: UnsafePointer<Double>, count: Int, key: PRNGKey,
                                      logDensity: UnsafeMutablePointer<Double>, gradient: UnsafeMutablePointer<Double>,
                                      scratch: UnsafeMutablePointer<Double>) throws {
        let d = dimension
        for i in 0..<(count * d) { gradient[i] = 0 }
        features.withUnsafeBufferPointer { x in
            responses.withUnsafeBufferPointer { y in
                let kernel = GLMKernel(x: x.baseAddress!, y: y.baseAddress!, columns: columns, likelihood: likelihood,
                                       points: points, dimension: d, gradient: gradient, scratch: scratch)
                if isSubsampled {
                    let m = subsampleSize, tableCount = subsampleTableCount(m)
                    (scratch + GLMKernel.scratchCount(columns: columns, particles: 1)).withMemoryRebound(to: Int.self, capacity: m + tableCount) {
                        let indices = UnsafeMutableBufferPointer(start: $0, count: m)
                        let table = UnsafeMutableBufferPointer(start: $0 + m, count: tableCount)
                        for s in 0..<count {
                            fillSubsampleIndices(indices, size: rows, key: key.foldIn(UInt32(s)), table: table)
                            kernel.accumulate(rows: .indexed(UnsafeBufferPointer(indices)), particles: s ..< s + 1,
                                              into: logDensity)
                        }
                    }
                } else {
                    kernel.accumulate(rows: .range(0 ..< rows), particles: 0 ..< count, into: logDensity)
                }
            }
        }
        let scale = Double(rows) / Double(subsampleSize)
        for s in 0..<count {
            let z = points + s * d, g = gradient + s * d
            var total = logDensity[s] * scale + logPriorConstant
            for j in 0..<d { g[j] *= scale }
            for j in 0..<columns { total += normalPrior(weightPrior, z[j], gradient: &g[j]) }
            total += normalPrior(biasPrior, z[columns], gradient: &g[columns])
            if case .normal(let gamma) = likelihood {
                // log HalfCauchy(sigma | γ) + u at sigma = e^u, differentiated in u (its constant is in logPriorConstant).
                let u = z[columns + 1], sigma = Double.exp(u), t = sigma / gamma
                total += u - Double.log(onePlus: t * t)
                g[columns + 1] += 1 - 2 * t * t / (1 + t * t)
            }
            logDensity[s] = total
        }
    }

    /// log Normal(value | prior) less its constant (in `logPriorConstant`), adding its derivative to `gradient`.
    private func normalPrior(_ prior: NormalPrior, _ value: Double, gradient: inout Double) -> Double {
        let z = (value - prior.loc) / prior.scale
        gradient -= z / prior.scale
        return -0.5 * z * z
    }
}
