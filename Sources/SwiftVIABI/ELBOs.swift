import CSwiftVI
import SwiftVI

/// The defaults svi_trace_elbo_options_init writes, for a caller's `struct_size`.
private func traceDefaults(_ size: UInt32) -> svi_trace_elbo_options {
    svi_trace_elbo_options(struct_size: size, num_particles: 1, vectorize_particles: 1)
}

/// The size of svi_trace_elbo_options before vectorize_particles was added.
private let traceOptionsBeforeVectorize = Marshal.size(before: \svi_trace_elbo_options.vectorize_particles)

/// The Trace_ELBO options a caller gave, read as its version of the struct.
private func traceOptions(_ opts: UnsafePointer<svi_trace_elbo_options>?) throws -> svi_trace_elbo_options {
    try Marshal.options(opts, defaults: traceDefaults(0), olderSizes: [traceOptionsBeforeVectorize]).options
}

@c @implementation
public func svi_trace_elbo_options_init(_ opts: UnsafeMutablePointer<svi_trace_elbo_options>?,
                                       _ struct_size: UInt32) -> svi_status {
    Marshal.initOptions("svi_trace_elbo_options_init", opts, struct_size, traceDefaults(struct_size),
                        olderSizes: [traceOptionsBeforeVectorize])
}

@c @implementation
public func svi_elbo_new_trace(_ out: UnsafeMutablePointer<svi_elbo>?,
                               _ opts: UnsafePointer<svi_trace_elbo_options>?) -> svi_status {
    Marshal.create("svi_elbo_new_trace", out, .elbo) {
        let o = try traceOptions(opts)
        return try TraceELBO(numParticles: Marshal.count(o.num_particles, "num_particles"),
                             vectorizeParticles: o.vectorize_particles != 0) as any ELBO
    }
}

@c @implementation
public func svi_elbo_new_trace_mean_field(_ out: UnsafeMutablePointer<svi_elbo>?,
                                          _ opts: UnsafePointer<svi_trace_elbo_options>?) -> svi_status {
    Marshal.create("svi_elbo_new_trace_mean_field", out, .elbo) {
        try TraceMeanFieldELBO(numParticles: Marshal.count(traceOptions(opts).num_particles, "num_particles")) as any ELBO
    }
}

@c @implementation
public func svi_renyi_elbo_options_init(_ opts: UnsafeMutablePointer<svi_renyi_elbo_options>?,
                                        _ struct_size: UInt32) -> svi_status {
    Marshal.initOptions("svi_renyi_elbo_options_init", opts, struct_size,
                        svi_renyi_elbo_options(struct_size: struct_size, alpha: 0, num_particles: 2))
}

@c @implementation
public func svi_elbo_new_renyi(_ out: UnsafeMutablePointer<svi_elbo>?,
                               _ opts: UnsafePointer<svi_renyi_elbo_options>?) -> svi_status {
    Marshal.create("svi_elbo_new_renyi", out, .elbo) {
        let o = try Marshal.options(opts)
        return try RenyiELBO(alpha: o.alpha, numParticles: Marshal.count(o.num_particles, "num_particles")) as any ELBO
    }
}

@c @implementation
public func svi_elbo_free(_ elbo: svi_elbo) -> svi_status {
    abiCall("svi_elbo_free") { try Registry.remove(elbo, .elbo) }
}
