"""Fit q = Normal(loc, scale) to a two-component Normal mixture p by reverse KL, and compare with SciPy.

p = 0.5 N(-0.2, 0.4) + 0.5 N(1, 0.5). Its log-density and gradient are a NumPy
function handed to SwiftVI; the reference optimum minimizes KL(q ‖ p) computed
by scipy.integrate.quad.

    python bindings/python/examples/fit_mixture.py
"""

import numpy as np
from scipy import integrate, optimize
from scipy.special import logsumexp

import swiftvi

WEIGHTS, LOCS, SCALES = np.array([0.5, 0.5]), np.array([-0.2, 1.0]), np.array([0.4, 0.5])


def log_components(x):
    """log(weight_k N(x; loc_k, scale_k)) for each component k, along a new last axis."""
    x = np.asarray(x, dtype=np.float64)[..., None]
    return np.log(WEIGHTS / SCALES) - 0.5 * np.log(2 * np.pi) - 0.5 * ((x - LOCS) / SCALES) ** 2


def log_p_and_gradient(z):
    """log p and its gradient at S points z of shape (S, 1)."""
    components = log_components(z[:, 0])
    log_density = logsumexp(components, axis=1)
    weights = np.exp(components - log_density[:, None])
    return log_density, np.sum(weights * (LOCS - z) / SCALES**2, axis=1, keepdims=True)


def fit(num_steps=2000, num_averaged=1000, seed=0):
    """The SVI estimate of (loc, scale): Adam run, then the average of the last iterates."""
    model = swiftvi.LogDensityModel(log_p_and_gradient, latents={"z": 1})
    svi = swiftvi.SVI(model, swiftvi.AutoNormal(model), swiftvi.optim.Adam(0.02), swiftvi.Trace_ELBO(num_particles=32))
    svi.run(num_steps, seed=seed)
    iterates = []
    for _ in range(num_averaged):
        svi.step()
        params = svi.get_params()
        iterates.append((params["z_auto_loc"][0], params["z_auto_scale"][0]))
    return np.mean(iterates, axis=0)


def reference():
    """The (loc, scale) minimizing KL(q ‖ p), by quadrature and Nelder–Mead over (loc, log scale)."""

    def kl(theta):
        loc, scale = theta[0], np.exp(theta[1])

        def integrand(x):
            log_q = -np.log(scale) - 0.5 * np.log(2 * np.pi) - 0.5 * ((x - loc) / scale) ** 2
            return np.exp(log_q) * (log_q - np.logaddexp.reduce(log_components(x)))

        value, _ = integrate.quad(integrand, loc - 12 * scale, loc + 12 * scale)
        return value

    result = optimize.minimize(kl, x0=[0.0, 0.0], method="Nelder-Mead", options={"xatol": 1e-6, "fatol": 1e-10})
    return np.array([result.x[0], np.exp(result.x[1])])


if __name__ == "__main__":
    fitted, best = fit(), reference()
    print(f"{'':8}{'loc':>10}{'scale':>10}")
    print(f"{'swiftvi':8}{fitted[0]:10.4f}{fitted[1]:10.4f}")
    print(f"{'scipy':8}{best[0]:10.4f}{best[1]:10.4f}")
