import CSwiftVI
import SwiftVI

/// The defaults svi_callback_model_options_init writes, for a caller's `struct_size`.
private func callbackModelDefaults(_ size: UInt32) -> svi_callback_model_options {
    svi_callback_model_options(struct_size: size, latents: nil, num_latents: 0, log_density: nil, user_data: nil,
                               has_gradient: 1, latent_block_size: MemoryLayout<svi_latent_block>.stride)
}

/// The size of svi_callback_model_options before has_gradient (and latent bounds) were added.
private let callbackOptionsBeforeGradientFlag = Marshal.size(before: \svi_callback_model_options.has_gradient)
/// The size of svi_callback_model_options before latent_block_size (and the block kind) were added.
private let callbackOptionsBeforeBlockSize = Marshal.size(before: \svi_callback_model_options.latent_block_size)
/// The earlier sizes of svi_callback_model_options, newest first.
private let olderCallbackOptionSizes = [callbackOptionsBeforeBlockSize, callbackOptionsBeforeGradientFlag]
/// The size of svi_latent_block before its kind was added.
private let latentBlockBeforeKind = Marshal.size(before: \svi_latent_block.kind)

@c @implementation
public func svi_callback_model_options_init(_ opts: UnsafeMutablePointer<svi_callback_model_options>?,
                                            _ struct_size: UInt32) -> svi_status {
    Marshal.initOptions("svi_callback_model_options_init", opts, struct_size, callbackModelDefaults(struct_size),
                        olderSizes: olderCallbackOptionSizes)
}

/// The blocks a caller described, in the layout its options declare: without
/// bounds for the options before has_gradient, without kind (all latent)
/// before latent_block_size, else as latent_block_size says.
private func latentBlocks(_ o: svi_callback_model_options, optionsSize: Int) throws -> [LatentBlock] {
    let n = try Marshal.count(o.num_latents, "num_latents")
    guard n > 0 else { throw ABIFailure.invalid("a model needs at least one latent block; num_latents is 0") }
    let stride = switch optionsSize {
    case callbackOptionsBeforeGradientFlag: Marshal.size(before: \svi_latent_block.lower_bound)
    case callbackOptionsBeforeBlockSize: latentBlockBeforeKind
    default: o.latent_block_size
    }
    guard stride == Marshal.size(before: \svi_latent_block.lower_bound) || stride == latentBlockBeforeKind
            || stride == MemoryLayout<svi_latent_block>.stride else {
        throw ABIFailure.invalid(
            "latent_block_size \(o.latent_block_size) is not the size of an svi_latent_block layout (\(MemoryLayout<svi_latent_block>.stride) or \(latentBlockBeforeKind))")
    }
    let read = Marshal.elements(try Marshal.required(o.latents, "latents"), count: n, stride: stride,
                                defaults: svi_latent_block())
    return try read.map { b in
        let name = try Marshal.string(b.name, "a latent block name")
        return LatentBlock(name: name, size: try Marshal.count(b.size, "the size of latent block '\(name)'"),
                           constraint: try constraint(of: b, name), kind: try kind(of: b, name))
    }
}

/// Whether an svi_latent_block is latent or a parameter.
private func kind(of block: svi_latent_block, _ name: String) throws -> LatentBlock.Kind {
    switch block.kind {
    case svi_block_kind(SVI_BLOCK_LATENT): .latent
    case svi_block_kind(SVI_BLOCK_PARAMETER): .parameter
    default: throw ABIFailure.invalid("block '\(name)': unknown block kind \(block.kind)")
    }
}

