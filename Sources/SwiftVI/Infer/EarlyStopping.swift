/// A rule for ending an SVI run once its loss has stopped improving.
///
/// The losses L₁, L₂, … of the run's steps are smoothed by an exponential
/// moving average: s₁ = L₁, sₜ = β·sₜ₋₁ + (1 − β)·Lₜ with β = `smoothing`.
/// Step t ≥ 2 is *calm* when |sₜ − sₜ₋₁| ≤ `relativeTolerance` · |sₜ₋₁|. The
/// run stops after the first step that ends `patience` consecutive calm steps.
public struct EarlyStopping: Sendable {
    public let relativeTolerance: Double
    /// β, the weight of the previous smoothed loss; 0 follows the raw loss.
    public let smoothing: Double
    /// How many consecutive calm steps end the run.
    public let patience: Int

    private var smoothed: Double?
    private var calmSteps = 0

    /// Throws unless the tolerance is positive and finite, the smoothing in [0, 1)
    /// and the patience at least 1.
    public init(relativeTolerance: Double, smoothing: Double = 0.9, patience: Int = 10) throws {
        try SettingCheck.positive("early stopping", "relative_tolerance", relativeTolerance)
        try SettingCheck.unitInterval("early stopping", "smoothing", smoothing)
        guard patience >= 1 else {
            throw SVIError.invalidArgument("early stopping: patience must be at least 1; got \(patience)")
        }
        self.relativeTolerance = relativeTolerance
        self.smoothing = smoothing
        self.patience = patience
    }

    /// Takes the loss of the step just taken; true when the run should stop after it.
    mutating func shouldStop(after loss: Double) -> Bool {
        guard let previous = smoothed else {
            smoothed = loss
            return false
        }
        let current = smoothing * previous + (1 - smoothing) * loss
        smoothed = current
        calmSteps = abs(current - previous) <= relativeTolerance * abs(previous) ? calmSteps + 1 : 0
        return calmSteps >= patience
    }
}
