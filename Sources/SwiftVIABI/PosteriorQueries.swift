import CSwiftVI
import SwiftVI

/// The automatic guide behind `guide`, or an error saying it is not one.
private func autoGuide(_ guide: svi_guide) throws -> any AutoGuide {
    guard let auto = try Registry.lookup(guide, .guide, as: (any Guide).self) as? any AutoGuide else {
        throw ABIFailure(status: SVI_E_NOT_IMPLEMENTED, message: "the guide is not an automatic guide")
    }
    return auto
}

/// The flat unconstrained parameters of `auto`: those of `svi` when it is not
/// 0, else the named constrained values `params`. For an
/// AutoLaplaceApproximation of a model with parameters of its own, the
/// model's follow the guide's, as its posterior depends on them.
private func parameters(of auto: any AutoGuide, _ svi: svi_svi, _ params: UnsafePointer<svi_named_array>?,
                        _ numParams: Int) throws -> [Double] {
    let withModel = auto is AutoLaplaceApproximation && auto.model.parameterCount > 0
    guard svi != 0 else {
        let values = try Marshal.namedTensors(params, numParams, "params")
        let known = Set((auto.parameterBlocks + auto.model.parameterBlocks).map(\.name))
        if let extra = values.keys.sorted().first(where: { !known.contains($0) }) {
            throw ABIFailure.invalid("params names '\(extra)', which is not a parameter of the guide or its model")
        }
        let scalars = values.mapValues(\.scalars)
        return try auto.unconstrainedParameters(scalars) + (withModel ? auto.model.unconstrainedParameters(scalars) : [])
    }
    let run: SVIRun = try Registry.lookup(svi, .svi)
    let mine = auto.parameterBlocks, theirs = run.svi.guide.parameterBlocks
    guard mine.map(\.name) == theirs.map(\.name), mine.map(\.size) == theirs.map(\.size),
          run.svi.guide.dimension == auto.dimension else {
        throw ABIFailure.invalid("the SVI's guide does not have the parameters of this guide")
    }
    return try withModel ? run.current.parameters : run.svi.guideParameters(run.current)
}

/// Writes the value of `site` among `values` to `out`.
private func writeSite(_ values: [String: Tensor], _ site: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<Double>?,
                       _ outLen: Int) throws {
    let name = try Marshal.string(site, "site")
    guard let value = values[name] else {
        throw ABIFailure.invalid("no latent site named '\(name)'; known: \(values.keys.sorted().joined(separator: ", "))")
    }
    try Marshal.write(value.scalars, to: out, length: outLen, "out")
}

/// Each latent site's value shape for the guide's model.
private func latentShapes(_ guide: any AutoGuide) throws -> [String: [Int]] {
    let d = guide.dimension
    return try guide.model.constrain(Tensor(shape: [1, d], scalars: [Double](repeating: 0, count: d))).values
        .mapValues { Array($0.shape.dropFirst()) }
}

@c @implementation
public func svi_guide_num_latents(_ guide: svi_guide, _ out_count: UnsafeMutablePointer<Int>?) -> svi_status {
    abiCall("svi_guide_num_latents") { try Marshal.write(autoGuide(guide).model.latents.count, to: out_count, "out_count") }
}

