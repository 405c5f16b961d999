import RealModule
import Testing
@testable import SwiftVI

/// Runs `optimizer` from `start` through the gradients of `gradients` (one array per step) and returns every iterate.
private func iterates(_ optimizer: any Optimizer, from start: [Double], _ gradients: [[Double]]) -> [[Double]] {
    var x = start, state = optimizer.initialState(parameterCount: start.count)
    return gradients.map { g in
        optimizer.update(&x, gradient: g, state: &state)
        return x
    }
}

/// Whether two lists of iterates agree elementwise to `relative` error.
private func agree(_ a: [[Double]], _ b: [[Double]], relative: Double = 1e-13) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { x, y in
        x.count == y.count && zip(x, y).allSatisfy { close($0, $1, relative: relative, absolute: 1e-15) }
    }
}

private let start = [1.0, -2.0, 0.5]
private let gradients: [[Double]] = [[2, -0.5, 30], [-1, 0.25, -20], [0.5, 4, 0], [3, -3, 12]]

/// Each reference below transcribes the published pseudo-code (PyTorch's docs,
/// Pyro's source) step by step, per element, in its own form.
@Suite struct OptimizerRuleTests {
    @Test func adamWIsPyTorchsAlgorithm() throws {
        let (lr, b1, b2, eps, wd) = (0.1, 0.8, 0.99, 1e-6, 0.05)
        var reference: [[Double]] = []
        var theta = start, m = [0.0, 0, 0], v = [0.0, 0, 0]
        for (t, g) in gradients.enumerated().map({ ($0.offset + 1, $0.element) }) {
            for i in 0..<3 {
                theta[i] = theta[i] * (1 - lr * wd)                       // θ ← θ − γλθ
                m[i] = b1 * m[i] + (1 - b1) * g[i]
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                let mHat = m[i] / (1 - Double.pow(b1, Double(t))), vHat = v[i] / (1 - Double.pow(b2, Double(t)))
                theta[i] = theta[i] - lr * mHat / (vHat.squareRoot() + eps)
            }
            reference.append(theta)
        }
        let adamW = try AdamW(learningRate: .constant(lr), beta1: b1, beta2: b2, epsilon: eps, weightDecay: wd)
        #expect(agree(iterates(adamW, from: start, gradients), reference))
    }

    @Test func clippedAdamIsPyros() throws {
        let (lr, b1, b2, eps, clip, lrd, wd) = (0.05, 0.9, 0.999, 1e-8, 5.0, 0.9, 0.1)
        var reference: [[Double]] = []
        var theta = start, m = [0.0, 0, 0], v = [0.0, 0, 0], groupLR = lr
        for (t, g) in gradients.enumerated().map({ ($0.offset + 1, $0.element) }) {
            groupLR *= lrd                                                // group["lr"] *= group["lrd"]
            for i in 0..<3 {
                var grad = Swift.min(Swift.max(g[i], -clip), clip)       // grad.clamp_(-clip_norm, clip_norm)
                grad += wd * theta[i]                                    // grad.add(p, alpha=weight_decay)
                m[i] = m[i] * b1 + (1 - b1) * grad
                v[i] = v[i] * b2 + (1 - b2) * grad * grad
                let denom = v[i].squareRoot() + eps
                let stepSize = groupLR * (1 - Double.pow(b2, Double(t))).squareRoot() / (1 - Double.pow(b1, Double(t)))
                theta[i] -= stepSize * m[i] / denom
            }
            reference.append(theta)
        }
        let optimizer = try ClippedAdam(learningRate: .constant(lr), beta1: b1, beta2: b2, epsilon: eps,
                                        clipNorm: clip, lrd: lrd, weightDecay: wd)
        #expect(agree(iterates(optimizer, from: start, gradients), reference))
    }

    @Test(arguments: [(0.0, false), (0.0, true), (0.7, false), (0.7, true)])
    func rmsPropIsPyTorchs(momentum: Double, centered: Bool) throws {
        let (lr, alpha, eps) = (0.01, 0.9, 1e-8)
        var reference: [[Double]] = []
        var theta = start, squareAvg = [0.0, 0, 0], gradAvg = [0.0, 0, 0], buffer = [0.0, 0, 0]
        for g in gradients {
            for i in 0..<3 {
                squareAvg[i] = alpha * squareAvg[i] + (1 - alpha) * g[i] * g[i]
                var vTilde = squareAvg[i]
                if centered {
                    gradAvg[i] = alpha * gradAvg[i] + (1 - alpha) * g[i]
                    vTilde = vTilde - gradAvg[i] * gradAvg[i]
                }
                if momentum > 0 {
                    buffer[i] = momentum * buffer[i] + g[i] / (vTilde.squareRoot() + eps)
                    theta[i] = theta[i] - lr * buffer[i]
                } else {
                    theta[i] = theta[i] - lr * g[i] / (vTilde.squareRoot() + eps)
                }
            }
            reference.append(theta)
        }
        let optimizer = try RMSProp(learningRate: .constant(lr), decay: alpha, epsilon: eps, momentum: momentum, centered: centered)
        #expect(agree(iterates(optimizer, from: start, gradients), reference))
    }

    @Test func rmsPropFirstStepByHand() throws {
        // v = 0.01·g², so θ moves by lr·g/(0.1|g| + ε) ≈ 10·lr·sign(g).
        let optimizer = try RMSProp(learningRate: .constant(0.01), epsilon: 1e-12)
        #expect(agree(iterates(optimizer, from: [0, 0], [[4, -0.25]]), [[-0.1, 0.1]], relative: 1e-10))
    }

