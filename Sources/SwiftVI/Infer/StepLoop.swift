/// The loop of the training runs (SVI, VAETrainer): up to `numSteps` calls of
/// `update`, each new state stored in `state` and its loss appended to
/// `losses`; `progress`, called after each step with its number and loss,
/// returns false to stop (`SVIError.stopped`). Returns true when `shouldStop`
/// ends the run after a step. On any error `state` and `losses` hold the last
/// good step.
func runSteps(_ state: inout SVIState, numSteps: Int, losses: inout [Double], progress: ((Int, Double) -> Bool)?,
              update: (SVIState) throws -> (state: SVIState, loss: Double),
              shouldStop: (Double) -> Bool = { _ in false }) throws -> Bool {
    for _ in 0..<numSteps {
        let (next, value) = try update(state)
        state = next
        losses.append(value)
        if let progress, !progress(state.step, value) {
            throw SVIError.stopped("stopped by the progress callback after step \(state.step)")
        }
        if shouldStop(value) { return true }
    }
    return false
}
