import CSwiftVI
import SwiftVI

@c @implementation
public func svi_trace_elbo_options_init(_ opts: UnsafeMutablePointer<svi_trace_elbo_options>?,
                                       _ struct_size: UInt32) -> svi_status {
    abiCall("svi_trace_elbo_options_init") {
        let opts = try Marshal.required(opts, "opts")
        try Marshal.structSize(struct_size, svi_trace_elbo_options.self, "svi_trace_elbo_options")
        opts.pointee = svi_trace_elbo_options(struct_size: struct_size, num_particles: 1)
    }
}

@c @implementation
public func svi_elbo_new_trace(_ out: UnsafeMutablePointer<svi_elbo>?,
                               _ opts: UnsafePointer<svi_trace_elbo_options>?) -> svi_status {
    abiCall("svi_elbo_new_trace") {
        let out = try Marshal.required(out, "out")
        let o = try Marshal.required(opts, "opts").pointee
        try Marshal.structSize(o.struct_size, svi_trace_elbo_options.self, "svi_trace_elbo_options")
        let elbo = try TraceELBO(numParticles: Marshal.count(o.num_particles, "num_particles"))
        out.pointee = try Registry.insert(elbo as any ELBO, kind: .elbo)
    }
}

@c @implementation
public func svi_elbo_free(_ elbo: svi_elbo) -> svi_status {
    abiCall("svi_elbo_free") { try Registry.remove(elbo, .elbo) }
}