    @Test func adagradIsPyTorchs() throws {
        let (lr, initial, eps) = (0.1, 0.25, 1e-10)
        var reference: [[Double]] = []
        var theta = start, stateSum = [initial, initial, initial]
        for g in gradients {
            for i in 0..<3 {
                stateSum[i] = stateSum[i] + g[i] * g[i]
                theta[i] = theta[i] - lr * g[i] / (stateSum[i].squareRoot() + eps)
            }
            reference.append(theta)
        }
        let optimizer = try Adagrad(learningRate: .constant(lr), initialAccumulatorValue: initial, epsilon: eps)
        #expect(agree(iterates(optimizer, from: start, gradients), reference))
        // From a zero accumulator the first step is lr·sign(g), up to ε.
        #expect(agree(iterates(try Adagrad(learningRate: .constant(lr)), from: [0, 0], [[3, -7]]), [[-0.1, 0.1]],
                      relative: 1e-9))
    }

    @Test func gradientClippingByGlobalNormAndByValue() throws {
        let sgd = try SGD(learningRate: .constant(1))
        // ‖(3, 4)‖ = 5 > 1: scaled to (0.6, 0.8); below the bound nothing changes.
        #expect(agree(iterates(try GradientClipping(sgd, maxGlobalNorm: 1), from: [0, 0], [[3, 4], [0.3, 0.4]]),
                      [[-0.6, -0.8], [-0.9, -1.2]]))
        // Value clipping first (to (2, −1, 2)), then the norm (3 > 1.5, so halved).
        #expect(agree(iterates(try GradientClipping(sgd, maxGlobalNorm: 1.5, maxValue: 2), from: [0, 0, 0], [[7, -1, 2]]),
                      [[-1, 0.5, -1]]))
        // The wrapped optimizer's state is its own: Adam behind clipping equals Adam on clipped gradients.
        let adam = try Adam(learningRate: .constant(0.1))
        #expect(agree(iterates(try GradientClipping(adam, maxValue: 1), from: start, gradients),
                      iterates(adam, from: start, gradients.map { $0.map { Swift.min(Swift.max($0, -1), 1) } })))
    }

    @Test func aScheduleSetsEachStepsLearningRate() throws {
        // SGD moves by η(n)·g, η taken at n = updates before the step: 0.1, 0.1, 0.1, 0.01.
        let schedule = Schedule.piecewiseConstant(boundaries: [2], values: [0.1, 0.01])
        let xs = iterates(try SGD(learningRate: schedule), from: [0], Array(repeating: [1], count: 4))
        #expect(agree(xs, [[-0.1], [-0.2], [-0.3], [-0.31]]))
        // Replacing the learning rate keeps everything else, through clipping too.
        let clipped = try GradientClipping(Adagrad(learningRate: .constant(1)), maxValue: 2)
        let rescheduled = try clipped.withLearningRate(schedule)
        #expect(rescheduled.maxValue == 2 && rescheduled.learningRate == schedule)
        #expect((rescheduled.base as? Adagrad)?.learningRate == schedule)
    }

    @Test func everyOptimizerMinimizesAQuadratic() throws {
        let optimizers: [any Optimizer] = [
            try AdamW(learningRate: .constant(0.05), weightDecay: 0),
            try ClippedAdam(learningRate: .constant(0.05), clipNorm: 1),
            try RMSProp(learningRate: .constant(0.01)),
            try RMSProp(learningRate: .constant(0.001), momentum: 0.9, centered: true),
            try Adagrad(learningRate: .constant(0.5)),
            try GradientClipping(SGD(learningRate: .constant(0.1)), maxGlobalNorm: 1),
            try Adam(learningRate: .exponentialDecay(initValue: 0.1, decaySteps: 1000, decayRate: 0.1)),
            try SGD(learningRate: .linearWarmup(initValue: 0, warmupSteps: 100, then: .cosineDecay(initValue: 0.1, decaySteps: 3000))),
        ]
        for optimizer in optimizers {
            var x = [3.0, -4.0], state = optimizer.initialState(parameterCount: 2)
            for _ in 0..<4000 { optimizer.update(&x, gradient: [2 * (x[0] - 1), 2 * (x[1] + 2)], state: &state) }
            #expect(abs(x[0] - 1) < 1e-3 && abs(x[1] + 2) < 1e-3, "\(optimizer) ended at \(x)")
        }
    }

    @Test func badSettingsAreRejectedNamingTheOptimizer() {
        #expect(throws: SVIError.invalidArgument("AdamW: weight_decay must be non-negative and finite; got -1.0")) {
            try AdamW(learningRate: 0.1, weightDecay: -1)
        }
        #expect(throws: SVIError.invalidArgument("AdamW: beta2 must be in [0, 1); got 1.0")) {
            try AdamW(learningRate: 0.1, beta2: 1)
        }
        #expect(throws: SVIError.self) { try ClippedAdam(learningRate: 0.1, clipNorm: 0) }
        #expect(throws: SVIError.self) { try ClippedAdam(learningRate: 0.1, lrd: .infinity) }
        #expect(throws: SVIError.self) { try RMSProp(learningRate: 0.1, decay: 1) }
        #expect(throws: SVIError.self) { try RMSProp(learningRate: 0.1, momentum: -0.1) }
        #expect(throws: SVIError.self) { try Adagrad(learningRate: 0.1, initialAccumulatorValue: -1) }
        #expect(throws: SVIError.self) { try Adagrad(learningRate: 0.1, epsilon: 0) }
        #expect(throws: SVIError.self) { try GradientClipping(SGD(learningRate: 0.1)) }
        #expect(throws: SVIError.self) { try GradientClipping(SGD(learningRate: 0.1), maxGlobalNorm: -1) }
        #expect(throws: SVIError.invalidArgument("RMSProp: learning rate must be positive and finite; got nan")) {
            try RMSProp(learningRate: .constant(.nan))
        }
    }
}
