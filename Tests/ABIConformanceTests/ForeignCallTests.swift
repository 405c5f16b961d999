import CSwiftVI
import Foundation
import Testing

private func arg<T: BitwiseCopyable>(_ value: T) -> ForeignArgument { ForeignArgument(value) }

/// Memory at a stable address for the out-arguments of foreign calls.
private final class Out<T> {
    let pointer: UnsafeMutablePointer<T>
    let count: Int

    init(repeating value: T, count: Int = 1) {
        pointer = .allocate(capacity: count)
        pointer.initialize(repeating: value, count: count)
        self.count = count
    }

    deinit { pointer.deinitialize(count: count).deallocate() }

    var value: T {
        get { pointer.pointee }
        set { pointer.pointee = newValue }
    }
    var values: [T] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}

/// svi_dist_new through libffi.
private func foreignDistribution(_ lib: ForeignLibrary, _ family: String, _ params: [Parameter]) throws -> svi_dist {
    let out = Out<svi_dist>(repeating: sentinelHandle)
    let status = try family.withCString { f in
        try withNamedArrays(params) { p, n in
            try lib.status("svi_dist_new", [.pointer, .pointer, .pointer, .size], [arg(out.pointer), arg(f), arg(p), arg(n)])
        }
    }
    try ok(status, "svi_dist_new through libffi")
    return out.value
}

/// svi_key_from_seed through libffi.
private func foreignKey(_ lib: ForeignLibrary, _ seed: UInt64) throws -> svi_key {
    let k = Out(repeating: svi_key(data: (0xAAAA, 0xBBBB)))
    try ok(lib.status("svi_key_from_seed", [.pointer, .uint64], [arg(k.pointer), arg(seed)]), "svi_key_from_seed through libffi")
    return k.value
}

/// An options struct filled by its *_init through libffi.
private func foreignOptions<T>(_ lib: ForeignLibrary, _ function: String, _ empty: T) throws -> Out<T> {
    let o = Out(repeating: empty)
    try ok(lib.status(function, [.pointer, .uint32], [arg(o.pointer), arg(UInt32(MemoryLayout<T>.stride))]), function)
    return o
}

/// Makes an object through libffi with `function(out, arguments…)`.
private func foreignNew(_ lib: ForeignLibrary, _ function: String, _ types: [ForeignType],
                        _ arguments: [ForeignArgument]) throws -> UInt64 {
    let out = Out<UInt64>(repeating: sentinelHandle)
    try ok(lib.status(function, [.pointer] + types, [arg(out.pointer)] + arguments), function)
    return out.value
}

private let normalParams = [Parameter("loc", [0.5, -1, 2]), Parameter("scale", [1, 0.3, 2.5])]

