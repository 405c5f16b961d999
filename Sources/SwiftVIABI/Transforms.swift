import CSwiftVI
import SwiftVI

/// The transforms svi_transform_new makes, by name.
private let transformMakers: [String: @Sendable (inout NamedParameters) throws -> any Transform] = [
    "Identity": { _ in IdentityTransform() },
    "Exp": { _ in ExpTransform() },
    "Softplus": { _ in SoftplusTransform() },
    "Sigmoid": { _ in SigmoidTransform() },
    "Tanh": { _ in TanhTransform() },
    "Affine": { p in try AffineTransform(loc: p.take("loc"), scale: p.take("scale")) },
    "Power": { p in try PowerTransform(exponent: p.take("exponent")) },
    "LowerCholeskyAffine": { p in try LowerCholeskyAffine(loc: p.take("loc"), scaleTril: p.take("scale_tril")) },
    "FillTriangular": { _ in FillTriangular() },
    "FillScaleTriL": { p in
        guard let shift = p.takeIfPresent("diag_shift") else { return try FillScaleTriL() }
        return try FillScaleTriL(diagShift: scalar(shift, "FillScaleTriL", "diag_shift"))
    },
    "LowerCholesky": { _ in LowerCholeskyTransform() },
    "StickBreaking": { _ in StickBreakingTransform() },
    "CorrCholesky": { _ in CorrCholeskyTransform() },
    "Cholesky": { _ in CholeskyTransform() },
]

/// The constraints svi_biject_to reaches, by NumPyro's name.
private let constraintMakers: [String: @Sendable (inout NamedParameters) throws -> Constraint] = [
    "real": { _ in .real },
    "real_vector": { _ in .realVector },
    "positive": { _ in .positive },
    "nonnegative": { _ in .nonnegative },
    "unit_interval": { _ in .unitInterval },
    "interval": { p in try .interval(low: p.take("lower_bound"), high: p.take("upper_bound")) },
    "greater_than": { p in try .greaterThan(p.take("lower_bound")) },
    "less_than": { p in try .lessThan(p.take("upper_bound")) },
    "simplex": { _ in .simplex },
    "lower_triangular": { _ in .lowerTriangular },
    "lower_cholesky": { _ in .lowerCholesky },
    "positive_definite": { _ in .positiveDefinite },
    "corr_cholesky": { _ in .corrCholesky },
    "boolean": { _ in .boolean },
    "nonnegative_integer": { _ in .nonnegativeInteger },
    "integer_interval": { p in try .integerInterval(low: p.take("lower_bound"), high: p.take("upper_bound")) },
]

/// The single element of a scalar parameter.
private func scalar(_ t: Tensor, _ owner: String, _ name: String) throws -> Double {
    guard t.count == 1 else { throw ABIFailure.invalid("\(owner): \(name) must be a scalar; got shape \(t.shape)") }
    return t.scalars[0]
}

/// What `makers` makes under the caller's `name` from the named parameters;
/// `adjust` may take further parameters before unknown ones are reported.
private func madeByName<T>(_ makers: [String: @Sendable (inout NamedParameters) throws -> T],
                           _ name: UnsafePointer<CChar>?, _ what: String,
                           _ params: UnsafePointer<svi_named_array>?, _ count: Int,
                           adjust: (inout NamedParameters, T) throws -> T = { $1 }) throws -> T {
    let key = try Marshal.string(name, "the \(what) name")
    guard let make = makers[key] else {
        throw ABIFailure.invalid("unknown \(what) '\(key)'; known: \(makers.keys.sorted().joined(separator: ", "))")
    }
    var parameters = try NamedParameters(family: key, params, count: count)
    let made = try adjust(&parameters, make(&parameters))
    try parameters.finish()
    return made
}

@c @implementation
public func svi_transform_new(_ out: UnsafeMutablePointer<svi_transform>?, _ name: UnsafePointer<CChar>?,
                              _ params: UnsafePointer<svi_named_array>?, _ num_params: Int) -> svi_status {
    Marshal.create("svi_transform_new", out, .transform) {
        try madeByName(transformMakers, name, "transform", params, num_params)
    }
}

