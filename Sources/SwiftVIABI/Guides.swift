import CSwiftVI
import SwiftVI

/// The defaults svi_auto_normal_options_init writes, for a caller's `struct_size`.
private func autoNormalDefaults(_ size: UInt32) -> svi_auto_normal_options {
    svi_auto_normal_options(struct_size: size, init_scale: 0.1, init_radius: 2, init_loc: nil, init_loc_len: 0,
                            init_loc_fn: Marshal.defaultInitStrategy(SVI_INIT_TO_UNIFORM))
}

/// The size of svi_auto_normal_options before init_loc_fn was added.
private let autoNormalOptionsBeforeInitLocFn = Marshal.size(before: \svi_auto_normal_options.init_loc_fn)

@c @implementation
public func svi_auto_normal_options_init(_ opts: UnsafeMutablePointer<svi_auto_normal_options>?,
                                         _ struct_size: UInt32) -> svi_status {
    Marshal.initOptions("svi_auto_normal_options_init", opts, struct_size, autoNormalDefaults(struct_size),
                        olderSizes: [autoNormalOptionsBeforeInitLocFn])
}

@c @implementation
public func svi_guide_new_auto_normal(_ out: UnsafeMutablePointer<svi_guide>?, _ model: svi_model,
                                      _ opts: UnsafePointer<svi_auto_normal_options>?) -> svi_status {
    Marshal.create("svi_guide_new_auto_normal", out, .guide) {
        let o = try Marshal.options(opts, defaults: autoNormalDefaults(0),
                                    olderSizes: [autoNormalOptionsBeforeInitLocFn]).options
        let m = try Registry.lookup(model, .model, as: (any LogDensityModel).self)
        return try AutoNormal(model: m, initScale: o.init_scale, initLocFn: autoNormalStrategy(o, model: m))
    }
}

/// The initialization strategy AutoNormal's options describe: init_loc when
/// given, else init_loc_fn, whose uniform radius init_radius (its earlier
/// spelling) gives when it is not the default 2.
private func autoNormalStrategy(_ o: svi_auto_normal_options, model: any LogDensityModel) throws -> InitStrategy {
    let strategy = try Marshal.initStrategy(o.init_loc_fn)
    if let point = o.init_loc {
        guard o.init_loc_fn.kind == SVI_INIT_TO_UNIFORM else {
            throw ABIFailure.invalid("AutoNormal: opts.init_loc and an init_loc_fn of kind \(o.init_loc_fn.kind) are both given; give one")
        }
        return try initialPointValues(model, point, o.init_loc_len)
    }
    if o.init_radius == 2 { return strategy }
    guard case .initToUniform(let radius) = strategy else {
        throw ABIFailure.invalid(
            "AutoNormal: opts.init_radius \(o.init_radius) applies to SVI_INIT_TO_UNIFORM only; init_loc_fn.kind is \(o.init_loc_fn.kind)")
    }
    guard radius == 2 || radius == o.init_radius else {
        throw ABIFailure.invalid("AutoNormal: opts.init_radius \(o.init_radius) and init_loc_fn.radius \(radius) disagree")
    }
    return .initToUniform(radius: o.init_radius)
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
