/// An output that `resample` can rearrange along the particle dimension.
public protocol ParticleSelectable {
    /// The value with its particles replaced by their ancestors: for weights
    /// of shape `weightShape` ([K] + other batch extents), element (k, c) of
    /// the flattened weights takes particle `ancestors[k · C + c]` of column c.
    func selectingParticles(_ ancestors: [Int], weightShape: [Int]) -> Self
}

extension Tensor: ParticleSelectable {
    /// A tensor whose shape starts with `weightShape` is gathered along its
    /// first dimension; any other tensor is returned as it is.
    public func selectingParticles(_ ancestors: [Int], weightShape: [Int]) -> Tensor {
        guard rank >= weightShape.count, Array(shape.prefix(weightShape.count)) == weightShape,
              let particleCount = weightShape.first, particleCount > 0 else { return self }
        let columns = weightShape.dropFirst().reduce(1, *), inner = count / (particleCount * columns)
        var offsets: [Int] = []
        offsets.reserveCapacity(count)
        for k in 0..<particleCount {
            for c in 0..<columns {
                let start = (ancestors[k * columns + c] * columns + c) * inner
                offsets += start ..< start + inner
            }
        }
        return gathering(offsets, shape: shape)
    }
}
