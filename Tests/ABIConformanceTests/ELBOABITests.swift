import CSwiftVI
import Foundation
import Testing

/// The seed-003 coin as a callback over constrained values, recording what it is called with.
final class CoinCallback: @unchecked Sendable {
    /// Whether each call had a gradient buffer.
    private(set) var gradientBuffers: [Bool] = []
    /// Every value it was called with.
    private(set) var values: [Double] = []
    /// The constrained dimension of each call.
    private(set) var dims: [Int] = []

    var userData: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    /// log p(flips | p) for 2 heads and 3 tails at the first value of each point (the others are ignored).
    static let logDensity: svi_log_density_fn = { user, count, dim, points, outLogDensity, outGradient in
        let me = Unmanaged<CoinCallback>.fromOpaque(user!).takeUnretainedValue()
        me.gradientBuffers.append(outGradient != nil)
        me.dims.append(dim)
        for s in 0..<count {
            let p = points![s * dim]
            me.values += (0..<dim).map { points![s * dim + $0] }
            outLogDensity![s] = 2 * log(p) + 3 * log(1 - p)
            for i in 0..<dim { outGradient?[s * dim + i] = i == 0 ? 2 / p - 3 / (1 - p) : 0 }
        }
        return 0
    }

    /// A callback model over `blocks` (the first block's first value is p).
    func model(_ blocks: [(name: String, size: Int, kind: Int32, lower: Double, upper: Double)],
               hasGradient: Bool = true) -> (status: svi_status, model: svi_model) {
        var options = svi_callback_model_options()
        expectOK(svi_callback_model_options_init(&options, UInt32(MemoryLayout<svi_callback_model_options>.stride)))
        let names = blocks.map { strdup($0.name) }
        defer { names.forEach { free($0) } }
        var latents = zip(blocks, names).map { block, name in
            svi_latent_block(name: name, size: block.size, constraint: block.kind, lower_bound: block.lower,
                             upper_bound: block.upper, kind: svi_block_kind(SVI_BLOCK_LATENT))
        }
        var model: svi_model = 0
        let status = latents.withUnsafeMutableBufferPointer { buffer in
            options.latents = UnsafePointer(buffer.baseAddress)
            options.num_latents = buffer.count
            options.log_density = CoinCallback.logDensity
            options.user_data = userData
            options.has_gradient = hasGradient ? 1 : 0
            return svi_model_new_callback(&model, &options)
        }
        return (status, model)
    }
}

/// A unit-interval block named p.
private let coinBlock = (name: "p", size: 1, kind: Int32(SVI_CONSTRAINT_UNIT_INTERVAL), lower: 0.0, upper: 0.0)

extension CoinCallback {
    /// The coin over the block p and an AutoNormal guide for it, both to be freed by the caller.
    func modelAndGuide() throws -> (model: svi_model, guide: svi_guide) {
        let (status, model) = self.model([coinBlock])
        try ok(status, "svi_model_new_callback")
        var options = svi_auto_normal_options()
        try ok(svi_auto_normal_options_init(&options, UInt32(MemoryLayout<svi_auto_normal_options>.stride)), "init")
        var guide: svi_guide = 0
        try ok(svi_guide_new_auto_normal(&guide, model, &options), "svi_guide_new_auto_normal")
        return (model, guide)
    }
}

/// Calls `body` with the named parameters of a one-coordinate AutoNormal guide of the block p.
private func withCoinParams<R>(loc: Double, scale: Double, _ body: (UnsafePointer<svi_named_array>) -> R) -> R {
    var values = [loc, scale]
    return values.withUnsafeMutableBufferPointer { v in
        "p_auto_loc".withCString { locName in
            "p_auto_scale".withCString { scaleName in
                let params = [svi_named_array(name: locName, value: svi_array(data: v.baseAddress, ndim: 0, shape: nil)),
                              svi_named_array(name: scaleName, value: svi_array(data: v.baseAddress! + 1, ndim: 0, shape: nil))]
                return params.withUnsafeBufferPointer { body($0.baseAddress!) }
            }
        }
    }
}

/// Writes the first value of each sample times 10, then 1 minus it.
private let predictTwo: svi_predict_fn = { _, count, dim, latents, outputs, out in
    guard outputs == 2 else { return 7 }
    for s in 0..<count {
        out![s * 2] = 10 * latents![s * dim]
        out![s * 2 + 1] = 1 - latents![s * dim]
    }
    return 0
}

