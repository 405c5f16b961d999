import Testing
@testable import SwiftVI

@Suite struct PRNGKeyTests {
    @Test func threefryMatchesPublishedKnownAnswers() {
        // Known-answer vectors of Threefry-2x32-20 from the Random123 distribution.
        #expect(Threefry.hash(0, 0, 0, 0) == (0x6B20_0159, 0x99BA_4EFE))
        #expect(Threefry.hash(0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF) == (0x1CB9_96FC, 0xBB00_2BE7))
        #expect(Threefry.hash(0x1319_8A2E, 0x0370_7344, 0x243F_6A88, 0x85A3_08D3) == (0xC492_3A9C, 0x483D_F7A0))
    }

    @Test func splitMatchesJAX() {
        // jax.random.split(jax.random.PRNGKey(0)) with the original (non-partitionable) Threefry scheme.
        let keys = PRNGKey(seed: 0).split(2)
        #expect(keys[0] == PRNGKey(words: (4_146_024_105, 967_050_713)))
        #expect(keys[1] == PRNGKey(words: (2_718_843_009, 1_272_950_319)))
    }

    @Test func seedsMapToWords() {
        #expect(PRNGKey(seed: 42) == PRNGKey(words: (0, 42)))
        #expect(PRNGKey(seed: 1 << 32 | 7) == PRNGKey(words: (1, 7)))
    }

    @Test func drawsAreCounterBasedAndReproducible() {
        let key = PRNGKey(seed: 3)
        #expect(Array(key.normal(1000).prefix(10)) == key.normal(10))
        #expect(key.uniform(5) == key.uniform(5))
        #expect(key.foldIn(1) != key.foldIn(2))
        #expect(Set(key.split(100)).count == 100)
    }

    @Test func uniformsLieInTheOpenIntervalWithTheRightMoments() {
        let u = PRNGKey(seed: 11).uniform(100_000)
        #expect(u.allSatisfy { $0 > 0 && $0 < 1 })
        let (m, v) = moments(u)
        #expect(abs(m - 0.5) < 5 * (1.0 / 12 / 100_000).squareRoot())
        #expect(abs(v - 1.0 / 12) < 0.002)
    }

    @Test func normalsHaveStandardMoments() {
        let z = PRNGKey(seed: 12).normal(100_000)
        let (m, v) = moments(z)
        #expect(abs(m) < 5 / 100_000.0.squareRoot())
        #expect(abs(v - 1) < 5 * (2.0 / 100_000).squareRoot())
    }

    @Test func resultsDoNotDependOnTheThread() async {
        let key = PRNGKey(seed: 5)
        let serial = (0..<8).map { key.foldIn(UInt32($0)).normal(1000) }
        let parallel = await withTaskGroup(of: (Int, [Double]).self) { group in
            for i in 0..<8 { group.addTask { (i, key.foldIn(UInt32(i)).normal(1000)) } }
            var out = [[Double]](repeating: [], count: 8)
            for await (i, draws) in group { out[i] = draws }
            return out
        }
        #expect(serial == parallel)
    }
}
