import CSwiftVI
import Testing

/// Inputs the fuzzers in fuzz/ found to crash the library or break a promise,
/// kept as tests (their raw inputs are in fuzz/corpus/*/regression_*).
@Suite("Fuzzer findings")
struct FuzzRegressionTests {
    @Test("Monte Carlo KL of distributions whose draws q cannot evaluate is a shape mismatch, not a trap")
    func monteCarloShapes() throws {
        let halfCauchy = try makeDistribution("HalfCauchy", [Parameter("scale", [1, 0.5, 1], shape: [1, 3])])
        defer { svi_dist_free(halfCauchy) }
        for reinterpreted in [1, 2] {
            var independent: svi_dist = 0
            try ok(svi_independent_new(&independent, halfCauchy, reinterpreted), "svi_independent_new")
            defer { svi_dist_free(independent) }
            var estimate = [Double](repeating: sentinel, count: 3), error = estimate
            for (p, q) in [(independent, halfCauchy), (halfCauchy, independent)] {
                for length in [1, 3] {
                    expectFailure(svi_kl_monte_carlo(p, q, 8, key(1), &estimate, &error, length), SVI_E_SHAPE_MISMATCH,
                                  "svi_kl_monte_carlo")
                }
            }
            #expect(bits(estimate + error) == bits([Double](repeating: sentinel, count: 6)))
        }
        // A q of fewer batch dimensions than p broadcasts over p's batch.
        let normal = try makeDistribution("Normal", [Parameter("loc", [0]), Parameter("scale", [1])])
        defer { svi_dist_free(normal) }
        var estimate = [Double](repeating: sentinel, count: 3), error = estimate
        expectOK(svi_kl_monte_carlo(halfCauchy, normal, 8, key(1), &estimate, &error, 3))
        #expect(estimate.allSatisfy(\.isFinite) && error.allSatisfy(\.isFinite))
    }
}
