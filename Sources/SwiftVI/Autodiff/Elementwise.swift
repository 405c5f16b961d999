import RealModule

/// Elementwise operations with NumPy broadcasting. Each is one tape node whose
/// vector–Jacobian product multiplies by the local partial derivatives.
extension Tensor {
    /// Applies `f`, which returns a value and its derivative, to every element.
    public static func map(_ a: Tensor, _ f: (Double) -> (value: Double, d: Double)) -> Tensor {
        var values = [Double](repeating: 0, count: a.count)
        var partials = values
        for i in 0..<a.count { (values[i], partials[i]) = f(a.scalars[i]) }
        return result(a.shape, values, [a]) { g in [zip(g, partials).map(*)] }
    }

    /// Applies `f`, which returns a value and its two partial derivatives, to the
    /// broadcast elements of `a` and `b`. The shapes must broadcast.
    public static func map(_ a: Tensor, _ b: Tensor,
                           _ f: (Double, Double) -> (value: Double, da: Double, db: Double)) -> Tensor {
        guard let shape = broadcastShapes(a.shape, b.shape) else {
            preconditionFailure("shapes \(a.shape) and \(b.shape) do not broadcast")
        }
        let oa = broadcastOffsets(a.shape, to: shape), ob = broadcastOffsets(b.shape, to: shape)
        let n = shape.reduce(1, *)
        var values = [Double](repeating: 0, count: n)
        var da = values, db = values
        for i in 0..<n {
            (values[i], da[i], db[i]) = f(a.scalars[oa?[i] ?? i], b.scalars[ob?[i] ?? i])
        }
        let (na, nb) = (a.count, b.count)  // the pullback must not capture the operands, which hold the tape
        return result(shape, values, [a, b]) { g in
            [unbroadcast(zip(g, da).map(*), oa, count: na),
             unbroadcast(zip(g, db).map(*), ob, count: nb)]
        }
    }

    /// Applies `f`, which returns a value and its three partial derivatives, to
    /// the broadcast elements of `a`, `b` and `c`: one fused node in place of many.
    public static func map(_ a: Tensor, _ b: Tensor, _ c: Tensor,
                           _ f: (Double, Double, Double) -> (value: Double, da: Double, db: Double, dc: Double)) -> Tensor {
        guard let shape = broadcastShapes([a.shape, b.shape, c.shape]) else {
            preconditionFailure("shapes \(a.shape), \(b.shape) and \(c.shape) do not broadcast")
        }
        let oa = broadcastOffsets(a.shape, to: shape), ob = broadcastOffsets(b.shape, to: shape)
        let oc = broadcastOffsets(c.shape, to: shape)
        let n = shape.reduce(1, *)
        var values = [Double](repeating: 0, count: n)
        var da = values, db = values, dc = values
        for i in 0..<n {
            (values[i], da[i], db[i], dc[i]) = f(a.scalars[oa?[i] ?? i], b.scalars[ob?[i] ?? i], c.scalars[oc?[i] ?? i])
        }
        let (na, nb, nc) = (a.count, b.count, c.count)
        return result(shape, values, [a, b, c]) { g in
            [unbroadcast(zip(g, da).map(*), oa, count: na),
             unbroadcast(zip(g, db).map(*), ob, count: nb),
             unbroadcast(zip(g, dc).map(*), oc, count: nc)]
        }
    }

    public static prefix func - (a: Tensor) -> Tensor { map(a) { (-$0, -1) } }
    public static func + (a: Tensor, b: Tensor) -> Tensor { map(a, b) { ($0 + $1, 1, 1) } }
    public static func - (a: Tensor, b: Tensor) -> Tensor { map(a, b) { ($0 - $1, 1, -1) } }
    public static func * (a: Tensor, b: Tensor) -> Tensor { map(a, b) { ($0 * $1, $1, $0) } }
    public static func / (a: Tensor, b: Tensor) -> Tensor { map(a, b) { ($0 / $1, 1 / $1, -$0 / ($1 * $1)) } }
    public static func + (a: Tensor, b: Double) -> Tensor { a + Tensor(b) }
    public static func - (a: Tensor, b: Double) -> Tensor { a - Tensor(b) }
    public static func * (a: Tensor, b: Double) -> Tensor { a * Tensor(b) }
    public static func / (a: Tensor, b: Double) -> Tensor { a / Tensor(b) }
    public static func + (a: Double, b: Tensor) -> Tensor { Tensor(a) + b }
    public static func - (a: Double, b: Tensor) -> Tensor { Tensor(a) - b }
    public static func * (a: Double, b: Tensor) -> Tensor { Tensor(a) * b }
    public static func / (a: Double, b: Tensor) -> Tensor { Tensor(a) / b }

    /// eˣ elementwise.
    public func exp() -> Tensor { Tensor.map(self) { let e = Double.exp($0); return (e, e) } }
    /// The natural logarithm elementwise.
    public func log() -> Tensor { Tensor.map(self) { (Double.log($0), 1 / $0) } }
    /// log(1 + x) elementwise.
    public func log1p() -> Tensor { Tensor.map(self) { (Double.log(onePlus: $0), 1 / (1 + $0)) } }
    /// √x elementwise.
    public func sqrt() -> Tensor { Tensor.map(self) { let r = $0.squareRoot(); return (r, 0.5 / r) } }
    /// x² elementwise.
    public func squared() -> Tensor { Tensor.map(self) { ($0 * $0, 2 * $0) } }
    /// log(1 + eˣ) elementwise.
    public func softplus() -> Tensor { Tensor.map(self) { (SwiftVI.softplus($0), SwiftVI.sigmoid($0)) } }
    /// 1 / (1 + e⁻ˣ) elementwise.
    public func sigmoid() -> Tensor { Tensor.map(self) { let s = SwiftVI.sigmoid($0); return (s, s * (1 - s)) } }
    /// tanh x elementwise.
    public func tanh() -> Tensor { Tensor.map(self) { let t = Double.tanh($0); return (t, 1 - t * t) } }
    /// max(x, 0) elementwise; its derivative is taken as 0 at 0 (as JAX and PyTorch do).
    public func relu() -> Tensor { Tensor.map(self) { $0 > 0 ? ($0, 1) : (0, 0) } }
}
