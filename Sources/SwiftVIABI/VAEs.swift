import CSwiftVI
import SwiftVI

/// A VAE, its optimizer and the state of its fit, as one handle holds them.
final class VAERun {
    let vae: VAE
    let optimizer: any Optimizer
    let batchSize: Int
    let particles: Int
    var state: SVIState?

    init(vae: VAE, optimizer: any Optimizer, batchSize: Int, particles: Int) {
        self.vae = vae
        self.optimizer = optimizer
        self.batchSize = batchSize
        self.particles = particles
    }

    /// The trainer on `data`.
    func trainer(_ data: Tensor) throws -> VAETrainer {
        try VAETrainer(vae: vae, optimizer: optimizer, data: data, batchSize: batchSize, particles: particles)
    }

    /// The current parameters, initializing with the key of seed 0 when there is no state.
    var parameters: [Double] {
        current.parameters
    }

    /// The current state, initializing with the key of seed 0 when there is none.
    var current: SVIState {
        if let state { return state }
        let initial = vae.initialState(optimizer: optimizer, key: PRNGKey(seed: 0))
        state = initial
        return initial
    }
}

private func run(_ handle: svi_vae) throws -> VAERun { try Registry.lookup(handle, .vae) }

private func vaeDefaults(_ size: UInt32) -> svi_vae_options {
    svi_vae_options(struct_size: size, data_dim: 2, latent_dim: 2, hidden_sizes: nil, num_hidden: 0,
                    activation: SVI_ACTIVATION_RELU, decoder_scale: 1, encoder_scale: 0, num_particles: 1,
                    batch_size: 100, optim: 0, log_likelihood: nil, user_data: nil, num_likelihood_params: 0,
                    initial_likelihood_params: nil)
}

/// The activation an svi_activation names.
private func activation(_ kind: svi_activation) throws -> Activation {
    switch kind {
    case SVI_ACTIVATION_RELU: .relu
    case SVI_ACTIVATION_TANH: .tanh
    case SVI_ACTIVATION_SOFTPLUS: .softplus
    case SVI_ACTIVATION_SIGMOID: .sigmoid
    default: throw ABIFailure.invalid("unknown activation \(kind)")
    }
}

/// `count` values at `pointer` (which may be NULL only when `count` is 0).
private func buffer<T>(_ pointer: UnsafePointer<T>?, _ count: Int, _ name: String) throws -> [T] {
    let n = try Marshal.count(count, name)
    if n == 0 { return [] }
    return Array(UnsafeBufferPointer(start: try Marshal.required(pointer, name), count: n))
}

/// A rows × width matrix read from `pointer`, which must be finite.
private func matrix(_ pointer: UnsafePointer<Double>?, rows: Int, width: Int, _ name: String) throws -> Tensor {
    let n = try Marshal.elementCount([rows, width], name)
    guard n > 0 else { throw ABIFailure.invalid("\(name) has no rows") }
    let t = Tensor(shape: [rows, width], scalars: try buffer(pointer, n, name))
    guard t.scalars.allSatisfy(\.isFinite) else { throw ABIFailure.invalid("\(name) must be finite") }
    return t
}

/// The decoder callback of the options as a `LogLikelihoodCallback`.
private func likelihood(_ o: svi_vae_options, _ function: svi_vae_log_likelihood_fn) throws -> LogLikelihoodCallback {
    let user = o.user_data
    let (latentDim, dataDim, count) = (o.latent_dim, o.data_dim, o.num_likelihood_params)
    return try LogLikelihoodCallback(latentDim: latentDim, dataDim: dataDim, parameterCount: count) { z, x, rows, theta, withGradient in
        var values = [Double](repeating: .nan, count: rows)
        var gz = [Double](repeating: .nan, count: withGradient ? rows * latentDim : 0)
        var gt = [Double](repeating: .nan, count: withGradient ? rows * count : 0)
        let code = z.withUnsafeBufferPointer { zb in
            x.withUnsafeBufferPointer { xb in
                theta.withUnsafeBufferPointer { tb in
                    values.withUnsafeMutableBufferPointer { vb in
                        gz.withUnsafeMutableBufferPointer { gzb in
                            gt.withUnsafeMutableBufferPointer { gtb in
                                // A zero-length buffer has no address; give the callback a valid one when gradients are asked for.
                                var none = 0.0
                                return withUnsafeMutablePointer(to: &none) { empty in
                                    function(user, rows, latentDim, zb.baseAddress, dataDim, xb.baseAddress, count,
                                             tb.baseAddress, vb.baseAddress,
                                             withGradient ? gzb.baseAddress ?? empty : nil,
                                             withGradient ? gtb.baseAddress ?? empty : nil)
                                }
                            }
                        }
                    }
                }
            }
        }
        guard code == 0 else { throw SVIError.callbackFailed("the log-likelihood callback returned \(code)") }
        return (values, gz, gt)
    }
}

