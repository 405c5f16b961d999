"""Gamma, Exponential, Chi2, InverseGamma, StudentT, Beta and Dirichlet against scipy.stats.

Tolerances: 1e-9 relative wherever scipy uses a closed form or an accurate special
function; an absolute floor of 1e-12 (times the scale where one applies) is added
for log-densities and entropies, which cross zero, and for quantiles near 0.
"""

import numpy as np
import pytest
from scipy import stats

import swiftvi
from scipy_check import NUM_DRAWS, NUM_SAMPLES, assert_close, check_against_scipy, check_sampling

NUM_VALUES = 20
KL_SAMPLES = 1_000_000


@pytest.fixture
def rng():
    return np.random.default_rng(20240923)


def log_normal(rng, mu, sigma, size=NUM_DRAWS):
    return np.exp(rng.normal(mu, sigma, size))


def check(dist, reference, rng, values, **kwargs):
    check_against_scipy(dist, reference, values, atol=1e-12, rng=rng, **kwargs)


def test_gamma_against_scipy(rng):
    concentration, rate = log_normal(rng, 0, 1.2), log_normal(rng, 0, 1)
    reference = stats.gamma(concentration, scale=1 / rate)
    check(swiftvi.Gamma(concentration, rate), reference, rng, reference.rvs((NUM_VALUES, NUM_DRAWS), random_state=rng))


def test_exponential_against_scipy(rng):
    rate = log_normal(rng, 0, 1)
    reference = stats.expon(scale=1 / rate)
    check(swiftvi.Exponential(rate), reference, rng, reference.rvs((NUM_VALUES, NUM_DRAWS), random_state=rng))


def test_chi2_against_scipy(rng):
    df = log_normal(rng, 1, 1)
    reference = stats.chi2(df)
    check(swiftvi.Chi2(df), reference, rng, reference.rvs((NUM_VALUES, NUM_DRAWS), random_state=rng))


def test_inverse_gamma_against_scipy(rng):
    concentration, rate = log_normal(rng, 0.5, 1), log_normal(rng, 0, 1)
    reference = stats.invgamma(concentration, scale=rate)
    check(swiftvi.InverseGamma(concentration, rate), reference, rng,
          reference.rvs((NUM_VALUES, NUM_DRAWS), random_state=rng))


def test_student_t_against_scipy(rng):
    df, loc, scale = log_normal(rng, 1, 1), rng.normal(0, 3, NUM_DRAWS), log_normal(rng, 0, 1)
    reference = stats.t(df, loc, scale)
    # Quantiles cross zero at the median: compare them relative to the scale there.
    check(swiftvi.StudentT(df, loc, scale), reference, rng, reference.rvs((NUM_VALUES, NUM_DRAWS), random_state=rng),
          tolerances={"icdf": (1e-9, 1e-12 * scale.max())})


def test_beta_against_scipy(rng):
    concentration1, concentration0 = log_normal(rng, 0, 1.2), log_normal(rng, 0, 1.2)
    reference = stats.beta(concentration1, concentration0)
    values = np.clip(reference.rvs((NUM_VALUES, NUM_DRAWS), random_state=rng), 1e-300, 1 - 1e-16)
    check(swiftvi.Beta(concentration1, concentration0), reference, rng, values)


def test_dirichlet_against_scipy(rng):
    concentration = log_normal(rng, 0, 1, (NUM_DRAWS, 4))
    d = swiftvi.Dirichlet(concentration)
    assert d.batch_shape == (NUM_DRAWS,) and d.event_shape == (4,)
    values = np.stack([rng.dirichlet(a, NUM_VALUES) for a in concentration], axis=1)  # (M, B, K)
    values = np.clip(values, 1e-300, None)
    values /= values.sum(-1, keepdims=True)
    references = [stats.dirichlet(a) for a in concentration]
    expected = np.stack([r.logpdf(values[:, j].T) for j, r in enumerate(references)], axis=1)
    assert_close(d.log_prob(values), expected, 1e-9, 1e-12, what="Dirichlet.log_prob")
    assert_close(d.mean, np.stack([r.mean() for r in references]), 1e-9, what="Dirichlet.mean")
    assert_close(d.variance, np.stack([r.var() for r in references]), 1e-9, what="Dirichlet.variance")
    assert_close(d.entropy(), np.array([r.entropy() for r in references]), 1e-9, 1e-12, what="Dirichlet.entropy")


