import RealModule

/// The likelihood part of `GeneralizedLinearModel`'s fused kernel: for the
/// selected rows and particles, Σᵢ log p(yᵢ | ηᵢₚ) with ηᵢₚ = xᵢ·wₚ + bₚ and its
/// gradient in wₚ, bₚ (and uₚ = log sigmaₚ for the normal likelihood). Rows
/// are taken in blocks small enough to stay in the first-level cache: the
/// block's predictors for all particles (a small matrix–matrix product), the
/// elementwise terms, then the block's gradient contributions, so each row is
/// read from memory once for every particle.
struct GLMKernel {
    /// Which rows of the data the likelihood sees.
    enum Rows {
        case all(Int)
        case indexed(UnsafeBufferPointer<Int>)

        var count: Int {
            switch self {
            case .all(let n): n
            case .indexed(let indices): indices.count
            }
        }

        func index(_ i: Int) -> Int {
            switch self {
            case .all: i
            case .indexed(let indices): indices[i]
            }
        }
    }

    /// Rows per block.
    static let blockRows = 32

    let x: UnsafePointer<Double>
    let y: UnsafePointer<Double>
    let columns: Int
    let likelihood: GeneralizedLinearModel.Likelihood
    /// Row p holds particle p's coordinates: w (columns), b, then u for the normal likelihood.
    let points: UnsafePointer<Double>
    let dimension: Int
    /// Gradients are added to row p, laid out as `points`.
    let gradient: UnsafeMutablePointer<Double>
    /// At least `blockRows` × particles doubles.
    let scratch: UnsafeMutablePointer<Double>

    /// Writes each particle's log-likelihood over `rows` (unscaled) into
    /// `logLikelihood[p]` and adds its gradient to `gradient`.
    func accumulate(rows: Rows, particles: Range<Int>, into logLikelihood: UnsafeMutablePointer<Double>) {
        let p0 = particles.lowerBound, count = particles.count, d = columns
        let eta = scratch
        for p in particles { logLikelihood[p] = 0 }
        var start = 0
        while start < rows.count {
            let n = min(GLMKernel.blockRows, rows.count - start)
            for i in 0..<n {
                let row = x + rows.index(start + i) * d
                for k in 0..<count {
                    let w = points + (p0 + k) * dimension
                    eta[i * count + k] = w[d] + dot(row, w, d)
                }
            }
            for k in 0..<count {
                let p = p0 + k
                var total = 0.0
                switch likelihood {
                case .normal:
                    // log σ = u; ∂/∂η = r/σ and ∂/∂u = r² − 1 for r = (y − η)/σ.
                    let u = points[p * dimension + d + 1], sigma = Double.exp(u)
                    var dU = 0.0
                    for i in 0..<n {
                        let r = (y[rows.index(start + i)] - eta[i * count + k]) / sigma
                        total += -0.5 * r * r - u - halfLogTwoPi
                        dU += r * r - 1
                        eta[i * count + k] = r / sigma
                    }
                    gradient[p * dimension + d + 1] += dU
                case .bernoulliLogit:
                    for i in 0..<n {
                        let e = eta[i * count + k], t = Double.exp(-abs(e))
                        let logOnePlusT = Double.log(onePlus: t)
                        let yi = y[rows.index(start + i)]
                        // y·η − softplus(η), and its derivative y − sigmoid(η).
                        total += yi * e - (max(e, 0) + logOnePlusT)
                        eta[i * count + k] = yi - (e >= 0 ? 1 / (1 + t) : t / (1 + t))
                    }
                }
                logLikelihood[p] += total
            }
            for i in 0..<n {
                let row = x + rows.index(start + i) * d
                for k in 0..<count {
                    let r = eta[i * count + k], g = gradient + (p0 + k) * dimension
                    axpy(r, row, g, d)
                    g[d] += r
                }
            }
            start += n
        }
    }
}

/// Σⱼ a[j] b[j].
@inline(__always)
private func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, j = 0
    while j + 4 <= n {
        s0 += a[j] * b[j]
        s1 += a[j + 1] * b[j + 1]
        s2 += a[j + 2] * b[j + 2]
        s3 += a[j + 3] * b[j + 3]
        j += 4
    }
    while j < n {
        s0 += a[j] * b[j]
        j += 1
    }
    return (s0 + s1) + (s2 + s3)
}

/// y += a x.
@inline(__always)
private func axpy(_ a: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
    for j in 0..<n { y[j] += a * x[j] }
}