@c @implementation
public func svi_vae_options_init(_ opts: UnsafeMutablePointer<svi_vae_options>?, _ struct_size: UInt32) -> svi_status {
    Marshal.initOptions("svi_vae_options_init", opts, struct_size, vaeDefaults(struct_size))
}

@c @implementation
public func svi_vae_new(_ out: UnsafeMutablePointer<svi_vae>?, _ opts: UnsafePointer<svi_vae_options>?) -> svi_status {
    Marshal.create("svi_vae_new", out, .vae) {
        let o = try Marshal.options(opts)
        let optimizer = try Registry.lookup(try Marshal.required(o.optim == 0 ? nil : o.optim, "opts.optim"), .optimizer,
                                            as: (any Optimizer).self)
        let hidden = try buffer(o.hidden_sizes, o.num_hidden, "opts.hidden_sizes")
        let dims = try [o.data_dim, o.latent_dim, o.batch_size, o.num_particles].map { try Marshal.count($0, "a size") }
        guard dims.allSatisfy({ $0 > 0 }) else {
            throw ABIFailure.invalid("data_dim, latent_dim, batch_size and num_particles must be positive")
        }
        let encoderScale: Double? = o.encoder_scale == 0 ? nil : o.encoder_scale
        let vae: VAE
        if let function = o.log_likelihood {
            let theta = try buffer(o.initial_likelihood_params, o.num_likelihood_params, "opts.initial_likelihood_params")
            vae = try VAE(dataDim: o.data_dim, latentDim: o.latent_dim, hiddenSizes: hidden,
                          activation: activation(o.activation), encoderScale: encoderScale,
                          likelihood: likelihood(o, function), initialLikelihoodParameters: theta)
        } else {
            vae = try VAE(dataDim: o.data_dim, latentDim: o.latent_dim, hiddenSizes: hidden,
                          activation: activation(o.activation), decoderScale: o.decoder_scale, encoderScale: encoderScale)
        }
        return VAERun(vae: vae, optimizer: optimizer, batchSize: o.batch_size, particles: o.num_particles)
    }
}

@c @implementation
public func svi_vae_free(_ vae: svi_vae) -> svi_status {
    abiCall("svi_vae_free") { try Registry.remove(vae, .vae) }
}

@c @implementation
public func svi_vae_init(_ vae: svi_vae, _ key: svi_key) -> svi_status {
    abiCall("svi_vae_init") {
        let r = try run(vae)
        r.state = r.vae.initialState(optimizer: r.optimizer, key: PRNGKey(key))
    }
}

@c @implementation
public func svi_vae_train(_ vae: svi_vae, _ data: UnsafePointer<Double>?, _ num_rows: Int, _ num_steps: Int,
                          _ out_losses: UnsafeMutablePointer<Double>?, _ progress: svi_progress_fn?,
                          _ progress_user_data: UnsafeMutableRawPointer?) -> svi_status {
    abiCall("svi_vae_train") {
        let r = try run(vae)
        let steps = try Marshal.count(num_steps, "num_steps")
        let trainer = try r.trainer(try matrix(data, rows: num_rows, width: r.vae.dataDim, "data"))
        try recordedRun(from: r.current, steps: steps, losses: out_losses, progress: progress,
                        userData: progress_user_data, store: { r.state = $0 }) { state, steps, losses, report in
            try trainer.run(&state, numSteps: steps, losses: &losses, progress: report)
        }
    }
}

@c @implementation
public func svi_vae_num_steps(_ vae: svi_vae, _ out_steps: UnsafeMutablePointer<Int>?) -> svi_status {
    abiCall("svi_vae_num_steps") { try Marshal.write(run(vae).state?.step ?? 0, to: out_steps, "out_steps") }
}

@c @implementation
public func svi_vae_num_params(_ vae: svi_vae, _ out_count: UnsafeMutablePointer<Int>?) -> svi_status {
    abiCall("svi_vae_num_params") { try Marshal.write(run(vae).vae.parameterTree.count, to: out_count, "out_count") }
}

@c @implementation
public func svi_vae_get_params(_ vae: svi_vae, _ out: UnsafeMutablePointer<Double>?, _ out_len: Int) -> svi_status {
    abiCall("svi_vae_get_params") { try Marshal.write(run(vae).parameters, to: out, length: out_len, "out") }
}

