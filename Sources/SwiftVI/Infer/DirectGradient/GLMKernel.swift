import RealModule

/// The likelihood part of `GeneralizedLinearModel`'s fused kernel: for the
/// selected rows and a batch of particles, Σᵢ log p(yᵢ | ηᵢₚ) with
/// ηᵢₚ = xᵢ·wₚ + bₚ, and its gradient in wₚ, bₚ (and uₚ = log sigmaₚ for the
/// normal likelihood).
///
/// Rows are taken in blocks small enough to stay in the first-level cache:
/// the block's predictors for all particles, the elementwise terms, then the
/// block's gradient contributions, so each row is read from memory once for
/// every particle. One particle runs along the row (four features a lane);
/// several run across particles (four particles a lane, their weights
/// transposed), so that the block is a matrix–matrix product.
struct GLMKernel {
    /// Which rows of the data the likelihood sees.
    enum Rows {
        case range(Range<Int>)
        case indexed(UnsafeBufferPointer<Int>)

        var count: Int {
            switch self {
            case .range(let range): range.count
            case .indexed(let indices): indices.count
            }
        }

        @inline(__always)
        func index(_ i: Int) -> Int {
            switch self {
            case .range(let range): range.lowerBound &+ i
            case .indexed(let indices): indices[i]
            }
        }

        /// `values` at rows i, i + 1, i + 2, i + 3 (past the last row, the last row's).
        @inline(__always)
        func quad(of values: UnsafePointer<Double>, at i: Int) -> SIMD4<Double> {
            let last = count &- 1
            if case .range(let range) = self, i &+ 3 <= last { return load(values + (range.lowerBound &+ i)) }
            return SIMD4(values[index(i)], values[index(min(i &+ 1, last))], values[index(min(i &+ 2, last))],
                         values[index(min(i &+ 3, last))])
        }
    }

    /// Rows per block.
    static let blockRows = 64

    let x: UnsafePointer<Double>
    let y: UnsafePointer<Double>
    let columns: Int
    let likelihood: GeneralizedLinearModel.Likelihood
    /// Row p holds particle p's coordinates: w (columns), b, then u for the normal likelihood.
    let points: UnsafePointer<Double>
    let dimension: Int
    /// Gradients are added to row p, laid out as `points`.
    let gradient: UnsafeMutablePointer<Double>
    /// `scratchCount(columns:particles:)` doubles.
    let scratch: UnsafeMutablePointer<Double>

    /// Lanes a batch of `particles` occupies: 1 for one particle, else the
    /// particles rounded up to whole groups of four.
    static func lanes(_ particles: Int) -> Int { particles == 1 ? 1 : (particles + 3) / 4 * 4 }

    static func scratchCount(columns: Int, particles: Int) -> Int {
        let l = lanes(particles)
        return l * (blockRows + 2 * columns + 6)
    }

    /// Writes each particle's log-likelihood over `rows` (unscaled) into
    /// `logLikelihood[p]` and adds its gradient to `gradient`.
    func accumulate(rows: Rows, particles: Range<Int>, into logLikelihood: UnsafeMutablePointer<Double>) {
        if particles.count == 1 {
            accumulateOne(rows: rows, particle: particles.lowerBound, into: logLikelihood)
        } else {
            accumulateMany(rows: rows, particles: particles, into: logLikelihood)
        }
    }

