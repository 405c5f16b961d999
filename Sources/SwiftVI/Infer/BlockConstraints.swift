extension LogDensityModel {
    public func constrain(_ points: Tensor) throws -> (values: [String: Tensor], logAbsDetJacobian: Tensor) {
        guard points.rank == 2, points.shape[1] == dimension else {
            throw SVIError.shapeMismatch("points of shape \(points.shape); expected [S, \(dimension)]")
        }
        let s = points.shape[0]
        var values: [String: Tensor] = [:], logDet = Tensor(shape: [s], scalars: [Double](repeating: 0, count: s))
        var offset = 0
        for block in latents {
            let columns = offset ..< offset + block.size
            let u = points.gathering((0..<s).flatMap { row in columns.map { row * dimension + $0 } }, shape: [s, block.size])
            let transform = try bijectTo(block.constraint)
            let x = try transform.forward(u)
            let blockLogDet = try transform.logAbsDetJacobian(u, x)
            logDet = logDet + blockLogDet.reshaped([s, blockLogDet.count / Swift.max(s, 1)]).sum(alongAxis: 1)
            values[block.name] = x
            offset += block.size
        }
        return (values, logDet)
    }
}