/// The region an svi_latent_block names.
private func constraint(of block: svi_latent_block, _ name: String) throws -> Constraint {
    switch block.constraint {
    case svi_constraint_kind(SVI_CONSTRAINT_REAL): .real
    case svi_constraint_kind(SVI_CONSTRAINT_POSITIVE): .positive
    case svi_constraint_kind(SVI_CONSTRAINT_UNIT_INTERVAL): .unitInterval
    case svi_constraint_kind(SVI_CONSTRAINT_INTERVAL): .interval(low: Tensor(block.lower_bound), high: Tensor(block.upper_bound))
    case svi_constraint_kind(SVI_CONSTRAINT_GREATER_THAN): .greaterThan(Tensor(block.lower_bound))
    case svi_constraint_kind(SVI_CONSTRAINT_LESS_THAN): .lessThan(Tensor(block.upper_bound))
    case svi_constraint_kind(SVI_CONSTRAINT_SIMPLEX): .simplex
    case svi_constraint_kind(SVI_CONSTRAINT_LOWER_CHOLESKY): .lowerCholesky
    case svi_constraint_kind(SVI_CONSTRAINT_CORR_CHOLESKY): .corrCholesky
    default: throw ABIFailure.invalid("latent block '\(name)': unknown constraint kind \(block.constraint)")
    }
}

@c @implementation
public func svi_model_new_callback(_ out: UnsafeMutablePointer<svi_model>?,
                                   _ opts: UnsafePointer<svi_callback_model_options>?) -> svi_status {
    Marshal.create("svi_model_new_callback", out, .model) {
        let (o, size) = try Marshal.options(opts, defaults: callbackModelDefaults(0),
                                            olderSizes: olderCallbackOptionSizes)
        let function = try Marshal.required(o.log_density, "opts.log_density")
        let blocks = try latentBlocks(o, optionsSize: size)
        let dim = blocks.reduce(0) { $0 + $1.size }
        let user = o.user_data
        /// Calls the callback, with a gradient buffer when `withGradient`.
        func call(_ points: [Double], _ count: Int, withGradient: Bool) throws -> (logDensity: [Double], gradient: [Double]) {
            var values = [Double](repeating: .nan, count: count)
            var gradient = [Double](repeating: .nan, count: withGradient ? count * dim : 0)
            let code = points.withUnsafeBufferPointer { x in
                values.withUnsafeMutableBufferPointer { v in
                    gradient.withUnsafeMutableBufferPointer { g in
                        function(user, count, dim, x.baseAddress, v.baseAddress, withGradient ? g.baseAddress : nil)
                    }
                }
            }
            guard code == 0 else { throw SVIError.callbackFailed("the log-density callback returned \(code)") }
            return (values, gradient)
        }
        guard o.has_gradient != 0 else {
            return try CallbackModel(latents: blocks) { points, count in try call(points, count, withGradient: false).logDensity }
        }
        return try CallbackModel(latents: blocks) { points, count in try call(points, count, withGradient: true) }
    }
}

@c @implementation
public func svi_model_new_distribution(_ out: UnsafeMutablePointer<svi_model>?, _ site: UnsafePointer<CChar>?,
                                       _ dist: svi_dist) -> svi_status {
    Marshal.create("svi_model_new_distribution", out, .model) {
        try DistributionModel(site: Marshal.string(site, "site"), distribution: distribution(dist))
    }
}

@c @implementation
public func svi_model_free(_ model: svi_model) -> svi_status {
    abiCall("svi_model_free") { try Registry.remove(model, .model) }
}

@c @implementation
public func svi_model_dim(_ model: svi_model, _ out_dim: UnsafeMutablePointer<Int>?) -> svi_status {
    abiCall("svi_model_dim") {
        try Marshal.write(Registry.lookup(model, .model, as: (any LogDensityModel).self).dimension, to: out_dim, "out_dim")
    }
}

@c @implementation
public func svi_model_constrained_dim(_ model: svi_model, _ out_dim: UnsafeMutablePointer<Int>?) -> svi_status {
    abiCall("svi_model_constrained_dim") {
        try Marshal.write(Registry.lookup(model, .model, as: (any LogDensityModel).self).constrainedDimension,
                          to: out_dim, "out_dim")
    }
}
