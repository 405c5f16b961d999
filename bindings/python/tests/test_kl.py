"""KL divergences: closed forms, Monte Carlo and quadrature against SciPy."""

import numpy as np
import pytest
from scipy import integrate, stats

import reference
import swiftvi


def normal_kl(m1, s1, m2, s2):
    """KL(N(m1, s1) ‖ N(m2, s2)) in closed form."""
    return np.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - 0.5


def seed_mixture():
    return swiftvi.MixtureSameFamily(
        swiftvi.Categorical(probs=reference.WEIGHTS), swiftvi.Normal(reference.LOCS, reference.SCALES)
    )


def test_normal_normal_kl_has_the_closed_form():
    rng = np.random.default_rng(3)
    m1, s1 = rng.normal(size=(5, 1)), np.exp(rng.normal(size=(5, 1)))
    m2, s2 = rng.normal(size=(1, 4)), np.exp(rng.normal(size=(1, 4)))
    kl = swiftvi.kl_divergence(swiftvi.Normal(m1, s1), swiftvi.Normal(m2, s2))
    assert kl.shape == (5, 4)
    np.testing.assert_allclose(kl, normal_kl(m1, s1, m2, s2), rtol=1e-12, atol=1e-14)


def test_kl_of_a_distribution_with_itself_is_zero():
    d = swiftvi.Normal([0.0, -3.0, 10.0], [1.0, 0.1, 7.0])
    np.testing.assert_array_equal(swiftvi.kl_divergence(d, d), 0.0)


def test_kl_without_closed_form_names_both_families():
    with pytest.raises(swiftvi.SwiftVIError) as info:
        swiftvi.kl_divergence(seed_mixture(), swiftvi.Normal(0.0, 1.0))
    assert info.value.status == swiftvi.Status.NOT_IMPLEMENTED
    assert info.value.status_name == "SVI_E_NOT_IMPLEMENTED"
    assert "MixtureSameFamily" in info.value.message and "Normal" in info.value.message


def forward_kl_by_quad(low=-np.inf, high=np.inf):
    """KL(N(0, 1) ‖ mixture) by SciPy's adaptive quadrature."""
    integrand = lambda x: stats.norm.pdf(x) * (stats.norm.logpdf(x) - reference.mixture_log_density(x))  # noqa: E731
    value, _ = integrate.quad(integrand, low, high, epsabs=1e-13, epsrel=1e-12, limit=200)
    return value


def test_monte_carlo_kl_agrees_with_quadrature_within_its_standard_error():
    estimate, standard_error = swiftvi.kl_monte_carlo(
        swiftvi.Normal(0.0, 1.0), seed_mixture(), num_samples=20_000, seed=1
    )
    truth = forward_kl_by_quad()
    assert 0 < standard_error < 0.05
    assert abs(estimate - truth) < 3 * standard_error


def test_monte_carlo_kl_standard_error_shrinks_like_one_over_root_n():
    p, q = swiftvi.Normal(0.0, 1.0), seed_mixture()
    _, small = swiftvi.kl_monte_carlo(p, q, num_samples=1_000, seed=2)
    _, large = swiftvi.kl_monte_carlo(p, q, num_samples=16_000, seed=2)
    assert 2.5 < small / large < 6.5


def test_quadrature_kl_agrees_with_scipy():
    p, q = swiftvi.Normal(0.0, 1.0), seed_mixture()
    assert abs(swiftvi.kl_quadrature(p, q, -12.0, 12.0, num_points=2048) - forward_kl_by_quad(-12.0, 12.0)) < 1e-8
    reverse, _ = integrate.quad(
        lambda x: np.exp(reference.mixture_log_density(x)) * (reference.mixture_log_density(x) - stats.norm.logpdf(x)),
        -12.0,
        12.0,
        epsabs=1e-13,
        epsrel=1e-12,
        limit=200,
    )
    assert abs(swiftvi.kl_quadrature(q, p, -12.0, 12.0, num_points=2048) - reverse) < 1e-8


def test_quadrature_kl_of_normals_matches_the_closed_form():
    value = swiftvi.kl_quadrature(swiftvi.Normal(0.3, 0.8), swiftvi.Normal(-0.5, 1.7), -15.0, 15.0, num_points=1024)
    assert abs(value - normal_kl(0.3, 0.8, -0.5, 1.7)) < 1e-10


def test_seed_003_mixture_kl_by_quadrature_and_sampling():
    """KL(0.4·N(−1, 0.75) + 0.6·N(4, 0.5) ‖ N(0, 1)), which seed 003 puts at ≈ 4.5455."""
    weights, locs, scales = np.array([0.4, 0.6]), np.array([-1.0, 4.0]), np.array([0.75, 0.5])
    p = swiftvi.MixtureSameFamily(swiftvi.Categorical(probs=weights), swiftvi.Normal(locs, scales))
    q = swiftvi.Normal(0.0, 1.0)

    def log_p(x):
        return np.logaddexp(*(np.log(w) + stats.norm.logpdf(x, m, s) for w, m, s in zip(weights, locs, scales)))

    truth, _ = integrate.quad(
        lambda x: np.exp(log_p(x)) * (log_p(x) - stats.norm.logpdf(x)), -12.0, 14.0, epsabs=1e-13, limit=200
    )
    assert abs(truth - 4.5455) < 1e-3
    assert abs(swiftvi.kl_quadrature(p, q, -12.0, 14.0, num_points=2048) - truth) < 1e-8
    estimate, standard_error = swiftvi.kl_monte_carlo(p, q, num_samples=1_000_000, seed=3)
    assert abs(estimate - truth) < 4 * standard_error
