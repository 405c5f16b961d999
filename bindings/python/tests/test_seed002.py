"""examples/seed002_regression.py: the MAP against SciPy's optimizer, the ELBOs and the w–b correlation against the exact posterior."""

import importlib.util
from pathlib import Path

import numpy as np
from scipy import integrate, stats

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "seed002_regression.py"


def load_example():
    spec = importlib.util.spec_from_file_location("seed002_regression", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def exact_posterior(x, y, prior_scale=10.0, noise_scale=10.0):
    """log p(y) and the posterior correlation of (w, b): given s, y ~ N(0, s² I + τ² X Xᵀ) and (w, b) is Gaussian.

    The remaining integral over t = log s, on [-4, 6] (outside it the
    integrand is below e^-40 of its peak), is by scipy.integrate.quad
    (evidence) and the trapezoidal rule (moments).
    """
    design = np.stack([x, np.ones_like(x)], axis=1)

    def log_weight(t):
        s = np.exp(t)
        likelihood = stats.multivariate_normal(np.zeros(len(y)), s**2 * np.eye(len(y)) + prior_scale**2 * design @ design.T)
        return likelihood.logpdf(y) + stats.halfcauchy(scale=noise_scale).logpdf(s) + t

    peak = max(log_weight(t) for t in np.linspace(-5, 5, 201))
    evidence, _ = integrate.quad(lambda t: np.exp(log_weight(t) - peak), -4, 6, points=[np.log(0.78)], limit=200)
    grid = np.linspace(-4, 6, 5001)
    weights = np.exp([log_weight(t) - peak for t in grid])
    means, seconds = [], []
    for t in grid:
        precision = np.eye(2) / prior_scale**2 + design.T @ design / np.exp(2 * t)
        covariance = np.linalg.inv(precision)
        mean = covariance @ design.T @ y / np.exp(2 * t)
        means.append(mean)
        seconds.append(covariance + np.outer(mean, mean))
    total = np.trapezoid(weights, grid)
    mean = np.trapezoid(weights[:, None] * np.array(means), grid, axis=0) / total
    second = np.trapezoid(weights[:, None, None] * np.array(seconds), grid, axis=0) / total
    covariance = second - np.outer(mean, mean)
    return peak + np.log(evidence), covariance[0, 1] / np.sqrt(covariance[0, 0] * covariance[1, 1])


def test_seed002_fits_match_scipy_and_the_exact_posterior():
    example = load_example()
    results = example.run(num_samples=20_000)
    reference, log_p = example.scipy_map()
    for site in ("w", "b", "s"):
        assert abs(results["map"][site] - reference[site]) < 1e-4
    # AutoDelta's loss is -log p at its point: the maximum SciPy found.
    assert abs(results["map_loss"] + log_p) < 1e-6

    log_evidence, correlation = exact_posterior(*example.load_data())
    normal, mvn = results["elbos"]["AutoNormal"], results["elbos"]["AutoMultivariateNormal"]
    for elbo in (normal, mvn):
        assert elbo.estimate < log_evidence + 4 * elbo.standard_error
        assert elbo.estimate > log_evidence - 0.2
    assert mvn.estimate > normal.estimate - 3 * np.hypot(normal.standard_error, mvn.standard_error)
    assert abs(results["correlation"] - correlation) < 0.03
