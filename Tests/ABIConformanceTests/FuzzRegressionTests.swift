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

    @Test("a LowerCholeskyAffine whose loc has no elements along the vector dimension is a shape mismatch")
    func lowerCholeskyAffineEmptyLoc() throws {
        var transform = sentinelHandle
        let status = withNamedArrays([Parameter("loc", [], shape: [1, 0]), Parameter("scale_tril", [0.9], shape: [1, 1])]) {
            svi_transform_new(&transform, "LowerCholeskyAffine", $0, $1)
        }
        expectFailure(status, SVI_E_SHAPE_MISMATCH, "svi_transform_new")
        #expect(transform == sentinelHandle)
    }

    @Test("moments of an Identity transform of a base with event dimensions are not implemented, not a trap")
    func transformedMomentsOfAMultivariateBase() throws {
        let halfNormal = try makeDistribution("HalfNormal", [Parameter("scale", [1, 2, 3, 4, 5, 6], shape: [3, 2])])
        var independent: svi_dist = 0, identity: svi_transform = 0, transformed: svi_dist = 0
        try ok(svi_independent_new(&independent, halfNormal, 1), "svi_independent_new")
        try ok(svi_transform_new(&identity, "Identity", nil, 0), "svi_transform_new")
        try ok(svi_transformed_distribution_new(&transformed, independent, identity), "svi_transformed_distribution_new")
        defer {
            [halfNormal, independent, transformed].forEach { svi_dist_free($0) }
            svi_transform_free(identity)
        }
        var out = [Double](repeating: sentinel, count: 6)
        expectFailure(svi_dist_mean(transformed, &out, 6), SVI_E_NOT_IMPLEMENTED, "svi_dist_mean")
        expectFailure(svi_dist_variance(transformed, &out, 6), SVI_E_NOT_IMPLEMENTED, "svi_dist_variance")
        expectFailure(svi_dist_entropy(transformed, &out, 3), SVI_E_NOT_IMPLEMENTED, "svi_dist_entropy")
        #expect(bits(out) == bits([Double](repeating: sentinel, count: 6)))
    }

    @Test("initial parameters the guide cannot use are SVI_E_NUMERICAL at initialization, not a state kept")
    func unusableInitialParameters() throws {
        // Above the largest double there is only +inf: AutoDelta's point starts there.
        let target = GaussianTarget(mean: [0], sd: [1])
        var options = svi_callback_model_options(), deltaOptions = svi_auto_delta_options()
        svi_callback_model_options_init(&options, UInt32(MemoryLayout<svi_callback_model_options>.stride))
        svi_auto_delta_options_init(&deltaOptions, UInt32(MemoryLayout<svi_auto_delta_options>.stride))
        var model: svi_model = 0, guide: svi_guide = 0
        try "z".withCString { name in
            var block = svi_latent_block(name: name, size: 1, constraint: svi_constraint_kind(SVI_CONSTRAINT_GREATER_THAN),
                                         lower_bound: .greatestFiniteMagnitude, upper_bound: 0,
                                         kind: svi_block_kind(SVI_BLOCK_LATENT))
            try withUnsafePointer(to: &block) { b in
                options.latents = b
                options.num_latents = 1
                options.log_density = GaussianTarget.logDensity
                options.user_data = target.userData
                try ok(svi_model_new_callback(&model, &options), "svi_model_new_callback")
            }
        }
        defer { svi_model_free(model) }
        try ok(svi_guide_new_auto_delta(&guide, model, &deltaOptions), "svi_guide_new_auto_delta")
        defer { svi_guide_free(guide) }
        var adamOptions = svi_adam_options(), traceOptions = svi_trace_elbo_options()
        svi_adam_options_init(&adamOptions, UInt32(MemoryLayout<svi_adam_options>.stride))
        svi_trace_elbo_options_init(&traceOptions, UInt32(MemoryLayout<svi_trace_elbo_options>.stride))
        var optim: svi_optim = 0, elbo: svi_elbo = 0, svi: svi_svi = 0
        try ok(svi_optim_new_adam(&optim, &adamOptions), "svi_optim_new_adam")
        try ok(svi_elbo_new_trace(&elbo, &traceOptions), "svi_elbo_new_trace")
        try ok(svi_svi_new(&svi, model, guide, optim, elbo), "svi_svi_new")
        defer { svi_svi_free(svi); svi_elbo_free(elbo); svi_optim_free(optim) }
        withExtendedLifetime(target) {
            expectFailure(svi_svi_init(svi, key(1)), SVI_E_NUMERICAL, "svi_svi_init")
            var losses = [Double](repeating: sentinel, count: 3)
            expectFailure(svi_svi_run(svi, key(1), 3, &losses, nil, nil), SVI_E_NUMERICAL, "svi_svi_run")
            #expect(bits(losses) == bits([Double](repeating: sentinel, count: 3)))
        }
    }

    @Test("a Dirichlet's log-density off the simplex is -inf, also at a coordinate 0 whose term is +inf")
    func dirichletOffTheSimplex() throws {
        let dirichlet = try makeDistribution("Dirichlet", [Parameter("concentration", [0.9], shape: [1])])
        defer { svi_dist_free(dirichlet) }
        var out = [Double](repeating: sentinel, count: 3)
        expectOK(withArray([0, 1, 0.5], shape: [3, 1]) { svi_dist_log_prob(dirichlet, $0, &out, 3) })
        #expect(out == [-.infinity, 0, -.infinity])
    }

    @Test("a Dirichlet's log-density on the boundary where zeros give +inf and -inf terms is -inf, not NaN")
    func dirichletBoundaryWithoutLimit() throws {
        let dirichlet = try makeDistribution("Dirichlet", [Parameter("concentration", [0.1, 0.1, 64], shape: [3])])
        defer { svi_dist_free(dirichlet) }
        var out = [Double](repeating: sentinel, count: 2)
        // (0, 1, 0): x₁^(−0.9) → ∞ and x₃^63 → 0, with no limit of the product; (0, 0.5, 0.5): +inf.
        expectOK(withArray([0, 1, 0, 0, 0.5, 0.5], shape: [2, 3]) { svi_dist_log_prob(dirichlet, $0, &out, 2) })
        #expect(out == [-.infinity, .infinity])
    }

    @Test("an Independent's log-density is -inf where one coordinate is outside the support and another's density is +inf")
    func independentOutsideTheSupportWithADivergentCoordinate() throws {
        // Chi2 with df below 2 has density +inf at 0; -2.5 lies outside its support.
        let chi2 = try makeDistribution("Chi2", [Parameter("df", [1.5, 1.5], shape: [2])])
        defer { svi_dist_free(chi2) }
        var independent: svi_dist = 0
        expectOK(svi_independent_new(&independent, chi2, 1))
        defer { svi_dist_free(independent) }
        var out = [Double](repeating: sentinel, count: 2)
        expectOK(withArray([-2.5, 0, 0, 0], shape: [2, 2]) { svi_dist_log_prob(independent, $0, &out, 2) })
        #expect(out == [-.infinity, .infinity])
    }

    @Test("a step whose optimizer state would overflow is refused, so every kept state saves and restores")
    func optimizerStateOverflow() throws {
        // A very narrow target: the loss (about 1e110) and gradient (about 1e155)
        // are finite, but Adagrad's accumulated squared gradient is not.
        let dist = try makeDistribution("Normal", [Parameter("loc", [0]), Parameter("scale", [1e-100])])
        var model: svi_model = 0
        try ok(svi_model_new_distribution(&model, "x", dist), "svi_model_new_distribution")
        defer { svi_model_free(model); svi_dist_free(dist) }
        var guideOptions = svi_auto_normal_options(), adagradOptions = svi_adagrad_options()
        var traceOptions = svi_trace_elbo_options()
        svi_auto_normal_options_init(&guideOptions, UInt32(MemoryLayout<svi_auto_normal_options>.stride))
        svi_adagrad_options_init(&adagradOptions, UInt32(MemoryLayout<svi_adagrad_options>.stride))
        svi_trace_elbo_options_init(&traceOptions, UInt32(MemoryLayout<svi_trace_elbo_options>.stride))
        var initialLocation = 0.0
        guideOptions.init_scale = 1e-45
        var guide: svi_guide = 0, optim: svi_optim = 0, elbo: svi_elbo = 0, svi: svi_svi = 0
        try withUnsafePointer(to: &initialLocation) { location in
            guideOptions.init_loc = location
            guideOptions.init_loc_len = 1
            try ok(svi_guide_new_auto_normal(&guide, model, &guideOptions), "svi_guide_new_auto_normal")
        }
        try ok(svi_optim_new_adagrad(&optim, &adagradOptions), "svi_optim_new_adagrad")
        try ok(svi_elbo_new_trace(&elbo, &traceOptions), "svi_elbo_new_trace")
        try ok(svi_svi_new(&svi, model, guide, optim, elbo), "svi_svi_new")
        defer { svi_svi_free(svi); svi_elbo_free(elbo); svi_optim_free(optim); svi_guide_free(guide) }
        try ok(svi_svi_init(svi, key(9)), "svi_svi_init")
        var loss = sentinel
        expectFailure(svi_svi_step(svi, &loss), SVI_E_NUMERICAL, "svi_svi_step")
        #expect(lastError().contains("optimizer slot"), "\(lastError())")
        var length = 0
        try ok(svi_svi_save(svi, nil, 0, &length), "svi_svi_save")
        var bytes = [UInt8](repeating: 0, count: length)
        try ok(svi_svi_save(svi, &bytes, length, &length), "svi_svi_save")
        expectOK(svi_svi_restore(svi, bytes, length))
    }
}
