import CSwiftVI
import SwiftVI

@c @implementation
public func svi_callback_model_options_init(_ opts: UnsafeMutablePointer<svi_callback_model_options>?,
                                            _ struct_size: UInt32) -> svi_status {
    Marshal.initOptions("svi_callback_model_options_init", opts, struct_size,
                        svi_callback_model_options(struct_size: struct_size, latents: nil, num_latents: 0,
                                                   log_density: nil, user_data: nil))
}

/// The latent blocks a caller described.
private func latentBlocks(_ blocks: UnsafePointer<svi_latent_block>?, _ count: Int) throws -> [LatentBlock] {
    let n = try Marshal.count(count, "num_latents")
    guard n > 0 else { throw ABIFailure.invalid("a model needs at least one latent block; num_latents is 0") }
    return try UnsafeBufferPointer(start: try Marshal.required(blocks, "latents"), count: n).map { b in
        let name = try Marshal.string(b.name, "a latent block name")
        guard b.constraint == SVI_CONSTRAINT_REAL else {
            throw ABIFailure(status: SVI_E_NOT_IMPLEMENTED,
                             message: "latent block '\(name)': constraint kind \(b.constraint) is not supported")
        }
        return LatentBlock(name: name, size: try Marshal.count(b.size, "the size of latent block '\(name)'"))
    }
}

@c @implementation
public func svi_model_new_callback(_ out: UnsafeMutablePointer<svi_model>?,
                                   _ opts: UnsafePointer<svi_callback_model_options>?) -> svi_status {
    Marshal.create("svi_model_new_callback", out, .model) {
        let o = try Marshal.options(opts)
        let function = try Marshal.required(o.log_density, "opts.log_density")
        let latents = try latentBlocks(o.latents, o.num_latents)
        let dim = latents.reduce(0) { $0 + $1.size }
        let user = o.user_data
        return try CallbackModel(latents: latents) { points, count in
            var values = [Double](repeating: .nan, count: count)
            var gradient = [Double](repeating: .nan, count: count * dim)
            let code = points.withUnsafeBufferPointer { x in
                values.withUnsafeMutableBufferPointer { v in
                    gradient.withUnsafeMutableBufferPointer { g in
                        function(user, count, dim, x.baseAddress, v.baseAddress, g.baseAddress)
                    }
                }
            }
            guard code == 0 else { throw SVIError.callbackFailed("the log-density callback returned \(code)") }
            return (values, gradient)
        }
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