    /// One particle: dot products along each row.
    private func accumulateOne(rows: Rows, particle p: Int, into logLikelihood: UnsafeMutablePointer<Double>) {
        let d = columns, w = points + p * dimension, g = gradient + p * dimension
        let eta = scratch, bias = w[d]
        let u = likelihood == .bernoulliLogit ? 0 : w[d + 1], sigma = Double.exp(u)
        var logLik = SIMD4<Double>(), dU = SIMD4<Double>(), dBias = SIMD4<Double>()
        let sigmas = SIMD4(repeating: sigma), logSigmas = SIMD4(repeating: u)
        var start = 0, touched = 0.0
        while start < rows.count {
            let n = min(GLMKernel.blockRows, rows.count - start)
            touched = max(touched, touchBlockAhead(rows, of: start))
            // All four lanes of a group are written; those of padded rows are masked below.
            forEachRowQuad(rows, start: start, count: n) { i, r0, r1, r2, r3 in
                store(dot4(r0, r1, r2, r3, w, d) + bias, eta + i)
            }
            var i = 0
            while i < n {
                let live = SIMD4<Int64>(0, 1, 2, 3) .< SIMD4(repeating: Int64(n &- i))
                let (value, derivative, byU) = terms(load(eta + i), rows.quad(of: y, at: start &+ i), sigma: sigmas,
                                                     logSigma: logSigmas)
                logLik += value.replacing(with: 0, where: .!live)
                dU += byU.replacing(with: 0, where: .!live)
                store(derivative.replacing(with: 0, where: .!live), eta + i)
                i &+= 4
            }
            forEachRowQuad(rows, start: start, count: n) { i, r0, r1, r2, r3 in
                let a = load(eta + i)
                axpy4(a, r0, r1, r2, r3, g, d)
                dBias += a
            }
            start += n
        }
        g[d] += dBias.sum()
        if likelihood != .bernoulliLogit { g[d + 1] += dU.sum() }
        // `touched` is a finite feature value, so this adds 0; it keeps the touching loads.
        logLikelihood[p] = logLik.sum() + touched * 0
    }

    /// For indexed rows, reads one value in every cache line of the rows of
    /// the block two after the one at `start` and returns their largest: the
    /// loads are independent, so that block's cache misses are served
    /// together, ahead of its use, instead of a row or two at a time (on the
    /// subsampled 100,000 × 50 case: 153 → 122 µs a step). Returns 0 without
    /// reading for a range of rows, which the hardware prefetches.
    @inline(__always)
    private func touchBlockAhead(_ rows: Rows, of start: Int) -> Double {
        guard case .indexed(let indices) = rows else { return 0 }
        let b = GLMKernel.blockRows
        var largest = 0.0
        for i in min(start &+ 2 &* b, indices.count) ..< min(start &+ 3 &* b, indices.count) {
            let row = x + indices[i] &* columns
            var j = 0
            while j < columns {
                largest = max(largest, row[j])
                j &+= 8
            }
            largest = max(largest, row[columns &- 1])
        }
        return largest
    }

