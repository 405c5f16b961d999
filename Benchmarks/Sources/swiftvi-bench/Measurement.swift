import Foundation
import MallocCounter
import SwiftVI

/// What one case measured.
struct CaseResult {
    let name: String
    let api: String
    let microsecondsPerStep: Double
    let finalLoss: Double
    let peakResidentMegabytes: Double
    let allocationsPerStep: Double
    let steps: Int

    var json: String {
        """
        {"name": "\(name)", "api": "\(api)", "us_per_step": \(microsecondsPerStep), "final_loss": \(finalLoss), \
        "peak_rss_mb": \(peakResidentMegabytes), "allocations_per_step": \(allocationsPerStep), "steps": \(steps)}
        """
    }
}

/// Monotonic time in seconds.
func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// The process's peak resident set (getrusage's ru_maxrss, in kilobytes on Linux), in MB.
func peakResidentMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// Runs `svi` for `steps` steps from a fresh state `repeats` times after one
/// warm-up run of a tenth of the steps; returns the median µs per step, the
/// mean loss of the last tenth of the steps and the heap allocations per step of the last run (counted by
/// the MallocCounter interposer).
func time(_ svi: SVI, steps: Int, repeats: Int) throws -> (microseconds: Double, loss: Double, allocations: Double) {
    var losses: [Double] = []
    losses.reserveCapacity(steps)
    var warm = svi.initialize(key: PRNGKey(seed: 0))
    try svi.run(&warm, numSteps: max(steps / 10, 1), losses: &losses)
    var times: [Double] = [], lastLoss = Double.nan, allocations = 0.0
    for _ in 0..<repeats {
        var state = svi.initialize(key: PRNGKey(seed: 0))
        losses.removeAll(keepingCapacity: true)
        let before = svibench_allocation_count()
        let start = now()
        try svi.run(&state, numSteps: steps, losses: &losses)
        times.append(now() - start)
        allocations = Double(svibench_allocation_count() - before) / Double(steps)
        let tail = losses.suffix(max(steps / 10, 1))
        lastLoss = tail.reduce(0, +) / Double(tail.count)
    }
    return (times.sorted()[times.count / 2] / Double(steps) * 1e6, lastLoss, allocations)
}
