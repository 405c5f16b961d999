import CSwiftVI
import Foundation
import Testing

private let normal3 = [Parameter("loc", [0.5, -1, 2]), Parameter("scale", [1, 0.3, 2.5])]
private let size = (
    callback: UInt32(MemoryLayout<svi_callback_model_options>.stride),
    autoNormal: UInt32(MemoryLayout<svi_auto_normal_options>.stride),
    sgd: UInt32(MemoryLayout<svi_sgd_options>.stride),
    adam: UInt32(MemoryLayout<svi_adam_options>.stride),
    trace: UInt32(MemoryLayout<svi_trace_elbo_options>.stride)
)

/// One live object of every kind, freed at the end of a test.
private final class Objects {
    let dist: svi_dist
    let model: svi_model
    let guide: svi_guide
    let optim: svi_optim
    let elbo: svi_elbo
    let svi: svi_svi

    init() throws {
        dist = try makeDistribution("Normal", normal3)
        var m: svi_model = 0, g: svi_guide = 0, o: svi_optim = 0, e: svi_elbo = 0
        try ok(svi_model_new_distribution(&m, "x", dist), "svi_model_new_distribution")
        var guideOptions = svi_auto_normal_options(), adamOptions = svi_adam_options(), traceOptions = svi_trace_elbo_options()
        try ok(svi_auto_normal_options_init(&guideOptions, size.autoNormal), "svi_auto_normal_options_init")
        try ok(svi_adam_options_init(&adamOptions, size.adam), "svi_adam_options_init")
        try ok(svi_trace_elbo_options_init(&traceOptions, size.trace), "svi_trace_elbo_options_init")
        try ok(svi_guide_new_auto_normal(&g, m, &guideOptions), "svi_guide_new_auto_normal")
        try ok(svi_optim_new_adam(&o, &adamOptions), "svi_optim_new_adam")
        try ok(svi_elbo_new_trace(&e, &traceOptions), "svi_elbo_new_trace")
        model = m
        guide = g
        optim = o
        elbo = e
        svi = try makeSVI(m)
    }

    /// Checks that every object still works.
    func expectWorking(sourceLocation: SourceLocation = #_sourceLocation) {
        var name: UnsafePointer<CChar>?
        expectOK(svi_dist_family(dist, &name), sourceLocation: sourceLocation)
        var dim = 0
        expectOK(svi_model_dim(model, &dim), sourceLocation: sourceLocation)
        #expect(dim == 3, sourceLocation: sourceLocation)
        var fresh: svi_svi = 0
        expectOK(svi_svi_new(&fresh, model, guide, optim, elbo), sourceLocation: sourceLocation)
        expectOK(svi_svi_free(fresh), sourceLocation: sourceLocation)
        var loss = sentinel
        expectOK(svi_svi_step(svi, &loss), sourceLocation: sourceLocation)
        #expect(loss.isFinite, sourceLocation: sourceLocation)
    }

    deinit {
        svi_svi_free(svi)
        svi_elbo_free(elbo)
        svi_optim_free(optim)
        svi_guide_free(guide)
        svi_model_free(model)
        svi_dist_free(dist)
    }
}

@Suite("Errors through the header")
struct ErrorTests {
    @Test("svi_status_string names every code as its macro")
    func statusStrings() {
        #expect(Header.statusNames.count == 11)
        for (code, name) in Header.statusNames {
            #expect(String(cString: svi_status_string(code)) == name)
        }
        for code: svi_status in [-1, 11, 1000, .min, .max] {
            #expect(String(cString: svi_status_string(code)) == "SVI_E_UNKNOWN")
        }
    }

