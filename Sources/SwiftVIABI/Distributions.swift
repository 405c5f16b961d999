import CSwiftVI
import SwiftVI

/// Named parameters of a distribution being made, consumed one by one so that
/// missing, repeated and unknown names are all reported.
struct NamedParameters {
    let family: String
    private var values: [String: Tensor]

    init(family: String, _ params: UnsafePointer<svi_named_array>?, count: Int) throws {
        self.family = family
        values = [:]
        let n = try Marshal.count(count, "num_params")
        if n == 0 { return }
        for p in UnsafeBufferPointer(start: try Marshal.required(params, "params"), count: n) {
            let name = try Marshal.string(p.name, "a parameter name")
            guard values[name] == nil else { throw ABIFailure.invalid("\(family): parameter '\(name)' is given twice") }
            values[name] = try Marshal.tensor(p.value, "\(family) parameter '\(name)'")
        }
    }

    /// Removes and returns the parameter `name`, which must be present.
    mutating func take(_ name: String) throws -> Tensor {
        guard let t = values.removeValue(forKey: name) else {
            throw ABIFailure.invalid("\(family): parameter '\(name)' is missing")
        }
        return t
    }

    /// Removes and returns the parameter `name` if it was given.
    mutating func takeIfPresent(_ name: String) -> Tensor? {
        values.removeValue(forKey: name)
    }

    /// Removes and returns exactly one of `names`.
    mutating func takeOne(of names: [String]) throws -> (String, Tensor) {
        let given = names.filter { values[$0] != nil }
        guard given.count == 1 else {
            throw ABIFailure.invalid("\(family): give exactly one of \(names.joined(separator: ", "))")
        }
        return (given[0], try take(given[0]))
    }

    /// Throws if any parameter was not taken.
    func finish() throws {
        if let name = values.keys.sorted().first {
            throw ABIFailure.invalid("\(family): unknown parameter '\(name)'")
        }
    }
}

/// Makes a distribution from its named parameters.
typealias FamilyMaker = @Sendable (inout NamedParameters) throws -> any Distribution

/// The families svi_dist_new makes, by name; each group lives in its own `…Families.swift`.
private let families: [String: FamilyMaker] = Dictionary(
    uniqueKeysWithValues: Array(normalFamilies) + Array(elementaryFamilies) + Array(discreteFamilies) + Array(gammaFamilies)
        + Array(multivariateFamilies))

/// Normal and Categorical.
private let normalFamilies: [String: FamilyMaker] = [
    "Normal": { p in try Normal(loc: p.take("loc"), scale: p.take("scale")) },
    "Categorical": { p in try p.probsOrLogits(Categorical.init(probs:), Categorical.init(logits:)) },
]

@c @implementation
public func svi_dist_new(_ out: UnsafeMutablePointer<svi_dist>?, _ family: UnsafePointer<CChar>?,
                         _ params: UnsafePointer<svi_named_array>?, _ num_params: Int) -> svi_status {
    Marshal.create("svi_dist_new", out, .distribution) {
        let name = try Marshal.string(family, "family")
        guard let make = families[name] else {
            throw ABIFailure.invalid("unknown family '\(name)'; known: \(families.keys.sorted().joined(separator: ", "))")
        }
        var parameters = try NamedParameters(family: name, params, count: num_params)
        let dist = try make(&parameters)
        try parameters.finish()
        return dist
    }
}

@c @implementation
public func svi_mixture_same_family_new(_ out: UnsafeMutablePointer<svi_dist>?, _ mixing: svi_dist,
                                        _ components: svi_dist) -> svi_status {
    Marshal.create("svi_mixture_same_family_new", out, .distribution) {
        let mixture = try Registry.lookup(mixing, .distribution, as: (any Distribution).self)
        guard let categorical = mixture as? Categorical else {
            throw ABIFailure.invalid("mixing must be a Categorical; got \(mixture.familyName)")
        }
        let parts = try Registry.lookup(components, .distribution, as: (any Distribution).self)
        return try MixtureSameFamily(mixture: categorical, components: parts)
    }
}

@c @implementation
public func svi_independent_new(_ out: UnsafeMutablePointer<svi_dist>?, _ base: svi_dist,
                                _ reinterpreted_batch_ndims: Int) -> svi_status {
    Marshal.create("svi_independent_new", out, .distribution) {
        try Independent(base: distribution(base), reinterpretedBatchDims: reinterpreted_batch_ndims)
    }
}

@c @implementation
public func svi_dist_free(_ dist: svi_dist) -> svi_status {
    abiCall("svi_dist_free") { try Registry.remove(dist, .distribution) }
}

/// The distribution named by `handle`.
func distribution(_ handle: svi_dist) throws -> any Distribution {
    try Registry.lookup(handle, .distribution)
}

