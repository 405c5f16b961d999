import RealModule
import Testing
@testable import SwiftVI

/// log |det J| of a square row-major matrix by LU decomposition with partial pivoting.
func logAbsDeterminant(_ matrix: [Double], _ n: Int) -> Double {
    var a = matrix, total = 0.0
    for k in 0..<n {
        let p = (k..<n).max { abs(a[$0 * n + k]) < abs(a[$1 * n + k]) }!
        if p != k { for j in 0..<n { a.swapAt(k * n + j, p * n + j) } }
        let pivot = a[k * n + k]
        total += Double.log(abs(pivot))
        for i in k + 1..<n {
            let f = a[i * n + k] / pivot
            for j in k..<n { a[i * n + j] -= f * a[k * n + j] }
        }
    }
    return total
}

/// The central-difference Jacobian (rows: outputs) of `f` at `x`.
func numericalJacobian(_ x: [Double], step: Double = 1e-6, _ f: ([Double]) throws -> [Double]) rethrows -> [Double] {
    let columns = try x.indices.map { i -> [Double] in
        var plus = x, minus = x
        plus[i] += step
        minus[i] -= step
        return zip(try f(plus), try f(minus)).map { ($0 - $1) / (2 * step) }
    }
    let m = columns.first?.count ?? 0
    return (0..<m).flatMap { r in columns.map { $0[r] } }
}

/// The lower triangle (diagonal included) of an n × n row-major matrix, row by row.
func lowerEntries(_ m: [Double], _ n: Int, strict: Bool = false) -> [Double] {
    (0..<n).flatMap { i in (0..<(strict ? i : i + 1)).map { m[i * n + $0] } }
}

/// The symmetric matrix whose lower triangle is `entries` (row by row).
func symmetric(_ entries: [Double], _ n: Int) -> [Double] {
    var m = [Double](repeating: 0, count: n * n), k = 0
    for i in 0..<n { for j in 0...i { m[i * n + j] = entries[k]; m[j * n + i] = entries[k]; k += 1 } }
    return m
}

/// A transform under test with the coordinates on which its Jacobian is taken:
/// `input` maps intrinsic coordinates to an input tensor of one event, `output`
/// reads the intrinsic coordinates of an output.
struct TransformCase {
    let label: String
    let transform: any Transform
    let input: ([Double]) -> Tensor
    let output: (Tensor) -> [Double]
    /// A point of the domain, in intrinsic coordinates.
    let point: [Double]

    static func vector(_ label: String, _ t: any Transform, _ point: [Double]) -> TransformCase {
        TransformCase(label: label, transform: t, input: { Tensor($0) }, output: \.scalars, point: point)
    }

    static func packed(_ label: String, _ t: any Transform, _ point: [Double], n: Int, strict: Bool = false) -> TransformCase {
        TransformCase(label: label, transform: t, input: { Tensor($0) },
                      output: { lowerEntries($0.scalars, n, strict: strict) }, point: point)
    }

    static func matrix(_ label: String, _ t: any Transform, _ point: [Double], n: Int,
                       input: @escaping ([Double]) -> [Double], output: @escaping ([Double]) -> [Double]) -> TransformCase {
        TransformCase(label: label, transform: t, input: { Tensor(shape: [n, n], scalars: input($0)) },
                      output: { output($0.scalars) }, point: point)
    }
}

/// Lower-triangular n × n from its lower entries (row by row).
func lowerMatrix(_ entries: [Double], _ n: Int) -> [Double] {
    var m = [Double](repeating: 0, count: n * n), k = 0
    for i in 0..<n { for j in 0...i { m[i * n + j] = entries[k]; k += 1 } }
    return m
}

let wiggle = [0.3, -1.1, 0.8, 1.7, -0.4, 0.05]

