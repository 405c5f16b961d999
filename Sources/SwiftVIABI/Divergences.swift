import CSwiftVI
import SwiftVI

@c @implementation
public func svi_kl_divergence(_ p: svi_dist, _ q: svi_dist, _ out: UnsafeMutablePointer<Double>?,
                              _ out_len: Int) -> svi_status {
    abiCall("svi_kl_divergence") {
        try Marshal.write(klDivergence(distribution(p), distribution(q)).scalars, to: out, length: out_len, "out")
    }
}

@c @implementation
public func svi_kl_monte_carlo(_ p: svi_dist, _ q: svi_dist, _ num_samples: Int, _ key: svi_key,
                               _ out_estimate: UnsafeMutablePointer<Double>?,
                               _ out_standard_error: UnsafeMutablePointer<Double>?, _ out_len: Int) -> svi_status {
    abiCall("svi_kl_monte_carlo") {
        let n = try Marshal.count(num_samples, "num_samples")
        let result = try klMonteCarlo(distribution(p), distribution(q), numSamples: n, key: PRNGKey(key))
        try Marshal.write([(result.estimate.scalars, out_estimate, out_len, "out_estimate"),
                           (result.standardError.scalars, out_standard_error, out_len, "out_standard_error")])
    }
}

@c @implementation
public func svi_kl_quadrature(_ p: svi_dist, _ q: svi_dist, _ low: Double, _ high: Double, _ num_points: Int,
                              _ out: UnsafeMutablePointer<Double>?) -> svi_status {
    abiCall("svi_kl_quadrature") {
        let out = try Marshal.required(out, "out")
        let n = try Marshal.count(num_points, "num_points")
        out.pointee = try klQuadrature(distribution(p), distribution(q), low: low, high: high, numPoints: n).scalars[0]
    }
}
