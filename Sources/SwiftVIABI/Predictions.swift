import CSwiftVI
import SwiftVI

/// The model, the guide and the constrained parameters by name (the guide's
/// and the model's own) that svi_predictive and the evidence estimates take.
private func fittedParts(_ model: svi_model, _ guide: svi_guide, _ params: UnsafePointer<svi_named_array>?,
                         _ count: Int) throws -> (model: any LogDensityModel, guide: any Guide, params: [String: [Double]]) {
    let n = try Marshal.count(count, "num_params")
    var named: [String: [Double]] = [:]
    if n > 0 {
        for p in UnsafeBufferPointer(start: try Marshal.required(params, "params"), count: n) {
            let name = try Marshal.string(p.name, "a parameter name")
            guard named[name] == nil else { throw ABIFailure.invalid("parameter '\(name)' is given twice") }
            named[name] = try Marshal.noNaN(Marshal.tensor(p.value, "parameter '\(name)'"), "parameter '\(name)'").scalars
        }
    }
    let parts = (model: try Registry.lookup(model, .model, as: (any LogDensityModel).self),
                 guide: try Registry.lookup(guide, .guide, as: (any Guide).self))
    let known = Set((parts.guide.parameterBlocks + parts.model.parameterBlocks).map(\.name))
    if let unknown = named.keys.sorted().first(where: { !known.contains($0) }) {
        throw ABIFailure.invalid(
            "neither the guide nor the model has a parameter named '\(unknown)'; known: \(known.sorted().joined(separator: ", "))")
    }
    return (parts.model, parts.guide, named)
}

@c @implementation
public func svi_predictive_options_init(_ opts: UnsafeMutablePointer<svi_predictive_options>?,
                                        _ struct_size: UInt32) -> svi_status {
    Marshal.initOptions("svi_predictive_options_init", opts, struct_size,
                        svi_predictive_options(struct_size: struct_size, num_samples: 1, predict: nil, user_data: nil,
                                               num_predictions: 0))
}

@c @implementation
public func svi_predictive(_ model: svi_model, _ guide: svi_guide, _ params: UnsafePointer<svi_named_array>?,
                           _ num_params: Int, _ key: svi_key, _ opts: UnsafePointer<svi_predictive_options>?,
                           _ out_latents: UnsafeMutablePointer<Double>?, _ out_latents_len: Int,
                           _ out_predictions: UnsafeMutablePointer<Double>?, _ out_predictions_len: Int) -> svi_status {
    abiCall("svi_predictive") {
        let o = try Marshal.options(opts)
        let parts = try fittedParts(model, guide, params, num_params)
        let samples = try Marshal.count(o.num_samples, "opts.num_samples")
        let width = parts.model.constrainedDimension
        guard out_latents_len == samples * width else {
            throw ABIFailure.shape("out_latents has length \(out_latents_len); the draws have \(samples * width) values")
        }
        let outputs = try Marshal.count(o.num_predictions, "opts.num_predictions")
        if o.predict != nil {
            guard out_predictions_len == samples * outputs else {
                throw ABIFailure.shape("out_predictions has length \(out_predictions_len); the predictions have \(samples * outputs) values")
            }
            if out_predictions_len > 0 { _ = try Marshal.required(out_predictions, "out_predictions") }
        }
        if out_latents_len > 0 { _ = try Marshal.required(out_latents, "out_latents") }
        let draws = try Predictive(model: parts.model, guide: parts.guide, params: parts.params,
                                   numSamples: samples)(key: PRNGKey(key))
        var latents = [Double](repeating: 0, count: samples * width), start = 0
        for block in parts.model.latents {
            let values = draws[block.name]!.scalars
            for row in 0..<samples {
                latents.replaceSubrange(row * width + start ..< row * width + start + block.size,
                                        with: values[row * block.size ..< (row + 1) * block.size])
            }
            start += block.size
        }
        var predictions: [Double] = []
        if let predict = o.predict {
            predictions = [Double](repeating: .nan, count: samples * outputs)
            let code = latents.withUnsafeBufferPointer { x in
                predictions.withUnsafeMutableBufferPointer { y in
                    predict(o.user_data, samples, width, x.baseAddress, outputs, y.baseAddress)
                }
            }
            guard code == 0 else { throw SVIError.callbackFailed("the prediction callback returned \(code)") }
        }
        try Marshal.write(latents, to: out_latents, length: out_latents_len, "out_latents")
        if o.predict != nil { try Marshal.write(predictions, to: out_predictions, length: out_predictions_len, "out_predictions") }
    }
}

/// The body of svi_estimate_elbo and svi_log_evidence.
private func evidence(_ function: String, _ model: svi_model, _ guide: svi_guide,
                      _ params: UnsafePointer<svi_named_array>?, _ num_params: Int, _ key: svi_key, _ num_samples: Int,
                      _ out_estimate: UnsafeMutablePointer<Double>?, _ out_standard_error: UnsafeMutablePointer<Double>?,
                      _ estimate: (any LogDensityModel, any Guide, [String: [Double]], Int, PRNGKey) throws -> EvidenceEstimate)
    -> svi_status {
    abiCall(function) {
        let outEstimate = try Marshal.required(out_estimate, "out_estimate")
        let outError = try Marshal.required(out_standard_error, "out_standard_error")
        let parts = try fittedParts(model, guide, params, num_params)
        let result = try estimate(parts.model, parts.guide, parts.params, Marshal.count(num_samples, "num_samples"), PRNGKey(key))
        outEstimate.pointee = result.value
        outError.pointee = result.standardError
    }
}

@c @implementation
public func svi_estimate_elbo(_ model: svi_model, _ guide: svi_guide, _ params: UnsafePointer<svi_named_array>?,
                              _ num_params: Int, _ key: svi_key, _ num_samples: Int,
                              _ out_estimate: UnsafeMutablePointer<Double>?,
                              _ out_standard_error: UnsafeMutablePointer<Double>?) -> svi_status {
    evidence("svi_estimate_elbo", model, guide, params, num_params, key, num_samples, out_estimate, out_standard_error) {
        try estimateELBO(model: $0, guide: $1, params: $2, numSamples: $3, key: $4)
    }
}

@c @implementation
public func svi_log_evidence(_ model: svi_model, _ guide: svi_guide, _ params: UnsafePointer<svi_named_array>?,
                             _ num_params: Int, _ key: svi_key, _ num_samples: Int,
                             _ out_estimate: UnsafeMutablePointer<Double>?,
                             _ out_standard_error: UnsafeMutablePointer<Double>?) -> svi_status {
    evidence("svi_log_evidence", model, guide, params, num_params, key, num_samples, out_estimate, out_standard_error) {
        try logEvidence(model: $0, guide: $1, params: $2, numSamples: $3, key: $4)
    }
}
