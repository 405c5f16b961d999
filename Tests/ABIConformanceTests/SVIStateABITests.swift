import CSwiftVI
import Testing

@Suite("SVI state through the header: save, restore, evaluate, stable step")
struct SVIStateABITests {
    /// An SVI fitting a Normal model, stepped `steps` times.
    private func stepped(_ steps: Int) throws -> (svi: svi_svi, dist: svi_dist, model: svi_model) {
        let dist = try makeDistribution("Normal", [Parameter("loc", [0.5, -1]), Parameter("scale", [1, 0.3])])
        var model: svi_model = 0
        try ok(svi_model_new_distribution(&model, "x", dist), "svi_model_new_distribution")
        let svi = try makeSVI(model)
        try ok(svi_svi_init(svi, key(3)), "svi_svi_init")
        var loss = 0.0
        for _ in 0..<steps { try ok(svi_svi_step(svi, &loss), "svi_svi_step") }
        return (svi, dist, model)
    }

    private func saved(_ svi: svi_svi) throws -> [UInt8] {
        var length = 0
        try ok(svi_svi_save(svi, nil, 0, &length), "svi_svi_save")
        var bytes = [UInt8](repeating: 0, count: length)
        try ok(svi_svi_save(svi, &bytes, length, &length), "svi_svi_save")
        return bytes
    }

    @Test func saveReportsItsSizeAndRefusesSmallBuffers() throws {
        let o = try stepped(2)
        defer { svi_svi_free(o.svi); svi_model_free(o.model); svi_dist_free(o.dist) }
        let bytes = try saved(o.svi)
        #expect(bytes.count == 44 + 8 * 4 * 3 + 4)   // 4 parameters (loc, scale × 2), Adam's 2 slots
        var length = 0
        var small = [UInt8](repeating: 0xAB, count: bytes.count - 1)
        expectFailure(svi_svi_save(o.svi, &small, small.count, &length), SVI_E_SHAPE_MISMATCH, "svi_svi_save")
        #expect(length == bytes.count && small.allSatisfy { $0 == 0xAB })
        expectFailure(svi_svi_save(o.svi, nil, 8, &length), SVI_E_NULL_POINTER, "svi_svi_save")
        expectFailure(svi_svi_save(o.svi, &small, small.count, nil), SVI_E_NULL_POINTER, "svi_svi_save")
        expectFailure(svi_svi_restore(o.svi, nil, 4), SVI_E_NULL_POINTER, "svi_svi_restore")
        expectFailure(svi_svi_restore(o.svi, bytes, bytes.count - 1), SVI_E_INVALID_ARGUMENT, "svi_svi_restore")
        #expect(try saved(o.svi) == bytes)
    }

    /// `bytes` with `change` applied to their body and the trailing CRC-32 recomputed.
    private func forged(_ bytes: [UInt8], _ change: (inout [UInt8]) -> Void) -> [UInt8] {
        var body = Array(bytes.dropLast(4))
        change(&body)
        var c: UInt32 = 0xFFFF_FFFF
        for byte in body {
            c ^= UInt32(byte)
            for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        }
        return body + withUnsafeBytes(of: (~c).littleEndian) { Array($0) }
    }

