import CSwiftVI
import Testing

/// The text of the header's definition of struct `name`, doc comments included.
private func headerStruct(_ name: String) -> Substring {
    guard let start = Header.text.range(of: "typedef struct \(name) {"),
          let end = Header.text.range(of: "} \(name);", range: start.upperBound..<Header.text.endIndex)
    else { return "" }
    return Header.text[start.lowerBound..<end.upperBound]
}

/// The declaration of `field` in the header's struct `name`: its line and the
/// doc-comment lines above it.
private func fieldDocumentation(_ name: String, _ field: String) -> String {
    let lines = headerStruct(name).split(separator: "\n", omittingEmptySubsequences: false)
    guard let i = lines.firstIndex(where: { $0.contains(" \(field);") }) else { return "" }
    let start = lines[..<i].lastIndex { $0.contains(";") || $0.contains("{") }.map { $0 + 1 } ?? i
    return lines[start...i].joined(separator: "\n")
}

/// Checks that the header documents `value` as the default of each listed field.
private func expectDocumented(_ name: String, _ defaults: [(field: String, value: String)],
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
    for (field, value) in defaults {
        let pattern = try Regex("default \(value.replacing(".", with: "\\."))(?![0-9.])")
        let documentation = fieldDocumentation(name, field)
        #expect(documentation.contains(pattern), "swiftvi.h does not document \(name).\(field) defaulting to \(value)",
                sourceLocation: sourceLocation)
    }
}

/// An option struct filled with 0xAB bytes, then by `initialize` with sizeof.
private func initialized<T>(_ empty: T, _ initialize: (UnsafeMutablePointer<T>, UInt32) -> svi_status,
                            sourceLocation: SourceLocation = #_sourceLocation) -> T {
    var opts = empty
    _ = withUnsafeMutableBytes(of: &opts) { $0.initializeMemory(as: UInt8.self, repeating: 0xAB) }
    expectOK(initialize(&opts, UInt32(MemoryLayout<T>.stride)), sourceLocation: sourceLocation)
    return opts
}

@Suite("Option structs' *_init fill the documented defaults")
struct OptionDefaultsTests {
    @Test func callbackModelOptions() {
        let o = initialized(svi_callback_model_options(), svi_callback_model_options_init)
        #expect(o.struct_size == UInt32(MemoryLayout<svi_callback_model_options>.stride))
        #expect(o.latents == nil && o.num_latents == 0 && o.log_density == nil && o.user_data == nil)
        #expect(o.has_gradient == 1)
        #expect(o.latent_block_size == MemoryLayout<svi_latent_block>.stride)
    }

    @Test func runOptions() throws {
        try expectDocumented("svi_run_options", [("early_stopping_tolerance", "0"), ("early_stopping_smoothing", "0.9"),
                                                 ("early_stopping_patience", "10")])
        let o = initialized(svi_run_options(), svi_run_options_init)
        #expect(o.struct_size == UInt32(MemoryLayout<svi_run_options>.stride))
        #expect(o.progress == nil && o.progress_user_data == nil && o.stable == 0)
        #expect(o.early_stopping_tolerance == 0 && o.early_stopping_smoothing == 0.9 && o.early_stopping_patience == 10)
    }

    @Test func autoNormalOptions() throws {
        try expectDocumented("svi_auto_normal_options", [("init_scale", "0.1"), ("init_radius", "2")])
        let o = initialized(svi_auto_normal_options(), svi_auto_normal_options_init)
        #expect(o.struct_size == UInt32(MemoryLayout<svi_auto_normal_options>.stride))
        #expect(o.init_scale == 0.1)
        #expect(o.init_radius == 2)
        #expect(o.init_loc == nil)
        #expect(o.init_loc_fn.kind == SVI_INIT_TO_UNIFORM && o.init_loc_fn.radius == 2)
        #expect(o.init_loc_fn.num_samples == 15 && o.init_loc_fn.values == nil && o.init_loc_fn.num_values == 0)
    }

    @Test func sgdOptions() throws {
        try expectDocumented("svi_sgd_options", [("learning_rate", "0.01"), ("momentum", "0"), ("nesterov", "0")])
        let o = initialized(svi_sgd_options(), svi_sgd_options_init)
        #expect(o.struct_size == UInt32(MemoryLayout<svi_sgd_options>.stride))
        #expect(o.learning_rate == 0.01)
        #expect(o.momentum == 0)
        #expect(o.nesterov == 0)
    }

