import CSwiftVI
import Foundation
import Testing

@Suite("Threads")
struct ThreadTests {
    @Test("two callback-model fits on two threads at once match the same fits run alone")
    func concurrentFits() throws {
        let steps = 200
        let targets: [(mean: [Double], sd: [Double], seed: UInt64)] = [
            ([1.5, -2, 0.5], [0.5, 1, 2], 100),
            ([-3, 4, 1], [2, 0.25, 1], 101),
        ]
        let alone = try targets.map { try fit(GaussianTarget(mean: $0.mean, sd: $0.sd), steps: steps, seed: $0.seed) }
        #expect(alone[0] != alone[1])

        // Each fit waits in its first callback until the other has started.
        let barrier = Barrier(targets.count)
        let together = onThreads(targets.map { t in
            { @Sendable () -> Result<Fit, any Error> in
                let target = GaussianTarget(mean: t.mean, sd: t.sd)
                target.onFirstCall = barrier.wait
                return Result { try fit(target, steps: steps, seed: t.seed) }
            }
        })
        for (result, expected) in zip(together, alone) {
            #expect(try result.get() == expected)
        }
    }

    @Test("four threads evaluating log_prob on one shared distribution get the serial results")
    func sharedDistribution() throws {
        let batch = 64
        let locs = (0..<batch).map { Double($0) / 8 - 4 }
        let scales = (0..<batch).map { 0.25 + Double($0 % 7) / 4 }
        let dist = try makeDistribution("Normal", [Parameter("loc", locs), Parameter("scale", scales)])
        defer { svi_dist_free(dist) }

        /// Log-densities at the values of `round` for thread `t`, shape [4, batch].
        @Sendable func evaluate(_ t: Int, _ round: Int) -> [UInt64] {
            let values = (0..<(4 * batch)).map { Double(($0 * 31 + t * 17 + round * 7) % 101) / 10 - 5 }
            var out = [Double](repeating: sentinel, count: 4 * batch)
            let status = withArray(values, shape: [4, batch]) { svi_dist_log_prob(dist, $0, &out, out.count) }
            return status == SVI_OK ? bits(out) : []
        }
        let rounds = 150
        let serial = (0..<4).map { t in (0..<rounds).map { evaluate(t, $0) } }
        #expect(serial.allSatisfy { $0.allSatisfy { $0.count == 4 * batch } })
        let barrier = Barrier(4)
        let concurrent = onThreads((0..<4).map { t in
            { @Sendable in
                barrier.wait()
                return (0..<rounds).map { evaluate(t, $0) }
            }
        })
        for t in 0..<4 {
            #expect(concurrent[t] == serial[t], "thread \(t)")
        }
    }