    /// Several particles: four a lane, weights transposed to columns × lanes.
    private func accumulateMany(rows: Rows, particles: Range<Int>, into logLikelihood: UnsafeMutablePointer<Double>) {
        let d = columns, count = particles.count, l = GLMKernel.lanes(count), chunks = l / 4
        let eta = scratch, weights = eta + GLMKernel.blockRows * l, sums = weights + d * l
        let bias = sums + d * l, u = bias + l, logLik = u + l, dU = logLik + l, dBias = dU + l, sigmas = dBias + l
        for k in 0..<l {
            let row = points + (particles.lowerBound + min(k, count - 1)) * dimension
            let live = k < count
            for j in 0..<d { weights[j * l + k] = live ? row[j] : 0 }
            bias[k] = live ? row[d] : 0
            u[k] = live && likelihood != .bernoulliLogit ? row[d + 1] : 0
            sigmas[k] = Double.exp(u[k])
            logLik[k] = 0
            dU[k] = 0
            dBias[k] = 0
        }
        for i in 0..<(d * l) { sums[i] = 0 }
        let lanes = UnsafeMutableRawPointer(eta), weightLanes = UnsafeRawPointer(weights)
        let sumLanes = UnsafeMutableRawPointer(sums)
        var start = 0
        while start < rows.count {
            let n = min(GLMKernel.blockRows, rows.count - start)
            forEachRowQuad(rows, start: start, count: n) { i, r0, r1, r2, r3 in
                let live = min(4, n - i)
                for c in 0..<chunks {
                    let b = UnsafeRawPointer(bias).loadUnaligned(fromByteOffset: 32 &* c, as: SIMD4<Double>.self)
                    var a0 = b, a1 = b, a2 = b, a3 = b
                    var wp = weightLanes + 32 &* c
                    for j in 0..<d {
                        let wj = wp.loadUnaligned(as: SIMD4<Double>.self)
                        a0 += r0[j] * wj
                        a1 += r1[j] * wj
                        a2 += r2[j] * wj
                        a3 += r3[j] * wj
                        wp += 8 &* l
                    }
                    let at = 8 &* (i &* l &+ 4 &* c), stride = 8 &* l
                    lanes.storeBytes(of: a0, toByteOffset: at, as: SIMD4<Double>.self)
                    if live > 1 { lanes.storeBytes(of: a1, toByteOffset: at &+ stride, as: SIMD4<Double>.self) }
                    if live > 2 { lanes.storeBytes(of: a2, toByteOffset: at &+ 2 &* stride, as: SIMD4<Double>.self) }
                    if live > 3 { lanes.storeBytes(of: a3, toByteOffset: at &+ 3 &* stride, as: SIMD4<Double>.self) }
                }
            }
            for i in 0..<n {
                let yi = SIMD4<Double>(repeating: y[rows.index(start + i)])
                for c in 0..<chunks {
                    let offset = 8 * (i * l + 4 * c)
                    let e = lanes.load(fromByteOffset: offset, as: SIMD4<Double>.self)
                    let logSigma = UnsafeRawPointer(u).loadUnaligned(fromByteOffset: 32 * c, as: SIMD4<Double>.self)
                    let sigma = UnsafeRawPointer(sigmas).loadUnaligned(fromByteOffset: 32 * c, as: SIMD4<Double>.self)
                    let (value, derivative, byU) = terms(e, yi, sigma: sigma, logSigma: logSigma)
                    add(value, to: logLik + 4 * c)
                    add(byU, to: dU + 4 * c)
                    lanes.storeBytes(of: derivative, toByteOffset: offset, as: SIMD4<Double>.self)
                }
            }
            // Gᵀ += X_blockᵀ R_block, four rows at a time into each column's lanes.
            forEachRowQuad(rows, start: start, count: n) { i, r0, r1, r2, r3 in
                let live = min(4, n - i)
                for c in 0..<chunks {
                    // Padded rows contribute nothing: their derivatives are taken as 0.
                    let at = 8 &* (i &* l &+ 4 &* c), stride = 8 &* l, zero = SIMD4<Double>()
                    let q0 = lanes.load(fromByteOffset: at, as: SIMD4<Double>.self)
                    let q1 = live > 1 ? lanes.load(fromByteOffset: at &+ stride, as: SIMD4<Double>.self) : zero
                    let q2 = live > 2 ? lanes.load(fromByteOffset: at &+ 2 &* stride, as: SIMD4<Double>.self) : zero
                    let q3 = live > 3 ? lanes.load(fromByteOffset: at &+ 3 &* stride, as: SIMD4<Double>.self) : zero
                    add((q0 + q1) + (q2 + q3), to: dBias + 4 * c)
                    var sp = sumLanes + 32 &* c
                    for j in 0..<d {
                        let sum = sp.loadUnaligned(as: SIMD4<Double>.self)
                        sp.storeBytes(of: sum + ((r0[j] * q0 + r1[j] * q1) + (r2[j] * q2 + r3[j] * q3)),
                                      as: SIMD4<Double>.self)
                        sp += stride
                    }
                }
            }
            start += n
        }
        for k in 0..<count {
            let p = particles.lowerBound + k, g = gradient + p * dimension
            for j in 0..<d { g[j] += sums[j * l + k] }
            g[d] += dBias[k]
            logLikelihood[p] = logLik[k]
            if likelihood != .bernoulliLogit { g[d + 1] += dU[k] }
        }
    }

