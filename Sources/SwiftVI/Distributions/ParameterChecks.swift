/// Checks of distribution parameters, raising errors that name the family and parameter.
enum ParameterCheck {
    /// Throws unless every element satisfies `valid`.
    static func require(_ t: Tensor, _ family: String, _ name: String, _ requirement: String,
                        _ valid: (Double) -> Bool) throws {
        if let i = t.scalars.firstIndex(where: { !valid($0) }) {
            throw SVIError.invalidArgument("\(family): \(name) must be \(requirement); got \(t.scalars[i]) at index \(i)")
        }
    }

    static func finite(_ t: Tensor, _ family: String, _ name: String) throws {
        try require(t, family, name, "finite") { $0.isFinite }
    }

    static func positive(_ t: Tensor, _ family: String, _ name: String) throws {
        try require(t, family, name, "positive and finite") { $0 > 0 && $0.isFinite }
    }

    /// The broadcast shape of the parameters, or an error naming them.
    static func batchShape(_ family: String, _ params: [(String, Tensor)]) throws -> [Int] {
        guard let shape = broadcastShapes(params.map(\.1.shape)) else {
            let described = params.map { "\($0.0) \($0.1.shape)" }.joined(separator: ", ")
            throw SVIError.shapeMismatch("\(family): parameter shapes do not broadcast: \(described)")
        }
        return shape
    }
}
