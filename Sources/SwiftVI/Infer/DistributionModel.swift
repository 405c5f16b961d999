/// A model whose log-density is that of a distribution, summed over its batch,
/// at one latent site holding a whole draw (batch × event coordinates).
public struct DistributionModel: LogDensityModel {
    public let site: String
    public let distribution: any Distribution

    /// Throws when `site` is empty.
    public init(site: String, distribution: any Distribution) throws {
        let size = (distribution.batchShape + distribution.eventShape).reduce(1, *)
        try validateLatents([LatentBlock(name: site, size: size)])
        self.site = site
        self.distribution = distribution
    }

    public var latents: [LatentBlock] {
        [LatentBlock(name: site, size: (distribution.batchShape + distribution.eventShape).reduce(1, *))]
    }

    public func logDensity(_ points: Tensor) throws -> Tensor {
        let s = points.shape[0]
        let values = points.reshaped([s] + distribution.batchShape + distribution.eventShape)
        let lp = try distribution.logProb(values)
        return lp.reshaped([s, lp.count / max(s, 1)]).sum(alongAxis: 1)
    }
}
