import CSwiftVI
import SwiftVI

@c @implementation
public func svi_sgd_options_init(_ opts: UnsafeMutablePointer<svi_sgd_options>?, _ struct_size: UInt32) -> svi_status {
    Marshal.initOptions("svi_sgd_options_init", opts, struct_size,
                        svi_sgd_options(struct_size: struct_size, learning_rate: 0.01, momentum: 0, nesterov: 0))
}

@c @implementation
public func svi_optim_new_sgd(_ out: UnsafeMutablePointer<svi_optim>?, _ opts: UnsafePointer<svi_sgd_options>?) -> svi_status {
    Marshal.create("svi_optim_new_sgd", out, .optimizer) {
        let o = try Marshal.options(opts)
        return try SGD(learningRate: .constant(o.learning_rate), momentum: o.momentum, nesterov: o.nesterov != 0) as any Optimizer
    }
}

@c @implementation
public func svi_adam_options_init(_ opts: UnsafeMutablePointer<svi_adam_options>?, _ struct_size: UInt32) -> svi_status {
    Marshal.initOptions("svi_adam_options_init", opts, struct_size,
                        svi_adam_options(struct_size: struct_size, learning_rate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8))
}

@c @implementation
public func svi_optim_new_adam(_ out: UnsafeMutablePointer<svi_optim>?, _ opts: UnsafePointer<svi_adam_options>?) -> svi_status {
    Marshal.create("svi_optim_new_adam", out, .optimizer) {
        let o = try Marshal.options(opts)
        return try Adam(learningRate: .constant(o.learning_rate), beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon) as any Optimizer
    }
}

@c @implementation
public func svi_adamw_options_init(_ opts: UnsafeMutablePointer<svi_adamw_options>?, _ struct_size: UInt32) -> svi_status {
    Marshal.initOptions("svi_adamw_options_init", opts, struct_size,
                        svi_adamw_options(struct_size: struct_size, learning_rate: 0.001, beta1: 0.9, beta2: 0.999,
                                          epsilon: 1e-8, weight_decay: 1e-4))
}

@c @implementation
public func svi_optim_new_adamw(_ out: UnsafeMutablePointer<svi_optim>?, _ opts: UnsafePointer<svi_adamw_options>?) -> svi_status {
    Marshal.create("svi_optim_new_adamw", out, .optimizer) {
        let o = try Marshal.options(opts)
        return try AdamW(learningRate: .constant(o.learning_rate), beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon,
                         weightDecay: o.weight_decay) as any Optimizer
    }
}

@c @implementation
public func svi_clipped_adam_options_init(_ opts: UnsafeMutablePointer<svi_clipped_adam_options>?,
                                          _ struct_size: UInt32) -> svi_status {
    Marshal.initOptions("svi_clipped_adam_options_init", opts, struct_size,
                        svi_clipped_adam_options(struct_size: struct_size, learning_rate: 0.001, beta1: 0.9, beta2: 0.999,
                                                 epsilon: 1e-8, clip_norm: 10, lrd: 1, weight_decay: 0))
}

@c @implementation
public func svi_optim_new_clipped_adam(_ out: UnsafeMutablePointer<svi_optim>?,
                                       _ opts: UnsafePointer<svi_clipped_adam_options>?) -> svi_status {
    Marshal.create("svi_optim_new_clipped_adam", out, .optimizer) {
        let o = try Marshal.options(opts)
        return try ClippedAdam(learningRate: .constant(o.learning_rate), beta1: o.beta1, beta2: o.beta2,
                               epsilon: o.epsilon, clipNorm: o.clip_norm, lrd: o.lrd,
                               weightDecay: o.weight_decay) as any Optimizer
    }
}

@c @implementation
public func svi_rmsprop_options_init(_ opts: UnsafeMutablePointer<svi_rmsprop_options>?, _ struct_size: UInt32) -> svi_status {
    Marshal.initOptions("svi_rmsprop_options_init", opts, struct_size,
                        svi_rmsprop_options(struct_size: struct_size, learning_rate: 0.01, decay: 0.99, epsilon: 1e-8,
                                            momentum: 0, centered: 0))
}

@c @implementation
public func svi_optim_new_rmsprop(_ out: UnsafeMutablePointer<svi_optim>?, _ opts: UnsafePointer<svi_rmsprop_options>?) -> svi_status {
    Marshal.create("svi_optim_new_rmsprop", out, .optimizer) {
        let o = try Marshal.options(opts)
        return try RMSProp(learningRate: .constant(o.learning_rate), decay: o.decay, epsilon: o.epsilon,
                           momentum: o.momentum, centered: o.centered != 0) as any Optimizer
    }
}

@c @implementation
public func svi_adagrad_options_init(_ opts: UnsafeMutablePointer<svi_adagrad_options>?, _ struct_size: UInt32) -> svi_status {
    Marshal.initOptions("svi_adagrad_options_init", opts, struct_size,
                        svi_adagrad_options(struct_size: struct_size, learning_rate: 0.01, initial_accumulator_value: 0,
                                            epsilon: 1e-10))
}

