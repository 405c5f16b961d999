import CSwiftVI
import SwiftVI

/// The body of the ABI's training loops (svi_svi_run, svi_vae_train): runs
/// `steps` steps from `state` with `body`, which reports each step to the C
/// `progress` callback (when given) through the closure it receives; then —
/// also when a step fails or progress stops the run — hands the state reached
/// to `store` and copies the kept steps' losses to `out`.
func recordedRun(from state: SVIState, steps: Int, losses out: UnsafeMutablePointer<Double>?,
                 progress: svi_progress_fn?, userData: UnsafeMutableRawPointer?, store: (SVIState) -> Void,
                 _ body: (inout SVIState, Int, inout [Double], ((Int, Double) -> Bool)?) throws -> Void) throws {
    var state = state
    var losses: [Double] = []
    losses.reserveCapacity(steps)
    defer {
        store(state)
        out?.update(from: losses, count: losses.count)
    }
    try body(&state, steps, &losses, progress.map { callback in { step, loss in callback(userData, step, loss) == 0 } })
}