@Suite("Calls through dlopen and libffi agree with the header")
struct ForeignCallTests {
    @Test func versions() throws {
        let lib = try ForeignLibrary()
        let abi = UInt32(truncatingIfNeeded: try lib.function("svi_abi_version", returns: .uint32, []).call([]))
        #expect(abi == svi_abi_version())
        #expect(abi == UInt32(SVI_ABI_VERSION))
        let version = try lib.function("svi_version_string", returns: .pointer, []).call([])
        let text = String(cString: try #require(UnsafePointer<CChar>(bitPattern: UInt(version))))
        #expect(text == String(cString: svi_version_string()))
        #expect(text.wholeMatch(of: /\d+\.\d+\.\d+/) != nil)
    }

    @Test("svi_dist_log_prob with svi_array passed by value")
    func logProb() throws {
        let lib = try ForeignLibrary()
        let foreign = try foreignDistribution(lib, "Normal", normalParams)
        let direct = try makeDistribution("Normal", normalParams)
        defer { svi_dist_free(direct) }
        let values: [Double] = [0.1, -0.7, 3.5, -2, 0, 2]
        let out = Out(repeating: sentinel, count: 6)
        var viaHeader = [Double](repeating: sentinel, count: 6)
        let status = try withArray(values, shape: [2, 3]) { a in
            try lib.status("svi_dist_log_prob", [.uint64, .array, .pointer, .size], [arg(foreign), arg(a), arg(out.pointer), arg(6)])
        }
        expectOK(status)
        expectOK(withArray(values, shape: [2, 3]) { svi_dist_log_prob(direct, $0, &viaHeader, 6) })
        let viaFFI = out.values
        #expect(bits(viaFFI) == bits(viaHeader))
        for (i, x) in values.enumerated() {
            let m = normalParams[0].values[i % 3], s = normalParams[1].values[i % 3]
            let expected = -0.5 * ((x - m) / s) * ((x - m) / s) - log(s) - 0.5 * log(2 * Double.pi)
            #expect(abs(viaFFI[i] - expected) <= 1e-14 * max(1, abs(expected)))
        }
        expectOK(try lib.status("svi_dist_free", [.uint64], [arg(foreign)]))
    }

    @Test("svi_key_from_seed and svi_random_normal with svi_key passed by value")
    func randomNormal() throws {
        let lib = try ForeignLibrary()
        let foreign = try foreignKey(lib, 20240917)
        let direct = key(20240917)
        #expect([foreign.data.0, foreign.data.1] == [direct.data.0, direct.data.1])
        let out = Out(repeating: sentinel, count: 64)
        var viaHeader = [Double](repeating: sentinel, count: 64)
        expectOK(try lib.status("svi_random_normal", [.pointer, .size, .key], [arg(out.pointer), arg(64), arg(foreign)]))
        expectOK(svi_random_normal(&viaHeader, 64, direct))
        let viaFFI = out.values
        #expect(bits(viaFFI) == bits(viaHeader))
        #expect(Set(viaFFI).count == 64)
    }

    @Test func klDivergence() throws {
        let lib = try ForeignLibrary()
        let qParams = [Parameter("loc", [0]), Parameter("scale", [1.5])]
        let p = try foreignDistribution(lib, "Normal", normalParams)
        let q = try foreignDistribution(lib, "Normal", qParams)
        let directP = try makeDistribution("Normal", normalParams)
        let directQ = try makeDistribution("Normal", qParams)
        defer { svi_dist_free(directP); svi_dist_free(directQ) }
        let out = Out(repeating: sentinel, count: 3)
        var viaHeader = [Double](repeating: sentinel, count: 3)
        expectOK(try lib.status("svi_kl_divergence", [.uint64, .uint64, .pointer, .size], [arg(p), arg(q), arg(out.pointer), arg(3)]))
        expectOK(svi_kl_divergence(directP, directQ, &viaHeader, 3))
        let viaFFI = out.values
        #expect(bits(viaFFI) == bits(viaHeader))
        for i in 0..<3 {
            let m = normalParams[0].values[i], s = normalParams[1].values[i]
            let expected = log(1.5 / s) + (s * s + m * m) / (2 * 1.5 * 1.5) - 0.5
            #expect(abs(viaFFI[i] - expected) <= 1e-14 * max(1, abs(expected)))
        }
        for d in [p, q] { expectOK(try lib.status("svi_dist_free", [.uint64], [arg(d)])) }
    }

    @Test("a short SVI fit through libffi is bit-identical to the same fit through the header")
    func sviRun() throws {
        let steps = 25
        let lib = try ForeignLibrary()

        let dist = try foreignDistribution(lib, "Normal", normalParams)
        let model = try "x".withCString { site in
            try foreignNew(lib, "svi_model_new_distribution", [.pointer, .uint64], [arg(site), arg(dist)])
        }
        let guideOptions = try foreignOptions(lib, "svi_auto_normal_options_init", svi_auto_normal_options())
        let guide = try foreignNew(lib, "svi_guide_new_auto_normal", [.uint64, .pointer], [arg(model), arg(guideOptions.pointer)])
        let adamOptions = try foreignOptions(lib, "svi_adam_options_init", svi_adam_options())
        adamOptions.value.learning_rate = 0.05
        let optim = try foreignNew(lib, "svi_optim_new_adam", [.pointer], [arg(adamOptions.pointer)])
        let elboOptions = try foreignOptions(lib, "svi_trace_elbo_options_init", svi_trace_elbo_options())
        elboOptions.value.num_particles = 4
        let elbo = try foreignNew(lib, "svi_elbo_new_trace", [.pointer], [arg(elboOptions.pointer)])
        let svi = try foreignNew(lib, "svi_svi_new", [.uint64, .uint64, .uint64, .uint64],
                                 [arg(model), arg(guide), arg(optim), arg(elbo)])
        let lossesOut = Out(repeating: sentinel, count: steps)
        let noCallback: UnsafeMutableRawPointer? = nil
        expectOK(try lib.status("svi_svi_run", [.uint64, .key, .size, .pointer, .pointer, .pointer],
                                [arg(svi), arg(try foreignKey(lib, 3)), arg(steps), arg(lossesOut.pointer), arg(noCallback), arg(noCallback)]))
        let losses = lossesOut.values
        var foreignParams: [String: [Double]] = [:]
        for name in ["x_auto_loc", "x_auto_scale"] {
            let value = Out(repeating: sentinel, count: 3)
            expectOK(try name.withCString { n in
                try lib.status("svi_svi_get_param", [.uint64, .pointer, .pointer, .size], [arg(svi), arg(n), arg(value.pointer), arg(3)])
            })
            foreignParams[name] = value.values
        }
        for (function, handle) in [("svi_svi_free", svi), ("svi_elbo_free", elbo), ("svi_optim_free", optim),
                                   ("svi_guide_free", guide), ("svi_model_free", model), ("svi_dist_free", dist)] {
            expectOK(try lib.status(function, [.uint64], [arg(handle)]))
        }

        let directDist = try makeDistribution("Normal", normalParams)
        var directModel: svi_model = 0
        try ok(svi_model_new_distribution(&directModel, "x", directDist), "svi_model_new_distribution")
        defer { svi_model_free(directModel); svi_dist_free(directDist) }
        let directSVI = try makeSVI(directModel)
        defer { svi_svi_free(directSVI) }
        var directLosses = [Double](repeating: sentinel, count: steps)
        expectOK(svi_svi_run(directSVI, key(3), steps, &directLosses, nil, nil))

        #expect(losses.allSatisfy { $0.isFinite })
        #expect(bits(losses) == bits(directLosses))
        #expect(try parameters(directSVI).mapValues(bits) == foreignParams.mapValues(bits))
    }
}