    @Test func adamOptions() throws {
        try expectDocumented("svi_adam_options",
                         [("learning_rate", "0.001"), ("beta1", "0.9"), ("beta2", "0.999"), ("epsilon", "1e-8")])
        let o = initialized(svi_adam_options(), svi_adam_options_init)
        #expect(o.struct_size == UInt32(MemoryLayout<svi_adam_options>.stride))
        #expect(o.learning_rate == 0.001)
        #expect(o.beta1 == 0.9)
        #expect(o.beta2 == 0.999)
        #expect(o.epsilon == 1e-8)
    }

    @Test func traceELBOOptions() throws {
        try expectDocumented("svi_trace_elbo_options", [("num_particles", "1"), ("vectorize_particles", "1")])
        let o = initialized(svi_trace_elbo_options(), svi_trace_elbo_options_init)
        #expect(o.struct_size == UInt32(MemoryLayout<svi_trace_elbo_options>.stride))
        #expect(o.num_particles == 1)
        #expect(o.vectorize_particles == 1)
    }

    @Test func renyiELBOOptions() throws {
        try expectDocumented("svi_renyi_elbo_options", [("alpha", "0"), ("num_particles", "2")])
        let o = initialized(svi_renyi_elbo_options(), svi_renyi_elbo_options_init)
        #expect(o.struct_size == UInt32(MemoryLayout<svi_renyi_elbo_options>.stride))
        #expect(o.alpha == 0 && o.num_particles == 2)
    }

    @Test func predictiveOptions() throws {
        try expectDocumented("svi_predictive_options", [("num_samples", "1"), ("num_predictions", "0")])
        let o = initialized(svi_predictive_options(), svi_predictive_options_init)
        #expect(o.struct_size == UInt32(MemoryLayout<svi_predictive_options>.stride))
        #expect(o.num_samples == 1 && o.predict == nil && o.user_data == nil && o.num_predictions == 0)
    }

    @Test func adamWOptions() throws {
        try expectDocumented("svi_adamw_options", [("learning_rate", "0.001"), ("beta1", "0.9"), ("beta2", "0.999"),
                                                   ("epsilon", "1e-8"), ("weight_decay", "0.0001")])
        let o = initialized(svi_adamw_options(), svi_adamw_options_init)
        #expect(o.struct_size == UInt32(MemoryLayout<svi_adamw_options>.stride))
        #expect(o.learning_rate == 0.001 && o.beta1 == 0.9 && o.beta2 == 0.999 && o.epsilon == 1e-8)
        #expect(o.weight_decay == 0.0001)
    }

    @Test func clippedAdamOptions() throws {
        try expectDocumented("svi_clipped_adam_options",
                             [("learning_rate", "0.001"), ("beta1", "0.9"), ("beta2", "0.999"), ("epsilon", "1e-8"),
                              ("clip_norm", "10"), ("lrd", "1"), ("weight_decay", "0")])
        let o = initialized(svi_clipped_adam_options(), svi_clipped_adam_options_init)
        #expect(o.struct_size == UInt32(MemoryLayout<svi_clipped_adam_options>.stride))
        #expect(o.learning_rate == 0.001 && o.beta1 == 0.9 && o.beta2 == 0.999 && o.epsilon == 1e-8)
        #expect(o.clip_norm == 10 && o.lrd == 1 && o.weight_decay == 0)
    }

    @Test func rmsPropOptions() throws {
        try expectDocumented("svi_rmsprop_options", [("learning_rate", "0.01"), ("decay", "0.99"), ("epsilon", "1e-8"),
                                                     ("momentum", "0"), ("centered", "0")])
        let o = initialized(svi_rmsprop_options(), svi_rmsprop_options_init)
        #expect(o.struct_size == UInt32(MemoryLayout<svi_rmsprop_options>.stride))
        #expect(o.learning_rate == 0.01 && o.decay == 0.99 && o.epsilon == 1e-8 && o.momentum == 0 && o.centered == 0)
    }

    @Test func adagradOptions() throws {
        try expectDocumented("svi_adagrad_options", [("learning_rate", "0.01"), ("initial_accumulator_value", "0"),
                                                     ("epsilon", "1e-10")])
        let o = initialized(svi_adagrad_options(), svi_adagrad_options_init)
        #expect(o.struct_size == UInt32(MemoryLayout<svi_adagrad_options>.stride))
        #expect(o.learning_rate == 0.01 && o.initial_accumulator_value == 0 && o.epsilon == 1e-10)
    }

