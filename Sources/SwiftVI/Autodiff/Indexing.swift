/// Operations that rearrange or select elements.
extension Tensor {
    /// The same elements in a new shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(newShape.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
        return Tensor.result(newShape, scalars, [self]) { g in [g] }
    }

    /// The same elements with a dimension of extent 1 inserted at `axis`
    /// (negative counts from the end, -1 appending one).
    public func expandingShape(at axis: Int) -> Tensor {
        let k = axis < 0 ? axis + rank + 1 : axis
        precondition(k >= 0 && k <= rank, "axis \(axis) out of range for shape \(shape)")
        var s = shape
        s.insert(1, at: k)
        return reshaped(s)
    }

    /// The elements at the given flat offsets, arranged in `shape`.
    public func gathering(_ offsets: [Int], shape newShape: [Int]) -> Tensor {
        precondition(newShape.reduce(1, *) == offsets.count, "\(offsets.count) offsets do not fill \(newShape)")
        let n = count
        return Tensor.result(newShape, offsets.map { scalars[$0] }, [self]) { g in
            var out = [Double](repeating: 0, count: n)
            for (k, o) in offsets.enumerated() { out[o] += g[k] }
            return [out]
        }
    }

    /// For a tensor of shape B + [K] and indices of shape R (R and B broadcast
    /// to S), the elements x[b, indices[s]] of shape S. Indices must lie in 0..<K.
    public func takingAlongLastAxis(_ indices: [Int], shape indexShape: [Int]) -> Tensor {
        let batch = Array(shape.dropLast()), k = shape.last ?? 1
        guard let s = broadcastShapes(batch, indexShape) else {
            preconditionFailure("index shape \(indexShape) does not broadcast with \(batch)")
        }
        let ob = broadcastOffsets(batch, to: s), oi = broadcastOffsets(indexShape, to: s)
        let offsets = (0..<s.reduce(1, *)).map { i in (ob?[i] ?? i) * k + indices[oi?[i] ?? i] }
        return gathering(offsets, shape: s)
    }
}

extension Tensor {
    /// The elements broadcast to `newShape` (which this shape must broadcast to).
    public func broadcasted(to newShape: [Int]) -> Tensor {
        precondition(broadcastShapes(shape, newShape) == newShape, "cannot broadcast \(shape) to \(newShape)")
        guard let offsets = broadcastOffsets(shape, to: newShape) else { return self }
        return gathering(offsets, shape: newShape)
    }
}

extension Tensor {
    /// A tensor of `newShape`, zero except at the flat `offsets`, where it holds
    /// this tensor's elements in order (the adjoint of `gathering`). The offsets
    /// must be distinct and lie inside `newShape`; there must be one per element.
    public func scattering(_ offsets: [Int], shape newShape: [Int]) -> Tensor {
        precondition(offsets.count == count, "\(offsets.count) offsets for \(count) elements")
        var out = [Double](repeating: 0, count: newShape.reduce(1, *))
        for (k, o) in offsets.enumerated() { out[o] = scalars[k] }
        return Tensor.result(newShape, out, [self]) { g in [offsets.map { g[$0] }] }
    }
}