@Suite("Constrained callback models, ELBOs, predictions and evidence through the header")
struct ELBOABITests {
    @Test func blocksCountValuesAndCoordinates() throws {
        let coin = CoinCallback()
        let (status, model) = coin.model([coinBlock, ("w", 3, Int32(SVI_CONSTRAINT_SIMPLEX), 0, 0),
                                          ("t", 1, Int32(SVI_CONSTRAINT_INTERVAL), -1, 2),
                                          ("L", 4, Int32(SVI_CONSTRAINT_LOWER_CHOLESKY), 0, 0)])
        try ok(status, "svi_model_new_callback")
        defer { svi_model_free(model) }
        var dim = 0, constrained = 0
        expectOK(svi_model_dim(model, &dim))
        expectOK(svi_model_constrained_dim(model, &constrained))
        #expect(dim == 1 + 2 + 1 + 3)
        #expect(constrained == 1 + 3 + 1 + 4)
        expectFailure(svi_model_constrained_dim(model, nil), SVI_E_NULL_POINTER, "svi_model_constrained_dim")
    }

    @Test func blocksThatDoNotFitAreRejected() {
        let coin = CoinCallback()
        for block in [("x", 1, Int32(42), 0.0, 0.0), ("w", 1, Int32(SVI_CONSTRAINT_SIMPLEX), 0, 0),
                      ("t", 1, Int32(SVI_CONSTRAINT_INTERVAL), 2, 1), ("g", 1, Int32(SVI_CONSTRAINT_GREATER_THAN), .infinity, 0),
                      ("C", 3, Int32(SVI_CONSTRAINT_CORR_CHOLESKY), 0, 0)] {
            expectFailure(coin.model([block]).status, SVI_E_INVALID_ARGUMENT, "svi_model_new_callback")
        }
    }

    @Test(arguments: [true, false])
    func aFitSeesConstrainedValuesAndAGradientBufferOnlyWhenDeclared(hasGradient: Bool) throws {
        let coin = CoinCallback()
        let (status, model) = coin.model([coinBlock], hasGradient: hasGradient)
        try ok(status, "svi_model_new_callback")
        defer { svi_model_free(model) }
        let svi = try makeSVI(model, particles: 8, learningRate: 0.01)
        defer { svi_svi_free(svi) }
        var losses = [Double](repeating: sentinel, count: 20)
        expectOK(withExtendedLifetime(coin) { svi_svi_run(svi, key(1), 20, &losses, nil, nil) })
        #expect(losses.allSatisfy { $0.isFinite })
        #expect(coin.gradientBuffers == [Bool](repeating: hasGradient, count: 20))
        #expect(coin.values.allSatisfy { $0 > 0 && $0 < 1 })
    }

    @Test func optionStructsOfTheEarlierLayoutAreRead() throws {
        // svi_callback_model_options before has_gradient, and latent blocks of three fields, 24 bytes apart.
        let oldOptionsSize = MemoryLayout<svi_callback_model_options>.offset(of: \.has_gradient)!
        #expect(oldOptionsSize == 40)
        var options = svi_callback_model_options()
        withUnsafeMutableBytes(of: &options) { $0.initializeMemory(as: UInt8.self, repeating: 0xAB) }
        expectOK(svi_callback_model_options_init(&options, UInt32(oldOptionsSize)))
        #expect(options.has_gradient == Int32(bitPattern: 0xABAB_ABAB))
        let stride = 24
        let blocks = UnsafeMutableRawPointer.allocate(byteCount: 2 * stride, alignment: 8)
        defer { blocks.deallocate() }
        blocks.initializeMemory(as: UInt8.self, repeating: 0xCD, count: 2 * stride)
        let names = [strdup("p"), strdup("w")]
        defer { names.forEach { free($0) } }
        for (i, size) in [1, 2].enumerated() {
            blocks.storeBytes(of: UnsafePointer(names[i]), toByteOffset: i * stride, as: UnsafePointer<CChar>?.self)
            blocks.storeBytes(of: size, toByteOffset: i * stride + 8, as: Int.self)
            blocks.storeBytes(of: Int32(SVI_CONSTRAINT_REAL), toByteOffset: i * stride + 16, as: Int32.self)
        }
        let coin = CoinCallback()
        options.latents = UnsafePointer(blocks.assumingMemoryBound(to: svi_latent_block.self))
        options.num_latents = 2
        options.log_density = CoinCallback.logDensity
        options.user_data = coin.userData
        var model: svi_model = 0
        expectOK(svi_model_new_callback(&model, &options))
        defer { svi_model_free(model) }
        var dim = 0
        expectOK(svi_model_dim(model, &dim))
        #expect(dim == 3)

        var trace = svi_trace_elbo_options()
        let oldTraceSize = MemoryLayout<svi_trace_elbo_options>.offset(of: \.vectorize_particles)!
        expectOK(svi_trace_elbo_options_init(&trace, UInt32(oldTraceSize)))
        trace.vectorize_particles = 12345
        var elbo: svi_elbo = 0
        expectOK(svi_elbo_new_trace(&elbo, &trace))
        expectOK(svi_elbo_free(elbo))
        expectFailure(svi_trace_elbo_options_init(&trace, UInt32(oldTraceSize + 1)), SVI_E_VERSION_MISMATCH,
                      "svi_trace_elbo_options_init")
    }

