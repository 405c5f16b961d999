/// A model's learnable parameters: defaults for models without any, and the
/// conversions between their flat unconstrained vector and named values.
extension LogDensityModel {
    public var parameterBlocks: [ParameterBlock] { [] }

    public var initialParameters: [Double] { [] }

    public func withParameters(_ parameters: Tensor) throws -> any LogDensityModel {
        try checkParameterCount(parameters)
        return self
    }

    /// The number of unconstrained parameter coordinates.
    public var parameterCount: Int { parameterBlocks.reduce(0) { $0 + $1.size } }

    /// Throws `shapeMismatch` unless `parameters` has `parameterCount` elements.
    func checkParameterCount(_ parameters: Tensor) throws {
        guard parameters.count == parameterCount else {
            throw SVIError.shapeMismatch("the model has \(parameterCount) parameter coordinates; got \(parameters.count)")
        }
    }

    /// Each parameter's constrained value from the flat unconstrained vector
    /// (NaN where the map fails).
    public func constrainedParameters(_ parameters: [Double]) -> [(name: String, value: [Double])] {
        constrainedValues(of: parameterBlocks, parameters)
    }

    /// This model with its parameters taken from `params`, constrained values
    /// by name as `SVIRunResult.params` holds them (other names, such as the
    /// guide's, are ignored); the model itself when it has no parameters.
    /// Throws when a parameter is missing, of the wrong size or outside its constraint.
    public func withParameters(named params: [String: [Double]]) throws -> any LogDensityModel {
        guard !parameterBlocks.isEmpty else { return self }
        return try withParameters(Tensor(unconstrainedParameters(params)))
    }

    /// The flat unconstrained vector of the model's parameters given by name as
    /// constrained values (other names are ignored). Throws when a parameter is
    /// missing, of the wrong size or outside its constraint.
    public func unconstrainedParameters(_ params: [String: [Double]]) throws -> [Double] {
        try unconstrainedValues(of: parameterBlocks, params, owner: "model")
    }
}
