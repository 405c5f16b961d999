import RealModule
import Testing
@testable import SwiftVI

@Suite struct SpecialFunctionTests {
    @Test func normalQuantileInvertsTheCDF() {
        for p in [1e-300, 1e-20, 1e-8, 0.001, 0.02, 0.3, 0.5, 0.7, 0.975, 0.999, 1 - 1e-12] {
            #expect(close(standardNormalCDF(standardNormalQuantile(p)), p, relative: 1e-13))
        }
        #expect(standardNormalQuantile(0) == -.infinity)
        #expect(standardNormalQuantile(1) == .infinity)
        #expect(standardNormalQuantile(1.5).isNaN)
    }

    @Test func normalQuantileKnownValues() {
        // Φ⁻¹(0.975) and Φ⁻¹(0.8413447460685429) = 1 to double precision.
        #expect(close(standardNormalQuantile(0.975), 1.959963984540054, relative: 1e-15))
        #expect(close(standardNormalQuantile(standardNormalCDF(1)), 1, relative: 1e-14))
    }

    @Test func logSpaceHelpers() {
        #expect(close(softplus(0), Double.log(2)))
        #expect(softplus(800) == 800)
        #expect(close(softplus(-800), Double.exp(-800), relative: 1e-12, absolute: 0))
        for y in [1e-10, 0.1, 1, 20, 50] { #expect(close(softplus(inverseSoftplus(y)), y, relative: 1e-12)) }
        #expect(close(logSumExp([1000, 1000]), 1000 + Double.log(2)))
        #expect(logSumExp([-Double.infinity, -.infinity]) == -.infinity)
        #expect(close(log1mexp(-1e-10), Double.log(1e-10), relative: 1e-9))
        #expect(close(log1mexp(-50), -Double.exp(-50), relative: 1e-12, absolute: 0))
    }

    @Test(arguments: [1, 2, 5, 8, 13])
    func gaussLegendreIsExactForPolynomialsOfDegreeBelow2n(n: Int) {
        let rule = GaussLegendre(points: n)
        #expect(close(rule.weights.reduce(0, +), 2, relative: 1e-14))
        for degree in 0..<(2 * n) {
            let exact = degree % 2 == 1 ? 0 : 2 / Double(degree + 1)
            let value = rule.integrate(-1, 1, panels: 1) { Double.pow($0, degree) }
            #expect(close(value, exact, relative: 1e-13, absolute: 1e-14))
        }
    }
}
