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
        return try AutoNormal(model: m, initScale: o.init_scale,
                              initLocFn: o.init_loc.map { try initialPointValues(m, $0, o.init_loc_len) }
                                  ?? .initToUniform(radius: o.init_radius))
    }
}

/// `init_to_value` with each site's constrained value at the unconstrained
/// point of `count` coordinates at `point`.
private func initialPointValues(_ model: any LogDensityModel, _ point: UnsafePointer<Double>,
                                _ count: Int) throws -> InitStrategy {
    let n = try Marshal.count(count, "opts.init_loc_len")
    guard n == model.dimension else {
        throw ABIFailure.shape("AutoNormal: \(n) initial locations for \(model.dimension) latent coordinates")
    }
    let values = try model.constrain(Tensor(shape: [1, n], scalars: Array(UnsafeBufferPointer(start: point, count: n)))).values
    return .initToValue(values.mapValues { $0.reshaped(Array($0.shape.dropFirst())) })
}

@c @implementation
public func svi_guide_free(_ guide: svi_guide) -> svi_status {
    abiCall("svi_guide_free") { try Registry.remove(guide, .guide) }
}
