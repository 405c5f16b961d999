import CSwiftVI
import Testing

/// An SVI of `model` and `guide` with Adam and Trace_ELBO(particles); the SVI
/// keeps its own references.
private func makeSVI(_ model: svi_model, _ guide: svi_guide, learningRate: Double, particles: Int) throws -> svi_svi {
    var adamOptions = svi_adam_options(), elboOptions = svi_trace_elbo_options()
    try ok(svi_adam_options_init(&adamOptions, UInt32(MemoryLayout<svi_adam_options>.stride)), "svi_adam_options_init")
    try ok(svi_trace_elbo_options_init(&elboOptions, UInt32(MemoryLayout<svi_trace_elbo_options>.stride)),
           "svi_trace_elbo_options_init")
    adamOptions.learning_rate = learningRate
    elboOptions.num_particles = particles
    var optim: svi_optim = 0, elbo: svi_elbo = 0, svi: svi_svi = 0
    try ok(svi_optim_new_adam(&optim, &adamOptions), "svi_optim_new_adam")
    try ok(svi_elbo_new_trace(&elbo, &elboOptions), "svi_elbo_new_trace")
    try ok(svi_svi_new(&svi, model, guide, optim, elbo), "svi_svi_new")
    svi_optim_free(optim)
    svi_elbo_free(elbo)
    return svi
}

private func diagonalNormalGuide(_ model: svi_model) throws -> svi_guide {
    var options = svi_auto_diagonal_normal_options()
    try ok(svi_auto_diagonal_normal_options_init(&options, UInt32(MemoryLayout<svi_auto_diagonal_normal_options>.stride)),
           "svi_auto_diagonal_normal_options_init")
    var guide: svi_guide = 0
    try ok(svi_guide_new_auto_diagonal_normal(&guide, model, &options), "svi_guide_new_auto_diagonal_normal")
    return guide
}

