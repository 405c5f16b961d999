/// The name of the plate that `particles(_:count:dim:)` opens.
public let particlePlateName = "particles"

/// `program` run inside a plate of `count` particles on batch dimension `dim`
/// (negative, -1 the rightmost), so each of its sample sites draws `count`
/// independent values (coix's particle plate). Combinators take the leftmost
/// batch dimension of the sites as the particle dimension: choose `dim` left
/// of any plate inside `program` (-2 around a data plate at -1).
public func particles<Input, Output>(_ program: InferenceProgram<Input, Output>, count: Int,
                                     dim: Int = -1) -> InferenceProgram<Input, Output> {
    InferenceProgram { context, input, key in
        try context.plate(particlePlateName, size: count, dim: dim) { _ in try program.run(context, input, key) }
    }
}