    /// The likelihood terms of four predictors: log-density, its derivative
    /// in η, and (normal only) its derivative in u = log sigma.
    @inline(__always)
    private func terms(_ eta: SIMD4<Double>, _ y: SIMD4<Double>, sigma: SIMD4<Double>, logSigma: SIMD4<Double>)
        -> (SIMD4<Double>, SIMD4<Double>, SIMD4<Double>) {
        switch likelihood {
        case .bernoulliLogit:
            let (value, derivative) = bernoulliLogitTerms(logits: eta, responses: y)
            return (value, derivative, SIMD4())
        case .normal:
            // ∂/∂η = r/σ and ∂/∂u = r² − 1 for r = (y − η)/σ.
            let r = (y - eta) / sigma
            return (-0.5 * r * r - logSigma - halfLogTwoPi, r / sigma, r * r - 1)
        }
    }
}

@inline(__always)
private func add(_ value: SIMD4<Double>, to target: UnsafeMutablePointer<Double>) {
    let raw = UnsafeMutableRawPointer(target)
    raw.storeBytes(of: raw.loadUnaligned(as: SIMD4<Double>.self) + value, as: SIMD4<Double>.self)
}

extension GLMKernel {
    /// Calls `body` with each group of four rows of the block (the last group
    /// padded with its last row; the caller uses only the live ones) and the
    /// group's first position in the block.
    @inline(__always)
    func forEachRowQuad(_ rows: Rows, start: Int, count n: Int,
                        _ body: (Int, UnsafePointer<Double>, UnsafePointer<Double>, UnsafePointer<Double>,
                                 UnsafePointer<Double>) -> Void) {
        var i = 0
        while i < n {
            let last = n &- 1
            body(i, x + rows.index(start &+ i) &* columns, x + rows.index(start &+ min(i &+ 1, last)) &* columns,
                 x + rows.index(start &+ min(i &+ 2, last)) &* columns, x + rows.index(start &+ min(i &+ 3, last)) &* columns)
            i &+= 4
        }
    }
}

/// The dot products of four rows with `w`, four features a lane.
@inline(__always)
private func dot4(_ r0: UnsafePointer<Double>, _ r1: UnsafePointer<Double>, _ r2: UnsafePointer<Double>,
                  _ r3: UnsafePointer<Double>, _ w: UnsafePointer<Double>, _ n: Int) -> SIMD4<Double> {
    var a0 = SIMD4<Double>(), a1 = a0, a2 = a0, a3 = a0, j = 0
    while j &+ 4 <= n {
        let wj = load(w + j)
        a0 += load(r0 + j) * wj
        a1 += load(r1 + j) * wj
        a2 += load(r2 + j) * wj
        a3 += load(r3 + j) * wj
        j &+= 4
    }
    var dots = SIMD4(a0.sum(), a1.sum(), a2.sum(), a3.sum())
    while j < n {
        dots += SIMD4(r0[j], r1[j], r2[j], r3[j]) * w[j]
        j &+= 1
    }
    return dots
}

/// g += a₀ r₀ + a₁ r₁ + a₂ r₂ + a₃ r₃, four features a lane.
@inline(__always)
private func axpy4(_ a: SIMD4<Double>, _ r0: UnsafePointer<Double>, _ r1: UnsafePointer<Double>,
                   _ r2: UnsafePointer<Double>, _ r3: UnsafePointer<Double>, _ g: UnsafeMutablePointer<Double>, _ n: Int) {
    var j = 0
    while j &+ 4 <= n {
        let sum = (load(r0 + j) * a[0] + load(r1 + j) * a[1]) + (load(r2 + j) * a[2] + load(r3 + j) * a[3])
        UnsafeMutableRawPointer(g + j).storeBytes(of: load(g + j) + sum, as: SIMD4<Double>.self)
        j &+= 4
    }
    while j < n {
        g[j] += (r0[j] * a[0] + r1[j] * a[1]) + (r2[j] * a[2] + r3[j] * a[3])
        j &+= 1
    }
}

@inline(__always)
private func load(_ p: UnsafePointer<Double>) -> SIMD4<Double> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
}

@inline(__always)
private func load(_ p: UnsafeMutablePointer<Double>) -> SIMD4<Double> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
}

@inline(__always)
private func store(_ value: SIMD4<Double>, _ p: UnsafeMutablePointer<Double>) {
    UnsafeMutableRawPointer(p).storeBytes(of: value, as: SIMD4<Double>.self)
}