@Suite("Automatic guides through the header")
struct AutoGuideABITests {
    @Test func optionDefaults() {
        func size<T>(_: T.Type) -> UInt32 { UInt32(MemoryLayout<T>.stride) }
        var diagonal = svi_auto_diagonal_normal_options()
        expectOK(svi_auto_diagonal_normal_options_init(&diagonal, size(svi_auto_diagonal_normal_options.self)))
        #expect(diagonal.init_scale == 0.1 && diagonal.init_loc_fn.kind == SVI_INIT_TO_UNIFORM)
        #expect(diagonal.init_loc_fn.radius == 2 && diagonal.init_loc_fn.num_samples == 15 && diagonal.init_loc_fn.values == nil)
        var full = svi_auto_multivariate_normal_options()
        expectOK(svi_auto_multivariate_normal_options_init(&full, size(svi_auto_multivariate_normal_options.self)))
        #expect(full.init_scale == 0.1 && full.init_loc_fn.kind == SVI_INIT_TO_UNIFORM)
        var lowRank = svi_auto_low_rank_multivariate_normal_options()
        expectOK(svi_auto_low_rank_multivariate_normal_options_init(
            &lowRank, size(svi_auto_low_rank_multivariate_normal_options.self)))
        #expect(lowRank.init_scale == 0.1 && lowRank.rank == 0 && lowRank.init_loc_fn.kind == SVI_INIT_TO_UNIFORM)
        var delta = svi_auto_delta_options()
        expectOK(svi_auto_delta_options_init(&delta, size(svi_auto_delta_options.self)))
        #expect(delta.init_loc_fn.kind == SVI_INIT_TO_MEDIAN && delta.init_loc_fn.num_samples == 15)
        var laplace = svi_auto_laplace_approximation_options()
        expectOK(svi_auto_laplace_approximation_options_init(&laplace, size(svi_auto_laplace_approximation_options.self)))
        #expect(laplace.init_loc_fn.kind == SVI_INIT_TO_UNIFORM)
        var iaf = svi_auto_iaf_normal_options()
        expectOK(svi_auto_iaf_normal_options_init(&iaf, size(svi_auto_iaf_normal_options.self)))
        #expect(iaf.num_flows == 3 && iaf.hidden_dims == nil && iaf.num_hidden_dims == 0
                && iaf.nonlinearity == SVI_NONLINEARITY_ELU)
        expectFailure(svi_auto_delta_options_init(&delta, 3), SVI_E_VERSION_MISMATCH, "svi_auto_delta_options_init")
    }

    @Test func theLaplacePosteriorOfAFittedSVIIsTheTarget() throws {
        let target = GaussianTarget(mean: [0.5, -1], sd: [0.3, 2])
        let model = try target.model()
        defer { svi_model_free(model) }
        var options = svi_auto_laplace_approximation_options()
        try ok(svi_auto_laplace_approximation_options_init(
            &options, UInt32(MemoryLayout<svi_auto_laplace_approximation_options>.stride)), "init")
        var guide: svi_guide = 0
        try ok(svi_guide_new_auto_laplace_approximation(&guide, model, &options), "svi_guide_new_auto_laplace_approximation")
        defer { svi_guide_free(guide) }
        let svi = try makeSVI(model, guide, learningRate: 0.05, particles: 1)
        defer { svi_svi_free(svi) }
        try ok(withExtendedLifetime(target) { svi_svi_run(svi, key(0), 3000, nil, nil, nil) }, "svi_svi_run")
        var loc = [Double](repeating: sentinel, count: 2), covariance = [Double](repeating: sentinel, count: 4)
        expectOK(withExtendedLifetime(target) { svi_guide_laplace_posterior(guide, svi, nil, 0, &loc, 2, &covariance, 4) })
        #expect(abs(loc[0] - 0.5) < 1e-6 && abs(loc[1] + 1) < 1e-6)
        for (value, expected) in zip(covariance, [0.09, 0, 0, 4.0]) { #expect(abs(value - expected) < 1e-6 * 4) }
        expectFailure(svi_guide_laplace_posterior(guide, svi, nil, 0, &loc, 2, &covariance, 3), SVI_E_SHAPE_MISMATCH,
                      "svi_guide_laplace_posterior")
    }

    @Test func posteriorDrawsFromAnSVIEqualThoseFromItsParameters() throws {
        let target = GaussianTarget(mean: [0.5, -1], sd: [0.3, 2])
        let model = try target.model(site: "theta")
        defer { svi_model_free(model) }
        let guide = try diagonalNormalGuide(model)
        defer { svi_guide_free(guide) }
        let svi = try makeSVI(model, guide, learningRate: 0.05, particles: 4)
        defer { svi_svi_free(svi) }
        try ok(withExtendedLifetime(target) { svi_svi_run(svi, key(1), 500, nil, nil, nil) }, "svi_svi_run")
        var count = 0, name: UnsafePointer<CChar>?, shape = [Int](repeating: 0, count: 4), ndim = 0
        expectOK(svi_guide_num_latents(guide, &count))
        expectOK(svi_guide_latent_name(guide, 0, &name))
        expectOK(svi_guide_latent_shape(guide, "theta", &shape, 4, &ndim))
        #expect(count == 1 && String(cString: name!) == "theta" && Array(shape.prefix(ndim)) == [2])
        var fromSVI = [Double](repeating: sentinel, count: 10), fromParams = [Double](repeating: sentinel, count: 10)
        expectOK(svi_guide_sample_posterior(guide, svi, nil, 0, key(7), 5, "theta", &fromSVI, 10))
        let fitted = try parameters(svi)
        let params = fitted.keys.sorted().map { Parameter($0, fitted[$0]!) }
        expectOK(withNamedArrays(params) { svi_guide_sample_posterior(guide, 0, $0, $1, key(7), 5, "theta", &fromParams, 10) })
        #expect(bits(fromSVI) == bits(fromParams))
        var median = [Double](repeating: sentinel, count: 2)
        expectOK(svi_guide_median(guide, svi, nil, 0, "theta", &median, 2))
        #expect(median == fitted["auto_loc"]!)
        var quantiles = [Double](repeating: sentinel, count: 2)
        expectOK([0.5].withUnsafeBufferPointer { svi_guide_quantiles(guide, svi, nil, 0, $0.baseAddress, 1, "theta", &quantiles, 2) })
        #expect(quantiles == median)
        expectFailure(svi_guide_sample_posterior(guide, svi, nil, 0, key(7), 5, "phi", &fromSVI, 10),
                      SVI_E_INVALID_ARGUMENT, "svi_guide_sample_posterior")
        expectFailure(svi_guide_sample_posterior(guide, svi, nil, 0, key(7), 5, "theta", &fromSVI, 9),
                      SVI_E_SHAPE_MISMATCH, "svi_guide_sample_posterior")
        expectFailure(withNamedArrays([Parameter("auto_loc", [0, 0])]) {
            svi_guide_median(guide, 0, $0, $1, "theta", &median, 2)
        }, SVI_E_INVALID_ARGUMENT, "svi_guide_median")
        var paramShape = [Int](repeating: 0, count: 4)
        expectOK(svi_svi_param_shape(svi, "auto_scale", &paramShape, 4, &ndim))
        #expect(Array(paramShape.prefix(ndim)) == [2])
    }

    @Test func misuseIsReportedNotTrapped() throws {
        let target = GaussianTarget(mean: [0, 0, 0], sd: [1, 1, 1])
        let model = try target.model()
        defer { svi_model_free(model) }
        // An SVI whose guide (AutoNormal) is not the queried one (AutoDiagonalNormal).
        let svi = try makeSVI(model)
        defer { svi_svi_free(svi) }
        let guide = try diagonalNormalGuide(model)
        defer { svi_guide_free(guide) }
        var out = [Double](repeating: sentinel, count: 3)
        expectFailure(svi_guide_median(guide, svi, nil, 0, "z", &out, 3), SVI_E_INVALID_ARGUMENT, "svi_guide_median")
        expectFailure(svi_guide_median(model, 0, nil, 0, "z", &out, 3), SVI_E_WRONG_HANDLE_KIND, "svi_guide_median")
        #expect(bits(out) == bits([sentinel, sentinel, sentinel]))

        var iafOptions = svi_auto_iaf_normal_options()
        expectOK(svi_auto_iaf_normal_options_init(&iafOptions, UInt32(MemoryLayout<svi_auto_iaf_normal_options>.stride)))
        var iaf: svi_guide = 0
        expectOK(svi_guide_new_auto_iaf_normal(&iaf, model, &iafOptions))
        defer { svi_guide_free(iaf) }
        expectFailure(svi_guide_median(iaf, 0, nil, 0, "z", &out, 3), SVI_E_NOT_IMPLEMENTED, "svi_guide_median")
        iafOptions.nonlinearity = 7
        var unused: svi_guide = 0
        expectFailure(svi_guide_new_auto_iaf_normal(&unused, model, &iafOptions), SVI_E_INVALID_ARGUMENT,
                      "svi_guide_new_auto_iaf_normal")
        let narrow = [2]
        iafOptions.nonlinearity = SVI_NONLINEARITY_RELU
        narrow.withUnsafeBufferPointer { hidden in
            iafOptions.hidden_dims = hidden.baseAddress
            iafOptions.num_hidden_dims = 1
            expectFailure(svi_guide_new_auto_iaf_normal(&unused, model, &iafOptions), SVI_E_INVALID_ARGUMENT,
                          "svi_guide_new_auto_iaf_normal")
        }

        var deltaOptions = svi_auto_delta_options()
        expectOK(svi_auto_delta_options_init(&deltaOptions, UInt32(MemoryLayout<svi_auto_delta_options>.stride)))
        deltaOptions.init_loc_fn.kind = 42
        expectFailure(svi_guide_new_auto_delta(&unused, model, &deltaOptions), SVI_E_INVALID_ARGUMENT, "svi_guide_new_auto_delta")
        deltaOptions.init_loc_fn.kind = SVI_INIT_TO_VALUE
        deltaOptions.init_loc_fn.num_values = 1
        expectFailure(svi_guide_new_auto_delta(&unused, model, &deltaOptions), SVI_E_NULL_POINTER, "svi_guide_new_auto_delta")
        #expect(unused == 0)
    }
}
