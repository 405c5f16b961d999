import CSwiftVI
import SwiftVI

extension Marshal {
    /// The default initialization strategy of the option structs: `kind` with
    /// radius 2 and 15 draws.
    static func defaultInitStrategy(_ kind: svi_init_kind) -> svi_init_strategy {
        svi_init_strategy(kind: kind, radius: 2, num_samples: 15, values: nil, num_values: 0)
    }

    /// The initialization strategy a caller described.
    static func initStrategy(_ s: svi_init_strategy) throws -> InitStrategy {
        switch s.kind {
        case SVI_INIT_TO_UNIFORM: return .initToUniform(radius: s.radius)
        case SVI_INIT_TO_MEDIAN: return .initToMedian(numSamples: try count(s.num_samples, "init_loc_fn.num_samples"))
        case SVI_INIT_TO_MEAN: return .initToMean
        case SVI_INIT_TO_SAMPLE: return .initToSample
        case SVI_INIT_TO_VALUE: return .initToValue(try namedTensors(s.values, s.num_values, "init_loc_fn.values"))
        default: throw ABIFailure.invalid("init_loc_fn.kind \(s.kind) is not an svi_init_kind")
        }
    }

    /// `count` named arrays at `arrays` as a dictionary; NaN elements and
    /// repeated names are rejected.
    static func namedTensors(_ arrays: UnsafePointer<svi_named_array>?, _ count: Int,
                             _ what: String) throws -> [String: Tensor] {
        let n = try self.count(count, "the number of \(what)")
        if n == 0 { return [:] }
        var result: [String: Tensor] = [:]
        for entry in UnsafeBufferPointer(start: try required(arrays, what), count: n) {
            let name = try string(entry.name, "a name in \(what)")
            guard result[name] == nil else { throw ABIFailure.invalid("\(what) names '\(name)' twice") }
            result[name] = try noNaN(tensor(entry.value, "\(what) '\(name)'"), "\(what) '\(name)'")
        }
        return result
    }
}

@c @implementation
public func svi_auto_diagonal_normal_options_init(_ opts: UnsafeMutablePointer<svi_auto_diagonal_normal_options>?,
                                                  _ struct_size: UInt32) -> svi_status {
    Marshal.initOptions("svi_auto_diagonal_normal_options_init", opts, struct_size,
                        svi_auto_diagonal_normal_options(struct_size: struct_size, init_scale: 0.1,
                                                         init_loc_fn: Marshal.defaultInitStrategy(SVI_INIT_TO_UNIFORM)))
}

@c @implementation
public func svi_guide_new_auto_diagonal_normal(_ out: UnsafeMutablePointer<svi_guide>?, _ model: svi_model,
                                               _ opts: UnsafePointer<svi_auto_diagonal_normal_options>?) -> svi_status {
    Marshal.create("svi_guide_new_auto_diagonal_normal", out, .guide) {
        let o = try Marshal.options(opts)
        return try AutoDiagonalNormal(model: Registry.lookup(model, .model), initScale: o.init_scale,
                                      initLocFn: Marshal.initStrategy(o.init_loc_fn))
    }
}

@c @implementation
public func svi_auto_multivariate_normal_options_init(
    _ opts: UnsafeMutablePointer<svi_auto_multivariate_normal_options>?, _ struct_size: UInt32
) -> svi_status {
    Marshal.initOptions("svi_auto_multivariate_normal_options_init", opts, struct_size,
                        svi_auto_multivariate_normal_options(struct_size: struct_size, init_scale: 0.1,
                                                             init_loc_fn: Marshal.defaultInitStrategy(SVI_INIT_TO_UNIFORM)))
}

@c @implementation
public func svi_guide_new_auto_multivariate_normal(
    _ out: UnsafeMutablePointer<svi_guide>?, _ model: svi_model,
    _ opts: UnsafePointer<svi_auto_multivariate_normal_options>?
) -> svi_status {
    Marshal.create("svi_guide_new_auto_multivariate_normal", out, .guide) {
        let o = try Marshal.options(opts)
        return try AutoMultivariateNormal(model: Registry.lookup(model, .model), initScale: o.init_scale,
                                          initLocFn: Marshal.initStrategy(o.init_loc_fn))
    }
}

@c @implementation
public func svi_auto_low_rank_multivariate_normal_options_init(
    _ opts: UnsafeMutablePointer<svi_auto_low_rank_multivariate_normal_options>?, _ struct_size: UInt32
) -> svi_status {
    Marshal.initOptions("svi_auto_low_rank_multivariate_normal_options_init", opts, struct_size,
                        svi_auto_low_rank_multivariate_normal_options(
                            struct_size: struct_size, init_scale: 0.1, rank: 0,
                            init_loc_fn: Marshal.defaultInitStrategy(SVI_INIT_TO_UNIFORM)))
}

