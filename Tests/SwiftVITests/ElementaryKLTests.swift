import RealModule
import Testing
@testable import SwiftVI

/// A KL pair: parameters of p then q, and how to build each from scalar tensors.
struct ElementaryKLCase: Sendable, CustomTestStringConvertible {
    let name: String
    let parameters: [Double]
    let split: Int
    let makeP: @Sendable ([Tensor]) throws -> any Distribution
    let makeQ: @Sendable ([Tensor]) throws -> any Distribution
    let sameFamily: Bool

    var testDescription: String { name }

    func pair(_ theta: [Tensor]) throws -> (any Distribution, any Distribution) {
        (try makeP(Array(theta[..<split])), try makeQ(Array(theta[split...])))
    }
}

let elementaryKLCases: [ElementaryKLCase] = [
    ElementaryKLCase(name: "LogNormal ‖ LogNormal", parameters: [0.3, 0.6, -0.2, 0.9], split: 2,
                     makeP: { try LogNormal(loc: $0[0], scale: $0[1]) }, makeQ: { try LogNormal(loc: $0[0], scale: $0[1]) },
                     sameFamily: true),
    ElementaryKLCase(name: "HalfNormal ‖ HalfNormal", parameters: [0.7, 1.9], split: 1,
                     makeP: { try HalfNormal(scale: $0[0]) }, makeQ: { try HalfNormal(scale: $0[0]) }, sameFamily: true),
    ElementaryKLCase(name: "Laplace ‖ Laplace", parameters: [0.4, 1.5, -1, 0.8], split: 2,
                     makeP: { try Laplace(loc: $0[0], scale: $0[1]) }, makeQ: { try Laplace(loc: $0[0], scale: $0[1]) },
                     sameFamily: true),
    ElementaryKLCase(name: "Uniform ‖ Uniform", parameters: [-0.5, 1.2, -1, 2], split: 2,
                     makeP: { try Uniform(low: $0[0], high: $0[1]) }, makeQ: { try Uniform(low: $0[0], high: $0[1]) },
                     sameFamily: true),
    ElementaryKLCase(name: "Uniform ‖ Normal", parameters: [-0.5, 1.2, 0.3, 0.8], split: 2,
                     makeP: { try Uniform(low: $0[0], high: $0[1]) }, makeQ: { try Normal(loc: $0[0], scale: $0[1]) },
                     sameFamily: false),
    ElementaryKLCase(name: "Cauchy ‖ Cauchy", parameters: [0.4, 1.5, -1, 0.6], split: 2,
                     makeP: { try Cauchy(loc: $0[0], scale: $0[1]) }, makeQ: { try Cauchy(loc: $0[0], scale: $0[1]) },
                     sameFamily: true),
]

@Suite struct ElementaryKLTests {
    @Test(arguments: elementaryKLCases)
    func analyticKLAgreesWithMonteCarloAndIsZeroAtItself(_ c: ElementaryKLCase) throws {
        let (p, q) = try c.pair(c.parameters.map { Tensor($0) })
        let exact = try klDivergence(p, q).scalars[0]
        let mc = try klMonteCarlo(p, q, numSamples: 200_000, key: PRNGKey(seed: 21))
        // Plus the rounding of a 200 000-term mean, for pairs (Uniform ‖ Uniform) whose log-ratio is constant.
        let tolerance = 4 * mc.standardError.scalars[0] + 1e-10 * abs(exact)
        #expect(abs(mc.estimate.scalars[0] - exact) < tolerance, "\(c.name): \(exact) vs \(mc)")
        if c.sameFamily { #expect(try klDivergence(p, p).scalars[0] == 0) }
    }

    @Test(arguments: elementaryKLCases)
    func gradientsMatchFiniteDifferences(_ c: ElementaryKLCase) throws {
        #expect(try gradientMatches(at: Tensor(c.parameters)) { t in
            let (p, q) = try c.pair((0..<t.count).map { t.gathering([$0], shape: []) })
            return try klDivergence(p, q).sum()
        })
    }

    @Test func closedFormsMatchQuadrature() throws {
        let pairs: [(any Distribution, any Distribution, Double, Double)] = [
            (try HalfNormal(scale: 0.7), try HalfNormal(scale: 1.9), 0, 30),
            (try Uniform(low: -0.5, high: 1.2), try Normal(loc: 0.3, scale: 0.8), -0.5, 1.2),
            (try Uniform(low: -0.5, high: 1.2), try Uniform(low: -1, high: 2), -0.5, 1.2),
            (try LogNormal(loc: 0.3, scale: 0.6), try LogNormal(loc: -0.2, scale: 0.9), 0, 200),
        ]
        for (p, q, low, high) in pairs {
            let quadrature = try klQuadrature(p, q, low: low, high: high, numPoints: 32_000).scalars[0]
            #expect(close(try klDivergence(p, q).scalars[0], quadrature, relative: 1e-10), "\(p.familyName) ‖ \(q.familyName)")
        }
    }

    @Test func uniformKLIsInfiniteWhenPReachesOutsideQ() throws {
        let p = try Uniform(low: Tensor([0, -1, 0.5]), high: Tensor([1, 0.5, 3]))
        let q = try Uniform(low: -0.5, high: 2)
        #expect(try klDivergence(p, q).scalars[0] == Double.log(2.5))
        #expect(try klDivergence(p, q).scalars[1...] == [.infinity, .infinity])
    }

    @Test func batchesBroadcast() throws {
        let p = try Laplace(loc: Tensor(shape: [2, 1], scalars: [0, 1]), scale: Tensor([1, 2, 3]))
        let q = try Laplace(loc: 0.5, scale: 1.5)
        let kl = try klDivergence(p, q)
        #expect(kl.shape == [2, 3])
        let single = try klDivergence(Laplace(loc: 1, scale: 3), q).scalars[0]
        #expect(close(kl.scalars[5], single, relative: 1e-15))
    }
}
