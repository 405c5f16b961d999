/// Parameter checks shared by the elementary families.
extension ParameterCheck {
    /// Checks a finite `loc` and a positive, finite `scale` and returns their broadcast shape.
    static func locationScale(_ family: String, loc: Tensor, scale: Tensor) throws -> [Int] {
        try finite(loc, family, "loc")
        try positive(scale, family, "scale")
        return try batchShape(family, [("loc", loc), ("scale", scale)])
    }

    /// Throws unless `low` < `high` wherever the two broadcast, naming both
    /// parameters and the first offending pair. The shapes must broadcast.
    static func ordered(_ low: Tensor, _ high: Tensor, _ family: String,
                        _ lowName: String = "low", _ highName: String = "high") throws {
        let violated = Tensor.map(low.detached, high.detached) { a, b in (a < b ? 0 : 1, 0, 0) }
        if let i = violated.scalars.firstIndex(of: 1) {
            let (a, b) = (low.detached.broadcasted(to: violated.shape).scalars[i], high.detached.broadcasted(to: violated.shape).scalars[i])
            throw SVIError.invalidArgument("\(family): \(lowName) must be less than \(highName); got \(lowName) = \(a) and \(highName) = \(b) at index \(i)")
        }
    }
}