    @Test("NULL out-pointers and required arguments give SVI_E_NULL_POINTER")
    func nullPointers() throws {
        let o = try Objects()
        let k = key(1)
        let x = [0.0, 1, 2]
        var out = [Double](repeating: sentinel, count: 3)
        var handle = sentinelHandle
        withArray(x, shape: [3]) { a in
            expectFailure(svi_dist_log_prob(o.dist, a, nil, 3), SVI_E_NULL_POINTER, "svi_dist_log_prob")
            expectFailure(svi_dist_cdf(o.dist, a, nil, 3), SVI_E_NULL_POINTER, "svi_dist_cdf")
        }
        x.withUnsafeBufferPointer { data in
            [3].withUnsafeBufferPointer { shape in
                expectFailure(svi_dist_log_prob(o.dist, svi_array(data: nil, ndim: 1, shape: shape.baseAddress), &out, 3),
                              SVI_E_NULL_POINTER, "svi_dist_log_prob")
                expectFailure(svi_dist_log_prob(o.dist, svi_array(data: data.baseAddress, ndim: 1, shape: nil), &out, 3),
                              SVI_E_NULL_POINTER, "svi_dist_log_prob")
            }
        }
        expectFailure(svi_key_from_seed(nil, 1), SVI_E_NULL_POINTER, "svi_key_from_seed")
        expectFailure(svi_key_split(nil, 2, k), SVI_E_NULL_POINTER, "svi_key_split")
        expectFailure(svi_key_fold_in(nil, k, 1), SVI_E_NULL_POINTER, "svi_key_fold_in")
        expectFailure(svi_random_uniform(nil, 3, k), SVI_E_NULL_POINTER, "svi_random_uniform")
        expectFailure(svi_random_normal(nil, 3, k), SVI_E_NULL_POINTER, "svi_random_normal")
        withNamedArrays(normal3) { p, n in
            expectFailure(svi_dist_new(nil, "Normal", p, n), SVI_E_NULL_POINTER, "svi_dist_new")
            expectFailure(svi_dist_new(&handle, nil, p, n), SVI_E_NULL_POINTER, "svi_dist_new")
        }
        expectFailure(svi_dist_new(&handle, "Normal", nil, 2), SVI_E_NULL_POINTER, "svi_dist_new")
        expectFailure(svi_mixture_same_family_new(nil, o.dist, o.dist), SVI_E_NULL_POINTER, "svi_mixture_same_family_new")
        expectFailure(svi_dist_family(o.dist, nil), SVI_E_NULL_POINTER, "svi_dist_family")
        expectFailure(svi_dist_batch_shape(o.dist, nil, 0, nil), SVI_E_NULL_POINTER, "svi_dist_batch_shape")
        expectFailure(svi_dist_event_shape(o.dist, nil, 0, nil), SVI_E_NULL_POINTER, "svi_dist_event_shape")
        expectFailure(svi_dist_sample(o.dist, k, 0, nil, nil, 3), SVI_E_NULL_POINTER, "svi_dist_sample")
        expectFailure(svi_dist_mean(o.dist, nil, 3), SVI_E_NULL_POINTER, "svi_dist_mean")
        expectFailure(svi_dist_variance(o.dist, nil, 3), SVI_E_NULL_POINTER, "svi_dist_variance")
        expectFailure(svi_dist_entropy(o.dist, nil, 3), SVI_E_NULL_POINTER, "svi_dist_entropy")
        expectFailure(svi_kl_divergence(o.dist, o.dist, nil, 3), SVI_E_NULL_POINTER, "svi_kl_divergence")
        expectFailure(svi_kl_monte_carlo(o.dist, o.dist, 10, k, nil, &out, 3), SVI_E_NULL_POINTER, "svi_kl_monte_carlo")
        expectFailure(svi_kl_monte_carlo(o.dist, o.dist, 10, k, &out, nil, 3), SVI_E_NULL_POINTER, "svi_kl_monte_carlo")
        expectFailure(svi_kl_quadrature(o.dist, o.dist, -5, 5, 64, nil), SVI_E_NULL_POINTER, "svi_kl_quadrature")
        expectFailure(svi_callback_model_options_init(nil, size.callback), SVI_E_NULL_POINTER, "svi_callback_model_options_init")
        expectFailure(svi_model_new_callback(&handle, nil), SVI_E_NULL_POINTER, "svi_model_new_callback")
        var callbackOptions = svi_callback_model_options()
        expectOK(svi_callback_model_options_init(&callbackOptions, size.callback))
        withLatentBlock("z", size: 1) { b in
            callbackOptions.latents = b
            callbackOptions.num_latents = 1
            expectFailure(svi_model_new_callback(&handle, &callbackOptions), SVI_E_NULL_POINTER, "svi_model_new_callback")
        }
        expectFailure(svi_model_new_distribution(nil, "x", o.dist), SVI_E_NULL_POINTER, "svi_model_new_distribution")
        expectFailure(svi_model_new_distribution(&handle, nil, o.dist), SVI_E_NULL_POINTER, "svi_model_new_distribution")
        expectFailure(svi_model_dim(o.model, nil), SVI_E_NULL_POINTER, "svi_model_dim")
        var guideOptions = svi_auto_normal_options()
        expectOK(svi_auto_normal_options_init(&guideOptions, size.autoNormal))
        expectFailure(svi_auto_normal_options_init(nil, size.autoNormal), SVI_E_NULL_POINTER, "svi_auto_normal_options_init")
        expectFailure(svi_guide_new_auto_normal(nil, o.model, &guideOptions), SVI_E_NULL_POINTER, "svi_guide_new_auto_normal")
        expectFailure(svi_guide_new_auto_normal(&handle, o.model, nil), SVI_E_NULL_POINTER, "svi_guide_new_auto_normal")
        var sgdOptions = svi_sgd_options(), adamOptions = svi_adam_options(), traceOptions = svi_trace_elbo_options()
        expectOK(svi_sgd_options_init(&sgdOptions, size.sgd))
        expectOK(svi_adam_options_init(&adamOptions, size.adam))
        expectOK(svi_trace_elbo_options_init(&traceOptions, size.trace))
        expectFailure(svi_sgd_options_init(nil, size.sgd), SVI_E_NULL_POINTER, "svi_sgd_options_init")
        expectFailure(svi_optim_new_sgd(nil, &sgdOptions), SVI_E_NULL_POINTER, "svi_optim_new_sgd")
        expectFailure(svi_optim_new_sgd(&handle, nil), SVI_E_NULL_POINTER, "svi_optim_new_sgd")
        expectFailure(svi_adam_options_init(nil, size.adam), SVI_E_NULL_POINTER, "svi_adam_options_init")
        expectFailure(svi_optim_new_adam(nil, &adamOptions), SVI_E_NULL_POINTER, "svi_optim_new_adam")
        expectFailure(svi_optim_new_adam(&handle, nil), SVI_E_NULL_POINTER, "svi_optim_new_adam")
        expectFailure(svi_trace_elbo_options_init(nil, size.trace), SVI_E_NULL_POINTER, "svi_trace_elbo_options_init")
        expectFailure(svi_elbo_new_trace(nil, &traceOptions), SVI_E_NULL_POINTER, "svi_elbo_new_trace")
        expectFailure(svi_elbo_new_trace(&handle, nil), SVI_E_NULL_POINTER, "svi_elbo_new_trace")
        expectFailure(svi_svi_new(nil, o.model, o.guide, o.optim, o.elbo), SVI_E_NULL_POINTER, "svi_svi_new")
        expectFailure(svi_svi_step(o.svi, nil), SVI_E_NULL_POINTER, "svi_svi_step")
        expectFailure(svi_svi_num_steps(o.svi, nil), SVI_E_NULL_POINTER, "svi_svi_num_steps")
        expectFailure(svi_svi_num_params(o.svi, nil), SVI_E_NULL_POINTER, "svi_svi_num_params")
        expectFailure(svi_svi_param_name(o.svi, 0, nil), SVI_E_NULL_POINTER, "svi_svi_param_name")
        expectFailure(svi_svi_param_size(o.svi, "x_auto_loc", nil), SVI_E_NULL_POINTER, "svi_svi_param_size")
        expectFailure(svi_svi_param_size(o.svi, nil, nil), SVI_E_NULL_POINTER, "svi_svi_param_size")
        expectFailure(svi_svi_get_param(o.svi, nil, &out, 3), SVI_E_NULL_POINTER, "svi_svi_get_param")
        expectFailure(svi_svi_get_param(o.svi, "x_auto_loc", nil, 3), SVI_E_NULL_POINTER, "svi_svi_get_param")

        #expect(bits(out) == bits([Double](repeating: sentinel, count: 3)))
        #expect(handle == sentinelHandle)
        o.expectWorking()
    }

