/// Any optimizer fed clipped gradients: first each element clamped to
/// [−maxValue, maxValue] (optax's `clip`), then the whole gradient scaled by
/// maxGlobalNorm / ‖g‖₂ when its norm exceeds maxGlobalNorm (optax's
/// `clip_by_global_norm`). Either bound may be absent, not both.
public struct GradientClipping: Optimizer {
    public let base: any Optimizer
    public let maxGlobalNorm: Double?
    public let maxValue: Double?

    public var learningRate: Schedule { base.learningRate }

    /// Throws unless at least one bound is given and every given bound is positive and finite.
    public init(_ base: any Optimizer, maxGlobalNorm: Double? = nil, maxValue: Double? = nil) throws {
        guard maxGlobalNorm != nil || maxValue != nil else {
            throw SVIError.invalidArgument("gradient clipping: give a maximum global norm, a maximum value or both")
        }
        if let maxGlobalNorm { try SettingCheck.positive("gradient clipping", "max_global_norm", maxGlobalNorm) }
        if let maxValue { try SettingCheck.positive("gradient clipping", "max_value", maxValue) }
        self.base = base
        self.maxGlobalNorm = maxGlobalNorm
        self.maxValue = maxValue
    }

    public func withLearningRate(_ learningRate: Schedule) throws -> GradientClipping {
        try GradientClipping(base.withLearningRate(learningRate), maxGlobalNorm: maxGlobalNorm, maxValue: maxValue)
    }

    public func initialState(parameterCount: Int) -> OptimizerState {
        base.initialState(parameterCount: parameterCount)
    }

    public func update(_ parameters: inout [Double], gradient: [Double], state: inout OptimizerState) {
        base.update(&parameters, gradient: clipped(gradient), state: &state)
    }

    /// The gradient after both clippings.
    func clipped(_ gradient: [Double]) -> [Double] {
        var g = gradient
        if let maxValue { g = g.map { min(max($0, -maxValue), maxValue) } }
        if let maxGlobalNorm {
            let norm = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm > maxGlobalNorm { g = g.map { $0 / norm * maxGlobalNorm } }
        }
        return g
    }
}