def test_moments_that_do_not_exist_follow_scipy():
    df = np.array([0.5, 1.0, 1.5, 2.0, 3.0])
    t = swiftvi.StudentT(df, 1.0, 2.0)
    np.testing.assert_array_equal(t.mean, stats.t(df, 1.0, 2.0).mean())
    np.testing.assert_array_equal(t.variance, stats.t(df, 1.0, 2.0).var())
    concentration = np.array([0.5, 1.0, 1.5, 2.0, 3.0])
    ig = swiftvi.InverseGamma(concentration, 2.0)
    reference = stats.invgamma(concentration, scale=2.0)
    np.testing.assert_array_equal(np.isinf(ig.mean), np.isinf(reference.mean()))
    np.testing.assert_array_equal(np.isinf(ig.variance), np.isinf(reference.var()))


def test_extreme_parameters_against_scipy():
    # Large and tiny concentrations, where naive log-density formulas cancel or overflow.
    a = np.array([1e-3, 0.02, 300.0, 1e5])
    g = swiftvi.Gamma(a, 2.0)
    x = np.array([1e-200, 1e-30, 150.0, 5.0e4 + 100])
    assert_close(g.cdf(x), stats.gamma(a, scale=0.5).cdf(x), 1e-9, what="Gamma.cdf")
    assert_close(g.log_prob(x), stats.gamma(a, scale=0.5).logpdf(x), 1e-9, what="Gamma.log_prob")
    b = swiftvi.Beta([0.01, 500.0, 2.0], [0.02, 800.0, 3e4])
    u = np.array([1e-50, 0.38, 1e-4])
    assert_close(b.cdf(u), stats.beta([0.01, 500.0, 2.0], [0.02, 800.0, 3e4]).cdf(u), 1e-9, what="Beta.cdf")


@pytest.mark.parametrize(
    "dist, reference",
    [
        (lambda: swiftvi.Gamma(2.5, 1.3), stats.gamma(2.5, scale=1 / 1.3)),
        (lambda: swiftvi.Gamma(0.3, 2.0), stats.gamma(0.3, scale=0.5)),
        (lambda: swiftvi.Exponential(0.7), stats.expon(scale=1 / 0.7)),
        (lambda: swiftvi.Chi2(4.5), stats.chi2(4.5)),
        (lambda: swiftvi.InverseGamma(5.5, 2.0), stats.invgamma(5.5, scale=2.0)),
        (lambda: swiftvi.StudentT(5.5, -1.0, 0.5), stats.t(5.5, -1.0, 0.5)),
        (lambda: swiftvi.Beta(0.4, 0.7), stats.beta(0.4, 0.7)),
        (lambda: swiftvi.Beta(3.0, 8.0), stats.beta(3.0, 8.0)),
        (lambda: swiftvi.StudentT(0.3), stats.t(0.3)),
    ],
    ids=["Gamma", "Gamma-small", "Exponential", "Chi2", "InverseGamma", "StudentT", "Beta-small", "Beta",
         "StudentT-small-df"],
)
def test_draws_pass_goodness_of_fit(dist, reference):
    check_sampling(dist(), reference, seed=3)


# (Concentrations far below 0.1 put visible mass within 1e-16 of 1, where doubles round draws to
# exactly 1 and a KS test against a continuous cdf fails for any sampler; the Swift tests check
# that regime through moments.)
@pytest.mark.parametrize("concentration", [[0.3, 1.5, 4.0], [0.1, 0.5, 0.8]], ids=["moderate", "small"])
def test_dirichlet_marginals_pass_goodness_of_fit(concentration):
    concentration = np.array(concentration)
    total = concentration.sum()
    draws = swiftvi.Dirichlet(concentration).sample((NUM_SAMPLES,), seed=4)
    assert draws.shape == (NUM_SAMPLES, 3)
    np.testing.assert_allclose(draws.sum(-1), 1.0, rtol=0, atol=1e-12)
    for i, a in enumerate(concentration):
        marginal = stats.beta(a, total - a)
        assert stats.kstest(draws[:, i], marginal.cdf).pvalue > 1e-3
        assert abs(draws[:, i].mean() - marginal.mean()) <= 5 * np.sqrt(marginal.var() / NUM_SAMPLES)


KL_PAIRS = [
    (lambda: swiftvi.Gamma(2.5, 1.3), lambda: swiftvi.Gamma(1.2, 0.6)),
    (lambda: swiftvi.Gamma(0.4, 2.0), lambda: swiftvi.Gamma(0.9, 1.0)),
    (lambda: swiftvi.Exponential(0.7), lambda: swiftvi.Exponential(2.1)),
    (lambda: swiftvi.Exponential(1.4), lambda: swiftvi.Gamma(1.8, 0.9)),
    (lambda: swiftvi.Beta(2.3, 0.8), lambda: swiftvi.Beta(1.1, 3.0)),
    (lambda: swiftvi.Dirichlet([1.5, 0.6, 3.0]), lambda: swiftvi.Dirichlet([2.0, 2.0, 0.9])),
]
KL_IDS = ["Gamma-Gamma", "Gamma-Gamma-small", "Exponential-Exponential", "Exponential-Gamma", "Beta-Beta",
          "Dirichlet-Dirichlet"]


