import CSwiftVI
import SwiftVI

@c @implementation
public func svi_auto_normal_options_init(_ opts: UnsafeMutablePointer<svi_auto_normal_options>?,
                                         _ struct_size: UInt32) -> svi_status {
    abiCall("svi_auto_normal_options_init") {
        let opts = try Marshal.required(opts, "opts")
        try Marshal.structSize(struct_size, svi_auto_normal_options.self, "svi_auto_normal_options")
        opts.pointee = svi_auto_normal_options(struct_size: struct_size, init_scale: 0.1, init_radius: 2, init_loc: nil,
                                                init_loc_len: 0)
    }
}

@c @implementation
public func svi_guide_new_auto_normal(_ out: UnsafeMutablePointer<svi_guide>?, _ model: svi_model,
                                      _ opts: UnsafePointer<svi_auto_normal_options>?) -> svi_status {
    abiCall("svi_guide_new_auto_normal") {
        let out = try Marshal.required(out, "out")
        let o = try Marshal.required(opts, "opts").pointee
        try Marshal.structSize(o.struct_size, svi_auto_normal_options.self, "svi_auto_normal_options")
        let m = try Registry.lookup(model, .model, as: (any LogDensityModel).self)
        let start: AutoNormal.InitialLocation = if let locs = o.init_loc {
            .values(Array(UnsafeBufferPointer(start: locs, count: try Marshal.count(o.init_loc_len, "opts.init_loc_len"))))
        } else {
            .uniform(radius: o.init_radius)
        }
        let guide = try AutoNormal(model: m, initScale: o.init_scale, initialLocation: start)
        out.pointee = try Registry.insert(guide, kind: .guide)
    }
}

@c @implementation
public func svi_guide_free(_ guide: svi_guide) -> svi_status {
    abiCall("svi_guide_free") { try Registry.remove(guide, .guide) }
}
