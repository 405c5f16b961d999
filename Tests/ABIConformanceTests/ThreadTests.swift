import CSwiftVI
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