/// Every transform under test, by label.
func transformCases() -> [TransformCase] {
    let l3 = [1.3, 0, 0, -0.4, 0.7, 0, 0.9, 0.2, 2.1]
    let a = symmetric([2.0, 0.3, 1.5, -0.4, 0.2, 1.8], 3)
    return [
        .vector("identity", IdentityTransform(), Array(wiggle.prefix(4))),
        .vector("exp", ExpTransform(), Array(wiggle.prefix(4))),
        .vector("softplus", SoftplusTransform(), Array(wiggle.prefix(4))),
        .vector("sigmoid", SigmoidTransform(), Array(wiggle.prefix(4))),
        .vector("tanh", TanhTransform(), Array(wiggle.prefix(4))),
        .vector("affine", try! AffineTransform(loc: Tensor([1, -2, 0.5, 3]), scale: Tensor([2, -0.5, 3, 0.1])),
                Array(wiggle.prefix(4))),
        .vector("power", try! PowerTransform(exponent: Tensor([2, -1.5, 0.5, 3])), [0.7, 1.9, 0.2, 1.1]),
        .vector("lower Cholesky affine",
                try! LowerCholeskyAffine(loc: Tensor([1, 2, 3]), scaleTril: Tensor(shape: [3, 3], scalars: l3)),
                Array(wiggle.prefix(3))),
        .packed("fill triangular", FillTriangular(), wiggle, n: 3),
        .packed("fill scale tril", try! FillScaleTriL(), wiggle, n: 3),
        .packed("lower Cholesky", LowerCholeskyTransform(), wiggle, n: 3),
        TransformCase(label: "stick breaking", transform: StickBreakingTransform(), input: { Tensor($0) },
                      output: { Array($0.scalars.dropLast()) }, point: Array(wiggle.prefix(4))),
        .packed("corr Cholesky", CorrCholeskyTransform(), wiggle, n: 4, strict: true),
        .matrix("Cholesky", CholeskyTransform(), lowerEntries(a, 3), n: 3,
                input: { symmetric($0, 3) }, output: { lowerEntries($0, 3) }),
        .matrix("L Lᵀ", CholeskyTransform().inverted, lowerEntries(l3, 3), n: 3,
                input: { lowerMatrix($0, 3) }, output: { lowerEntries($0, 3) }),
        TransformCase(label: "inverse stick breaking", transform: StickBreakingTransform().inverted,
                      input: { Tensor($0 + [1 - $0.reduce(0, +)]) }, output: \.scalars, point: [0.1, 0.3, 0.2, 0.15]),
        .vector("compose exp affine",
                try! ComposeTransform([ExpTransform(), AffineTransform(loc: Tensor(2), scale: Tensor(3))]),
                Array(wiggle.prefix(4))),
        .vector("independent exp", try! IndependentTransform(ExpTransform(), reinterpretedDims: 1), Array(wiggle.prefix(4))),
        .vector("interval", try! bijectTo(.interval(low: Tensor(-1), high: Tensor(4))), Array(wiggle.prefix(4))),
        .packed("positive definite", try! bijectTo(.positiveDefinite), wiggle, n: 3),
        .packed("inverse of inverse", LowerCholeskyTransform().inverted.inverted, wiggle, n: 3),
    ]
}

/// The labels of `transformCases()`, the arguments of the parameterized tests.
let transformCaseLabels = transformCases().map(\.label)

/// The case labelled `label`.
func transformCase(_ label: String) -> TransformCase { transformCases().first { $0.label == label }! }