    @Test func restoreRefusesStatesThatCannotBeStepped() throws {
        let o = try stepped(2)
        defer { svi_svi_free(o.svi); svi_model_free(o.model); svi_dist_free(o.dist) }
        let bytes = try saved(o.svi)
        func setDouble(_ value: Double, at index: Int) -> (inout [UInt8]) -> Void {
            { body in body.replaceSubrange(44 + 8 * index ..< 52 + 8 * index, with: withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) }) }
        }
        let cases: [(String, (inout [UInt8]) -> Void)] = [
            ("above 2^53", { body in body.replaceSubrange(20..<28, with: withUnsafeBytes(of: (UInt64(1) << 53 + 1).littleEndian) { Array($0) }) }),
            ("x_auto_scale", setDouble(-1000, at: 2)),   // softplus(-1000) is 0: no Normal has scale 0
            ("inf", setDouble(.infinity, at: 0)),
        ]
        for (mentioned, change) in cases {
            expectFailure(svi_svi_restore(o.svi, forged(bytes, change), bytes.count), SVI_E_INVALID_ARGUMENT, "svi_svi_restore")
            #expect(lastError().contains(mentioned), "\(lastError())")
            #expect(try saved(o.svi) == bytes)
        }
        // The largest step count restores and steps on.
        let late = forged(bytes) { $0.replaceSubrange(20..<28, with: withUnsafeBytes(of: (UInt64(1) << 53).littleEndian) { Array($0) }) }
        expectOK(svi_svi_restore(o.svi, late, late.count))
        var loss = 0.0
        expectOK(svi_svi_step(o.svi, &loss))
    }

    @Test func anUpdateThatOverflowsIsRefused() throws {
        let dist = try makeDistribution("Normal", [Parameter("loc", [100]), Parameter("scale", [1])])
        var model: svi_model = 0
        try ok(svi_model_new_distribution(&model, "x", dist), "svi_model_new_distribution")
        defer { svi_model_free(model); svi_dist_free(dist) }
        var sgdOptions = svi_sgd_options(), guideOptions = svi_auto_normal_options(), traceOptions = svi_trace_elbo_options()
        svi_sgd_options_init(&sgdOptions, UInt32(MemoryLayout<svi_sgd_options>.stride))
        svi_auto_normal_options_init(&guideOptions, UInt32(MemoryLayout<svi_auto_normal_options>.stride))
        svi_trace_elbo_options_init(&traceOptions, UInt32(MemoryLayout<svi_trace_elbo_options>.stride))
        sgdOptions.learning_rate = .greatestFiniteMagnitude
        var guide: svi_guide = 0, optim: svi_optim = 0, elbo: svi_elbo = 0, svi: svi_svi = 0
        try ok(svi_guide_new_auto_normal(&guide, model, &guideOptions), "svi_guide_new_auto_normal")
        try ok(svi_optim_new_sgd(&optim, &sgdOptions), "svi_optim_new_sgd")
        try ok(svi_elbo_new_trace(&elbo, &traceOptions), "svi_elbo_new_trace")
        try ok(svi_svi_new(&svi, model, guide, optim, elbo), "svi_svi_new")
        defer { svi_svi_free(svi); svi_elbo_free(elbo); svi_optim_free(optim); svi_guide_free(guide) }
        try ok(svi_svi_init(svi, key(4)), "svi_svi_init")
        let before = try saved(svi)
        var loss = sentinel
        // The loss and its gradient (about -100 for the loc) are finite; the update is not.
        expectFailure(svi_svi_step(svi, &loss), SVI_E_NUMERICAL, "svi_svi_step")
        #expect(lastError().contains("the update made"), "\(lastError())")
        #expect(try saved(svi) == before)
        var accepted: Int32 = -1
        expectOK(svi_svi_stable_step(svi, &loss, &accepted))
        #expect(accepted == 0 && loss.isFinite)
    }

    @Test func restoreThenStepEqualsTheOriginal() throws {
        let a = try stepped(3), b = try stepped(0)
        defer {
            for o in [a, b] { svi_svi_free(o.svi); svi_model_free(o.model); svi_dist_free(o.dist) }
        }
        try ok(svi_svi_restore(b.svi, try saved(a.svi), try saved(a.svi).count), "svi_svi_restore")
        var evaluated = 0.0, lossA = 0.0, lossB = 0.0, accepted: Int32 = -1
        try ok(svi_svi_evaluate(b.svi, &evaluated), "svi_svi_evaluate")
        try ok(svi_svi_step(a.svi, &lossA), "svi_svi_step")
        try ok(svi_svi_stable_step(b.svi, &lossB, &accepted), "svi_svi_stable_step")
        #expect(lossA.bitPattern == lossB.bitPattern && evaluated.bitPattern == lossA.bitPattern && accepted == 1)
        #expect(try saved(a.svi) == saved(b.svi))
        expectFailure(svi_svi_stable_step(b.svi, &lossB, nil), SVI_E_NULL_POINTER, "svi_svi_stable_step")
        expectFailure(svi_svi_evaluate(b.svi, nil), SVI_E_NULL_POINTER, "svi_svi_evaluate")
    }
}
