extension Guide {
    /// The flat unconstrained parameters whose constrained values are `params`
    /// (by block name, as `constrainedParameters` and `SVIRunResult.params`
    /// give them), so that fitted parameters can be handed on as NumPyro hands
    /// on `params`. Names that are not parameter blocks are ignored. A block
    /// with a matrix constraint takes the n·n values of one n × n matrix.
    /// Throws `invalidArgument` when a block is missing or a value lies outside
    /// (or on the boundary of) its constraint, and `shapeMismatch` when a block
    /// has the wrong number of values.
    public func unconstrainedParameters(_ params: [String: [Double]]) throws -> [Double] {
        try parameterBlocks.flatMap { block -> [Double] in
            guard let values = params[block.name] else {
                throw SVIError.invalidArgument("no value for the guide parameter '\(block.name)'")
            }
            let unconstrained: [Double]
            switch block.constraint {
            case .real: unconstrained = values
            case .softplusPositive: unconstrained = values.map(inverseSoftplus)
            case .bijected(let region):
                let n = Int(Double(values.count).squareRoot().rounded())
                let shape = region.eventDim == 2 && n * n == values.count ? [n, n] : [values.count]
                unconstrained = try bijectTo(region).inverse(Tensor(shape: shape, scalars: values)).scalars
            }
            guard unconstrained.count == block.size else {
                throw SVIError.shapeMismatch(
                    "guide parameter '\(block.name)' has \(values.count) values; its unconstrained form needs \(block.size), got \(unconstrained.count)")
            }
            guard unconstrained.allSatisfy(\.isFinite) else {
                throw SVIError.invalidArgument(
                    "guide parameter '\(block.name)' lies outside or on the boundary of its constraint")
            }
            return unconstrained
        }
    }
}
