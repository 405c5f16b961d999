"""Seed 002: Bayesian linear regression with unknown noise, fitted with SwiftVI's automatic guides.

    w ~ N(0, 10), b ~ N(0, 10), s ~ HalfCauchy(10), y ~ N(w x + b, s)

on the ten points of data/seed002_regression.csv (drawn as the seed describes,
with SwiftVI's own keys). The log joint and its gradient are a NumPy function
over the blocks w, b (real) and s (positive). AutoDelta finds the MAP (printed
beside SciPy's optimum of the same log joint); AutoNormal and
AutoMultivariateNormal, started at the MAP, give their ELBOs; only the
full-covariance guide can show the w–b correlation.

    python bindings/python/examples/seed002_regression.py
"""

from pathlib import Path

import numpy as np
from scipy import optimize

import swiftvi

DATA = Path(__file__).resolve().parents[3] / "data" / "seed002_regression.csv"
PRIOR_SCALE = NOISE_SCALE = 10.0


def load_data(path=DATA):
    """The columns x, y of the data file."""
    x, y = np.loadtxt(path, delimiter=",", comments="#", unpack=True)
    return x, y


def log_joint_and_gradient(points, x, y):
    """log p(w, b, s, y) at S points (w, b, s) of shape (S, 3), and its gradient in (w, b, s)."""
    w, b, s = points[:, :1], points[:, 1:2], points[:, 2:]
    r = y - w * x - b
    squares = np.sum(r**2, axis=1)
    n = len(x)
    value = (
        -(w[:, 0] ** 2 + b[:, 0] ** 2) / (2 * PRIOR_SCALE**2)
        - 2 * np.log(PRIOR_SCALE)
        - np.log(2 * np.pi)
        + np.log(2 / (np.pi * NOISE_SCALE))
        - np.log1p((s[:, 0] / NOISE_SCALE) ** 2)
        - n * (np.log(s[:, 0]) + 0.5 * np.log(2 * np.pi))
        - 0.5 * squares / s[:, 0] ** 2
    )
    gradient = np.stack(
        [
            -w[:, 0] / PRIOR_SCALE**2 + np.sum(r * x, axis=1) / s[:, 0] ** 2,
            -b[:, 0] / PRIOR_SCALE**2 + np.sum(r, axis=1) / s[:, 0] ** 2,
            -2 * s[:, 0] / (NOISE_SCALE**2 + s[:, 0] ** 2) - n / s[:, 0] + squares / s[:, 0] ** 3,
        ],
        axis=1,
    )
    return value, gradient


def make_model(x, y):
    """The callback model over w, b (real) and s (positive)."""
    return swiftvi.LogDensityModel(
        lambda points: log_joint_and_gradient(points, x, y),
        latents={"w": 1, "b": 1, "s": (1, swiftvi.constraints.positive)},
    )


def fit(model, guide, step_size, num_steps, num_particles, seed=1):
    """A fitted SVI: Adam from ``step_size``, decaying tenfold every num_steps / 2 steps."""
    optim = swiftvi.optim.Adam(swiftvi.optim.exponential_decay(step_size, num_steps // 2, 0.1))
    svi = swiftvi.SVI(model, guide, optim, swiftvi.Trace_ELBO(num_particles=num_particles))
    result = svi.run(num_steps, seed=seed)
    return svi, result


def run(num_samples=100_000):
    """Fits the guides; returns the MAP, the final AutoDelta loss, each guide's ELBO estimate and the w–b correlation."""
    x, y = load_data()
    model = make_model(x, y)
    _, delta = fit(model, swiftvi.AutoDelta(model), 0.05, 3000, 1)
    map_point = {site: float(delta.params[f"{site}_auto_loc"][0]) for site in ("w", "b", "s")}
    at_map = swiftvi.init_to_value(values={site: [value] for site, value in map_point.items()})
    elbos = {}
    for name, guide in [
        # AutoNormal's init_loc is in the unconstrained coordinates: log s.
        ("AutoNormal", swiftvi.AutoNormal(model, init_loc=[map_point["w"], map_point["b"], np.log(map_point["s"])])),
        ("AutoMultivariateNormal", swiftvi.AutoMultivariateNormal(model, init_loc_fn=at_map)),
    ]:
        svi, result = fit(model, guide, 0.02, 2000, 8)
        elbos[name] = svi.estimate_elbo(num_samples=num_samples, seed=2)
        if name == "AutoMultivariateNormal":
            tril = result.params["auto_scale_tril"]
            covariance = tril @ tril.T
            correlation = covariance[0, 1] / np.sqrt(covariance[0, 0] * covariance[1, 1])
    return {"map": map_point, "map_loss": float(delta.losses[-1]), "elbos": elbos, "correlation": correlation}


def scipy_map():
    """SciPy's maximum of the same log joint over (w, b, log s): the point and log p there."""
    x, y = load_data()

    def negative(v):
        value, gradient = log_joint_and_gradient(np.array([[v[0], v[1], np.exp(v[2])]]), x, y)
        return -value[0], -gradient[0] * np.array([1.0, 1.0, np.exp(v[2])])

    slope, intercept = np.polyfit(x, y, 1)
    start = [slope, intercept, np.log(np.std(y - slope * x - intercept))]
    result = optimize.minimize(negative, start, jac=True, method="BFGS", options={"gtol": 1e-10})
    return {"w": result.x[0], "b": result.x[1], "s": np.exp(result.x[2])}, -result.fun


def main():
    results = run()
    reference, log_p = scipy_map()
    print("MAP       " + "  ".join(f"{site} {results['map'][site]: .6f}" for site in ("w", "b", "s")))
    print("SciPy MAP " + "  ".join(f"{site} {reference[site]: .6f}" for site in ("w", "b", "s")))
    print(f"AutoDelta loss {results['map_loss']:.6f}; -log p at SciPy's MAP {-log_p:.6f}")
    for name, elbo in results["elbos"].items():
        print(f"ELBO {name:<22} {elbo.estimate:.4f} +- {elbo.standard_error:.4f}")
    print(f"w-b correlation (AutoMultivariateNormal) {results['correlation']:.3f}; AutoNormal: 0 by construction")


if __name__ == "__main__":
    main()
