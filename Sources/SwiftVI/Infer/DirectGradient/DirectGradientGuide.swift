/// A guide that draws z = loc + A ε (A fixed by the parameters) and forms its
/// own share of a Trace_ELBO gradient by hand, for `DirectELBOStep`.
protocol DirectGradientGuide: Guide {
    /// How many standard normal draws one point takes (row s of the noise).
    var noiseWidth: Int { get }
    /// How many values of the parameters alone (such as scales) `draw`
    /// leaves in `derived` for `addGradient`, so that each is computed once a step.
    var derivedWidth: Int { get }

    /// Writes the point of each of the `count` rows of standard normal
    /// `noise` into `points` (count × dimension) and its log-density into
    /// `logDensity`, as `sample(parameters:count:key:)` does with that noise,
    /// and fills `derived` (`derivedWidth` values).
    func draw(parameters: UnsafePointer<Double>, noise: UnsafePointer<Double>, count: Int,
              points: UnsafeMutablePointer<Double>, logDensity: UnsafeMutablePointer<Double>,
              derived: UnsafeMutablePointer<Double>)

    /// Adds to `gradient` (one entry per parameter) the gradient of
    /// Σₛ cₛ · zₛ + `logDensityWeight` · Σ log q(zₛ)/count along the draws,
    /// where cₛ is row s of `pointCotangent` (count × dimension) and
    /// `derived` is as `draw` left it for the same parameters.
    func addGradient(parameters: UnsafePointer<Double>, noise: UnsafePointer<Double>, count: Int,
                     pointCotangent: UnsafePointer<Double>, logDensityWeight: Double,
                     derived: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>)
}

/// `derived` holds σⱼ = softplus(ρⱼ), then σ'(ρⱼ) = sigmoid(ρⱼ), both from one e^{−|ρⱼ|}.
extension AutoNormal: DirectGradientGuide {
    var noiseWidth: Int { dimension }
    var derivedWidth: Int { 2 * dimension }

    func draw(parameters: UnsafePointer<Double>, noise: UnsafePointer<Double>, count: Int,
              points: UnsafeMutablePointer<Double>, logDensity: UnsafeMutablePointer<Double>,
              derived: UnsafeMutablePointer<Double>) {
        let d = locOffsets.count
        for s in 0..<count { logDensity[s] = 0 }
        for j in 0..<d {
            let m = parameters[locOffsets[j]], rho = parameters[scaleOffsets[j]]
            // softplus(ρ) = max(ρ, 0) + log(1 + t) and sigmoid(ρ) = 1/(1 + t) or t/(1 + t), t = e^{−|ρ|}.
            let t = Double.exp(-abs(rho))
            let sigma = max(rho, 0) + Double.log(onePlus: t), logSigma = Double.log(sigma)
            derived[j] = sigma
            derived[d + j] = rho >= 0 ? 1 / (1 + t) : t / (1 + t)
            for s in 0..<count {
                let z = m + sigma * noise[s * d + j]
                points[s * d + j] = z
                let e = (z - m) / sigma
                logDensity[s] += -0.5 * e * e - logSigma - halfLogTwoPi
            }
        }
    }

    /// ∂/∂loc = Σₛ cₛ; ∂/∂ρ = σ'(ρ) (Σₛ cₛ εₛ − w/σ), as log q(z) = log φ(ε) − log σ along a draw.
    func addGradient(parameters: UnsafePointer<Double>, noise: UnsafePointer<Double>, count: Int,
                     pointCotangent: UnsafePointer<Double>, logDensityWeight: Double,
                     derived: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>) {
        let d = locOffsets.count
        for j in 0..<d {
            var byLoc = 0.0, byScale = 0.0
            for s in 0..<count {
                let c = pointCotangent[s * d + j]
                byLoc += c
                byScale += c * noise[s * d + j]
            }
            gradient[locOffsets[j]] += byLoc
            gradient[scaleOffsets[j]] += derived[d + j] * (byScale - logDensityWeight / derived[j])
        }
    }
}

/// Parameters: loc (D), then scale_tril packed as `bijectTo(.lowerCholesky)`
/// stores it — the strictly lower entries row by row, then the diagonal as
/// logarithms; z = loc + L ε and log q(z) = log φ(ε) − Σᵢ log Lᵢᵢ along a draw.
/// `derived` holds the diagonal Lᵢᵢ.
extension AutoMultivariateNormal: DirectGradientGuide {
    var noiseWidth: Int { dimension }
    var derivedWidth: Int { dimension }

    func draw(parameters: UnsafePointer<Double>, noise: UnsafePointer<Double>, count: Int,
              points: UnsafeMutablePointer<Double>, logDensity: UnsafeMutablePointer<Double>,
              derived: UnsafeMutablePointer<Double>) {
        let d = dimension, strict = parameters + d, logDiagonal = strict + d * (d - 1) / 2
        var logDeterminant = 0.0
        for i in 0..<d {
            logDeterminant += logDiagonal[i]
            derived[i] = Double.exp(logDiagonal[i])
        }
        for s in 0..<count {
            let e = noise + s * d, z = points + s * d
            var squares = 0.0
            for i in 0..<d {
                var value = parameters[i] + derived[i] * e[i]
                for j in 0..<i { value += strict[i * (i - 1) / 2 + j] * e[j] }
                z[i] = value
                squares += e[i] * e[i]
            }
            logDensity[s] = -0.5 * squares - logDeterminant - Double(d) * halfLogTwoPi
        }
    }

    /// ∂/∂loc = Σₛ cₛ, ∂/∂Lᵢⱼ = Σₛ cₛᵢ εₛⱼ, the diagonal's through Lᵢᵢ = eˣ and less w for −log Lᵢᵢ.
    func addGradient(parameters: UnsafePointer<Double>, noise: UnsafePointer<Double>, count: Int,
                     pointCotangent: UnsafePointer<Double>, logDensityWeight: Double,
                     derived: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>) {
        let d = dimension, strictOffset = d, diagonalOffset = d + d * (d - 1) / 2
        for s in 0..<count {
            let e = noise + s * d, c = pointCotangent + s * d
            for i in 0..<d {
                gradient[i] += c[i]
                for j in 0..<i { gradient[strictOffset + i * (i - 1) / 2 + j] += c[i] * e[j] }
                gradient[diagonalOffset + i] += derived[i] * c[i] * e[i]
            }
        }
        for i in 0..<d { gradient[diagonalOffset + i] -= logDensityWeight }
    }
}