    @Test("use after free and double free give SVI_E_STALE_HANDLE; freeing 0 is a no-op")
    func staleHandles() throws {
        let live = try Objects()
        let dead = try Objects()
        let frees: [(String, (UInt64) -> svi_status)] = [
            ("svi_svi_free", svi_svi_free), ("svi_elbo_free", svi_elbo_free), ("svi_optim_free", svi_optim_free),
            ("svi_guide_free", svi_guide_free), ("svi_model_free", svi_model_free), ("svi_dist_free", svi_dist_free),
        ]
        let handles = [dead.svi, dead.elbo, dead.optim, dead.guide, dead.model, dead.dist]
        for ((name, free), handle) in zip(frees, handles) {
            expectOK(free(0))
            expectOK(free(handle))
            expectFailure(free(handle), SVI_E_STALE_HANDLE, name)
        }
        var name: UnsafePointer<CChar>? = nil
        expectFailure(svi_dist_family(dead.dist, &name), SVI_E_STALE_HANDLE, "svi_dist_family")
        #expect(name == nil)
        var dim = 12345
        expectFailure(svi_model_dim(dead.model, &dim), SVI_E_STALE_HANDLE, "svi_model_dim")
        #expect(dim == 12345)
        var steps = 12345
        expectFailure(svi_svi_num_steps(dead.svi, &steps), SVI_E_STALE_HANDLE, "svi_svi_num_steps")
        #expect(steps == 12345)
        var svi = sentinelHandle
        expectFailure(svi_svi_new(&svi, live.model, dead.guide, live.optim, live.elbo), SVI_E_STALE_HANDLE, "svi_svi_new")
        expectFailure(svi_svi_new(&svi, live.model, live.guide, dead.optim, live.elbo), SVI_E_STALE_HANDLE, "svi_svi_new")
        expectFailure(svi_svi_new(&svi, live.model, live.guide, live.optim, dead.elbo), SVI_E_STALE_HANDLE, "svi_svi_new")
        #expect(svi == sentinelHandle)

        // A new object may reuse a freed slot; the old handle must not name it.
        let reused = try makeDistribution("Normal", normal3)
        defer { svi_dist_free(reused) }
        #expect(reused != dead.dist)
        expectFailure(svi_dist_family(dead.dist, &name), SVI_E_STALE_HANDLE, "svi_dist_family")
        expectOK(svi_dist_family(reused, &name))
        live.expectWorking()
    }

