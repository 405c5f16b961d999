import RealModule

/// Elementwise special functions, each one tape node.
extension Tensor {
    /// log Γ(x) elementwise (x > 0); its derivative is ψ(x).
    public func logGamma() -> Tensor { Tensor.map(self) { (Double.logGamma($0), SwiftVI.digamma($0)) } }

    /// ψ(x) elementwise; its derivative is ψ′(x).
    public func digamma() -> Tensor { Tensor.map(self) { (SwiftVI.digamma($0), trigamma($0)) } }

    /// log B(a, b) elementwise with broadcasting (a, b > 0).
    public static func logBeta(_ a: Tensor, _ b: Tensor) -> Tensor {
        map(a, b) { x, y in
            let total = SwiftVI.digamma(x + y)
            return (SwiftVI.logBeta(x, y), SwiftVI.digamma(x) - total, SwiftVI.digamma(y) - total)
        }
    }
}
