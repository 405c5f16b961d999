import RealModule

/// A model that writes its log-density and gradient at a batch of points
/// straight into caller buffers, with no tape: what lets SVI take a step
/// without recording or allocating (see `DirectELBOStep`).
public protocol DirectGradientModel: LogDensityModel {
    /// How many scratch doubles `logDensityAndGradient` needs for `count` points.
    func scratchCount(points count: Int) -> Int

    /// At each of the `count` rows of `points` (row-major, `dimension`
    /// unconstrained coordinates a row), writes the log-density into
    /// `logDensity[s]` and its gradient into row s of `gradient`; draws any
    /// randomness (a subsample) from `key`. Agrees with
    /// `logDensity(_:key:)` and its tape gradient.
    func logDensityAndGradient(points: UnsafePointer<Double>, count: Int, key: PRNGKey,
                               logDensity: UnsafeMutablePointer<Double>, gradient: UnsafeMutablePointer<Double>,
                               scratch: UnsafeMutablePointer<Double>) throws
}

extension LogDensityModel {
    /// `DirectGradientModel.logDensityAndGradient` by the tape: one recorded
    /// evaluation at all rows, differentiated once (the rows are independent,
    /// so the gradient of the sum is each row's gradient).
    func tapeLogDensityAndGradient(points: UnsafePointer<Double>, count: Int, key: PRNGKey,
                                   logDensity: UnsafeMutablePointer<Double>,
                                   gradient: UnsafeMutablePointer<Double>) throws {
        let d = dimension
        let tape = Tape()
        let z = tape.variable(Tensor(shape: [count, d], scalars: Array(UnsafeBufferPointer(start: points, count: count * d))))
        let values = try self.logDensity(z, key: key)
        guard values.shape == [count] else {
            throw SVIError.shapeMismatch("the model gave log-densities of shape \(values.shape); expected [\(count)]")
        }
        let g = tape.gradient(of: values.sum(), wrt: [z])[0].scalars
        for s in 0..<count { logDensity[s] = values.scalars[s] }
        for i in 0..<(count * d) { gradient[i] = g[i] }
    }
}

extension CallbackModel: DirectGradientModel {
    public func scratchCount(points count: Int) -> Int { 0 }

    /// The callback once for all rows. Blocks that are real or positive (through
    /// exp, log-determinant u) are mapped and chained by hand; other
    /// constraints, and models with parameter blocks, go through the tape.
    public func logDensityAndGradient(points: UnsafePointer<Double>, count: Int, key: PRNGKey,
                                      logDensity: UnsafeMutablePointer<Double>, gradient: UnsafeMutablePointer<Double>,
                                      scratch: UnsafeMutablePointer<Double>) throws {
        let positive = latents.map { block -> Bool? in
            if block.isUnconstrained { return false }
            if case .positive = block.constraint { return true }
            return nil
        }
        guard !positive.contains(nil), parameterCount == 0 else {
            return try tapeLogDensityAndGradient(points: points, count: count, key: key, logDensity: logDensity,
                                                 gradient: gradient)
        }
        // Every block has as many values as coordinates here.
        let d = dimension
        var values = [Double](repeating: 0, count: count * d)
        for s in 0..<count {
            var j = 0, logDeterminant = 0.0
            for (block, isPositive) in zip(latents, positive) {
                for _ in 0..<block.size {
                    let u = points[s * d + j]
                    values[s * d + j] = isPositive! ? Double.exp(u) : u
                    if isPositive! { logDeterminant += u }
                    j += 1
                }
            }
            logDensity[s] = logDeterminant
        }
        let (density, byValue) = try call(values, count: count)
        for s in 0..<count {
            logDensity[s] += density[s]
            var j = 0
            for (block, isPositive) in zip(latents, positive) {
                for _ in 0..<block.size {
                    let i = s * d + j
                    gradient[i] = isPositive! ? byValue[i] * values[i] + 1 : byValue[i]
                    j += 1
                }
            }
        }
    }
}
