/// A model whose log-density is that of a distribution, summed over its batch,
/// at one latent site holding a whole draw (batch × event coordinates).
public struct DistributionModel: LogDensityModel {
    public let site: String
    public let distribution: any Distribution
    public let latents: [LatentBlock]

    /// Throws when `site` is empty or the distribution has no elements.
    public init(site: String, distribution: any Distribution) throws {
        latents = [LatentBlock(name: site, size: (distribution.batchShape + distribution.eventShape).reduce(1, *))]
        try validateLatents(latents)
        self.site = site
        self.distribution = distribution
    }

    public func logDensity(_ points: Tensor) throws -> Tensor {
        let s = points.shape[0]
        let values = points.reshaped([s] + distribution.batchShape + distribution.eventShape)
        let lp = try distribution.logProb(values)
        return lp.reshaped([s, lp.count / max(s, 1)]).sum(alongAxis: 1)
    }
}
