/// How combinators reduce site log-probabilities to per-particle weights: each
/// sample site's scaled log-probability is summed over all dimensions past the
/// leading batch dimensions that every site of the run has (as coix does), so
/// that weights of the sites add up elementwise.
enum SiteWeights {
    /// The sample sites of `trace`.
    static func sampleSites(_ trace: Trace) -> [SiteMessage] { trace.sites.filter { $0.kind == .sample } }

    /// The number of leading dimensions that the log-probabilities of `sites`
    /// all have (the least rank among them; 0 without sites).
    static func batchRank(_ sites: [SiteMessage]) throws -> Int {
        try sites.map { try $0.logProb().rank }.min() ?? 0
    }

    /// `site`'s log-probability times its scale, summed down to its leading `rank` dimensions.
    static func reduced(_ site: SiteMessage, rank: Int) throws -> Tensor {
        let logProb = try site.logProb()
        return reduced(site.scale.map { logProb * $0 } ?? logProb, rank: rank)
    }

    /// `t` summed over all dimensions past its leading `rank`.
    static func reduced(_ t: Tensor, rank: Int) -> Tensor {
        var t = t
        while t.rank > rank { t = t.sum(alongAxis: -1) }
        return t
    }

    /// Zeros of the leading `rank` extents of the sites' log-probabilities
    /// plus the reduced log-probabilities of the sites for which `counts` is
    /// true: a weight of the batch shape even when no site counts.
    static func total(_ sites: [SiteMessage], rank: Int, where counts: (SiteMessage) -> Bool) throws -> Tensor {
        let shape = try sites.first.map { Array(try $0.logProb().shape.prefix(rank)) } ?? []
        let zeros = Tensor(shape: shape, scalars: [Double](repeating: 0, count: shape.reduce(1, *)))
        return try sites.filter(counts).reduce(zeros) { $0 + (try reduced($1, rank: rank)) }
    }
}

extension Trace {
    /// The sites of this trace followed by those of `other`; throws when a
    /// sample or deterministic site appears in both.
    func merged(with other: Trace) throws -> Trace {
        var merged = self
        for site in other.sites { try merged.record(site) }
        return merged
    }
}
