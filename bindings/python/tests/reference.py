"""Independent NumPy/SciPy references for the seed-000 problem: a two-component Normal mixture."""

import functools
import math

import numpy as np
from scipy import integrate, optimize, stats
from scipy.special import logsumexp

WEIGHTS = np.array([0.5, 0.5])
LOCS = np.array([-0.2, 1.0])
SCALES = np.array([0.4, 0.5])


def mixture_log_density(x):
    """log p(x) of the mixture, elementwise."""
    x = np.asarray(x, dtype=np.float64)[..., None]
    return logsumexp(np.log(WEIGHTS) + stats.norm.logpdf(x, LOCS, SCALES), axis=-1)


def mixture_log_density_and_gradient(z):
    """For an (S, 1) array of points: log p at each, shape (S,), and d log p / dz, shape (S, 1)."""
    x = z[:, :1]
    components = np.log(WEIGHTS) - np.log(SCALES) - 0.5 * np.log(2 * np.pi) - 0.5 * ((x - LOCS) / SCALES) ** 2
    log_density = logsumexp(components, axis=1)
    responsibilities = np.exp(components - log_density[:, None])
    gradient = np.sum(responsibilities * (LOCS - x) / SCALES**2, axis=1, keepdims=True)
    return log_density, gradient


def _scalar_log_density(x):
    """log p(x) of the mixture for one float, in plain Python for fast quadrature."""
    terms = [
        math.log(w) - math.log(s) - 0.5 * math.log(2 * math.pi) - 0.5 * ((x - m) / s) ** 2
        for w, m, s in zip(WEIGHTS, LOCS, SCALES)
    ]
    top = max(terms)
    return top + math.log(sum(math.exp(t - top) for t in terms))


def reverse_kl(loc, scale):
    """KL(N(loc, scale) ‖ mixture) by adaptive quadrature."""
    log_norm = -math.log(scale) - 0.5 * math.log(2 * math.pi)

    def integrand(x):
        log_q = log_norm - 0.5 * ((x - loc) / scale) ** 2
        return math.exp(log_q) * (log_q - _scalar_log_density(x))

    value, _ = integrate.quad(integrand, loc - 12 * scale, loc + 12 * scale, epsabs=1e-13, epsrel=1e-12, limit=200)
    return value


@functools.lru_cache(maxsize=None)
def reverse_kl_optimum():
    """(loc, scale) of the Normal minimizing KL(q ‖ mixture), found by Nelder–Mead over (loc, log scale)."""
    result = optimize.minimize(
        lambda theta: reverse_kl(theta[0], np.exp(theta[1])),
        x0=[0.0, 0.0],
        method="Nelder-Mead",
        options={"xatol": 1e-8, "fatol": 1e-12, "maxiter": 2000},
    )
    assert result.success
    return float(result.x[0]), float(np.exp(result.x[1]))
