import CSwiftVI
import SwiftVI

@c @implementation
public func svi_sgd_options_init(_ opts: UnsafeMutablePointer<svi_sgd_options>?, _ struct_size: UInt32) -> svi_status {
    abiCall("svi_sgd_options_init") {
        let opts = try Marshal.required(opts, "opts")
        try Marshal.structSize(struct_size, svi_sgd_options.self, "svi_sgd_options")
        opts.pointee = svi_sgd_options(struct_size: struct_size, learning_rate: 0.01, momentum: 0, nesterov: 0)
    }
}

@c @implementation
public func svi_optim_new_sgd(_ out: UnsafeMutablePointer<svi_optim>?, _ opts: UnsafePointer<svi_sgd_options>?) -> svi_status {
    abiCall("svi_optim_new_sgd") {
        let out = try Marshal.required(out, "out")
        let o = try Marshal.required(opts, "opts").pointee
        try Marshal.structSize(o.struct_size, svi_sgd_options.self, "svi_sgd_options")
        let sgd = try SGD(learningRate: o.learning_rate, momentum: o.momentum, nesterov: o.nesterov != 0)
        out.pointee = try Registry.insert(sgd as any Optimizer, kind: .optimizer)
    }
}

@c @implementation
public func svi_adam_options_init(_ opts: UnsafeMutablePointer<svi_adam_options>?, _ struct_size: UInt32) -> svi_status {
    abiCall("svi_adam_options_init") {
        let opts = try Marshal.required(opts, "opts")
        try Marshal.structSize(struct_size, svi_adam_options.self, "svi_adam_options")
        opts.pointee = svi_adam_options(struct_size: struct_size, learning_rate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
    }
}

@c @implementation
public func svi_optim_new_adam(_ out: UnsafeMutablePointer<svi_optim>?, _ opts: UnsafePointer<svi_adam_options>?) -> svi_status {
    abiCall("svi_optim_new_adam") {
        let out = try Marshal.required(out, "out")
        let o = try Marshal.required(opts, "opts").pointee
        try Marshal.structSize(o.struct_size, svi_adam_options.self, "svi_adam_options")
        let adam = try Adam(learningRate: o.learning_rate, beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon)
        out.pointee = try Registry.insert(adam as any Optimizer, kind: .optimizer)
    }
}

@c @implementation
public func svi_optim_free(_ optim: svi_optim) -> svi_status {
    abiCall("svi_optim_free") { try Registry.remove(optim, .optimizer) }
}
