import RealModule

/// y = x^exponent on (0, ∞), with the exponent broadcast against x (NumPyro's `PowerTransform`).
public struct PowerTransform: Transform {
    public let exponent: Tensor

    /// Throws when an exponent is zero or not finite.
    public init(exponent: Tensor) throws {
        try ParameterCheck.require(exponent, "PowerTransform", "exponent", "nonzero and finite") { $0 != 0 && $0.isFinite }
        self.exponent = exponent
    }

    public var name: String { "PowerTransform" }
    public var domain: Constraint { .positive }
    public var codomain: Constraint { .positive }
    public var parameters: [Tensor] { [exponent] }
    public var monotonicity: Tensor? { Tensor(shape: exponent.shape, scalars: exponent.scalars.map { $0 > 0 ? 1 : -1 }) }

    public func forwardShape(_ shape: [Int]) throws -> [Int] { try broadcastShape([shape, exponent.shape]) }
    public func inverseShape(_ shape: [Int]) throws -> [Int] { try forwardShape(shape) }

    public func forward(_ x: Tensor) throws -> Tensor {
        _ = try forwardShape(x.shape)
        return Tensor.map(x, exponent) { v, p in
            let y = Double.pow(v, p)
            return (y, p * Double.pow(v, p - 1), y * Double.log(v))
        }
    }

    public func inverse(_ y: Tensor) throws -> Tensor {
        _ = try inverseShape(y.shape)
        return Tensor.map(y, exponent) { v, p in
            let x = Double.pow(v, 1 / p)
            return (x, x / (p * v), -x * Double.log(v) / (p * p))
        }
    }

    /// log |p| + (p - 1) log x.
    public func logAbsDetJacobian(_ x: Tensor, _ y: Tensor) throws -> Tensor {
        _ = try forwardShape(x.shape)
        return Tensor.map(x, exponent) { v, p in
            (Double.log(abs(p)) + (p - 1) * Double.log(v), (p - 1) / v, 1 / p + Double.log(v))
        }
    }
}
