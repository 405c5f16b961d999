"""Checks of SwiftVI distributions against scipy.stats, shared by the per-family tests.

Each check builds one SwiftVI distribution over a batch of random parameter
draws and compares it, elementwise, with the frozen scipy distribution of the
same (broadcast) parameters.
"""

import numpy as np
from scipy import stats

NUM_DRAWS = 50
NUM_SAMPLES = 100_000


def assert_close(actual, expected, rtol, atol=0.0, what=""):
    """|actual - expected| <= atol + rtol |expected| elementwise, with equal shapes and equal infinities and NaNs."""
    actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    infinite = ~np.isfinite(expected)
    assert np.array_equal(actual[infinite], expected[infinite], equal_nan=True), f"{what}: infinities or NaNs differ"
    error = np.abs(actual[~infinite] - expected[~infinite])
    bound = (atol + rtol * np.abs(expected))[~infinite]
    if error.size:
        worst = np.argmax(error - bound)
        assert np.all(error <= bound), (
            f"{what}: error {error[worst]:.3g} exceeds {bound[worst]:.3g} "
            f"(expected {expected[~infinite][worst]!r}, got {actual[~infinite][worst]!r})"
        )


def check_against_scipy(dist, reference, values, *, rtol=1e-9, atol=0.0, discrete=False,
                        methods=("log_prob", "cdf", "icdf", "mean", "variance", "entropy"), rng=None, tolerances=None):
    """Compares `dist` (batch shape (B,)) with the frozen scipy `reference` of parameters shaped (B,).

    `values` has shape (M, B). `tolerances` maps a method name to its own (rtol, atol).
    icdf is checked at uniform probabilities; log_prob uses logpmf when `discrete`.
    """
    rng = rng or np.random.default_rng(0)
    tolerances = tolerances or {}
    tol = lambda m: tolerances.get(m, (rtol, atol))
    checks = {
        "log_prob": lambda: (dist.log_prob(values), (reference.logpmf if discrete else reference.logpdf)(values)),
        "cdf": lambda: (dist.cdf(values), reference.cdf(values)),
        "mean": lambda: (dist.mean, reference.mean()),
        "variance": lambda: (dist.variance, reference.var()),
        "entropy": lambda: (dist.entropy(), reference.entropy()),
    }
    for method in methods:
        if method == "icdf":
            q = rng.uniform(0.001, 0.999, size=values.shape)
            actual, expected = dist.icdf(q), reference.ppf(q)
        else:
            actual, expected = checks[method]()
        r, a = tol(method)
        assert_close(actual, np.broadcast_to(expected, np.shape(actual)), r, a, what=f"{type(dist).__name__}.{method}")


def check_sampling(dist, reference, *, seed=0, discrete=False, num_samples=NUM_SAMPLES):
    """Draws from a scalar-batch `dist`: a KS (continuous) or chi-square (discrete) test against
    `reference` at p > 1e-3, and sample mean and variance within 5 standard errors of the reference's."""
    draws = np.asarray(dist.sample((num_samples,), seed=seed), dtype=float)
    assert draws.shape == (num_samples,)
    if discrete:
        p_value = _chi_square_p(draws, reference)
    else:
        p_value = stats.kstest(draws, reference.cdf).pvalue
    assert p_value > 1e-3, f"{type(dist).__name__}: goodness-of-fit p = {p_value:.3g}"
    mean, var = reference.mean(), reference.var()
    if np.isfinite(var):
        assert abs(draws.mean() - mean) <= 5 * np.sqrt(var / num_samples), "sample mean"
        fourth = np.mean((draws - mean) ** 4)
        if np.isfinite(fourth):
            assert abs(draws.var() - var) <= 5 * np.sqrt(max(fourth - var**2, 0) / num_samples) + 1e-12, "sample variance"


def _chi_square_p(draws, reference):
    """Chi-square p-value over integer bins, pooling bins with expected count < 5 into their neighbours."""
    n = draws.size
    assert np.all(draws == np.round(draws)), "discrete draws must be integers"
    low, high = int(reference.ppf(1e-9)), int(reference.ppf(1 - 1e-9))
    support = np.arange(low, high + 1)
    probs = reference.pmf(support)
    probs[0] += reference.cdf(low - 1)
    probs[-1] += reference.sf(high)
    counts = np.array([np.sum(draws == k) for k in support], dtype=float)
    counts[0] += np.sum(draws < low)
    counts[-1] += np.sum(draws > high)
    observed, expected, o, e = [], [], 0.0, 0.0
    for c, p in zip(counts, probs * n):
        o, e = o + c, e + p
        if e >= 5:
            observed.append(o), expected.append(e)
            o, e = 0.0, 0.0
    if e > 0 and expected:
        observed[-1] += o
        expected[-1] += e
    if len(expected) < 2:
        return 1.0
    return stats.chisquare(observed, expected).pvalue