@c @implementation
public func svi_guide_latent_name(_ guide: svi_guide, _ index: Int,
                                  _ out_name: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> svi_status {
    abiCall("svi_guide_latent_name") {
        let latents = try autoGuide(guide).model.latents
        guard latents.indices.contains(index) else {
            throw ABIFailure.invalid("latent index \(index) is out of range; there are \(latents.count)")
        }
        try Marshal.write(Marshal.staticCString(latents[index].name), to: out_name, "out_name")
    }
}

@c @implementation
public func svi_guide_latent_shape(_ guide: svi_guide, _ site: UnsafePointer<CChar>?,
                                   _ out_shape: UnsafeMutablePointer<Int>?, _ capacity: Int,
                                   _ out_ndim: UnsafeMutablePointer<Int>?) -> svi_status {
    abiCall("svi_guide_latent_shape") {
        let name = try Marshal.string(site, "site")
        guard let shape = try latentShapes(autoGuide(guide))[name] else {
            throw ABIFailure.invalid("no latent site named '\(name)'")
        }
        try writeShape(shape, out_shape, capacity, out_ndim)
    }
}

@c @implementation
public func svi_guide_sample_posterior(_ guide: svi_guide, _ svi: svi_svi, _ params: UnsafePointer<svi_named_array>?,
                                       _ num_params: Int, _ key: svi_key, _ num_samples: Int,
                                       _ site: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<Double>?,
                                       _ out_len: Int) -> svi_status {
    abiCall("svi_guide_sample_posterior") {
        let g = try autoGuide(guide)
        let flat = try parameters(of: g, svi, params, num_params)
        let count = try Marshal.count(num_samples, "num_samples")
        try writeSite(g.samplePosterior(parameters: flat, count: count, key: PRNGKey(key)), site, out, out_len)
    }
}

/// The guide as one with normal marginals, or SVI_E_NOT_IMPLEMENTED.
private func normalMarginals(_ guide: any AutoGuide) throws -> any NormalMarginalsGuide {
    guard let g = guide as? any NormalMarginalsGuide else {
        throw ABIFailure(status: SVI_E_NOT_IMPLEMENTED,
                         message: "\(type(of: guide)) has no median or quantiles (its marginals are not normal)")
    }
    return g
}

@c @implementation
public func svi_guide_median(_ guide: svi_guide, _ svi: svi_svi, _ params: UnsafePointer<svi_named_array>?,
                             _ num_params: Int, _ site: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<Double>?,
                             _ out_len: Int) -> svi_status {
    abiCall("svi_guide_median") {
        let g = try normalMarginals(autoGuide(guide))
        try writeSite(g.median(parameters: parameters(of: g, svi, params, num_params)), site, out, out_len)
    }
}

@c @implementation
public func svi_guide_quantiles(_ guide: svi_guide, _ svi: svi_svi, _ params: UnsafePointer<svi_named_array>?,
                                _ num_params: Int, _ quantiles: UnsafePointer<Double>?, _ num_quantiles: Int,
                                _ site: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<Double>?,
                                _ out_len: Int) -> svi_status {
    abiCall("svi_guide_quantiles") {
        let g = try normalMarginals(autoGuide(guide))
        let n = try Marshal.count(num_quantiles, "num_quantiles")
        let probabilities = n == 0 ? [] : Array(UnsafeBufferPointer(start: try Marshal.required(quantiles, "quantiles"), count: n))
        try writeSite(g.quantiles(parameters: parameters(of: g, svi, params, num_params), probabilities), site, out, out_len)
    }
}

@c @implementation
public func svi_guide_laplace_posterior(_ guide: svi_guide, _ svi: svi_svi,
                                        _ params: UnsafePointer<svi_named_array>?, _ num_params: Int,
                                        _ out_loc: UnsafeMutablePointer<Double>?, _ loc_len: Int,
                                        _ out_covariance: UnsafeMutablePointer<Double>?,
                                        _ covariance_len: Int) -> svi_status {
    abiCall("svi_guide_laplace_posterior") {
        let g = try autoGuide(guide)
        guard let laplace = g as? AutoLaplaceApproximation else {
            throw ABIFailure.invalid("the guide is \(type(of: g)), not an AutoLaplaceApproximation")
        }
        let d = laplace.dimension
        guard loc_len == d, covariance_len == d * d else {
            throw ABIFailure.shape("loc_len \(loc_len) and covariance_len \(covariance_len); expected \(d) and \(d * d)")
        }
        let posterior = try laplace.getPosterior(parameters: parameters(of: laplace, svi, params, num_params))
        try Marshal.write([(posterior.loc.scalars, out_loc, loc_len, "out_loc"),
                           (posterior.covarianceMatrix.scalars, out_covariance, covariance_len, "out_covariance")])
    }
}

@c @implementation
public func svi_svi_param_shape(_ svi: svi_svi, _ name: UnsafePointer<CChar>?, _ out_shape: UnsafeMutablePointer<Int>?,
                                _ capacity: Int, _ out_ndim: UnsafeMutablePointer<Int>?) -> svi_status {
    abiCall("svi_svi_param_shape") {
        let run: SVIRun = try Registry.lookup(svi, .svi)
        let key = try Marshal.string(name, "name")
        guard let block = run.svi.parameterBlocks.first(where: { $0.name == key }) else {
            throw ABIFailure.invalid("no parameter named '\(key)'")
        }
        try writeShape(block.shape, out_shape, capacity, out_ndim)
    }
}