    @Test("four SVIs on four threads sharing one model, guide, optimizer and ELBO match the same fits run alone")
    func sharedParts() throws {
        let dist = try makeDistribution("Normal", [Parameter("loc", [1.5, -2, 0.5]), Parameter("scale", [0.5, 1, 2])])
        defer { svi_dist_free(dist) }
        var distributionModel: svi_model = 0, callbackModel: svi_model = 0
        try ok(svi_model_new_distribution(&distributionModel, "x", dist), "svi_model_new_distribution")
        defer { svi_model_free(distributionModel) }
        // A stateless callback may run on several threads at once.
        let pure: svi_log_density_fn = { _, count, dim, points, outLogDensity, outGradient in
            for s in 0..<count {
                var total = 0.0
                for i in 0..<dim {
                    let z = points![s * dim + i] - Double(i)
                    total -= 0.5 * z * z
                    outGradient?[s * dim + i] = -z
                }
                outLogDensity![s] = total
            }
            return 0
        }
        try withLatentBlock("x", size: 3) { block in
            var options = svi_callback_model_options()
            try ok(svi_callback_model_options_init(&options, UInt32(MemoryLayout<svi_callback_model_options>.stride)),
                   "svi_callback_model_options_init")
            options.latents = block
            options.num_latents = 1
            options.log_density = pure
            try ok(svi_model_new_callback(&callbackModel, &options), "svi_model_new_callback")
        }
        defer { svi_model_free(callbackModel) }

        for model in [distributionModel, callbackModel] {
            let template = try makeSVI(model)
            defer { svi_svi_free(template) }
            var guide: svi_guide = 0, optim: svi_optim = 0, elbo: svi_elbo = 0
            var guideOptions = svi_auto_normal_options(), adamOptions = svi_adam_options(), traceOptions = svi_trace_elbo_options()
            svi_auto_normal_options_init(&guideOptions, UInt32(MemoryLayout<svi_auto_normal_options>.stride))
            svi_adam_options_init(&adamOptions, UInt32(MemoryLayout<svi_adam_options>.stride))
            svi_trace_elbo_options_init(&traceOptions, UInt32(MemoryLayout<svi_trace_elbo_options>.stride))
            adamOptions.learning_rate = 0.05
            traceOptions.num_particles = 4
            try ok(svi_guide_new_auto_normal(&guide, model, &guideOptions), "svi_guide_new_auto_normal")
            try ok(svi_optim_new_adam(&optim, &adamOptions), "svi_optim_new_adam")
            try ok(svi_elbo_new_trace(&elbo, &traceOptions), "svi_elbo_new_trace")
            defer { svi_guide_free(guide); svi_optim_free(optim); svi_elbo_free(elbo) }
            let parts = (model, guide, optim, elbo)

            /// A fit of its own SVI over the shared parts, from `seed`.
            @Sendable func fitShared(_ seed: UInt64) -> Result<Fit, CallFailed> {
                Result {
                    var svi: svi_svi = 0
                    try ok(svi_svi_new(&svi, parts.0, parts.1, parts.2, parts.3), "svi_svi_new")
                    defer { svi_svi_free(svi) }
                    var losses = [Double](repeating: sentinel, count: 150)
                    try ok(svi_svi_run(svi, key(seed), losses.count, &losses, nil, nil), "svi_svi_run")
                    return Fit(losses: bits(losses), parameters: try parameters(svi).mapValues(bits))
                }.mapError { $0 as? CallFailed ?? CallFailed(description: "\($0)") }
            }
            let seeds: [UInt64] = [31, 32, 33, 34]
            let alone = seeds.map(fitShared)
            let barrier = Barrier(seeds.count)
            let together = onThreads(seeds.map { seed in { @Sendable in barrier.wait(); return fitShared(seed) } })
            for (a, b) in zip(alone, together) { #expect(try a.get() == b.get()) }
            #expect(Set(alone.map { try? $0.get().losses }).count == seeds.count, "each seed fits differently")
        }
    }

    @Test("four threads using shared distributions and transforms in every read-only call get the serial results")
    func sharedReadOnlyObjects() throws {
        let mixing = try makeDistribution("Categorical", [Parameter("probs", [0.3, 0.7])])
        let components = try makeDistribution("Normal", [Parameter("loc", [-1, 1]), Parameter("scale", [0.5, 0.8])])
        let normal = try makeDistribution("Normal", [Parameter("loc", [0.2]), Parameter("scale", [1.3])])
        let mvn = try makeDistribution("MultivariateNormal", [Parameter("loc", [0, 1]),
                                                              Parameter("scale_tril", [1, 0, 0.5, 2], shape: [2, 2])])
        var mixture: svi_dist = 0, transform: svi_transform = 0, transformed: svi_dist = 0
        try ok(svi_mixture_same_family_new(&mixture, mixing, components), "svi_mixture_same_family_new")
        try ok(svi_transform_new(&transform, "Sigmoid", nil, 0), "svi_transform_new")
        try ok(svi_transformed_distribution_new(&transformed, normal, transform), "svi_transformed_distribution_new")
        defer {
            [mixing, components, normal, mvn, mixture, transformed].forEach { svi_dist_free($0) }
            svi_transform_free(transform)
        }
        let handles = (mixture: mixture, normal: normal, mvn: mvn, transform: transform, transformed: transformed)

        /// Every read-only call on the shared objects, at points that depend on `t` and `round`.
        @Sendable func evaluate(_ t: Int, _ round: Int) -> [UInt64] {
            let xs = (0..<8).map { Double(($0 * 13 + t * 7 + round * 3) % 41) / 8 - 2.5 }
            var results: [Double] = []
            var statuses: [svi_status] = []
            func collect(_ count: Int, _ call: (UnsafeMutablePointer<Double>) -> svi_status) {
                var out = [Double](repeating: sentinel, count: count)
                statuses.append(out.withUnsafeMutableBufferPointer { call($0.baseAddress!) })
                results += out
            }
            withArray(xs, shape: [8]) { a in
                collect(8) { svi_dist_log_prob(handles.mixture, a, $0, 8) }
                collect(8) { svi_dist_log_prob(handles.normal, a, $0, 8) }
                collect(8) { svi_dist_cdf(handles.normal, a, $0, 8) }
                collect(8) { svi_transform_forward(handles.transform, a, $0, 8) }
                collect(8) { svi_dist_log_prob(handles.transformed, a, $0, 8) }
            }
            withArray(xs, shape: [4, 2]) { a in collect(4) { svi_dist_log_prob(handles.mvn, a, $0, 4) } }
            withArray(xs.map { 1 / (1 + exp(-$0)) }, shape: [8]) { a in
                collect(8) { svi_dist_icdf(handles.normal, a, $0, 8) }
                collect(8) { svi_transform_inverse(handles.transform, a, $0, 8) }
            }
            let k = key(UInt64(t * 1000 + round))
            collect(6) { svi_dist_sample(handles.mvn, k, 1, [3], $0, 6) }
            collect(5) { svi_dist_sample(handles.mixture, k, 1, [5], $0, 5) }
            collect(5) { svi_dist_sample(handles.transformed, k, 1, [5], $0, 5) }
            collect(2) { svi_dist_mean(handles.mvn, $0, 2) }
            collect(1) { svi_dist_entropy(handles.mvn, $0, 1) }
            collect(1) { svi_dist_variance(handles.mixture, $0, 1) }
            collect(1) { svi_kl_divergence(handles.normal, handles.normal, $0, 1) }
            return statuses.allSatisfy { $0 == SVI_OK } ? bits(results) : []
        }
        let rounds = 60
        let serial = (0..<4).map { t in (0..<rounds).map { evaluate(t, $0) } }
        #expect(serial.allSatisfy { $0.allSatisfy { !$0.isEmpty } }, "\(lastError())")
        let barrier = Barrier(4)
        let concurrent = onThreads((0..<4).map { t in
            { @Sendable in
                barrier.wait()
                return (0..<rounds).map { evaluate(t, $0) }
            }
        })
        for t in 0..<4 { #expect(concurrent[t] == serial[t], "thread \(t)") }
    }

    @Test("handles made and freed on four threads at once stay distinct and valid")
    func concurrentHandles() {
        let barrier = Barrier(4)
        let outcomes = onThreads((0..<4).map { t in
            { @Sendable () -> (handles: Set<UInt64>, failures: Int) in
                barrier.wait()
                var handles = Set<UInt64>(), failures = 0
                for i in 0..<300 {
                    let loc = Double(t * 1000 + i)
                    guard let d = try? makeDistribution("Normal", [Parameter("loc", [loc]), Parameter("scale", [1])]) else {
                        failures += 1
                        continue
                    }
                    var mean = sentinel
                    if svi_dist_mean(d, &mean, 1) != SVI_OK || mean != loc { failures += 1 }
                    // Keep every third object alive until the end; free the rest at once.
                    if i % 3 == 0 { handles.insert(d) } else if svi_dist_free(d) != SVI_OK { failures += 1 }
                }
                for d in handles where svi_dist_free(d) != SVI_OK { failures += 1 }
                return (handles, failures)
            }
        })
        #expect(outcomes.map(\.failures) == [0, 0, 0, 0])
        let all = outcomes.map(\.handles)
        #expect(all.reduce(0) { $0 + $1.count } == Set(all.joined()).count, "a handle was issued twice while live")
    }
}
