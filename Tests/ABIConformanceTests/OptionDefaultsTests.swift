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
    }

    @Test func autoNormalOptions() throws {
        try expectDocumented("svi_auto_normal_options", [("init_scale", "0.1"), ("init_radius", "2")])
        let o = initialized(svi_auto_normal_options(), svi_auto_normal_options_init)
        #expect(o.struct_size == UInt32(MemoryLayout<svi_auto_normal_options>.stride))
        #expect(o.init_scale == 0.1)
        #expect(o.init_radius == 2)
        #expect(o.init_loc == nil)
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
    }
}