@Suite struct TransformTests {
    @Test(arguments: transformCaseLabels)
    func inverseUndoesForward(_ label: String) throws {
        let c = transformCase(label)
        let x = c.input(c.point)
        let y = try c.transform.forward(x)
        let back = try c.transform.inverse(y)
        #expect(back.shape == x.shape)
        for (u, v) in zip(back.scalars, x.scalars) { #expect(abs(u - v) <= 1e-10 * max(1, abs(v)), "\(u) vs \(v)") }
        #expect(try c.transform.forwardShape(x.shape) == y.shape)
        #expect(try c.transform.inverseShape(y.shape) == x.shape)
        #expect(c.transform.codomain.check(y).allSatisfy { $0 })
    }

    @Test(arguments: transformCaseLabels)
    func logDeterminantMatchesTheNumericalJacobian(_ label: String) throws {
        let c = transformCase(label)
        let t = c.transform
        let jacobian = try numericalJacobian(c.point) { try c.output(t.forward(c.input($0))) }
        let x = c.input(c.point)
        let analytic = try t.logAbsDetJacobian(x, t.forward(x)).sum().scalars[0]
        let numeric = logAbsDeterminant(jacobian, c.point.count)
        #expect(close(analytic, numeric, relative: 1e-7, absolute: 1e-7), "\(analytic) vs \(numeric)")
    }

    @Test(arguments: transformCaseLabels)
    func gradientsOfForwardInverseAndLogDeterminantMatchFiniteDifferences(_ label: String) throws {
        let c = transformCase(label)
        let t = c.transform, x = c.input(c.point)
        let y = try t.forward(x)
        let w = Tensor(shape: y.shape, scalars: (0..<y.count).map { 1 + 0.37 * Double($0 % 5) })
        let v = Tensor(shape: x.shape, scalars: (0..<x.count).map { 0.5 - 0.21 * Double($0 % 4) })
        #expect(try gradientMatches(at: x) { try (t.forward($0) * w).sum() })
        #expect(try gradientMatches(at: x) { try t.logAbsDetJacobian($0, t.forward($0)).sum() })
        #expect(try gradientMatches(at: y, tolerance: 1e-5) { try (t.inverse($0) * v).sum() })
    }

    @Test(arguments: transformCaseLabels)
    func batchesAreTransformedEventByEvent(_ label: String) throws {
        let c = transformCase(label)
        let t = c.transform
        let events = [c.point, c.point.map { $0 * 0.9 }, c.point.map { $0 * 1.1 }].map(c.input)
        let eventShape = events[0].shape
        let batch = Tensor(shape: [3] + eventShape, scalars: events.flatMap(\.scalars))
        let y = try t.forward(batch), ld = try t.logAbsDetJacobian(batch, y)
        for (k, e) in events.enumerated() {
            let ye = try t.forward(e), lde = try t.logAbsDetJacobian(e, ye)
            #expect(ld.shape == [3] + lde.shape)
            #expect(Array(y.scalars[k * ye.count..<(k + 1) * ye.count]) == ye.scalars)
            #expect(Array(ld.scalars[k * lde.count..<(k + 1) * lde.count]) == lde.scalars)
        }
    }
}

@Suite struct TransformDetailTests {
    @Test func fillTriangularUsesTheRowMajorOrder() throws {
        let y = try FillTriangular().forward(Tensor([1, 2, 3, 4, 5, 6]))
        #expect(y.shape == [3, 3] && y.scalars == [1, 0, 0, 2, 3, 0, 4, 5, 6])
        let l = try LowerCholeskyTransform().forward(Tensor([1, 2, 3, 0, 0, 0]))
        #expect(l.scalars == [1, 0, 0, 1, 1, 0, 2, 3, 1])
        let s = try FillScaleTriL().forward(Tensor([0, 2, 0]))
        #expect(close(s.scalars[0], Double.log(2) + 1e-5, relative: 1e-15) && s.scalars[2] == 2)
    }

