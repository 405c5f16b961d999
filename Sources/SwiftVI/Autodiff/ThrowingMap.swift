/// `Tensor.map` for elementwise functions that can fail: the first error thrown
/// by `f` is rethrown after the pass, and no result is recorded.
extension Tensor {
    /// `map(a, f)` with a throwing `f`.
    static func throwingMap(_ a: Tensor, _ f: (Double) throws -> (value: Double, d: Double)) throws -> Tensor {
        var failure: (any Error)?
        let result = map(a) { x in
            do { return try f(x) } catch { failure = failure ?? error; return (.nan, .nan) }
        }
        if let failure { throw failure }
        return result
    }

    /// `map(a, b, f)` with a throwing `f`.
    static func throwingMap(_ a: Tensor, _ b: Tensor,
                            _ f: (Double, Double) throws -> (value: Double, da: Double, db: Double)) throws -> Tensor {
        var failure: (any Error)?
        let result = map(a, b) { x, y in
            do { return try f(x, y) } catch { failure = failure ?? error; return (.nan, .nan, .nan) }
        }
        if let failure { throw failure }
        return result
    }
}