/// The transform named by `handle`.
private func transform(_ handle: svi_transform) throws -> any Transform {
    try Registry.lookup(handle, .transform)
}

@c @implementation
public func svi_transform_compose(_ out: UnsafeMutablePointer<svi_transform>?, _ parts: UnsafePointer<svi_transform>?,
                                  _ num_parts: Int) -> svi_status {
    Marshal.create("svi_transform_compose", out, .transform) {
        let n = try Marshal.count(num_parts, "num_parts")
        guard n > 0 else { throw ABIFailure.invalid("num_parts is 0; a composition needs at least one transform") }
        return try ComposeTransform(UnsafeBufferPointer(start: try Marshal.required(parts, "parts"), count: n).map(transform))
    }
}

@c @implementation
public func svi_transform_inv(_ out: UnsafeMutablePointer<svi_transform>?, _ t: svi_transform) -> svi_status {
    Marshal.create("svi_transform_inv", out, .transform) { try transform(t).inverted }
}

@c @implementation
public func svi_biject_to(_ out: UnsafeMutablePointer<svi_transform>?, _ constraint: UnsafePointer<CChar>?,
                          _ params: UnsafePointer<svi_named_array>?, _ num_params: Int) -> svi_status {
    Marshal.create("svi_biject_to", out, .transform) {
        try bijectTo(madeByName(constraintMakers, constraint, "constraint", params, num_params) { parameters, target in
            guard let dims = parameters.takeIfPresent("reinterpreted_batch_ndims") else { return target }
            let n = try scalar(dims, target.name, "reinterpreted_batch_ndims")
            guard n >= 0, n <= Double(SVI_MAX_NDIM), n.rounded() == n else {
                throw ABIFailure.invalid("\(target.name): reinterpreted_batch_ndims must be an integer in 0...\(SVI_MAX_NDIM); got \(n)")
            }
            return .independent(target, reinterpretedDims: Int(n))
        })
    }
}

@c @implementation
public func svi_transform_free(_ t: svi_transform) -> svi_status {
    abiCall("svi_transform_free") { try Registry.remove(t, .transform) }
}

/// Writes a static name describing the transform.
private func writeName(_ function: String, _ t: svi_transform, _ out: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
                       _ name: (any Transform) -> String) -> svi_status {
    abiCall(function) {
        let described = name(try transform(t))
        try Marshal.write(Marshal.staticCString(described), to: out, "out_name")
    }
}