@c @implementation
public func svi_guide_new_auto_low_rank_multivariate_normal(
    _ out: UnsafeMutablePointer<svi_guide>?, _ model: svi_model,
    _ opts: UnsafePointer<svi_auto_low_rank_multivariate_normal_options>?
) -> svi_status {
    Marshal.create("svi_guide_new_auto_low_rank_multivariate_normal", out, .guide) {
        let o = try Marshal.options(opts)
        let rank = try Marshal.count(o.rank, "opts.rank")
        return try AutoLowRankMultivariateNormal(model: Registry.lookup(model, .model), rank: rank == 0 ? nil : rank,
                                                 initScale: o.init_scale,
                                                 initLocFn: Marshal.initStrategy(o.init_loc_fn))
    }
}

@c @implementation
public func svi_auto_delta_options_init(_ opts: UnsafeMutablePointer<svi_auto_delta_options>?,
                                        _ struct_size: UInt32) -> svi_status {
    Marshal.initOptions("svi_auto_delta_options_init", opts, struct_size,
                        svi_auto_delta_options(struct_size: struct_size,
                                               init_loc_fn: Marshal.defaultInitStrategy(SVI_INIT_TO_MEDIAN)))
}

@c @implementation
public func svi_guide_new_auto_delta(_ out: UnsafeMutablePointer<svi_guide>?, _ model: svi_model,
                                     _ opts: UnsafePointer<svi_auto_delta_options>?) -> svi_status {
    Marshal.create("svi_guide_new_auto_delta", out, .guide) {
        let o = try Marshal.options(opts)
        return try AutoDelta(model: Registry.lookup(model, .model), initLocFn: Marshal.initStrategy(o.init_loc_fn))
    }
}

@c @implementation
public func svi_auto_laplace_approximation_options_init(
    _ opts: UnsafeMutablePointer<svi_auto_laplace_approximation_options>?, _ struct_size: UInt32
) -> svi_status {
    Marshal.initOptions("svi_auto_laplace_approximation_options_init", opts, struct_size,
                        svi_auto_laplace_approximation_options(struct_size: struct_size,
                                                               init_loc_fn: Marshal.defaultInitStrategy(SVI_INIT_TO_UNIFORM)))
}

@c @implementation
public func svi_guide_new_auto_laplace_approximation(
    _ out: UnsafeMutablePointer<svi_guide>?, _ model: svi_model,
    _ opts: UnsafePointer<svi_auto_laplace_approximation_options>?
) -> svi_status {
    Marshal.create("svi_guide_new_auto_laplace_approximation", out, .guide) {
        let o = try Marshal.options(opts)
        return try AutoLaplaceApproximation(model: Registry.lookup(model, .model),
                                            initLocFn: Marshal.initStrategy(o.init_loc_fn))
    }
}

@c @implementation
public func svi_auto_iaf_normal_options_init(_ opts: UnsafeMutablePointer<svi_auto_iaf_normal_options>?,
                                             _ struct_size: UInt32) -> svi_status {
    Marshal.initOptions("svi_auto_iaf_normal_options_init", opts, struct_size,
                        svi_auto_iaf_normal_options(struct_size: struct_size, num_flows: 3, hidden_dims: nil,
                                                    num_hidden_dims: 0, nonlinearity: SVI_NONLINEARITY_ELU))
}

@c @implementation
public func svi_guide_new_auto_iaf_normal(_ out: UnsafeMutablePointer<svi_guide>?, _ model: svi_model,
                                          _ opts: UnsafePointer<svi_auto_iaf_normal_options>?) -> svi_status {
    Marshal.create("svi_guide_new_auto_iaf_normal", out, .guide) {
        let o = try Marshal.options(opts)
        let hidden = try o.hidden_dims.map {
            Array(UnsafeBufferPointer(start: $0, count: try Marshal.count(o.num_hidden_dims, "opts.num_hidden_dims")))
        }
        let nonlinearity: AutoIAFNormal.Nonlinearity
        switch o.nonlinearity {
        case SVI_NONLINEARITY_ELU: nonlinearity = .elu
        case SVI_NONLINEARITY_RELU: nonlinearity = .relu
        default: throw ABIFailure.invalid("opts.nonlinearity \(o.nonlinearity) is not an svi_nonlinearity")
        }
        return try AutoIAFNormal(model: Registry.lookup(model, .model),
                                 numFlows: Marshal.count(o.num_flows, "opts.num_flows"),
                                 hiddenDims: hidden, nonlinearity: nonlinearity)
    }
}