    @Test func schedule() throws {
        try expectDocumented("svi_schedule", [("kind", "0"), ("init_value", "0.001"), ("decay_steps", "1000"),
                                              ("decay_rate", "0.1"), ("staircase", "0"), ("alpha", "0"),
                                              ("num_boundaries", "0"), ("warmup_steps", "0"), ("warmup_init_value", "0")])
        let o = initialized(svi_schedule(), svi_schedule_init)
        #expect(o.struct_size == UInt32(MemoryLayout<svi_schedule>.stride))
        #expect(o.kind == SVI_SCHEDULE_CONSTANT && o.init_value == 0.001 && o.decay_steps == 1000 && o.decay_rate == 0.1)
        #expect(o.staircase == 0 && o.alpha == 0 && o.boundaries == nil && o.values == nil && o.num_boundaries == 0)
        #expect(o.warmup_steps == 0 && o.warmup_init_value == 0)
    }

    @Test func clipOptions() throws {
        try expectDocumented("svi_clip_options", [("max_global_norm", "0"), ("max_value", "0")])
        let o = initialized(svi_clip_options(), svi_clip_options_init)
        #expect(o.struct_size == UInt32(MemoryLayout<svi_clip_options>.stride))
        #expect(o.max_global_norm == 0 && o.max_value == 0)
    }

    @Test("the defaults make working objects")
    func defaultsWork() throws {
        var sgd = svi_sgd_options(), adam = svi_adam_options(), trace = svi_trace_elbo_options()
        expectOK(svi_sgd_options_init(&sgd, UInt32(MemoryLayout<svi_sgd_options>.stride)))
        expectOK(svi_adam_options_init(&adam, UInt32(MemoryLayout<svi_adam_options>.stride)))
        expectOK(svi_trace_elbo_options_init(&trace, UInt32(MemoryLayout<svi_trace_elbo_options>.stride)))
        var handle: UInt64 = 0
        expectOK(svi_optim_new_sgd(&handle, &sgd))
        expectOK(svi_optim_free(handle))
        expectOK(svi_optim_new_adam(&handle, &adam))
        expectOK(svi_optim_free(handle))
        expectOK(svi_elbo_new_trace(&handle, &trace))
        expectOK(svi_elbo_free(handle))
        var adamW = svi_adamw_options(), clippedAdam = svi_clipped_adam_options(), rmsProp = svi_rmsprop_options()
        var adagrad = svi_adagrad_options(), schedule = svi_schedule(), clip = svi_clip_options()
        expectOK(svi_adamw_options_init(&adamW, UInt32(MemoryLayout<svi_adamw_options>.stride)))
        expectOK(svi_clipped_adam_options_init(&clippedAdam, UInt32(MemoryLayout<svi_clipped_adam_options>.stride)))
        expectOK(svi_rmsprop_options_init(&rmsProp, UInt32(MemoryLayout<svi_rmsprop_options>.stride)))
        expectOK(svi_adagrad_options_init(&adagrad, UInt32(MemoryLayout<svi_adagrad_options>.stride)))
        expectOK(svi_schedule_init(&schedule, UInt32(MemoryLayout<svi_schedule>.stride)))
        expectOK(svi_clip_options_init(&clip, UInt32(MemoryLayout<svi_clip_options>.stride)))
        for kind in [SVI_SCHEDULE_CONSTANT, SVI_SCHEDULE_EXPONENTIAL_DECAY, SVI_SCHEDULE_COSINE_DECAY] {
            schedule.kind = kind
            var base: UInt64 = 0, scheduled: UInt64 = 0
            expectOK(svi_optim_new_adagrad(&base, &adagrad))
            expectOK(svi_optim_new_scheduled(&scheduled, base, &schedule))
            expectOK(svi_optim_free(scheduled))
            expectOK(svi_optim_free(base))
        }
        expectOK(svi_optim_new_adamw(&handle, &adamW))
        expectOK(svi_optim_free(handle))
        expectOK(svi_optim_new_clipped_adam(&handle, &clippedAdam))
        expectOK(svi_optim_free(handle))
        expectOK(svi_optim_new_rmsprop(&handle, &rmsProp))
        var clipped: UInt64 = 0
        clip.max_global_norm = 1
        expectOK(svi_optim_new_clipped(&clipped, handle, &clip))
        expectOK(svi_optim_free(clipped))
        expectOK(svi_optim_free(handle))
    }
}