@c @implementation
public func svi_transform_name(_ t: svi_transform, _ out_name: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> svi_status {
    writeName("svi_transform_name", t, out_name) { $0.name }
}

@c @implementation
public func svi_transform_domain(_ t: svi_transform, _ out_name: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> svi_status {
    writeName("svi_transform_domain", t, out_name) { $0.domain.name }
}

@c @implementation
public func svi_transform_codomain(_ t: svi_transform, _ out_name: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> svi_status {
    writeName("svi_transform_codomain", t, out_name) { $0.codomain.name }
}

@c @implementation
public func svi_transform_event_dims(_ t: svi_transform, _ out_domain_event_dims: UnsafeMutablePointer<Int>?,
                                     _ out_codomain_event_dims: UnsafeMutablePointer<Int>?) -> svi_status {
    abiCall("svi_transform_event_dims") {
        let f = try transform(t)
        let domain = try Marshal.required(out_domain_event_dims, "out_domain_event_dims")
        let codomain = try Marshal.required(out_codomain_event_dims, "out_codomain_event_dims")
        domain.pointee = f.domain.eventDim
        codomain.pointee = f.codomain.eventDim
    }
}

/// Writes the shape `map` gives for the caller's shape.
private func mapShape(_ function: String, _ t: svi_transform, _ ndim: Int, _ shape: UnsafePointer<Int>?,
                      _ out: UnsafeMutablePointer<Int>?, _ capacity: Int, _ outNdim: UnsafeMutablePointer<Int>?,
                      _ map: (any Transform, [Int]) throws -> [Int]) -> svi_status {
    abiCall(function) {
        let f = try transform(t)
        let result = try map(f, Marshal.shape(ndim, shape, "shape"))
        guard result.count <= Int(SVI_MAX_NDIM) else {
            throw ABIFailure.shape("the result has \(result.count) dimensions; at most \(SVI_MAX_NDIM) are allowed")
        }
        try writeShape(result, out, capacity, outNdim)
    }
}

@c @implementation
public func svi_transform_forward_shape(_ t: svi_transform, _ ndim: Int, _ shape: UnsafePointer<Int>?,
                                        _ out_shape: UnsafeMutablePointer<Int>?, _ capacity: Int,
                                        _ out_ndim: UnsafeMutablePointer<Int>?) -> svi_status {
    mapShape("svi_transform_forward_shape", t, ndim, shape, out_shape, capacity, out_ndim) { try $0.forwardShape($1) }
}

@c @implementation
public func svi_transform_inverse_shape(_ t: svi_transform, _ ndim: Int, _ shape: UnsafePointer<Int>?,
                                        _ out_shape: UnsafeMutablePointer<Int>?, _ capacity: Int,
                                        _ out_ndim: UnsafeMutablePointer<Int>?) -> svi_status {
    mapShape("svi_transform_inverse_shape", t, ndim, shape, out_shape, capacity, out_ndim) { try $0.inverseShape($1) }
}

/// Reads an array argument (NaN rejected), applies `f` and writes the result.
private func apply(_ function: String, _ t: svi_transform, _ arrays: [(svi_array, String)],
                   _ out: UnsafeMutablePointer<Double>?, _ outLen: Int,
                   _ f: (any Transform, [Tensor]) throws -> Tensor) -> svi_status {
    abiCall(function) {
        let transform = try transform(t)
        let values = try arrays.map { array, name in try Marshal.noNaN(Marshal.tensor(array, name), name) }
        let result = try f(transform, values)
        try Marshal.write(result.scalars, to: out, length: outLen, "out")
    }
}

/// Maps one array through `map`, after checking that the result of shape
/// `shape(transform, input shape)` is not too large to make.
private func mapArray(_ function: String, _ t: svi_transform, _ value: svi_array, _ name: String,
                      _ out: UnsafeMutablePointer<Double>?, _ outLen: Int,
                      shape: @escaping (any Transform, [Int]) throws -> [Int],
                      map: @escaping (any Transform, Tensor) throws -> Tensor) -> svi_status {
    apply(function, t, [(value, name)], out, outLen) { f, v in
        _ = try Marshal.elementCount(shape(f, v[0].shape), "the result")
        return try map(f, v[0])
    }
}

@c @implementation
public func svi_transform_forward(_ t: svi_transform, _ x: svi_array, _ out: UnsafeMutablePointer<Double>?,
                                  _ out_len: Int) -> svi_status {
    mapArray("svi_transform_forward", t, x, "x", out, out_len,
             shape: { try $0.forwardShape($1) }, map: { try $0.forward($1) })
}

@c @implementation
public func svi_transform_inverse(_ t: svi_transform, _ y: svi_array, _ out: UnsafeMutablePointer<Double>?,
                                  _ out_len: Int) -> svi_status {
    mapArray("svi_transform_inverse", t, y, "y", out, out_len,
             shape: { try $0.inverseShape($1) }, map: { try $0.inverse($1) })
}

@c @implementation
public func svi_transform_log_abs_det_jacobian(_ t: svi_transform, _ x: svi_array, _ y: svi_array,
                                               _ out: UnsafeMutablePointer<Double>?, _ out_len: Int) -> svi_status {
    apply("svi_transform_log_abs_det_jacobian", t, [(x, "x"), (y, "y")], out, out_len) { f, xy in
        let expected = try f.forwardShape(xy[0].shape)
        guard xy[1].shape == expected else {
            throw ABIFailure.shape("y has shape \(xy[1].shape); the forward image of x has shape \(expected)")
        }
        return try f.logAbsDetJacobian(xy[0], xy[1])
    }
}

@c @implementation
public func svi_transformed_distribution_new(_ out: UnsafeMutablePointer<svi_dist>?, _ base: svi_dist,
                                             _ t: svi_transform) -> svi_status {
    Marshal.create("svi_transformed_distribution_new", out, .distribution) {
        try TransformedDistribution(base: distribution(base), transform: transform(t))
    }
}
