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
