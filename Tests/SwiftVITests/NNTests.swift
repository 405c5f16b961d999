import RealModule
import SwiftVI
import Testing

@Suite struct NNTests {
    /// A fixed, irregular cotangent so that gradients of a weighted sum test every output.
    private func weights(_ n: Int) -> Tensor {
        Tensor((0..<n).map { (i: Int) -> Double in 0.3 + 0.17 * Double(i % 7) - 0.05 * Double(i) })
    }

    @Test func reluMatchesFiniteDifferencesAwayFromZero() throws {
        let x = Tensor([-1.3, 0.4, 2.2, -0.1, 0.7])
        #expect(x.relu().scalars == [0, 0.4, 2.2, 0, 0.7])
        #expect(gradientMatches(at: x) { ($0.relu() * Tensor([1, 2, 3, 4, 5])).sum() })
    }

    @Test func denseGradientsWithRespectToParametersAndInputsMatchFiniteDifferences() throws {
        let dense = try Dense(inputs: 3, outputs: 4, initializer: .glorotUniform)
        let parameters = Tensor(dense.initialParameters(key: PRNGKey(seed: 1)).enumerated().map { $1 + 0.01 * Double($0) })
        let input = Tensor(shape: [2, 5, 3], scalars: PRNGKey(seed: 2).normal(30))
        let w = weights(40).reshaped([2, 5, 4])
        #expect(try dense(input, parameters: parameters).shape == [2, 5, 4])
        #expect(try gradientMatches(at: parameters) { try (dense(input, parameters: $0) * w).sum() })
        #expect(try gradientMatches(at: input) { try (dense($0, parameters: parameters) * w).sum() })
    }

    @Test func denseComputesTheAffineMapWrittenOut() throws {
        let dense = try Dense(inputs: 2, outputs: 2)
        // weight [[1, 2], [3, 4]] (inputs × outputs), bias [0.5, -0.5]
        let y = try dense(Tensor([1, -1]), parameters: Tensor([1, 2, 3, 4, 0.5, -0.5]))
        let expected: [Double] = [1 - 3 + 0.5, 2 - 4 - 0.5]
        #expect(y.scalars == expected)
    }

    @Test(arguments: Activation.allCases)
    func mlpParameterGradientsMatchFiniteDifferences(activation: Activation) throws {
        let mlp = try MLP(sizes: [2, 5, 4, 3], activation: activation)
        let parameters = Tensor(mlp.initialParameters(key: PRNGKey(seed: 3)))
        let input = Tensor(shape: [3, 4, 2], scalars: PRNGKey(seed: 4).normal(24))
        let w = weights(36).reshaped([3, 4, 3])
        #expect(try mlp(input, parameters: parameters).shape == [3, 4, 3])
        #expect(try gradientMatches(at: parameters, tolerance: 1e-5) { try (mlp(input, parameters: $0) * w).sum() })
    }

    @Test func mlpNamesItsParametersByLayer() throws {
        let mlp = try MLP(sizes: [2, 32, 2])
        #expect(mlp.parameterTree.leaves.map(\.name) == ["layer0.weight", "layer0.bias", "layer1.weight", "layer1.bias"])
        #expect(mlp.parameterTree.count == 2 * 32 + 32 + 32 * 2 + 2)
        let flat = mlp.initialParameters(key: PRNGKey(seed: 0))
        let named = try mlp.parameterTree.named(flat)
        #expect(named["layer0.bias"]! == [Double](repeating: 0, count: 32))
        #expect(try mlp.parameterTree.flat(named) == flat)
    }

    @Test func parameterTreeRejectsRepeatedNamesAndWrongLengths() throws {
        #expect(throws: SVIError.self) { try ParameterTree([("a", [2]), ("a", [3])]) }
        let tree = try ParameterTree(children: [("enc", ParameterTree([("w", [2, 2])])), ("dec", ParameterTree([("w", [3])]))])
        #expect(tree.leaves.map(\.name) == ["enc.w", "dec.w"])
        #expect(try tree.segment("dec", of: Tensor([0, 1, 2, 3, 4, 5, 6])).scalars == [4, 5, 6])
        #expect(throws: SVIError.self) { try tree.value("enc.w", in: Tensor([1, 2])) }
        #expect(throws: SVIError.self) { try tree.leaf("nope") }
    }

    /// Each initializer's draws have the variance it promises (within 5
    /// standard errors of 10⁴ draws) and uniform ones stay inside their limit.
    @Test(arguments: Initializer.allCases.filter { $0 != .zeros })
    func initializersHaveTheirStatedVariance(initializer: Initializer) throws {
        let (fanIn, fanOut, n) = (30, 50, 10_000)
        let values = initializer.values(count: n, fanIn: fanIn, fanOut: fanOut, key: PRNGKey(seed: 9))
        let expected: Double = switch initializer {
        case .glorotUniform, .glorotNormal: 2.0 / Double(fanIn + fanOut)
        case .heUniform, .heNormal: 2.0 / Double(fanIn)
        case .lecunUniform, .lecunNormal: 1.0 / Double(fanIn)
        case .zeros: 0
        }
        let secondMoment = values.reduce(0) { $0 + $1 * $1 } / Double(n)
        let fourth = values.reduce(0) { $0 + $1 * $1 * $1 * $1 } / Double(n)
        let standardError = ((fourth - secondMoment * secondMoment) / Double(n)).squareRoot()
        #expect(abs(secondMoment - expected) < 5 * standardError)
        if [.glorotUniform, .heUniform, .lecunUniform].contains(initializer) {
            #expect(values.allSatisfy { abs($0) <= (3 * expected).squareRoot() })
        }
    }
}
