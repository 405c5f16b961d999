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
        let share = GLMKernel.scratchCount(columns: columns, particles: count), width = count * dimension
        let partials = scratch + pool.width * share
        func runChunk(_ chunk: Int, _ participant: Int) {
            let out = partials + chunk * (width + count)
            out.update(repeating: 0, count: width)
            let start = chunk * GLMKernel.chunkRows
            GLMKernel(x: x, y: y, columns: columns, likelihood: likelihood, points: points, dimension: dimension,
                      gradient: out, scratch: scratch + participant * share)
                .accumulate(rows: .range(start ..< min(start + GLMKernel.chunkRows, rows)), particles: 0..<count,
                            into: out + width)
        }
        if rows * columns * GLMKernel.lanes(count) >= GLMKernel.parallelWork {
            pool.run(tasks: chunks, runChunk)
        } else {
            for chunk in 0..<chunks { runChunk(chunk, 0) }
        }
        for p in 0..<count { logLikelihood[p] = 0 }
        for chunk in 0..<chunks {
            let out = partials + chunk * (width + count)
            for i in 0..<width { gradient[i] += out[i] }
            for p in 0..<count { logLikelihood[p] += out[width + p] }
        }
    }
}
