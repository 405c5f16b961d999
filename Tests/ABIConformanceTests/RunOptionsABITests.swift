import CSwiftVI
import Foundation
import Testing

/// log N(z; m, 1) + log N(m; 2, 1) over rows (z, m): the latent z and the
/// model parameter m, whose ELBO optimum is m = 2 with q(z) = N(2, 1).
private let shiftedTarget: svi_log_density_fn = { _, count, dim, points, outLogDensity, outGradient in
    guard dim == 2 else { return 1 }
    for s in 0..<count {
        let z = points![2 * s], m = points![2 * s + 1]
        outLogDensity![s] = -0.5 * (z - m) * (z - m) - 0.5 * (m - 2) * (m - 2)
        outGradient?[2 * s] = m - z
        outGradient?[2 * s + 1] = (z - m) - (m - 2)
    }
    return 0
}

/// A callback model of `shiftedTarget` whose blocks z (latent) and m (of
/// `kind`) lie `stride` bytes apart, read through options of `optionsSize`
/// bytes with `latent_block_size` `blockSize`.
private func shiftedModel(kind: Int32 = SVI_BLOCK_PARAMETER, stride: Int = MemoryLayout<svi_latent_block>.stride,
                          optionsSize: Int = MemoryLayout<svi_callback_model_options>.stride,
                          blockSize: Int = MemoryLayout<svi_latent_block>.stride) -> (svi_status, svi_model) {
    var options = svi_callback_model_options()
    expectOK(svi_callback_model_options_init(&options, UInt32(optionsSize)))
    if optionsSize == MemoryLayout<svi_callback_model_options>.stride { options.latent_block_size = blockSize }
    let blocks = UnsafeMutableRawPointer.allocate(byteCount: 2 * stride, alignment: 8)
    defer { blocks.deallocate() }
    blocks.initializeMemory(as: UInt8.self, repeating: 0, count: 2 * stride)
    let names = [strdup("z"), strdup("m")]
    defer { names.forEach { free($0) } }
    for i in 0..<2 {
        var block = svi_latent_block(name: UnsafePointer(names[i]), size: 1, constraint: svi_constraint_kind(SVI_CONSTRAINT_REAL),
                                     lower_bound: 0, upper_bound: 0, kind: i == 0 ? svi_block_kind(SVI_BLOCK_LATENT) : kind)
        withUnsafeBytes(of: &block) { (blocks + i * stride).copyMemory(from: $0.baseAddress!, byteCount: min(stride, $0.count)) }
    }
    options.latents = UnsafePointer(blocks.assumingMemoryBound(to: svi_latent_block.self))
    options.num_latents = 2
    options.log_density = shiftedTarget
    var model: svi_model = 0
    let status = svi_model_new_callback(&model, &options)
    return (status, model)
}

@Suite("Parameter blocks and runs with options through the header")
struct RunOptionsABITests {
    @Test func aParameterBlockIsSeenByTheCallbackAndLearnedWithTheGuide() throws {
        let (status, model) = shiftedModel()
        expectOK(status)
        defer { svi_model_free(model) }
        var dim = 0, constrained = 0
        expectOK(svi_model_dim(model, &dim))
        expectOK(svi_model_constrained_dim(model, &constrained))
        #expect(dim == 1 && constrained == 1)
        let svi = try makeSVI(model, particles: 8, learningRate: 0.05)
        defer { svi_svi_free(svi) }
        expectOK(svi_svi_init(svi, key(1)))
        let initial = try parameters(svi)
        #expect(Set(initial.keys) == ["z_auto_loc", "z_auto_scale", "m"] && initial["m"] == [0])
        var losses = [Double](repeating: 0, count: 1500)
        expectOK(svi_svi_run(svi, key(1), 1500, &losses, nil, nil))
        let fitted = try parameters(svi)
        #expect(abs(fitted["m"]![0] - 2) < 0.15 && abs(fitted["z_auto_loc"]![0] - 2) < 0.3)
        var ndim = 0, shape = [Int](repeating: 0, count: 2)
        expectOK(svi_svi_param_shape(svi, "m", &shape, 2, &ndim))
        #expect(ndim == 1 && shape[0] == 1)
    }

    @Test func blocksOfTheLayoutBeforeTheirKindAreLatent() {
        // Options before latent_block_size: blocks of five fields, all latent.
        let (status, model) = shiftedModel(stride: MemoryLayout<svi_latent_block>.offset(of: \.kind)!,
                                           optionsSize: MemoryLayout<svi_callback_model_options>.offset(of: \.latent_block_size)!)
        expectOK(status)
        defer { svi_model_free(model) }
        var dim = 0
        expectOK(svi_model_dim(model, &dim))
        #expect(dim == 2)
    }

    @Test func badBlockKindsAndSizesAreRejected() {
        let (unknownKind, _) = shiftedModel(kind: 7)
        expectFailure(unknownKind, SVI_E_INVALID_ARGUMENT, "svi_model_new_callback")
        #expect(lastError().contains("unknown block kind 7"))
        let (badSize, _) = shiftedModel(blockSize: 12)
        expectFailure(badSize, SVI_E_INVALID_ARGUMENT, "svi_model_new_callback")
        #expect(lastError().contains("latent_block_size 12"))
    }

    @Test("a stable run skips the steps whose callback fails and goes on; a plain one stops")
    func stableRun() throws {
        for fault in [GaussianTarget.Fault.fails(-1), .nanDensity] {
            let target = GaussianTarget(mean: [3], sd: [0.25])
            target.fault = fault
            target.faultFromCall = 5
            let model = try target.model()
            defer { svi_model_free(model) }
            let svi = try makeSVI(model)
            defer { svi_svi_free(svi) }
            var options = svi_run_options()
            expectOK(svi_run_options_init(&options, UInt32(MemoryLayout<svi_run_options>.stride)))
            options.stable = 1
            var losses = [Double](repeating: sentinel, count: 10), count = 0
            withExtendedLifetime(target) {
                expectOK(svi_svi_run_with_options(svi, key(2), 10, &losses, &count, &options))
            }
            var steps = 0
            expectOK(svi_svi_num_steps(svi, &steps))
            #expect(count == 10 && steps == 4 && target.calls == 10)
            let good = try fit(GaussianTarget(mean: [3], sd: [0.25]), steps: 4, seed: 2)
            #expect(bits(Array(losses[..<4])) == good.losses)
            #expect(losses[4...].allSatisfy { $0.isNaN })
            #expect(try parameters(svi).mapValues(bits) == good.parameters)
        }
    }

    @Test func runWithoutOptionsIsThePlainRun() throws {
        let target = GaussianTarget(mean: [3], sd: [0.25])
        target.fault = .fails(-1)
        target.faultFromCall = 5
        let model = try target.model()
        defer { svi_model_free(model) }
        let svi = try makeSVI(model)
        defer { svi_svi_free(svi) }
        var losses = [Double](repeating: sentinel, count: 10), count = 99
        withExtendedLifetime(target) {
            expectFailure(svi_svi_run_with_options(svi, key(2), 10, &losses, &count, nil), SVI_E_CALLBACK_FAILED,
                          "svi_svi_run_with_options")
        }
        #expect(count == 4)
        expectFailure(svi_svi_run_with_options(svi, key(2), 10, &losses, nil, nil), SVI_E_NULL_POINTER,
                      "svi_svi_run_with_options")
    }
}
