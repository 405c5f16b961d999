"""Independent NumPy/SciPy references for the seed-003 coin: flips 0, 1, 1, 0, 0 with a Uniform(0, 1) prior on p."""

import functools
import math

import numpy as np
from scipy import optimize
from scipy.special import expit, log_expit

HEADS, TAILS = 2, 3
#: log B(3, 4) = log(2! 3! / 6!), the log evidence.
LOG_EVIDENCE = math.lgamma(3) + math.lgamma(4) - math.lgamma(7)

#: Gauss–Hermite nodes and weights for expectations under N(0, 1).
_NODES, _WEIGHTS = np.polynomial.hermite_e.hermegauss(200)
_WEIGHTS = _WEIGHTS / np.sqrt(2 * np.pi)


def log_joint(z):
    """For an (S, 1) array of p values: the Bernoulli log-likelihood (the prior is 1), shape (S,)."""
    p = z[:, 0]
    return HEADS * np.log(p) + TAILS * np.log1p(-p)


def log_joint_and_gradient(z):
    """log_joint and its derivative in p, shape (S, 1)."""
    p = z[:, 0]
    return log_joint(z), (HEADS / p - TAILS / (1 - p))[:, None]


def elbo(loc, scale):
    """The ELBO of q = N(loc, scale) on u = logit p: E_q[log p(σ(u)) + log σ'(u)] + entropy."""
    u = loc + scale * _NODES
    integrand = (HEADS + 1) * log_expit(u) + (TAILS + 1) * log_expit(-u)
    return float(_WEIGHTS @ integrand + math.log(scale) + 0.5 * math.log(2 * math.pi * math.e))


def mean_p(loc, scale):
    """E[σ(u)] for u ~ N(loc, scale)."""
    return float(_WEIGHTS @ expit(loc + scale * _NODES))


@functools.cache
def optimum():
    """The (loc, scale) maximizing the ELBO, over (loc, log scale)."""
    result = optimize.minimize(
        lambda t: -elbo(t[0], math.exp(t[1])), [0.0, 0.0], method="Nelder-Mead", options={"xatol": 1e-8, "fatol": 1e-12}
    )
    return float(result.x[0]), float(math.exp(result.x[1]))


def model(has_gradient=True):
    """The coin as a LogDensityModel with one unit_interval block "p"."""
    import swiftvi

    fn = log_joint_and_gradient if has_gradient else log_joint
    return swiftvi.LogDensityModel(fn, latents={"p": (1, swiftvi.constraints.unit_interval)}, has_gradient=has_gradient)
