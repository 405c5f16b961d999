import Foundation
import MallocCounter
import SwiftVI

/// What one case measured.
struct CaseResult {
    let name: String
    let api: String
    let microsecondsPerStep: Double
    /// Process CPU time per step: what the step costs when the machine is shared.
    let cpuMicrosecondsPerStep: Double
    let finalLoss: Double
    let peakResidentMegabytes: Double
    let allocationsPerStep: Double
    let steps: Int

    var json: String {
        """
        {"name": "\(name)", "api": "\(api)", "us_per_step": \(microsecondsPerStep), "cpu_us_per_step": \(cpuMicrosecondsPerStep), "final_loss": \(finalLoss), \
        "peak_rss_mb": \(peakResidentMegabytes), "allocations_per_step": \(allocationsPerStep), "steps": \(steps)}
        """
    }
}

/// Seconds on `clock`: CLOCK_MONOTONIC for wall time, CLOCK_PROCESS_CPUTIME_ID for CPU time.
func seconds(_ clock: clockid_t) -> Double {
    var t = timespec()
    clock_gettime(clock, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// The peak resident set of this process image in MB: VmHWM from
/// /proc/self/status. (getrusage's ru_maxrss is carried across exec on Linux,
/// so a harness started by a large process would report that process's peak.)
func peakResidentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
    else { return .nan }
    return kilobytes / 1024
}

/// Runs `svi` for `steps` steps from a fresh state `repeats` times after one
/// warm-up run of a tenth of the steps; returns the median wall and CPU µs per step, the
/// mean loss of the last tenth of the steps and the heap allocations per step of the last run (counted by
/// the MallocCounter interposer).
func time(_ svi: SVI, steps: Int, repeats: Int)
    throws -> (microseconds: Double, cpuMicroseconds: Double, loss: Double, allocations: Double) {
    var losses: [Double] = []
    losses.reserveCapacity(steps)
    var warm = try svi.initialize(key: PRNGKey(seed: 0))
    try svi.run(&warm, numSteps: max(steps / 10, 1), losses: &losses)
    var times: [Double] = [], cpuTimes: [Double] = [], lastLoss = Double.nan, allocations = 0.0
    for _ in 0..<repeats {
        var state = try svi.initialize(key: PRNGKey(seed: 0))
        losses.removeAll(keepingCapacity: true)
        let before = svibench_allocation_count()
        let start = seconds(CLOCK_MONOTONIC), cpuStart = seconds(CLOCK_PROCESS_CPUTIME_ID)
        try svi.run(&state, numSteps: steps, losses: &losses)
        times.append(seconds(CLOCK_MONOTONIC) - start)
        cpuTimes.append(seconds(CLOCK_PROCESS_CPUTIME_ID) - cpuStart)
        allocations = Double(svibench_allocation_count() - before) / Double(steps)
        let tail = losses.suffix(max(steps / 10, 1))
        lastLoss = tail.reduce(0, +) / Double(tail.count)
    }
    let median = { (t: [Double]) in t.sorted()[t.count / 2] / Double(steps) * 1e6 }
    return (median(times), median(cpuTimes), lastLoss, allocations)
}

/// The memory-streaming bound of this machine for `data`: the median µs of
/// one pass that reads every feature once (a four-lane sum), over 21 passes.
func streamingMicroseconds(_ data: Dataset) -> Double {
    var times: [Double] = [], total = SIMD4<Double>()
    data.features.withUnsafeBytes { raw in
        for _ in 0..<21 {
            let start = seconds(CLOCK_MONOTONIC)
            var acc0 = SIMD4<Double>(), acc1 = SIMD4<Double>(), offset = 0
            while offset + 64 <= raw.count {
                acc0 += raw.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                acc1 += raw.loadUnaligned(fromByteOffset: offset + 32, as: SIMD4<Double>.self)
                offset += 64
            }
            total += acc0 + acc1
            times.append(seconds(CLOCK_MONOTONIC) - start)
        }
    }
    precondition(total.sum().isFinite)
    return times.sorted()[times.count / 2] * 1e6
}
