import RealModule

/// A Monte Carlo estimate and its standard error, each of a batch shape.
public struct MonteCarloEstimate {
    public let estimate: Tensor
    public let standardError: Tensor
}

/// KL(p ‖ q) estimated from `numSamples` (at least 2) draws of p, with the
/// standard error of the estimate, of the broadcast batch shape.
public func klMonteCarlo(_ p: any Distribution, _ q: any Distribution, numSamples: Int,
                         key: PRNGKey) throws -> MonteCarloEstimate {
    guard numSamples >= 2 else {
        throw SVIError.invalidArgument("klMonteCarlo needs at least 2 samples; got \(numSamples)")
    }
    // p's draws are evaluated by q: their batch dimensions must line up with q's.
    guard p.eventShape == q.eventShape, p.batchShape.count >= q.batchShape.count,
          broadcastShapes(p.batchShape, q.batchShape) != nil else {
        throw SVIError.shapeMismatch("""
            klMonteCarlo needs equal event shapes, and a batch shape of q that broadcasts with p's and has no more \
            dimensions; \(p.familyName) has batch shape \(p.batchShape) and event shape \(p.eventShape), \
            \(q.familyName) \(q.batchShape) and \(q.eventShape)
            """)
    }
    let x = p.sample([numSamples], key: key).detached
    let d = try p.logProb(x) - q.logProb(x)
    let batch = Array(d.shape.dropFirst()), width = batch.reduce(1, *)
    var estimate = [Double](repeating: 0, count: width)
    var error = estimate
    for j in 0..<width {
        let column = (0..<numSamples).map { d.scalars[$0 * width + j] }
        let mean = column.reduce(0, +) / Double(numSamples)
        let ss = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        estimate[j] = mean
        error[j] = (ss / Double(numSamples - 1) / Double(numSamples)).squareRoot()
    }
    return MonteCarloEstimate(estimate: Tensor(shape: batch, scalars: estimate),
                              standardError: Tensor(shape: batch, scalars: error))
}

/// KL(p ‖ q) of two scalar univariate continuous distributions by the
/// composite 8-point Gauss–Legendre rule over [low, high] with `numPoints`
/// nodes in all (rounded up to a multiple of 8). Mass of p outside [low, high]
/// is ignored, so choose the interval to cover it. The result is a scalar,
/// differentiable with respect to recorded parameters of p and q.
public func klQuadrature(_ p: any Distribution, _ q: any Distribution, low: Double, high: Double,
                         numPoints: Int) throws -> Tensor {
    for d in [p, q] where !(d.batchShape.isEmpty && d.eventShape.isEmpty) {
        throw SVIError.shapeMismatch("klQuadrature needs scalar univariate distributions; \(d.familyName) has batch shape \(d.batchShape) and event shape \(d.eventShape)")
    }
    guard low.isFinite, high.isFinite, low < high else {
        throw SVIError.invalidArgument("klQuadrature needs finite low < high; got [\(low), \(high)]")
    }
    guard numPoints >= 1 else {
        throw SVIError.invalidArgument("klQuadrature needs at least 1 point; got \(numPoints)")
    }
    let (xs, ws) = GaussLegendre(points: 8).composite(low, high, panels: (numPoints + 7) / 8)
    let x = Tensor(xs)
    let integrand = Tensor.map(try p.logProb(x), try q.logProb(x)) { lp, lq in
        guard lp > -.infinity else { return (0, 0, 0) }
        let density = Double.exp(lp)
        return (density * (lp - lq), density * (lp - lq + 1), -density)
    }
    return (Tensor(ws) * integrand).sum()
}