    @Test func elboConstructors() {
        var renyi = svi_renyi_elbo_options(), trace = svi_trace_elbo_options(), elbo: svi_elbo = 0
        expectOK(svi_renyi_elbo_options_init(&renyi, UInt32(MemoryLayout<svi_renyi_elbo_options>.stride)))
        expectOK(svi_elbo_new_renyi(&elbo, &renyi))
        expectOK(svi_elbo_free(elbo))
        renyi.alpha = 1
        expectFailure(svi_elbo_new_renyi(&elbo, &renyi), SVI_E_INVALID_ARGUMENT, "svi_elbo_new_renyi")
        #expect(lastError().contains("Trace_ELBO"))
        expectFailure(svi_elbo_new_renyi(&elbo, nil), SVI_E_NULL_POINTER, "svi_elbo_new_renyi")
        expectOK(svi_trace_elbo_options_init(&trace, UInt32(MemoryLayout<svi_trace_elbo_options>.stride)))
        expectOK(svi_elbo_new_trace_mean_field(&elbo, &trace))
        expectOK(svi_elbo_free(elbo))
        trace.num_particles = 0
        expectFailure(svi_elbo_new_trace_mean_field(&elbo, &trace), SVI_E_INVALID_ARGUMENT, "svi_elbo_new_trace_mean_field")
    }

    @Test func predictiveWritesConstrainedDrawsAndPredictions() throws {
        let coin = CoinCallback()
        let (model, guide) = try coin.modelAndGuide()
        defer {
            svi_guide_free(guide)
            svi_model_free(model)
        }
        var options = svi_predictive_options()
        expectOK(svi_predictive_options_init(&options, UInt32(MemoryLayout<svi_predictive_options>.stride)))
        options.num_samples = 500
        options.predict = predictTwo
        options.num_predictions = 2
        var latents = [Double](repeating: sentinel, count: 500), predictions = [Double](repeating: sentinel, count: 1000)
        withCoinParams(loc: -0.33, scale: 0.82) { params in
            expectOK(svi_predictive(model, guide, params, 2, key(3), &options, &latents, 500, &predictions, 1000))
            #expect(latents.allSatisfy { $0 > 0 && $0 < 1 })
            #expect(predictions == latents.flatMap { [10 * $0, 1 - $0] }, "the predictions are not the callback's")
            var again = [Double](repeating: sentinel, count: 500), short = [Double](repeating: sentinel, count: 999)
            expectFailure(svi_predictive(model, guide, params, 2, key(3), &options, &again, 500, &short, 999),
                          SVI_E_SHAPE_MISMATCH, "svi_predictive")
            expectFailure(svi_predictive(model, guide, params, 2, key(3), &options, &again, 499, &predictions, 1000),
                          SVI_E_SHAPE_MISMATCH, "svi_predictive")
            #expect(again.allSatisfy { $0.bitPattern == sentinel.bitPattern })
            options.num_predictions = 3
            var three = [Double](repeating: 0, count: 1500)
            expectFailure(svi_predictive(model, guide, params, 2, key(3), &options, &again, 500, &three, 1500),
                          SVI_E_CALLBACK_FAILED, "svi_predictive")
            options.predict = nil
            expectOK(svi_predictive(model, guide, params, 2, key(3), &options, &again, 500, nil, 0))
            #expect(again == latents)
            expectFailure(svi_predictive(model, guide, params, 1, key(3), &options, &again, 500, nil, 0),
                          SVI_E_INVALID_ARGUMENT, "svi_predictive")
            expectFailure(svi_predictive(model, guide, params, 2, key(3), nil, &again, 500, nil, 0),
                          SVI_E_NULL_POINTER, "svi_predictive")
        }
    }

    @Test func evidenceEstimatesOfTheCoin() throws {
        let coin = CoinCallback()
        let (model, guide) = try coin.modelAndGuide()
        defer {
            svi_guide_free(guide)
            svi_model_free(model)
        }
        var evidence = sentinel, evidenceError = sentinel, elbo = sentinel, elboError = sentinel
        withCoinParams(loc: -0.330, scale: 0.817) { params in
            expectOK(svi_log_evidence(model, guide, params, 2, key(1), 100_000, &evidence, &evidenceError))
            expectOK(svi_estimate_elbo(model, guide, params, 2, key(2), 100_000, &elbo, &elboError))
            expectFailure(svi_log_evidence(model, guide, params, 2, key(1), 1, &evidence, &evidenceError),
                          SVI_E_INVALID_ARGUMENT, "svi_log_evidence")
            expectFailure(svi_estimate_elbo(model, guide, params, 2, key(1), 10, nil, &elboError),
                          SVI_E_NULL_POINTER, "svi_estimate_elbo")
        }
        // log B(3, 4) = log(1/60).
        #expect(abs(evidence - log(1.0 / 60)) < max(4 * evidenceError, 0.001))
        #expect(evidenceError > 0 && evidenceError < 0.005)
        #expect(elbo < evidence && elboError > 0)
    }
}
