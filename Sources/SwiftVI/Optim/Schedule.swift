import RealModule

/// A step size as a function of n, the number of updates already applied (0 for
/// the first update), as optax and NumPyro schedules are. Every optimizer takes
/// one as its learning rate; a plain number is a constant schedule.
public indirect enum Schedule: Equatable, Sendable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    /// The same value at every step.
    case constant(Double)
    /// `initValue · decayRate^(n / decaySteps)`, with the exponent floored
    /// when `staircase` is set.
    case exponentialDecay(initValue: Double, decaySteps: Int, decayRate: Double, staircase: Bool = false)
    /// `initValue · ((1 − α) · ½(1 + cos(π · min(n, decaySteps) / decaySteps)) + α)`:
    /// from `initValue` down to `α · initValue` over `decaySteps`, then flat.
    case cosineDecay(initValue: Double, decaySteps: Int, alpha: Double = 0)
    /// `values[k]`, where k is the number of boundaries strictly below n;
    /// `values` has one more element than `boundaries`.
    case piecewiseConstant(boundaries: [Int], values: [Double])
    /// Linear from `initValue` to `then(0)` over the first `warmupSteps`
    /// updates, then `then(n − warmupSteps)`.
    case linearWarmup(initValue: Double, warmupSteps: Int, then: Schedule)

    public init(floatLiteral value: Double) { self = .constant(value) }
    public init(integerLiteral value: Int) { self = .constant(Double(value)) }

    /// The step size of the update that follows `updates` earlier ones.
    public func callAsFunction(_ updates: Int) -> Double {
        switch self {
        case .constant(let value):
            return value
        case let .exponentialDecay(initValue, decaySteps, decayRate, staircase):
            let exponent = staircase ? Double(updates / decaySteps) : Double(updates) / Double(decaySteps)
            return initValue * Double.pow(decayRate, exponent)
        case let .cosineDecay(initValue, decaySteps, alpha):
            let progress = Double(min(updates, decaySteps)) / Double(decaySteps)
            return initValue * ((1 - alpha) * 0.5 * (1 + Double.cos(.pi * progress)) + alpha)
        case let .piecewiseConstant(boundaries, values):
            return values[boundaries.count(where: { updates > $0 })]
        case let .linearWarmup(initValue, warmupSteps, then):
            guard updates < warmupSteps else { return then(updates - warmupSteps) }
            return initValue + (then(0) - initValue) * Double(updates) / Double(warmupSteps)
        }
    }

    /// Throws unless the schedule's settings are valid, naming `family` (the
    /// optimizer) in the message: a constant must be positive and finite; the
    /// values a schedule starts from or steps through non-negative and finite;
    /// step counts positive.
    func check(_ family: String) throws {
        func fail(_ message: String) -> SVIError { .invalidArgument("\(family): \(message)") }
        func nonNegative(_ name: String, _ value: Double) throws {
            guard value >= 0, value.isFinite else { throw fail("\(name) must be non-negative and finite; got \(value)") }
        }
        func positive(_ name: String, _ steps: Int) throws {
            guard steps > 0 else { throw fail("\(name) must be positive; got \(steps)") }
        }
        switch self {
        case .constant(let value):
            guard value > 0, value.isFinite else { throw fail("learning rate must be positive and finite; got \(value)") }
        case let .exponentialDecay(initValue, decaySteps, decayRate, _):
            try nonNegative("exponential_decay init_value", initValue)
            try positive("exponential_decay decay_steps", decaySteps)
            guard decayRate > 0, decayRate.isFinite else {
                throw fail("exponential_decay decay_rate must be positive and finite; got \(decayRate)")
            }
        case let .cosineDecay(initValue, decaySteps, alpha):
            try nonNegative("cosine_decay init_value", initValue)
            try positive("cosine_decay decay_steps", decaySteps)
            guard alpha >= 0, alpha <= 1 else { throw fail("cosine_decay alpha must be in [0, 1]; got \(alpha)") }
        case let .piecewiseConstant(boundaries, values):
            guard values.count == boundaries.count + 1 else {
                throw fail("piecewise_constant needs one more value than boundaries; got \(values.count) and \(boundaries.count)")
            }
            guard boundaries.allSatisfy({ $0 >= 0 }), zip(boundaries, boundaries.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw fail("piecewise_constant boundaries must be non-negative and increasing; got \(boundaries)")
            }
            for value in values { try nonNegative("piecewise_constant value", value) }
        case let .linearWarmup(initValue, warmupSteps, then):
            try nonNegative("warmup init_value", initValue)
            try positive("warmup warmup_steps", warmupSteps)
            try then.check(family)
        }
    }
}
