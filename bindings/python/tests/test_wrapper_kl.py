"""Analytic KL of the wrapper distributions (Independent, TransformedDistribution, Delta) against
closed forms written out here and against Monte Carlo at 10^6 draws."""

import numpy as np
from scipy import stats

import swiftvi
from swiftvi.transforms import AffineTransform, ExpTransform


def normal_kl(m1, s1, m2, s2):
    return np.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - 0.5


def test_independent_kl_sums_the_base_kl_and_agrees_with_monte_carlo():
    m1, s1 = np.array([[0.0, 1.0, -1.0], [0.5, 0.2, 2.0]]), np.array([[1.0, 0.5, 2.0], [0.3, 1.5, 0.8]])
    m2, s2 = np.array([0.3, 0.0, -0.5]), np.array([1.2, 0.7, 1.5])
    p = swiftvi.Independent(swiftvi.Normal(m1, s1), 1)
    q = swiftvi.Independent(swiftvi.Normal(m2, s2), 1)
    kl = swiftvi.kl_divergence(p, q)
    np.testing.assert_allclose(kl, normal_kl(m1, s1, m2, s2).sum(axis=-1), rtol=1e-12)
    estimate, standard_error = swiftvi.kl_monte_carlo(p, q, num_samples=1_000_000, seed=5)
    assert np.all(np.abs(estimate - kl) < 4 * standard_error)


def test_transformed_pair_with_equal_transforms_is_the_base_kl():
    transforms = [AffineTransform(0.5, 2.0), ExpTransform()]
    p = swiftvi.TransformedDistribution(swiftvi.Normal(0.2, 0.6), transforms)
    q = swiftvi.TransformedDistribution(swiftvi.Normal(-0.4, 1.1), transforms)
    kl = swiftvi.kl_divergence(p, q)
    assert abs(kl - normal_kl(0.2, 0.6, -0.4, 1.1)) < 1e-12
    estimate, standard_error = swiftvi.kl_monte_carlo(p, q, num_samples=1_000_000, seed=6)
    assert abs(estimate - kl) < 4 * standard_error


def test_delta_kl_is_minus_the_log_density_of_its_point():
    q = swiftvi.Normal(1.0, 2.0)
    kl = swiftvi.kl_divergence(swiftvi.Delta(0.3), q)
    assert abs(kl + stats.norm(1.0, 2.0).logpdf(0.3)) < 1e-12
    estimate, _ = swiftvi.kl_monte_carlo(swiftvi.Delta(0.3), q, num_samples=1000, seed=1)
    assert abs(estimate - kl) < 1e-12
