import CSwiftVI
import SwiftVI

@c @implementation
public func svi_auto_normal_options_init(_ opts: UnsafeMutablePointer<svi_auto_normal_options>?,
                                         _ struct_size: UInt32) -> svi_status {
    Marshal.initOptions("svi_auto_normal_options_init", opts, struct_size,
                        svi_auto_normal_options(struct_size: struct_size, init_scale: 0.1, init_radius: 2,
                                                init_loc: nil, init_loc_len: 0))
}

@c @implementation
public func svi_guide_new_auto_normal(_ out: UnsafeMutablePointer<svi_guide>?, _ model: svi_model,
                                      _ opts: UnsafePointer<svi_auto_normal_options>?) -> svi_status {
    Marshal.create("svi_guide_new_auto_normal", out, .guide) {
        let o = try Marshal.options(opts)
        let m = try Registry.lookup(model, .model, as: (any LogDensityModel).self)
        let start: AutoNormal.InitialLocation = if let locs = o.init_loc {
            .values(Array(UnsafeBufferPointer(start: locs, count: try Marshal.count(o.init_loc_len, "opts.init_loc_len"))))
        } else {
            .uniform(radius: o.init_radius)
        }
        return try AutoNormal(model: m, initScale: o.init_scale, initialLocation: start)
    }
}

@c @implementation
public func svi_guide_free(_ guide: svi_guide) -> svi_status {
    abiCall("svi_guide_free") { try Registry.remove(guide, .guide) }
}