    @Test func stickBreakingIsBalancedAndStableAtExtremes() throws {
        let t = StickBreakingTransform()
        let uniform = try t.forward(Tensor([0, 0, 0, 0]))
        for p in uniform.scalars { #expect(close(p, 0.2, relative: 1e-15)) }
        let extremes = Tensor(shape: [5, 4], scalars: [700, 700, 700, 700, -700, -700, -700, -700,
                                                       700, -700, 700, -700, -700, 700, -700, 700, 0, 700, -700, 0])
        let y = try t.forward(extremes)
        #expect(!y.scalars.contains { $0.isNaN })
        #expect(Constraint.simplex.check(y).allSatisfy { $0 })
        #expect(try t.logAbsDetJacobian(extremes, y).scalars.allSatisfy(\.isFinite))
    }

    @Test func sigmoidAndTanhStayInTheirCodomainsAtExtremes() throws {
        let x = Tensor([-700, -40, 40, 700, -1e308, 1e308])
        for t in [SigmoidTransform(), TanhTransform()] as [any Transform] {
            let y = try t.forward(x)
            #expect(!y.scalars.contains { $0.isNaN })
            #expect(t.codomain.check(y).allSatisfy { $0 })
            #expect(try t.logAbsDetJacobian(x, y).scalars.allSatisfy { !$0.isNaN })
        }
        // The log-derivative at moderate extremes: log σ'(x) ≈ -|x| and log(1 - tanh²x) ≈ 2 log 2 - 2|x|.
        let ld = try SigmoidTransform().logAbsDetJacobian(Tensor([-700, 700]), Tensor([0, 1])).scalars
        #expect(close(ld[0], -700, relative: 1e-12) && close(ld[1], -700, relative: 1e-12))
        let lt = try TanhTransform().logAbsDetJacobian(Tensor(700), Tensor(1)).scalars[0]
        #expect(close(lt, 2 * Double.log(2) - 1400, relative: 1e-12))
    }

    @Test func corrCholeskyStaysACorrelationFactorAtExtremes() throws {
        let t = CorrCholeskyTransform()
        let x = Tensor(shape: [3, 6], scalars: [700, -700, 700, 700, -700, 700, 40, 40, 40, 40, 40, 40,
                                                -700, 0, 700, 1, -700, 3])
        let y = try t.forward(x)
        #expect(!y.scalars.contains { $0.isNaN })
        #expect(Constraint.corrCholesky.check(y) == [true, true, true])
        #expect(try t.logAbsDetJacobian(x, y).scalars.allSatisfy(\.isFinite))
        // K = 2: L = [[1, 0], [tanh x, sech x]].
        let two = try t.forward(Tensor([0.4])).scalars
        #expect(close(two[2], Double.tanh(0.4), relative: 1e-15) && close(two[3], 1 / Double.cosh(0.4), relative: 1e-15))
    }

    @Test func affineWithABoundedDomainStaysInsideItsImage() throws {
        for (c, lowEnd) in [(Constraint.greaterThan(Tensor(1)), true), (.lessThan(Tensor(-3)), false)] {
            let t = try bijectTo(c)
            let y = try t.forward(Tensor([-700, -40, 0, 700]))
            #expect(c.check(y).allSatisfy { $0 }, "\(c.name): \(y.scalars)")
            #expect(y.scalars[0] == (lowEnd ? 1.0.nextUp : (-3.0).nextDown))
        }
        let interval = Constraint.interval(low: Tensor(0.1), high: Tensor(0.7))
        let y = try bijectTo(interval).forward(Tensor([-700, 700, 40]))
        #expect(interval.check(y).allSatisfy { $0 } && y.scalars[1] == 0.7)
        #expect(try AffineTransform(loc: Tensor(2), scale: Tensor(-1), domain: .positive).codomain.check(Tensor([1.9, 2])) == [true, false])
    }

    @Test func parametersAreCheckedAndShapesReported() {
        #expect(throws: SVIError.self) { try AffineTransform(loc: Tensor(0), scale: Tensor(0)) }
        #expect(throws: SVIError.self) { try AffineTransform(loc: Tensor(.nan), scale: Tensor(1)) }
        #expect(throws: SVIError.self) { try AffineTransform(loc: Tensor([0, 0]), scale: Tensor([1, 1, 1])) }
        #expect(throws: SVIError.self) { try AffineTransform(loc: Tensor(0), scale: Tensor([1, -1]), domain: .positive) }
        #expect(throws: SVIError.self) { try AffineTransform(loc: Tensor(0), scale: Tensor(1), domain: .simplex) }
        #expect(throws: SVIError.self) { try PowerTransform(exponent: Tensor(0)) }
        #expect(throws: SVIError.self) { try FillScaleTriL(diagShift: -1) }
        #expect(throws: SVIError.self) { try ComposeTransform([]) }
        #expect(throws: SVIError.self) { try IndependentTransform(ExpTransform(), reinterpretedDims: -1) }
        #expect(throws: SVIError.self) {
            try LowerCholeskyAffine(loc: Tensor([0, 0]), scaleTril: Tensor(shape: [2, 2], scalars: [1, 1, 0, 1]))
        }
        #expect(throws: SVIError.self) {
            try LowerCholeskyAffine(loc: Tensor([0, 0, 0]), scaleTril: Tensor(shape: [2, 2], scalars: [1, 0, 0, 1]))
        }
        #expect(throws: SVIError.shapeMismatch("FillTriangular: the last dimension 5 is not n(n+1)/2 for any n")) {
            try FillTriangular().forward(Tensor([1, 2, 3, 4, 5]))
        }
        #expect(throws: SVIError.self) { try CorrCholeskyTransform().forward(Tensor([1, 2])) }
        #expect(throws: SVIError.self) { try CorrCholeskyTransform().inverse(Tensor(shape: [2, 3], scalars: [0, 0, 0, 0, 0, 0])) }
        #expect(throws: SVIError.self) { try StickBreakingTransform().forward(Tensor(1)) }
        #expect(throws: SVIError.self) { try AffineTransform(loc: Tensor([1, 2]), scale: Tensor(1)).forward(Tensor([1, 2, 3])) }
        let affine = try! LowerCholeskyAffine(loc: Tensor([0, 0]), scaleTril: Tensor(shape: [2, 2], scalars: [1, 0, 0, 1]))
        #expect(throws: SVIError.self) { try affine.forward(Tensor([1, 2, 3])) }
        #expect(throws: SVIError.notImplemented("bijectTo: boolean is a discrete constraint; no bijection from the reals reaches it")) {
            try bijectTo(.boolean)
        }
        #expect(throws: SVIError.self) { try bijectTo(.integerInterval(low: Tensor(0), high: Tensor(3))) }
        #expect(throws: SVIError.self) { try bijectTo(.interval(low: Tensor(1), high: Tensor(1))) }
        #expect(throws: SVIError.self) { try bijectTo(.greaterThan(Tensor(.infinity))) }
    }

    @Test func shapesThroughMatrixTransforms() throws {
        #expect(try FillTriangular().forwardShape([4, 10]) == [4, 4, 4])
        #expect(try FillTriangular().inverseShape([2, 4, 4]) == [2, 10])
        #expect(try CorrCholeskyTransform().forwardShape([3]) == [3, 3])
        #expect(try CorrCholeskyTransform().forwardShape([0]) == [1, 1])
        #expect(try StickBreakingTransform().forwardShape([7, 2]) == [7, 3])
        #expect(try bijectTo(.positiveDefinite).forwardShape([5, 6]) == [5, 3, 3])
        #expect(try bijectTo(.positiveDefinite).domain.eventDim == 1)
        #expect(try AffineTransform(loc: Tensor([1, 2]), scale: Tensor(1)).forwardShape([3, 1]) == [3, 2])
        let composed = try ComposeTransform([ExpTransform(), StickBreakingTransform()])
        #expect(composed.domain.eventDim == 1 && composed.codomain.eventDim == 1)
        let x = Tensor(shape: [2, 3], scalars: wiggle)
        // Exp contributes Σ x over the event, stick-breaking its own log-determinant at exp(x).
        let expected = try StickBreakingTransform().logAbsDetJacobian(x.exp(), composed.forward(x)) + x.sum(alongAxis: -1)
        let ld = try composed.logAbsDetJacobian(x, composed.forward(x))
        #expect(ld.shape == [2] && zip(ld.scalars, expected.scalars).allSatisfy { close($0, $1, relative: 1e-14) })
    }

    @Test func equalityByKindAndParameters() throws {
        let a = try AffineTransform(loc: Tensor(1), scale: Tensor(2))
        #expect(a.isEqual(to: try AffineTransform(loc: Tensor(1), scale: Tensor(2))))
        #expect(!a.isEqual(to: try AffineTransform(loc: Tensor(1), scale: Tensor(3))))
        #expect(!a.isEqual(to: ExpTransform()))
        #expect(ExpTransform().isEqual(to: ExpTransform()))
        #expect(ExpTransform().inverted.isEqual(to: ExpTransform().inverted))
        #expect(!ExpTransform().inverted.isEqual(to: ExpTransform()))
        #expect(try bijectTo(.simplex).isEqual(to: StickBreakingTransform()))
        #expect(try bijectTo(.interval(low: Tensor(0), high: Tensor(2)))
            .isEqual(to: try bijectTo(.interval(low: Tensor(0), high: Tensor(2)))))
        #expect(try !bijectTo(.interval(low: Tensor(0), high: Tensor(2)))
            .isEqual(to: try bijectTo(.interval(low: Tensor(0), high: Tensor(3)))))
        #expect(try FillScaleTriL(diagShift: 1e-3).isEqual(to: FillScaleTriL(diagShift: 1e-3)))
        #expect(try !FillScaleTriL(diagShift: 1e-3).isEqual(to: FillScaleTriL()))
    }

    @Test func gradientsFlowToParameters() throws {
        let x = Tensor([0.3, -1.2, 0.8])
        #expect(try gradientMatches(at: Tensor([1, -2, 0.5])) { loc in
            try AffineTransform(loc: loc, scale: Tensor([2, -0.5, 3])).forward(x).squared().sum()
        })
        #expect(try gradientMatches(at: Tensor([2, -0.5, 3])) { scale in
            let t = try AffineTransform(loc: Tensor(1), scale: scale)
            return try t.forward(x).squared().sum() + t.logAbsDetJacobian(x, t.forward(x)).sum()
                + (t.inverse(x) * Tensor([1, 2, 3])).sum()
        })
        let positive = Tensor([0.3, 1.2, 0.8])
        #expect(try gradientMatches(at: Tensor([2, -1.5, 0.5])) { p in
            let t = try PowerTransform(exponent: p)
            return try (t.forward(positive) * Tensor([1, 2, 3])).sum() + t.logAbsDetJacobian(positive, t.forward(positive)).sum()
                + (t.inverse(positive) * Tensor([0.5, -1, 2])).sum()
        })
        // The scale matrix as an image of unconstrained reals, and the location.
        let v = Tensor(shape: [2, 3], scalars: wiggle)
        #expect(try gradientMatches(at: Tensor(wiggle)) { packed in
            let t = try LowerCholeskyAffine(loc: Tensor([0.5, -1, 2]), scaleTril: LowerCholeskyTransform().forward(packed))
            return try (t.forward(v) * Tensor([1, 2, 3])).sum() + t.logAbsDetJacobian(v, t.forward(v)).sum()
                + (t.inverse(v) * Tensor([0.5, -1, 2])).sum()
        })
        let l = Tensor(shape: [3, 3], scalars: [1.3, 0, 0, -0.4, 0.7, 0, 0.9, 0.2, 2.1])
        #expect(try gradientMatches(at: Tensor([0.5, -1, 2])) { loc in
            let t = try LowerCholeskyAffine(loc: loc, scaleTril: l)
            return try (t.forward(v).squared()).sum() + (t.inverse(v) * Tensor([0.5, -1, 2])).sum()
        })
    }

    @Test func scatteringAndDiagonalAreDifferentiable() {
        let x = Tensor([0.3, -1.2, 2.0])
        #expect(gradientMatches(at: x) { ($0.scattering([4, 0, 2], shape: [2, 3]) * Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])).sum() })
        #expect(x.scattering([4, 0, 2], shape: [2, 3]).scalars == [-1.2, 0, 2.0, 0, 0.3, 0])
        let m = Tensor(shape: [2, 2, 2], scalars: [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(m.diagonal().scalars == [1, 4, 5, 8])
        #expect(gradientMatches(at: m) { ($0.diagonal() * Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])).sum() })
    }
}

@Suite struct BijectToTests {
    /// `count` unconstrained vectors of length `width`: normal draws at scales from
    /// 0.1 to 1000 (capped at ±700), with every tenth coordinate exactly ±700.
    func unconstrained(_ count: Int, _ width: Int, seed: UInt64, limit: Double = 700) -> Tensor {
        let keys = PRNGKey(seed: seed).split(3)
        let z = keys[0].normal(count * width), u = keys[1].uniform(count * width), e = keys[2].uniform(count * width)
        let values = (0..<count * width).map { i -> Double in
            if e[i] < 0.1 { return e[i] < 0.05 ? -limit : limit }
            return min(max(z[i] * Double.pow(10, -1 + 4 * u[i]), -limit), limit)
        }
        return Tensor(shape: [count, width], scalars: values)
    }

    /// Names of the constraints `bijectTo` reaches (positive definite is tested apart).
    static let targets: [String] = [
        "real", "real_vector", "positive", "nonnegative", "greater_than", "less_than", "unit_interval", "interval",
        "simplex", "lower_triangular", "lower_cholesky", "corr_cholesky", "independent",
    ]

    /// The constraint named `name` and the width of the unconstrained rows fed to its bijection.
    func target(_ name: String) -> (Constraint, width: Int) {
        switch name {
        case "real": (.real, 1)
        case "real_vector": (.realVector, 4)
        case "positive": (.positive, 1)
        case "nonnegative": (.nonnegative, 1)
        case "greater_than": (.greaterThan(Tensor([-2.5, 0.1, 3])), 3)
        case "less_than": (.lessThan(Tensor([-2.5, 0.1, 3])), 3)
        case "unit_interval": (.unitInterval, 1)
        case "interval": (.interval(low: Tensor([-1, 0.1, 1e3]), high: Tensor([2, 0.7, 1e3 + 1e-3])), 3)
        case "simplex": (.simplex, 5)
        case "lower_triangular": (.lowerTriangular, 6)
        case "lower_cholesky": (.lowerCholesky, 10)
        case "corr_cholesky": (.corrCholesky, 10)
        default: (.independent(.greaterThan(Tensor(1)), reinterpretedDims: 1), 3)
        }
    }

    @Test(arguments: targets)
    func landsInsideTheConstraintForExtremeInputs(_ name: String) throws {
        let (constraint, width) = target(name)
        let t = try bijectTo(constraint)
        let count = (10_000 + width - 1) / width  // at least 10⁴ unconstrained values
        let input = unconstrained(count, width, seed: 11)
        let y = try t.forward(input)
        #expect(!y.scalars.contains { $0.isNaN })
        let inside = constraint.check(y)
        #expect(inside.count >= count)
        #expect(inside.allSatisfy { $0 }, "\(inside.filter { !$0 }.count) values of \(name) fell outside")
        #expect(try t.logAbsDetJacobian(input, y).scalars.allSatisfy { !$0.isNaN })
    }

    @Test func positiveDefiniteWithinTheWellConditionedRange() throws {
        // L Lᵀ with diagonal exp(±700) has condition number e^2800: no floating-point check can
        // confirm it is positive definite, so the inputs here stay within ±4.
        let t = try bijectTo(.positiveDefinite)
        let x = unconstrained(2_000, 6, seed: 12, limit: 4)
        #expect(Constraint.positiveDefinite.check(try t.forward(x)).allSatisfy { $0 })
        // Round trips of standard normal inputs.
        let z = Tensor(shape: [2_000, 6], scalars: PRNGKey(seed: 14).normal(12_000))
        let back = try t.inverse(t.forward(z))
        let worst = zip(back.scalars, z.scalars).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-10, "\(worst)")
    }

    @Test func roundTripsOfRandomInputs() throws {
        for name in Self.targets {
            // The narrow interval of `target` (width 1e-3 at 1e3) is ill-conditioned: its
            // round trip loses about 1e-13 · 1e3 / 1e-3; a well-scaled one is used here.
            let (constraint, width) = name == "interval"
                ? (.interval(low: Tensor([-1, 0.1, -5]), high: Tensor([2, 0.7, 5])), 3) : target(name)
            let t = try bijectTo(constraint)
            let x = Tensor(shape: [500, width], scalars: PRNGKey(seed: 13).normal(500 * width).map { 2 * $0 })
            let back = try t.inverse(t.forward(x))
            let worst = zip(back.scalars, x.scalars).map { abs($0 - $1) / max(1, abs($1)) }.max()!
            #expect(worst <= 1e-10, "\(name): \(worst)")
        }
    }
}