    @Test("random 64-bit handles give SVI_E_STALE_HANDLE")
    func forgedHandles() throws {
        let o = try Objects()
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let forged = rng.next() as UInt64
            var name: UnsafePointer<CChar>? = nil
            var dim = 12345
            expectFailure(svi_dist_family(forged, &name), SVI_E_STALE_HANDLE, "svi_dist_family")
            expectFailure(svi_model_dim(forged, &dim), SVI_E_STALE_HANDLE, "svi_model_dim")
            expectFailure(svi_guide_free(forged), SVI_E_STALE_HANDLE, "svi_guide_free")
            #expect(name == nil && dim == 12345, "handle \(forged)")
        }
        // The same slot with another generation.
        for bit in 32..<56 {
            var name: UnsafePointer<CChar>? = nil
            expectFailure(svi_dist_family(o.dist ^ 1 << UInt64(bit), &name), SVI_E_STALE_HANDLE, "svi_dist_family")
        }
        o.expectWorking()
    }

    @Test("a live handle with its high (kind) byte altered is forged: SVI_E_STALE_HANDLE")
    func forgedKindBits() throws {
        let o = try Objects()
        let accepted = (56..<64).map { o.dist ^ 1 << UInt64($0) }.filter { forged in
            var name: UnsafePointer<CChar>? = nil
            return svi_dist_family(forged, &name) != SVI_E_STALE_HANDLE || name != nil
        }
        #expect(accepted.isEmpty, """
            never-issued handles \(accepted.map { String($0, radix: 16) }) were accepted as the live \
            \(String(o.dist, radix: 16)): the kind byte is not checked against the slot
            """)
        o.expectWorking()
    }

    @Test("a handle of another kind gives SVI_E_WRONG_HANDLE_KIND and leaves the object alive")
    func wrongKinds() throws {
        let o = try Objects()
        var out = [Double](repeating: sentinel, count: 3)
        withArray([0, 1, 2], shape: [3]) { a in
            expectFailure(svi_dist_log_prob(o.model, a, &out, 3), SVI_E_WRONG_HANDLE_KIND, "svi_dist_log_prob")
        }
        #expect(bits(out) == bits([Double](repeating: sentinel, count: 3)))
        expectFailure(svi_model_free(o.dist), SVI_E_WRONG_HANDLE_KIND, "svi_model_free")
        expectFailure(svi_dist_free(o.model), SVI_E_WRONG_HANDLE_KIND, "svi_dist_free")
        expectFailure(svi_guide_free(o.optim), SVI_E_WRONG_HANDLE_KIND, "svi_guide_free")
        expectFailure(svi_optim_free(o.elbo), SVI_E_WRONG_HANDLE_KIND, "svi_optim_free")
        expectFailure(svi_elbo_free(o.svi), SVI_E_WRONG_HANDLE_KIND, "svi_elbo_free")
        expectFailure(svi_svi_free(o.guide), SVI_E_WRONG_HANDLE_KIND, "svi_svi_free")
        var dim = 12345
        expectFailure(svi_model_dim(o.guide, &dim), SVI_E_WRONG_HANDLE_KIND, "svi_model_dim")
        #expect(dim == 12345)
        var steps = 12345
        expectFailure(svi_svi_num_steps(o.model, &steps), SVI_E_WRONG_HANDLE_KIND, "svi_svi_num_steps")
        #expect(steps == 12345)
        var svi = sentinelHandle
        expectFailure(svi_svi_new(&svi, o.guide, o.model, o.optim, o.elbo), SVI_E_WRONG_HANDLE_KIND, "svi_svi_new")
        expectFailure(svi_svi_new(&svi, o.model, o.guide, o.elbo, o.optim), SVI_E_WRONG_HANDLE_KIND, "svi_svi_new")
        #expect(svi == sentinelHandle)
        var kl = sentinel
        expectFailure(svi_kl_quadrature(o.dist, o.svi, -1, 1, 8, &kl), SVI_E_WRONG_HANDLE_KIND, "svi_kl_quadrature")
        #expect(kl.bitPattern == sentinel.bitPattern)
        o.expectWorking()
    }

    @Test("a length that does not match the result gives SVI_E_SHAPE_MISMATCH")
    func shapeMismatches() throws {
        let o = try Objects()
        let q = try makeDistribution("Normal", [Parameter("loc", [0, 0]), Parameter("scale", [1, 1])])
        defer { svi_dist_free(q) }
        var out = [Double](repeating: sentinel, count: 8)
        for length in [0, 2, 4, 5, 7] {
            withArray([0, 1, 2], shape: [3]) { a in
                expectFailure(svi_dist_log_prob(o.dist, a, &out, length), SVI_E_SHAPE_MISMATCH, "svi_dist_log_prob")
            }
            expectFailure(svi_dist_mean(o.dist, &out, length), SVI_E_SHAPE_MISMATCH, "svi_dist_mean")
            expectFailure(svi_kl_divergence(o.dist, o.dist, &out, length), SVI_E_SHAPE_MISMATCH, "svi_kl_divergence")
            expectFailure(svi_dist_sample(o.dist, key(1), 1, [2], &out, length), SVI_E_SHAPE_MISMATCH, "svi_dist_sample")
            expectFailure(svi_svi_get_param(o.svi, "x_auto_loc", &out, length), SVI_E_SHAPE_MISMATCH, "svi_svi_get_param")
        }
        withArray([0, 1], shape: [2]) { a in
            expectFailure(svi_dist_log_prob(o.dist, a, &out, 2), SVI_E_SHAPE_MISMATCH, "svi_dist_log_prob")
        }
        expectFailure(svi_kl_divergence(o.dist, q, &out, 3), SVI_E_SHAPE_MISMATCH, "svi_kl_divergence")
        #expect(bits(out) == bits([Double](repeating: sentinel, count: 8)))

        var handle = sentinelHandle
        let status = newDistribution("Normal", [Parameter("loc", [0, 1, 2]), Parameter("scale", [1, 2])], into: &handle)
        expectFailure(status, SVI_E_SHAPE_MISMATCH, "svi_dist_new")
        #expect(handle == sentinelHandle)

        // The rank is still written when the capacity is too small.
        var ndim = 12345
        var extents = [Int](repeating: 12345, count: 1)
        expectFailure(svi_dist_batch_shape(o.dist, &extents, 0, &ndim), SVI_E_SHAPE_MISMATCH, "svi_dist_batch_shape")
        #expect(ndim == 1 && extents == [12345])
        expectOK(svi_dist_batch_shape(o.dist, &extents, 1, &ndim))
        #expect(ndim == 1 && extents == [3])
        o.expectWorking()
    }

    @Test("values outside their domain give SVI_E_INVALID_ARGUMENT")
    func invalidValues() throws {
        let o = try Objects()
        for scale in [-1.0, 0, .nan, .infinity, -.infinity] {
            var handle = sentinelHandle
            let status = newDistribution("Normal", [Parameter("loc", [0]), Parameter("scale", [1, scale])], into: &handle)
            expectFailure(status, SVI_E_INVALID_ARGUMENT, "svi_dist_new")
            #expect(handle == sentinelHandle, "scale \(scale)")
        }
        var handle = sentinelHandle
        expectFailure(newDistribution("Normal", [Parameter("loc", [.nan]), Parameter("scale", [1])], into: &handle),
                      SVI_E_INVALID_ARGUMENT, "svi_dist_new")
        for probs in [[1.2, -0.2], [0.5, 0.7], [-0.5, 1.5], [.nan, 1]] {
            expectFailure(newDistribution("Categorical", [Parameter("probs", probs)], into: &handle),
                          SVI_E_INVALID_ARGUMENT, "svi_dist_new")
        }
        #expect(handle == sentinelHandle)

        var out = [Double](repeating: sentinel, count: 3)
        withArray([0, .nan, 2], shape: [3]) { a in
            expectFailure(svi_dist_log_prob(o.dist, a, &out, 3), SVI_E_INVALID_ARGUMENT, "svi_dist_log_prob")
            expectFailure(svi_dist_cdf(o.dist, a, &out, 3), SVI_E_INVALID_ARGUMENT, "svi_dist_cdf")
        }
        for probability in [1.5, -0.1, .nan, .infinity] {
            withArray([0.5, probability, 0.5], shape: [3]) { a in
                expectFailure(svi_dist_icdf(o.dist, a, &out, 3), SVI_E_INVALID_ARGUMENT, "svi_dist_icdf")
            }
        }
        var standardError = [Double](repeating: sentinel, count: 3)
        expectFailure(svi_kl_monte_carlo(o.dist, o.dist, 1, key(0), &out, &standardError, 3),
                      SVI_E_INVALID_ARGUMENT, "svi_kl_monte_carlo")
        #expect(bits(out + standardError) == bits([Double](repeating: sentinel, count: 6)))

        var name: UnsafePointer<CChar>? = nil
        expectFailure(svi_svi_param_name(o.svi, 2, &name), SVI_E_INVALID_ARGUMENT, "svi_svi_param_name")
        expectFailure(svi_svi_get_param(o.svi, "no_such_param", &out, 3), SVI_E_INVALID_ARGUMENT, "svi_svi_get_param")
        #expect(name == nil)
        o.expectWorking()
        // Boundary probabilities are valid.
        withArray([0, 0.5, 1], shape: [3]) { a in expectOK(svi_dist_icdf(o.dist, a, &out, 3)) }
        #expect(out[0] == -.infinity && out[2] == .infinity)
    }

    @Test("unknown family and unknown, missing or repeated parameters give SVI_E_INVALID_ARGUMENT")
    func parameterNames() throws {
        let cases: [(family: String, params: [Parameter], mentions: String)] = [
            ("NoSuchFamily", normal3, "NoSuchFamily"),
            ("", normal3, "family"),
            ("Normal", normal3 + [Parameter("rate", [1])], "rate"),
            ("Normal", [Parameter("loc", [0])], "scale"),
            ("Normal", [Parameter("scale", [1])], "loc"),
            ("Normal", [], "loc"),
            ("Normal", [Parameter("loc", [0]), Parameter("loc", [1]), Parameter("scale", [1])], "loc"),
            ("Categorical", [Parameter("probs", [0.5, 0.5]), Parameter("logits", [0, 0])], "logits"),
            ("Categorical", [], "probs"),
        ]
        for c in cases {
            var handle = sentinelHandle
            expectFailure(newDistribution(c.family, c.params, into: &handle), SVI_E_INVALID_ARGUMENT, "svi_dist_new")
            #expect(lastError().contains(c.mentions), "\(c.family) \(c.params.map(\.name)): \(lastError())")
            #expect(handle == sentinelHandle)
        }
        svi_dist_free(try makeDistribution("Normal", normal3))
    }

    @Test("an option struct of an unknown size gives SVI_E_VERSION_MISMATCH")
    func structSizes() throws {
        let o = try Objects()
        let model = o.model
        /// Checks *_init and *_new with a wrong struct_size for one option struct,
        /// whose earlier versions had the sizes `older` (which are not wrong).
        func check<T>(_ empty: T, _ initName: String, _ initialize: (UnsafeMutablePointer<T>, UInt32) -> svi_status,
                      _ newName: String, _ make: (UnsafeMutablePointer<UInt64>, UnsafePointer<T>) -> svi_status,
                      older: [Int] = [], _ setSize: (inout T, UInt32) -> Void) {
            let good = UInt32(MemoryLayout<T>.stride)
            for wrong in [0, 4, good - 8, good - 1, good + 8, 4096] where !older.contains(Int(wrong)) {
                var opts = empty
                _ = withUnsafeMutableBytes(of: &opts) { $0.initializeMemory(as: UInt8.self, repeating: 0xAB) }
                let before = withUnsafeBytes(of: opts) { Array($0) }
                expectFailure(initialize(&opts, wrong), SVI_E_VERSION_MISMATCH, initName)
                #expect(withUnsafeBytes(of: opts) { Array($0) } == before, "\(initName) wrote into opts")
                expectOK(initialize(&opts, good))
                setSize(&opts, wrong)
                var handle = sentinelHandle
                expectFailure(make(&handle, &opts), SVI_E_VERSION_MISMATCH, newName)
                #expect(handle == sentinelHandle)
            }
        }
        check(svi_sgd_options(), "svi_sgd_options_init", svi_sgd_options_init, "svi_optim_new_sgd", svi_optim_new_sgd) {
            $0.struct_size = $1
        }
        check(svi_adam_options(), "svi_adam_options_init", svi_adam_options_init, "svi_optim_new_adam", svi_optim_new_adam) {
            $0.struct_size = $1
        }
        check(svi_trace_elbo_options(), "svi_trace_elbo_options_init", svi_trace_elbo_options_init,
              "svi_elbo_new_trace", svi_elbo_new_trace,
              older: [MemoryLayout<svi_trace_elbo_options>.offset(of: \.vectorize_particles)!]) { $0.struct_size = $1 }
        check(svi_auto_normal_options(), "svi_auto_normal_options_init", svi_auto_normal_options_init,
              "svi_guide_new_auto_normal", { svi_guide_new_auto_normal($0, model, $1) },
              older: [MemoryLayout<svi_auto_normal_options>.offset(of: \.init_loc_fn)!]) { $0.struct_size = $1 }
        let target = GaussianTarget(mean: [0], sd: [1])
        check(svi_callback_model_options(), "svi_callback_model_options_init", svi_callback_model_options_init,
              "svi_model_new_callback", { out, opts in
                  var o = opts.pointee
                  return withLatentBlock("z", size: 1) { b in
                      o.latents = b
                      o.num_latents = 1
                      o.log_density = GaussianTarget.logDensity
                      o.user_data = target.userData
                      return svi_model_new_callback(out, &o)
                  }
              }, older: [MemoryLayout<svi_callback_model_options>.offset(of: \.has_gradient)!,
                         MemoryLayout<svi_callback_model_options>.offset(of: \.latent_block_size)!]) { $0.struct_size = $1 }
        o.expectWorking()
    }

    @Test("KL of a pair without a closed form gives SVI_E_NOT_IMPLEMENTED naming both families")
    func klNotImplemented() throws {
        let mixing = try makeDistribution("Categorical", [Parameter("probs", [0.3, 0.7])])
        let components = try makeDistribution("Normal", [Parameter("loc", [-1, 1]), Parameter("scale", [1, 0.5])])
        let normal = try makeDistribution("Normal", [Parameter("loc", [0]), Parameter("scale", [2])])
        var mixture: svi_dist = 0
        expectOK(svi_mixture_same_family_new(&mixture, mixing, components))
        defer { [mixture, mixing, components, normal].forEach { svi_dist_free($0) } }

        func family(_ d: svi_dist) -> String {
            var name: UnsafePointer<CChar>? = nil
            expectOK(svi_dist_family(d, &name))
            return name.map { String(cString: $0) } ?? ""
        }
        for (p, q) in [(mixture, normal), (normal, mixture), (mixing, normal)] {
            var out = sentinel
            expectFailure(svi_kl_divergence(p, q, &out, 1), SVI_E_NOT_IMPLEMENTED, "svi_kl_divergence")
            let message = lastError()
            #expect(message.contains(family(p)) && message.contains(family(q)), "\(message)")
            #expect(out.bitPattern == sentinel.bitPattern)
        }
        #expect(family(mixture) != family(normal))
        // The estimators the message suggests work on the same pair.
        var estimate = sentinel, standardError = sentinel, quadrature = sentinel
        expectOK(svi_kl_monte_carlo(mixture, normal, 4000, key(5), &estimate, &standardError, 1))
        expectOK(svi_kl_quadrature(mixture, normal, -12, 12, 512, &quadrature))
        #expect(abs(estimate - quadrature) < 5 * standardError + 1e-3)
    }

    @Test("a failing callback gives SVI_E_CALLBACK_FAILED and leaves the state as before the step")
    func callbackFailure() throws {
        try expectStepFault(.fails(7), SVI_E_CALLBACK_FAILED)
    }

    @Test("a NaN log-density gives SVI_E_NUMERICAL and leaves the state as before the step")
    func nanLogDensity() throws {
        try expectStepFault(.nanDensity, SVI_E_NUMERICAL)
    }

    /// Three good steps, one that hits `fault`, then one good step: the failed
    /// step changes nothing, so the result equals four uninterrupted steps.
    private func expectStepFault(_ fault: GaussianTarget.Fault, _ expected: svi_status) throws {
        let target = GaussianTarget(mean: [1, -2], sd: [0.5, 2])
        let model = try target.model()
        defer { svi_model_free(model) }
        let svi = try makeSVI(model)
        defer { svi_svi_free(svi) }
        var losses: [Double] = []
        try withExtendedLifetime(target) {
            expectOK(svi_svi_init(svi, key(11)))
            for _ in 0..<3 {
                var loss = sentinel
                expectOK(svi_svi_step(svi, &loss))
                losses.append(loss)
            }
            let before = try parameters(svi).mapValues(bits)
            target.fault = fault
            var loss = sentinel
            expectFailure(svi_svi_step(svi, &loss), expected, "svi_svi_step")
            #expect(loss.bitPattern == sentinel.bitPattern)
            #expect(try parameters(svi).mapValues(bits) == before)
            var steps = 0
            expectOK(svi_svi_num_steps(svi, &steps))
            #expect(steps == 3)
            target.fault = nil
            expectOK(svi_svi_step(svi, &loss))
            losses.append(loss)
        }
        let uninterrupted = try fit(GaussianTarget(mean: [1, -2], sd: [0.5, 2]), steps: 4, seed: 11)
        #expect(bits(losses) == uninterrupted.losses)
        #expect(try parameters(svi).mapValues(bits) == uninterrupted.parameters)
    }

    @Test("svi_svi_run failing at step k keeps the state and losses of steps 1 … k-1")
    func runFailure() throws {
        for (fault, expected) in [(GaussianTarget.Fault.fails(-1), SVI_E_CALLBACK_FAILED), (.nanDensity, SVI_E_NUMERICAL)] {
            let target = GaussianTarget(mean: [3], sd: [0.25])
            target.fault = fault
            target.faultFromCall = 5
            let model = try target.model()
            defer { svi_model_free(model) }
            let svi = try makeSVI(model)
            defer { svi_svi_free(svi) }
            var losses = [Double](repeating: sentinel, count: 10)
            withExtendedLifetime(target) {
                expectFailure(svi_svi_run(svi, key(2), 10, &losses, nil, nil), expected, "svi_svi_run")
            }
            #expect(target.calls == 5, "one callback per step")
            var steps = 0
            expectOK(svi_svi_num_steps(svi, &steps))
            #expect(steps == 4)
            let good = try fit(GaussianTarget(mean: [3], sd: [0.25]), steps: 4, seed: 2)
            #expect(bits(Array(losses[..<4])) == good.losses)
            #expect(bits(Array(losses[4...])) == bits([Double](repeating: sentinel, count: 6)))
            #expect(try parameters(svi).mapValues(bits) == good.parameters)
        }
    }

    @Test("a progress callback returning non-zero stops the run with SVI_E_STOPPED after that step")
    func progressStop() throws {
        /// Records the progress calls and asks to stop at `stopAt`.
        final class Progress {
            let stopAt: Int
            var calls: [(Int, Double)] = []
            init(stopAt: Int) { self.stopAt = stopAt }
        }
        let callback: svi_progress_fn = { user, step, loss in
            let p = Unmanaged<Progress>.fromOpaque(user!).takeUnretainedValue()
            p.calls.append((step, loss))
            return step == p.stopAt ? 1 : 0
        }
        let target = GaussianTarget(mean: [1, 2, 3], sd: [1, 1, 1])
        let model = try target.model()
        defer { svi_model_free(model) }
        let svi = try makeSVI(model)
        defer { svi_svi_free(svi) }
        let progress = Progress(stopAt: 4)
        var losses = [Double](repeating: sentinel, count: 10)
        withExtendedLifetime((target, progress)) {
            expectFailure(svi_svi_run(svi, key(8), 10, &losses, callback, Unmanaged.passUnretained(progress).toOpaque()),
                          SVI_E_STOPPED, "svi_svi_run")
        }
        var steps = 0
        expectOK(svi_svi_num_steps(svi, &steps))
        #expect(steps == 4)
        #expect(progress.calls.map(\.0) == [1, 2, 3, 4])
        let good = try fit(GaussianTarget(mean: [1, 2, 3], sd: [1, 1, 1]), steps: 4, seed: 8)
        #expect(bits(progress.calls.map(\.1)) == good.losses)
        #expect(bits(Array(losses[..<4])) == good.losses)
        #expect(bits(Array(losses[4...])) == bits([Double](repeating: sentinel, count: 6)))
        #expect(try parameters(svi).mapValues(bits) == good.parameters)
        var loss = sentinel
        withExtendedLifetime(target) { expectOK(svi_svi_step(svi, &loss)) }
        #expect(loss.isFinite)
    }

    @Test("svi_last_error_message is per thread")
    func lastErrorPerThread() {
        let bFailed = DispatchSemaphore(value: 0)
        let aFailed = DispatchSemaphore(value: 0)
        let messages = onThreads([
            { @Sendable () -> [String] in
                bFailed.wait()
                let fresh = lastError()
                let status = svi_key_from_seed(nil, 0)
                let mine = lastError()
                aFailed.signal()
                return [fresh, String(status), mine]
            },
            { @Sendable () -> [String] in
                let status = svi_dist_family(0, nil)
                let before = lastError()
                bFailed.signal()
                aFailed.wait()
                return [String(status), before, lastError()]
            },
        ])
        let a = messages[0], b = messages[1]
        #expect(a[0] == "", "a thread that never failed has an empty message")
        #expect(a[1] == String(SVI_E_NULL_POINTER) && a[2].contains("svi_key_from_seed"))
        #expect(b[0] == String(SVI_E_STALE_HANDLE) && b[1].contains("svi_dist_family"))
        #expect(b[2] == b[1], "thread A's failure changed thread B's message")
    }
}