@c @implementation
public func svi_optim_new_adagrad(_ out: UnsafeMutablePointer<svi_optim>?, _ opts: UnsafePointer<svi_adagrad_options>?) -> svi_status {
    Marshal.create("svi_optim_new_adagrad", out, .optimizer) {
        let o = try Marshal.options(opts)
        return try Adagrad(learningRate: .constant(o.learning_rate), initialAccumulatorValue: o.initial_accumulator_value,
                           epsilon: o.epsilon) as any Optimizer
    }
}

@c @implementation
public func svi_schedule_init(_ schedule: UnsafeMutablePointer<svi_schedule>?, _ struct_size: UInt32) -> svi_status {
    Marshal.initOptions("svi_schedule_init", schedule, struct_size,
                        svi_schedule(struct_size: struct_size, kind: SVI_SCHEDULE_CONSTANT, init_value: 0.001,
                                     decay_steps: 1000, decay_rate: 0.1, staircase: 0, alpha: 0, boundaries: nil,
                                     values: nil, num_boundaries: 0, warmup_steps: 0, warmup_init_value: 0))
}

/// The schedule an svi_schedule describes.
private func schedule(_ s: svi_schedule) throws -> Schedule {
    let base: Schedule
    switch s.kind {
    case SVI_SCHEDULE_CONSTANT:
        base = .constant(s.init_value)
    case SVI_SCHEDULE_EXPONENTIAL_DECAY:
        base = .exponentialDecay(initValue: s.init_value, decaySteps: try Marshal.count(s.decay_steps, "decay_steps"),
                                 decayRate: s.decay_rate, staircase: s.staircase != 0)
    case SVI_SCHEDULE_COSINE_DECAY:
        base = .cosineDecay(initValue: s.init_value, decaySteps: try Marshal.count(s.decay_steps, "decay_steps"),
                            alpha: s.alpha)
    case SVI_SCHEDULE_PIECEWISE_CONSTANT:
        let n = try Marshal.count(s.num_boundaries, "num_boundaries")
        let boundaries = n == 0 ? [] : Array(UnsafeBufferPointer(start: try Marshal.required(s.boundaries, "boundaries"), count: n))
        let values = Array(UnsafeBufferPointer(start: try Marshal.required(s.values, "values"), count: n + 1))
        base = .piecewiseConstant(boundaries: try boundaries.map { try Marshal.count($0, "a boundary") }, values: values)
    default:
        throw ABIFailure.invalid("unknown schedule kind \(s.kind)")
    }
    guard s.warmup_steps != 0 else { return base }
    return .linearWarmup(initValue: s.warmup_init_value, warmupSteps: try Marshal.count(s.warmup_steps, "warmup_steps"),
                         then: base)
}

@c @implementation
public func svi_optim_new_scheduled(_ out: UnsafeMutablePointer<svi_optim>?, _ optim: svi_optim,
                                    _ schedule: UnsafePointer<svi_schedule>?) -> svi_status {
    Marshal.create("svi_optim_new_scheduled", out, .optimizer) {
        let base = try Registry.lookup(optim, .optimizer, as: (any Optimizer).self)
        return try base.withLearningRate(SwiftVIABI.schedule(Marshal.options(schedule))) as any Optimizer
    }
}

@c @implementation
public func svi_clip_options_init(_ opts: UnsafeMutablePointer<svi_clip_options>?, _ struct_size: UInt32) -> svi_status {
    Marshal.initOptions("svi_clip_options_init", opts, struct_size,
                        svi_clip_options(struct_size: struct_size, max_global_norm: 0, max_value: 0))
}

@c @implementation
public func svi_optim_new_clipped(_ out: UnsafeMutablePointer<svi_optim>?, _ optim: svi_optim,
                                  _ opts: UnsafePointer<svi_clip_options>?) -> svi_status {
    Marshal.create("svi_optim_new_clipped", out, .optimizer) {
        let base = try Registry.lookup(optim, .optimizer, as: (any Optimizer).self)
        let o = try Marshal.options(opts)
        for (name, bound) in [("max_global_norm", o.max_global_norm), ("max_value", o.max_value)]
        where !(bound >= 0 && bound.isFinite) {
            throw ABIFailure.invalid("\(name) must be 0 (absent) or positive and finite; got \(bound)")
        }
        return try GradientClipping(base, maxGlobalNorm: o.max_global_norm > 0 ? o.max_global_norm : nil,
                                    maxValue: o.max_value > 0 ? o.max_value : nil) as any Optimizer
    }
}

@c @implementation
public func svi_optim_free(_ optim: svi_optim) -> svi_status {
    abiCall("svi_optim_free") { try Registry.remove(optim, .optimizer) }
}
