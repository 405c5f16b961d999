extension LogDensityModel {
    public func constrain(_ points: Tensor) throws -> (values: [String: Tensor], logAbsDetJacobian: Tensor) {
        guard points.rank == 2, points.shape[1] == dimension else {
            throw SVIError.shapeMismatch("points of shape \(points.shape); expected [S, \(dimension)]")
        }
        let (parts, logDet) = try constrainBlocks(latents, points)
        let s = points.shape[0]
        var values: [String: Tensor] = [:]
        for (block, x) in zip(latents, parts) { values[block.name] = x.reshaped([s] + block.shape) }
        return (values, logDet)
    }
}
