import RealModule

/// y = loc + L x for vectors x, with L = `scaleTril` a lower-triangular matrix
/// with positive diagonal (NumPyro's `LowerCholeskyAffine`). Batches of x, loc
/// (shape B + [n]) and L (shape B + [n, n]) broadcast. The log-determinant is
/// Σᵢ log L_ii, broadcast to the batch.
public struct LowerCholeskyAffine: Transform {
    public let loc: Tensor
    public let scaleTril: Tensor

    /// Throws unless `scaleTril` is a (batch of) lower-triangular matrices with
    /// positive finite diagonal and finite entries, and `loc` is finite with a
    /// shape that broadcasts with `scaleTril`'s rows.
    public init(loc: Tensor, scaleTril: Tensor) throws {
        let family = "LowerCholeskyAffine"
        guard scaleTril.rank >= 2, scaleTril.shape[scaleTril.rank - 2] == scaleTril.shape.last! else {
            throw SVIError.shapeMismatch("\(family): scale_tril must be square matrices; got shape \(scaleTril.shape)")
        }
        try ParameterCheck.finite(scaleTril, family, "scale_tril")
        guard Constraint.lowerCholesky.check(scaleTril).allSatisfy({ $0 }) else {
            throw SVIError.invalidArgument("\(family): scale_tril must be lower triangular with a positive diagonal")
        }
        try ParameterCheck.finite(loc, family, "loc")
        // The vector dimension must stay n: a loc whose last extent is 0 would broadcast it away.
        guard let rows = broadcastShapes(loc.shape, Array(scaleTril.shape.dropLast())),
              rows.last == scaleTril.shape.last else {
            throw SVIError.shapeMismatch(
                "\(family): loc of shape \(loc.shape) does not broadcast with the rows of scale_tril \(scaleTril.shape)")
        }
        self.loc = loc
        self.scaleTril = scaleTril
    }

    public var name: String { "LowerCholeskyAffine" }
    public var domain: Constraint { .realVector }
    public var codomain: Constraint { .realVector }
    public var parameters: [Tensor] { [loc, scaleTril] }
    private var order: Int { scaleTril.shape.last! }

    public func forwardShape(_ shape: [Int]) throws -> [Int] {
        try requireRank(shape, 1, "input")
        guard shape.last! == order else {
            throw SVIError.shapeMismatch("\(name): vectors must have length \(order); got shape \(shape)")
        }
        return try broadcastShape([shape, loc.shape, Array(scaleTril.shape.dropLast())])
    }

    public func inverseShape(_ shape: [Int]) throws -> [Int] { try forwardShape(shape) }

    public func forward(_ x: Tensor) throws -> Tensor {
        _ = try forwardShape(x.shape)
        let n = order
        return loc + matrixVector(x) { l, v in
            (TriangularAlgebra.multiply(l, v, n), { g in
                (outerLower(g, v, n, scale: 1), TriangularAlgebra.multiplyTransposed(l, g, n))
            })
        }
    }

    public func inverse(_ y: Tensor) throws -> Tensor {
        _ = try inverseShape(y.shape)
        let n = order
        return matrixVector(y - loc) { l, v in
            let x = TriangularAlgebra.solve(l, v, n)
            return (x, { g in
                let gv = TriangularAlgebra.solveTransposed(l, g, n)
                return (outerLower(gv, x, n, scale: -1), gv)
            })
        }
    }

    public func logAbsDetJacobian(_ x: Tensor, _ y: Tensor) throws -> Tensor {
        let batch = Array(try forwardShape(x.shape).dropLast())
        return scaleTril.diagonal().log().sum(alongAxis: -1).broadcasted(to: batch)
    }

    /// For each pair of broadcast batch elements of `scaleTril` and `v`, `f(L, v)`
    /// gives an output vector and a pullback to the gradients of (L, v): one tape node.
    private func matrixVector(_ v: Tensor,
                              _ f: ([Double], [Double]) -> ([Double], ([Double]) -> ([Double], [Double]))) -> Tensor {
        let n = order, lBatch = Array(scaleTril.shape.dropLast(2)), vBatch = Array(v.shape.dropLast())
        let batch = broadcastShapes(lBatch, vBatch)!
        let ol = broadcastOffsets(lBatch, to: batch), ov = broadcastOffsets(vBatch, to: batch)
        let count = batch.reduce(1, *), (lCount, vCount) = (scaleTril.count, v.count)
        var values = [Double](), pullbacks = [([Double]) -> ([Double], [Double])]()
        for b in 0..<count {
            let (li, vi) = (ol?[b] ?? b, ov?[b] ?? b)
            let (y, pullback) = f(Array(scaleTril.scalars[li * n * n..<(li + 1) * n * n]),
                                  Array(v.scalars[vi * n..<(vi + 1) * n]))
            values += y
            pullbacks.append(pullback)
        }
        return Tensor.result(batch + [n], values, [scaleTril, v]) { g in
            var gl = [Double](repeating: 0, count: lCount), gv = [Double](repeating: 0, count: vCount)
            for b in 0..<count {
                let (dl, dv) = pullbacks[b](Array(g[b * n..<(b + 1) * n]))
                let (li, vi) = (ol?[b] ?? b, ov?[b] ?? b)
                for k in 0..<n * n { gl[li * n * n + k] += dl[k] }
                for k in 0..<n { gv[vi * n + k] += dv[k] }
            }
            return [gl, gv]
        }
    }
}

/// scale · a bᵀ restricted to the lower triangle (the gradient of a lower-triangular factor).
private func outerLower(_ a: [Double], _ b: [Double], _ n: Int, scale: Double) -> [Double] {
    (0..<n * n).map { k in k % n <= k / n ? scale * a[k / n] * b[k % n] : 0 }
}