@pytest.mark.parametrize("p, q", KL_PAIRS, ids=KL_IDS)
def test_analytic_kl_agrees_with_monte_carlo(p, q):
    p, q = p(), q()
    exact = swiftvi.kl_divergence(p, q)
    estimate, standard_error = swiftvi.kl_monte_carlo(p, q, num_samples=KL_SAMPLES, seed=12)
    assert abs(exact - estimate) <= 4 * standard_error, f"{exact} vs {estimate} ± {standard_error}"
    assert standard_error < 0.01 * max(exact, 0.1)
    assert swiftvi.kl_divergence(p, p) == 0.0


def test_univariate_kl_agrees_with_quadrature():
    # An independent check of the closed forms: scipy's quadrature of p log(p/q).
    from scipy import integrate

    pairs = [
        ((2.5, 1.3), (1.2, 0.6)),
        ((0.9, 2.0), (3.0, 1.0)),
    ]
    for (a, b), (c, d) in pairs:
        p, q = stats.gamma(a, scale=1 / b), stats.gamma(c, scale=1 / d)
        value, _ = integrate.quad(lambda x: p.pdf(x) * (p.logpdf(x) - q.logpdf(x)), 0, np.inf, epsabs=1e-13, epsrel=1e-12)
        assert_close(swiftvi.kl_divergence(swiftvi.Gamma(a, b), swiftvi.Gamma(c, d)), value, 1e-8)
    p, q = stats.beta(2.3, 1.8), stats.beta(1.1, 3.0)
    value, _ = integrate.quad(lambda x: p.pdf(x) * (p.logpdf(x) - q.logpdf(x)), 0, 1, epsabs=1e-13, epsrel=1e-12)
    assert_close(swiftvi.kl_divergence(swiftvi.Beta(2.3, 1.8), swiftvi.Beta(1.1, 3.0)), value, 1e-8)


INVALID = [
    (lambda: swiftvi.Gamma(-1.0), "Gamma: concentration"),
    (lambda: swiftvi.Gamma(1.0, rate=0.0), "Gamma: rate"),
    (lambda: swiftvi.Exponential(np.nan), "Exponential: rate"),
    (lambda: swiftvi.Chi2(-2.0), "Chi2: df"),
    (lambda: swiftvi.InverseGamma(0.0), "InverseGamma: concentration"),
    (lambda: swiftvi.InverseGamma(1.0, rate=-1.0), "InverseGamma: rate"),
    (lambda: swiftvi.StudentT(0.0), "StudentT: df"),
    (lambda: swiftvi.StudentT(3.0, loc=np.inf), "StudentT: loc"),
    (lambda: swiftvi.StudentT(3.0, scale=-2.0), "StudentT: scale"),
    (lambda: swiftvi.Beta(-1.0, 1.0), "Beta: concentration1"),
    (lambda: swiftvi.Beta(1.0, np.inf), "Beta: concentration0"),
    (lambda: swiftvi.Dirichlet([1.0, 0.0, 2.0]), "Dirichlet: concentration"),
]


@pytest.mark.parametrize("make, message", INVALID, ids=[m for _, m in INVALID])
def test_invalid_parameters_are_rejected_naming_the_parameter(make, message):
    with pytest.raises(swiftvi.SwiftVIError) as info:
        make()
    assert info.value.status == swiftvi.Status.INVALID_ARGUMENT
    assert message in str(info.value)


def test_mismatched_shapes_are_rejected():
    with pytest.raises(swiftvi.SwiftVIError) as info:
        swiftvi.Gamma([1.0, 2.0], [1.0, 2.0, 3.0])
    assert info.value.status == swiftvi.Status.SHAPE_MISMATCH


def test_families_defaults_and_names():
    assert swiftvi.Gamma(2.0).family == "Gamma"
    assert swiftvi.Gamma(2.0).mean == 2.0  # rate defaults to 1
    assert swiftvi.Exponential().mean == 1.0
    assert swiftvi.InverseGamma(3.0).mean == 0.5
    t = swiftvi.StudentT(4.0)
    assert t.mean == 0.0 and t.variance == 2.0
    for family in ["Exponential", "Chi2", "InverseGamma", "StudentT", "Beta", "Dirichlet"]:
        assert family in swiftvi.__all__
