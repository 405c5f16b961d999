"""Checks of the test suite's own reference computations, so that they can be trusted as truth."""

import numpy as np
from scipy import integrate, stats

import reference


def test_mixture_gradient_matches_finite_differences():
    z = np.linspace(-3, 3, 13)[:, None]
    log_density, gradient = reference.mixture_log_density_and_gradient(z)
    np.testing.assert_allclose(log_density, reference.mixture_log_density(z[:, 0]), rtol=1e-13)
    h = 1e-6
    central = (reference.mixture_log_density(z[:, 0] + h) - reference.mixture_log_density(z[:, 0] - h)) / (2 * h)
    np.testing.assert_allclose(gradient[:, 0], central, rtol=1e-6, atol=1e-8)


def test_mixture_density_integrates_to_one():
    total, _ = integrate.quad(lambda x: np.exp(reference.mixture_log_density(x)), -np.inf, np.inf)
    assert abs(total - 1) < 1e-10


def test_reverse_kl_of_a_normal_target_has_its_closed_form():
    # KL(N(a, s) ‖ N(b, t)) written out, against the quadrature used for the mixture.
    a, s, b, t = 0.3, 0.8, -0.5, 1.7
    closed = np.log(t / s) + (s**2 + (a - b) ** 2) / (2 * t**2) - 0.5
    value, _ = integrate.quad(
        lambda x: stats.norm.pdf(x, a, s) * (stats.norm.logpdf(x, a, s) - stats.norm.logpdf(x, b, t)), -12, 12
    )
    assert abs(value - closed) < 1e-10


def test_reverse_kl_optimum_is_a_stationary_point():
    loc, scale = reference.reverse_kl_optimum()
    best = reference.reverse_kl(loc, scale)
    for d_loc, d_scale in [(1e-3, 0), (-1e-3, 0), (0, 1e-3), (0, -1e-3)]:
        assert reference.reverse_kl(loc + d_loc, scale + d_scale) > best