@c @implementation
public func svi_dist_family(_ dist: svi_dist, _ out_name: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> svi_status {
    abiCall("svi_dist_family") {
        let d = try distribution(dist)
        try Marshal.write(Marshal.staticCString(d.familyName), to: out_name, "out_name")
    }
}

/// Writes `shape` as the shape-query functions promise.
func writeShape(_ shape: [Int], _ out: UnsafeMutablePointer<Int>?, _ capacity: Int,
                        _ outNdim: UnsafeMutablePointer<Int>?) throws {
    let ndim = try Marshal.required(outNdim, "out_ndim")
    let capacity = try Marshal.count(capacity, "capacity")
    ndim.pointee = shape.count
    guard capacity >= shape.count else {
        throw ABIFailure.shape("capacity \(capacity) is less than the rank \(shape.count)")
    }
    if shape.isEmpty { return }
    try Marshal.required(out, "out_shape").update(from: shape, count: shape.count)
}

@c @implementation
public func svi_dist_batch_shape(_ dist: svi_dist, _ out_shape: UnsafeMutablePointer<Int>?, _ capacity: Int,
                                 _ out_ndim: UnsafeMutablePointer<Int>?) -> svi_status {
    abiCall("svi_dist_batch_shape") { try writeShape(distribution(dist).batchShape, out_shape, capacity, out_ndim) }
}

@c @implementation
public func svi_dist_event_shape(_ dist: svi_dist, _ out_shape: UnsafeMutablePointer<Int>?, _ capacity: Int,
                                 _ out_ndim: UnsafeMutablePointer<Int>?) -> svi_status {
    abiCall("svi_dist_event_shape") { try writeShape(distribution(dist).eventShape, out_shape, capacity, out_ndim) }
}

/// Evaluates `f` of the distribution at an array argument (NaN rejected) and writes the result.
private func evaluate(_ function: String, _ dist: svi_dist, _ argument: svi_array, _ argumentName: String,
                      _ out: UnsafeMutablePointer<Double>?, _ outLen: Int,
                      _ f: (any Distribution, Tensor) throws -> Tensor) -> svi_status {
    abiCall(function) {
        let d = try distribution(dist)
        let x = try Marshal.noNaN(Marshal.tensor(argument, argumentName), argumentName)
        try Marshal.write(f(d, x).scalars, to: out, length: outLen, "out")
    }
}

@c @implementation
public func svi_dist_log_prob(_ dist: svi_dist, _ value: svi_array, _ out: UnsafeMutablePointer<Double>?,
                              _ out_len: Int) -> svi_status {
    evaluate("svi_dist_log_prob", dist, value, "value", out, out_len) { try $0.logProb($1) }
}

@c @implementation
public func svi_dist_cdf(_ dist: svi_dist, _ value: svi_array, _ out: UnsafeMutablePointer<Double>?,
                         _ out_len: Int) -> svi_status {
    evaluate("svi_dist_cdf", dist, value, "value", out, out_len) { try $0.cdf($1) }
}

@c @implementation
public func svi_dist_icdf(_ dist: svi_dist, _ probability: svi_array, _ out: UnsafeMutablePointer<Double>?,
                          _ out_len: Int) -> svi_status {
    evaluate("svi_dist_icdf", dist, probability, "probability", out, out_len) { d, p in
        if let i = p.scalars.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
            throw ABIFailure.invalid("probability \(p.scalars[i]) at index \(i) is outside [0, 1]")
        }
        return try d.icdf(p)
    }
}

@c @implementation
public func svi_dist_sample(_ dist: svi_dist, _ key: svi_key, _ sample_ndim: Int, _ sample_shape: UnsafePointer<Int>?,
                            _ out: UnsafeMutablePointer<Double>?, _ out_len: Int) -> svi_status {
    abiCall("svi_dist_sample") {
        let d = try distribution(dist)
        let shape = try Marshal.shape(sample_ndim, sample_shape, "sample_shape")
        let total = try Marshal.elementCount(shape + d.batchShape + d.eventShape, "the sample")
        guard total == out_len else {
            throw ABIFailure.shape("out has length \(out_len); the sample has \(total) elements")
        }
        try Marshal.write(d.sample(shape, key: PRNGKey(key)).scalars, to: out, length: out_len, "out")
    }
}

/// Writes a parameter-free summary of the distribution.
private func summary(_ function: String, _ dist: svi_dist, _ out: UnsafeMutablePointer<Double>?, _ outLen: Int,
                     _ f: (any Distribution) throws -> Tensor) -> svi_status {
    abiCall(function) { try Marshal.write(f(distribution(dist)).scalars, to: out, length: outLen, "out") }
}

@c @implementation
public func svi_dist_mean(_ dist: svi_dist, _ out: UnsafeMutablePointer<Double>?, _ out_len: Int) -> svi_status {
    summary("svi_dist_mean", dist, out, out_len) { try $0.mean }
}

@c @implementation
public func svi_dist_variance(_ dist: svi_dist, _ out: UnsafeMutablePointer<Double>?, _ out_len: Int) -> svi_status {
    summary("svi_dist_variance", dist, out, out_len) { try $0.variance }
}

@c @implementation
public func svi_dist_entropy(_ dist: svi_dist, _ out: UnsafeMutablePointer<Double>?, _ out_len: Int) -> svi_status {
    summary("svi_dist_entropy", dist, out, out_len) { try $0.entropy() }
}
