import CSwiftVI
import SwiftVI

@c @implementation
public func svi_trace_elbo_options_init(_ opts: UnsafeMutablePointer<svi_trace_elbo_options>?,
                                       _ struct_size: UInt32) -> svi_status {
    Marshal.initOptions("svi_trace_elbo_options_init", opts, struct_size,
                        svi_trace_elbo_options(struct_size: struct_size, num_particles: 1))
}

@c @implementation
public func svi_elbo_new_trace(_ out: UnsafeMutablePointer<svi_elbo>?,
                               _ opts: UnsafePointer<svi_trace_elbo_options>?) -> svi_status {
    Marshal.create("svi_elbo_new_trace", out, .elbo) {
        try TraceELBO(numParticles: Marshal.count(Marshal.options(opts).num_particles, "num_particles")) as any ELBO
    }
}

@c @implementation
public func svi_elbo_free(_ elbo: svi_elbo) -> svi_status {
    abiCall("svi_elbo_free") { try Registry.remove(elbo, .elbo) }
}
