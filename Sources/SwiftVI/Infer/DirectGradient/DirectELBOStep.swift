/// Trace_ELBO's loss and gradient for a `DirectGradientModel` and a
/// `DirectGradientGuide`, formed by hand in buffers kept from step to step:
/// no tape, and no allocation per step beyond what the model's own function
/// needs. It draws the same noise from the same keys as the tape path
/// (`particleLoss`) and agrees with it to rounding.
final class DirectELBOStep {
    private let model: any DirectGradientModel
    private let guide: any DirectGradientGuide
    private let particles: Int
    private let dimension: Int
    private let noiseWidth: Int
    private let noise: UnsafeMutablePointer<Double>
    private let points: UnsafeMutablePointer<Double>
    private let pointGradient: UnsafeMutablePointer<Double>
    private let guideLogDensity: UnsafeMutablePointer<Double>
    private let modelLogDensity: UnsafeMutablePointer<Double>
    private let scratch: UnsafeMutablePointer<Double>
    private let derived: UnsafeMutablePointer<Double>
    /// The gradient of the last loss, one entry per guide parameter.
    private(set) var gradient: [Double]

    /// nil unless the loss is a vectorized Trace_ELBO, the model has a
    /// direct gradient and the guide forms its share by hand.
    init?(model: any LogDensityModel, guide: any Guide, loss: any ELBO, parameterCount: Int) {
        guard let trace = loss as? TraceELBO, trace.vectorizeParticles, model.hasGradient,
              let model = model as? any DirectGradientModel, let guide = guide as? any DirectGradientGuide
        else { return nil }
        self.model = model
        self.guide = guide
        particles = trace.numParticles
        dimension = model.dimension
        noiseWidth = guide.noiseWidth
        let width = particles * dimension
        noise = .allocate(capacity: particles * noiseWidth)
        points = .allocate(capacity: width)
        pointGradient = .allocate(capacity: width)
        guideLogDensity = .allocate(capacity: particles)
        modelLogDensity = .allocate(capacity: particles)
        scratch = .allocate(capacity: max(model.scratchCount(points: particles), 1))
        derived = .allocate(capacity: max(guide.derivedWidth, 1))
        gradient = [Double](repeating: 0, count: parameterCount)
    }

    deinit {
        for buffer in [noise, points, pointGradient, guideLogDensity, modelLogDensity, scratch, derived] { buffer.deallocate() }
    }

    /// The loss at `parameters` drawing with `key` (as `ELBO.loss`), leaving
    /// its gradient in `gradient`.
    func lossAndGradient(parameters: [Double], key: PRNGKey) throws -> Double {
        let (guideKey, modelKey) = key.splitPair()
        let count = particles, d = dimension
        guideKey.fillNormal(noise, count: count * noiseWidth)
        return try parameters.withUnsafeBufferPointer { theta in
            guide.draw(parameters: theta.baseAddress!, noise: noise, count: count, points: points,
                       logDensity: guideLogDensity, derived: derived)
            try model.logDensityAndGradient(points: points, count: count, key: modelKey, logDensity: modelLogDensity,
                                            gradient: pointGradient, scratch: scratch)
            var loss = 0.0
            for s in 0..<count { loss += guideLogDensity[s] - modelLogDensity[s] }
            let weight = -1 / Double(count)
            for i in 0..<(count * d) { pointGradient[i] *= weight }
            gradient.withUnsafeMutableBufferPointer { g in
                for i in g.indices { g[i] = 0 }
                guide.addGradient(parameters: theta.baseAddress!, noise: noise, count: count,
                                  pointCotangent: pointGradient, logDensityWeight: 1, derived: derived,
                                  gradient: g.baseAddress!)
            }
            return loss / Double(count)
        }
    }
}
