/// `GLMKernel`'s pass over all the rows split into chunks of fixed size, each
/// reduced into buffers of its own and summed in chunk order afterwards, so
/// the result depends on the number of rows only — not on how many threads
/// took part or which chunk each took. When the pass is large enough to pay
/// for waking threads (`parallelWork`), the chunks are spread over a
/// `WorkerPool`; otherwise they run one after the other on the caller.
extension GLMKernel {
    /// Rows a chunk: 2,048 rows of 50 features are 800 KB, a few milliseconds
    /// of work for one particle and many chunks on a few cores.
    static let chunkRows = 2048

    /// Multiply–adds (rows × columns × lanes) below which a pass stays on the
    /// calling thread: about 0.1 ms, several times the cost of waking a thread.
    static let parallelWork = 1 << 18

    static func chunkCount(rows: Int) -> Int { (rows + chunkRows - 1) / chunkRows }

    /// Scratch doubles of `accumulateAllRows` over `rows` rows for `particles`
    /// particles of `dimension` coordinates, with `participants` threads:
    /// one kernel scratch a participant and each chunk's log-likelihoods and
    /// gradients (a single chunk needs the caller's kernel scratch only).
    static func allRowsScratchCount(rows: Int, columns: Int, particles: Int, dimension: Int, participants: Int) -> Int {
        let share = scratchCount(columns: columns, particles: particles), chunks = chunkCount(rows: rows)
        return chunks == 1 ? share : participants * share + chunks * particles * (dimension + 1)
    }

    /// As `accumulate(rows: .range(0..<rows), particles: 0..<particles, into:)`,
    /// chunk by chunk; `scratch` holds `allRowsScratchCount(…, participants: pool.width)`
    /// doubles.
    func accumulateAllRows(_ rows: Int, particles count: Int, into logLikelihood: UnsafeMutablePointer<Double>,
                           pool: WorkerPool) {
        let chunks = GLMKernel.chunkCount(rows: rows)
        guard chunks > 1 else { return accumulate(rows: .range(0..<rows), particles: 0..<count, into: logLikelihood) }
        let share = GLMKernel.scratchCount(columns: columns, particles: count)
        var job = ChunkJob(kernel: self, rows: rows, particles: count, share: share, partials: scratch + pool.width * share)
        withUnsafeMutablePointer(to: &job) { job in
            if rows * columns * GLMKernel.lanes(count) >= GLMKernel.parallelWork {
                pool.run(tasks: chunks, context: job, ChunkJob.run)
            } else {
                for chunk in 0..<chunks { job.pointee.run(chunk, participant: 0) }
            }
        }
        let width = count * dimension
        for p in 0..<count { logLikelihood[p] = 0 }
        for chunk in 0..<chunks {
            let out = job.partials + chunk * job.partialCount
            for i in 0..<width { gradient[i] += out[i] }
            for p in 0..<count { logLikelihood[p] += out[width + p] }
        }
    }
}

/// One chunk of `accumulateAllRows`: its rows into its own gradient and
/// log-likelihoods, in the scratch of the participant running it.
private struct ChunkJob {
    let kernel: GLMKernel
    let rows: Int
    let particles: Int
    /// Kernel scratch doubles a participant.
    let share: Int
    /// Each chunk's gradients (particles × dimension) then log-likelihoods.
    let partials: UnsafeMutablePointer<Double>

    var partialCount: Int { particles * (kernel.dimension + 1) }

    func run(_ chunk: Int, participant: Int) {
        let width = particles * kernel.dimension, out = partials + chunk * partialCount
        out.update(repeating: 0, count: width)
        let start = chunk * GLMKernel.chunkRows, k = kernel
        GLMKernel(x: k.x, y: k.y, columns: k.columns, likelihood: k.likelihood, points: k.points, dimension: k.dimension,
                  gradient: out, scratch: k.scratch + participant * share)
            .accumulate(rows: .range(start ..< min(start + GLMKernel.chunkRows, rows)), particles: 0..<particles,
                        into: out + width)
    }

    /// `WorkerPool.Body` of a job whose context is a `ChunkJob`.
    static let run: WorkerPool.Body = { context, chunk, participant in
        context.assumingMemoryBound(to: ChunkJob.self).pointee.run(chunk, participant: participant)
    }
}
