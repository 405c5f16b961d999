/// A param site of a program as found by a discovering run, stored
/// unconstrained through `bijectTo` of its constraint (as NumPyro stores
/// params): what `ProgramGuide` and `ProgramModel` learn.
struct ProgramParameter {
    let name: String
    let constraint: Constraint
    /// The shape of its unconstrained coordinates.
    let unconstrainedShape: [Int]
    /// The number of elements of its constrained value.
    let constrainedCount: Int
    /// Its initial unconstrained coordinates.
    let initial: [Double]

    /// The param `site` of a run of the program `owner` ("ProgramGuide",
    /// "ProgramModel"). Throws unless its initial value lies inside its
    /// constraint, off the boundary.
    init(_ site: SiteMessage, owner: String) throws {
        let constraint = site.paramConstraint!, value = site.value!
        guard value.count > 0, constraint.check(value).allSatisfy({ $0 }) else {
            throw SVIError.invalidArgument("\(owner): param '\(site.name)' starts outside its constraint \(constraint.name)")
        }
        let unconstrained = try bijectTo(constraint).inverse(value.detached)
        guard unconstrained.scalars.allSatisfy(\.isFinite) else {
            throw SVIError.invalidArgument(
                "\(owner): param '\(site.name)' starts on the boundary of its constraint \(constraint.name)")
        }
        name = site.name
        self.constraint = constraint
        unconstrainedShape = unconstrained.shape
        constrainedCount = value.count
        initial = unconstrained.scalars
    }

    /// Its block in a flat parameter vector.
    var block: ParameterBlock {
        ParameterBlock(name: name, size: initial.count, constraint: .bijected(constraint))
    }
}

/// Each param's constrained value from the flat unconstrained vector `flat`
/// (recorded on its tape if it is on one). Throws `shapeMismatch` when `flat`
/// does not hold every param's coordinates.
func parameterValues(of parameters: [ProgramParameter], _ flat: Tensor, owner: String) throws -> [String: Tensor] {
    let expected = parameters.reduce(0) { $0 + $1.initial.count }
    guard flat.count == expected else {
        throw SVIError.shapeMismatch("\(owner): \(flat.count) parameters; expected \(expected)")
    }
    var values: [String: Tensor] = [:], offset = 0
    for parameter in parameters {
        let size = parameter.initial.count
        let u = flat.gathering(Array(offset ..< offset + size), shape: parameter.unconstrainedShape)
        values[parameter.name] = try bijectTo(parameter.constraint).forward(u)
        offset += size
    }
    return values
}