@c @implementation
public func svi_vae_evaluate(_ vae: svi_vae, _ data: UnsafePointer<Double>?, _ num_rows: Int, _ num_particles: Int,
                             _ key: svi_key, _ out_elbo: UnsafeMutablePointer<Double>?,
                             _ out_iwae: UnsafeMutablePointer<Double>?) -> svi_status {
    abiCall("svi_vae_evaluate") {
        let r = try run(vae)
        let x = try matrix(data, rows: num_rows, width: r.vae.dataDim, "data")
        let k = try Marshal.count(num_particles, "num_particles")
        guard k > 0 else { throw ABIFailure.invalid("num_particles must be positive") }
        let w = try r.vae.logWeights(parameters: r.parameters, data: x, particles: k, key: PRNGKey(key))
        out_elbo?.pointee = w.mean().scalars[0]
        out_iwae?.pointee = ProposalLosses.iwaeBound(w).scalars[0] / Double(num_rows)
    }
}

@c @implementation
public func svi_vae_encode(_ vae: svi_vae, _ data: UnsafePointer<Double>?, _ num_rows: Int,
                           _ out_loc: UnsafeMutablePointer<Double>?, _ out_scale: UnsafeMutablePointer<Double>?,
                           _ out_len: Int) -> svi_status {
    abiCall("svi_vae_encode") {
        let r = try run(vae)
        let (loc, scale) = try r.vae.encode(try matrix(data, rows: num_rows, width: r.vae.dataDim, "data"),
                                            parameters: Tensor(r.parameters))
        try Marshal.write([(loc.scalars, out_loc, out_len, "out_loc"),
                           (scale.broadcasted(to: loc.shape).scalars, out_scale, out_len, "out_scale")])
    }
}

@c @implementation
public func svi_vae_decode(_ vae: svi_vae, _ latents: UnsafePointer<Double>?, _ num_rows: Int,
                           _ out: UnsafeMutablePointer<Double>?, _ out_len: Int) -> svi_status {
    abiCall("svi_vae_decode") {
        let r = try run(vae)
        let z = try matrix(latents, rows: num_rows, width: r.vae.latentDim, "latents")
        try Marshal.write(r.vae.decode(z, parameters: Tensor(r.parameters)).scalars, to: out, length: out_len, "out")
    }
}

@c @implementation
public func svi_vae_reconstruct(_ vae: svi_vae, _ data: UnsafePointer<Double>?, _ num_rows: Int, _ key: svi_key,
                                _ out: UnsafeMutablePointer<Double>?, _ out_len: Int) -> svi_status {
    abiCall("svi_vae_reconstruct") {
        let r = try run(vae)
        let x = try matrix(data, rows: num_rows, width: r.vae.dataDim, "data")
        let parameters = Tensor(r.parameters)
        let (loc, scale) = try r.vae.encode(x, parameters: parameters)
        let z = loc + scale * Tensor(shape: loc.shape, scalars: PRNGKey(key).normal(loc.count))
        try Marshal.write(r.vae.decode(z, parameters: parameters).scalars, to: out, length: out_len, "out")
    }
}

@c @implementation
public func svi_vae_sample(_ vae: svi_vae, _ num_samples: Int, _ key: svi_key,
                           _ out_latents: UnsafeMutablePointer<Double>?, _ latents_len: Int,
                           _ out_data: UnsafeMutablePointer<Double>?, _ data_len: Int) -> svi_status {
    abiCall("svi_vae_sample") {
        let r = try run(vae)
        let n = try Marshal.count(num_samples, "num_samples")
        let (z, x) = try r.vae.sample(parameters: r.parameters, count: n, key: PRNGKey(key))
        try Marshal.write([(z.scalars, out_latents, latents_len, "out_latents"),
                           (x?.scalars ?? [], out_data, data_len, "out_data")])
    }
}

@c @implementation
public func svi_make_moons(_ num_samples: Int, _ noise: Double, _ key: svi_key, _ out_points: UnsafeMutablePointer<Double>?,
                           _ out_len: Int, _ out_labels: UnsafeMutablePointer<Int32>?) -> svi_status {
    abiCall("svi_make_moons") {
        let n = try Marshal.count(num_samples, "num_samples")
        let (points, labels) = try makeMoons(count: n, noise: noise, key: PRNGKey(key))
        try Marshal.write(points.scalars, to: out_points, length: out_len, "out_points")
        out_labels?.update(from: labels.map { Int32($0) }, count: n)
    }
}
