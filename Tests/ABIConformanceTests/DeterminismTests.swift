import CSwiftVI
import Testing

private func words(_ k: svi_key) -> [UInt32] { [k.data.0, k.data.1] }

/// `count` draws from `generate` with `key`.
private func draws(_ generate: (UnsafeMutablePointer<Double>?, Int, svi_key) -> svi_status,
                   _ count: Int, _ key: svi_key) -> [Double] {
    var out = [Double](repeating: sentinel, count: count)
    expectOK(generate(&out, count, key))
    return out
}

@Suite("Deterministic randomness")
struct DeterminismTests {
    @Test("svi_key_from_seed gives JAX's PRNGKey(seed)")
    func seeds() {
        #expect(words(key(0)) == [0, 0])
        #expect(words(key(42)) == [0, 42])
        #expect(words(key(0xFFFF_FFFF)) == [0, 0xFFFF_FFFF])
        #expect(words(key(1 << 32 | 5)) == [1, 5])
    }

    @Test("svi_key_split of PRNGKey(0) into 2 is JAX's answer")
    func splitMatchesJAX() {
        var keys = [svi_key](repeating: svi_key(), count: 2)
        expectOK(svi_key_split(&keys, 2, key(0)))
        #expect(keys.map(words) == [[4146024105, 967050713], [2718843009, 1272950319]])
    }

    @Test("svi_key_fold_in(PRNGKey(0), 0) is Threefry-2x32-20 of a zero key and counter")
    func foldInMatchesThreefry() {
        var k = svi_key()
        expectOK(svi_key_fold_in(&k, key(0), 0))
        // The Random123 known-answer vector, as JAX's tests use it.
        #expect(words(k) == [0x6B20_0159, 0x99BA_4EFE])
    }

    @Test("split keys differ from each other and from their parent")
    func splitKeysAreDistinct() {
        var keys = [svi_key](repeating: svi_key(), count: 16)
        expectOK(svi_key_split(&keys, 16, key(9)))
        let all = Set(keys.map(words) + [words(key(9))])
        #expect(all.count == 17)
    }

    @Test("draws do not depend on how many are asked for", arguments: [1, 2, 7, 64, 999])
    func prefixes(count: Int) {
        let k = key(77)
        for generate in [svi_random_normal, svi_random_uniform] {
            let long = draws(generate, 1000, k)
            #expect(bits(draws(generate, count, k)) == bits(Array(long[..<count])))
        }
    }

    @Test("the same key gives the same draws on another thread and in any call order")
    func sameKeyEverywhere() {
        let k = key(31337)
        let here = bits(draws(svi_random_normal, 256, k))
        _ = draws(svi_random_normal, 10, key(1))
        #expect(bits(draws(svi_random_normal, 256, k)) == here)
        let there = onThreads([{ @Sendable in
            var out = [Double](repeating: sentinel, count: 256)
            return svi_random_normal(&out, 256, k) == SVI_OK ? bits(out) : []
        }])
        #expect(there[0] == here)
    }

    @Test("uniform draws lie in the open interval (0, 1) and normal draws are standard")
    func ranges() {
        let u = draws(svi_random_uniform, 20000, key(4))
        #expect(u.allSatisfy { $0 > 0 && $0 < 1 })
        let z = draws(svi_random_normal, 20000, key(4))
        let mean = z.reduce(0, +) / Double(z.count)
        let variance = z.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(z.count - 1)
        #expect(abs(mean) < 0.03)
        #expect(abs(variance - 1) < 0.05)
    }

    @Test("svi_svi_step without svi_svi_init starts from PRNGKey(0)")
    func implicitInit() throws {
        let target = GaussianTarget(mean: [2, -1], sd: [1, 3])
        let model = try target.model()
        defer { svi_model_free(model) }
        let implicit = try makeSVI(model)
        let explicit = try makeSVI(model)
        defer { svi_svi_free(implicit); svi_svi_free(explicit) }
        expectOK(svi_svi_init(explicit, key(0)))
        var a = sentinel, b = sentinel
        withExtendedLifetime(target) {
            for _ in 0..<3 {
                expectOK(svi_svi_step(implicit, &a))
                expectOK(svi_svi_step(explicit, &b))
                #expect(a.bitPattern == b.bitPattern)
            }
        }
        #expect(try parameters(implicit).mapValues(bits) == parameters(explicit).mapValues(bits))
    }

    @Test("svi_svi_run equals svi_svi_init followed by as many svi_svi_step calls")
    func runEqualsSteps() throws {
        let target = GaussianTarget(mean: [0.5], sd: [0.1])
        let fitted = try fit(target, steps: 12, seed: 21)
        let model = try target.model()
        defer { svi_model_free(model) }
        let svi = try makeSVI(model)
        defer { svi_svi_free(svi) }
        var losses: [Double] = []
        withExtendedLifetime(target) {
            expectOK(svi_svi_init(svi, key(21)))
            for _ in 0..<12 {
                var loss = sentinel
                expectOK(svi_svi_step(svi, &loss))
                losses.append(loss)
            }
        }
        #expect(bits(losses) == fitted.losses)
        #expect(try parameters(svi).mapValues(bits) == fitted.parameters)
    }
}
