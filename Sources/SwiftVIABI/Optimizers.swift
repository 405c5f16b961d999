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
        return try SGD(learningRate: o.learning_rate, momentum: o.momentum, nesterov: o.nesterov != 0) as any Optimizer
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
        return try Adam(learningRate: o.learning_rate, beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon) as any Optimizer
    }
}

@c @implementation
public func svi_optim_free(_ optim: svi_optim) -> svi_status {
    abiCall("svi_optim_free") { try Registry.remove(optim, .optimizer) }
}
