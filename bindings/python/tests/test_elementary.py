"""The elementary univariate families against scipy.stats, and their KL divergences against Monte Carlo."""

import numpy as np
import pytest
from scipy import stats

import swiftvi
from scipy_check import assert_close, check_against_scipy, check_sampling

B = 50  # parameter draws per family
M = 20  # values per draw


def _positive(rng, spread=0.5, centre=0.0):
    return np.exp(rng.normal(centre, spread, size=B))


def _loc(rng):
    return rng.normal(0.0, 2.0, size=B)


def _truncated_bounds(rng, loc, scale):
    low = loc + scale * rng.uniform(-3.0, 1.0, size=B)
    return low, low + scale * rng.uniform(0.2, 4.0, size=B)


def _lognormal(rng):
    loc, scale = rng.normal(0, 1, size=B), _positive(rng)
    return swiftvi.LogNormal(loc, scale), stats.lognorm(s=scale, scale=np.exp(loc))


def _halfnormal(rng):
    scale = _positive(rng, 1.0)
    return swiftvi.HalfNormal(scale), stats.halfnorm(scale=scale)


def _halfcauchy(rng):
    scale = _positive(rng, 1.0)
    return swiftvi.HalfCauchy(scale), stats.halfcauchy(scale=scale)


def _location_scale(family, reference):
    def make(rng):
        loc, scale = _loc(rng), _positive(rng, 1.0)
        return getattr(swiftvi, family)(loc, scale), reference(loc, scale)

    return make


def _uniform(rng):
    low, width = _loc(rng), _positive(rng, 1.0)
    return swiftvi.Uniform(low, low + width), stats.uniform(loc=low, scale=width)


def _weibull(rng):
    scale, concentration = _positive(rng), _positive(rng)
    return swiftvi.Weibull(scale, concentration), stats.weibull_min(c=concentration, scale=scale)


def _pareto(rng):
    scale, alpha = _positive(rng), _positive(rng, 0.6, 0.6)  # alpha in about (0.3, 8): some moments infinite
    return swiftvi.Pareto(scale, alpha), stats.pareto(b=alpha, scale=scale)


def _truncated_normal(rng):
    loc, scale = rng.normal(0, 1, size=B), _positive(rng)
    low, high = _truncated_bounds(rng, loc, scale)
    reference = stats.truncnorm(a=(low - loc) / scale, b=(high - loc) / scale, loc=loc, scale=scale)
    return swiftvi.TruncatedNormal(loc, scale, low, high), reference


# name -> function of a Generator giving (swiftvi distribution, frozen scipy reference) over B parameter draws.
FAMILIES = {
    "LogNormal": _lognormal,
    "HalfNormal": _halfnormal,
    "HalfCauchy": _halfcauchy,
    "Cauchy": _location_scale("Cauchy", stats.cauchy),
    "Laplace": _location_scale("Laplace", stats.laplace),
    "Logistic": _location_scale("Logistic", stats.logistic),
    "Gumbel": _location_scale("Gumbel", stats.gumbel_r),
    "Uniform": _uniform,
    "Weibull": _weibull,
    "Pareto": _pareto,
    "TruncatedNormal": _truncated_normal,
}

# Results that cross zero (quantiles, means, entropies) are also compared with an absolute floor, where
# a relative error means nothing; any looser tolerance says why.
ZERO_CROSSING = (1e-9, 1e-12)
TOLERANCES = {family: {m: ZERO_CROSSING for m in ("icdf", "mean", "entropy")} for family in FAMILIES}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_matches_scipy_at_random_parameters(family):
    rng = np.random.default_rng(100 + sorted(FAMILIES).index(family))
    dist, reference = FAMILIES[family](rng)
    assert dist.batch_shape == (B,) and dist.family == family
    values = reference.rvs(size=(M, B), random_state=rng)
    check_against_scipy(dist, reference, values, rng=rng, tolerances=TOLERANCES[family])


SAMPLING = {
    "LogNormal": (swiftvi.LogNormal(0.3, 0.6), stats.lognorm(s=0.6, scale=np.exp(0.3))),
    "HalfNormal": (swiftvi.HalfNormal(1.7), stats.halfnorm(scale=1.7)),
    "HalfCauchy": (swiftvi.HalfCauchy(0.8), stats.halfcauchy(scale=0.8)),
    "Cauchy": (swiftvi.Cauchy(-0.5, 2.0), stats.cauchy(-0.5, 2.0)),
    "Laplace": (swiftvi.Laplace(0.4, 1.5), stats.laplace(0.4, 1.5)),
    "Logistic": (swiftvi.Logistic(1.0, 0.7), stats.logistic(1.0, 0.7)),
    "Gumbel": (swiftvi.Gumbel(0.5, 1.2), stats.gumbel_r(0.5, 1.2)),
    "Uniform": (swiftvi.Uniform(-1.0, 2.5), stats.uniform(-1.0, 3.5)),
    "Weibull": (swiftvi.Weibull(1.5, 0.8), stats.weibull_min(c=0.8, scale=1.5)),
    "Pareto": (swiftvi.Pareto(1.2, 9.0), stats.pareto(b=9.0, scale=1.2)),
    "TruncatedNormal": (
        swiftvi.TruncatedNormal(0.5, 1.2, -1.0, 2.2),
        stats.truncnorm(a=-1.5 / 1.2, b=1.7 / 1.2, loc=0.5, scale=1.2),
    ),
    "TruncatedNormal far tail": (
        swiftvi.TruncatedNormal(1.0, 2.0, low=61.0),
        stats.truncnorm(a=30.0, b=np.inf, loc=1.0, scale=2.0),
    ),
}


@pytest.mark.parametrize("name", sorted(SAMPLING))
def test_samples_follow_the_distribution(name):
    dist, reference = SAMPLING[name]
    check_sampling(dist, reference, seed=7)


@pytest.mark.parametrize("low, high", [(30.0, None), (30.0, 30.5), (None, -40.0), (-40.5, -40.0), (-38.0, 12.0)])
def test_truncated_normal_far_in_a_tail_matches_scipy(low, high):
    loc, scale = 1.5, 2.0
    dist = swiftvi.TruncatedNormal(
        loc, scale, None if low is None else loc + low * scale, None if high is None else loc + high * scale
    )
    a, b = -np.inf if low is None else low, np.inf if high is None else high
    reference = stats.truncnorm(a=a, b=b, loc=loc, scale=scale)
    z = np.linspace(max(a, min(b, 50.0) - 3.0), min(b, max(a, -50.0) + 3.0), 41)[1:-1]
    x = loc + scale * z
    log_prob = dist.log_prob(x)
    assert np.all(np.isfinite(log_prob))
    # Absolute 1e-11: the log-density here is a difference of terms near z²/2 ≈ 1000, whose rounding
    # (and that of z itself) is about 1e-13 however it is computed.
    assert_close(log_prob, reference.logpdf(x), 1e-12, 1e-11, what="log_prob")
    # The normalizer on its own: log_prob minus the untruncated normal's log-density.
    normal = stats.norm(loc, scale).logpdf(x)
    assert_close(log_prob - normal, reference.logpdf(x) - normal, 1e-12, 1e-11, what="log-normalizer")
    assert_close(dist.cdf(x), reference.cdf(x), 1e-9, 1e-300, what="cdf")
    p = np.array([1e-10, 0.01, 0.3, 0.5, 0.9, 1 - 1e-9])
    assert_close(dist.icdf(p), reference.ppf(p), 1e-11, what="icdf")
    draws = dist.sample((1000,), seed=3)
    assert np.all((draws >= loc + scale * a) & (draws <= loc + scale * b))


def test_truncated_normal_mean_far_in_the_tail_is_the_inverse_mills_ratio():
    # λ(30) = φ(30)/Q(30) = 30.033259667433677 (to 17 digits, from its continued fraction); scipy's
    # own truncnorm(30, inf) variance is off by 7e-8 relative there, so these are checked against the series.
    dist = swiftvi.TruncatedNormal(0.0, 1.0, low=30.0)
    lam = 30.033259667433677
    assert abs(dist.mean - lam) <= 1e-13 * lam
    assert abs(dist.variance - (1 - lam * (lam - 30))) <= 1e-8 * dist.variance
    assert np.isfinite(dist.entropy())


def test_truncated_normal_bounds_are_optional():
    loc, scale = np.array([0.0, 1.0]), 2.0
    one_sided = {
        "low": (swiftvi.TruncatedNormal(loc, scale, low=0.5), stats.truncnorm((0.5 - loc) / scale, np.inf, loc, scale)),
        "high": (swiftvi.TruncatedNormal(loc, scale, high=0.5), stats.truncnorm(-np.inf, (0.5 - loc) / scale, loc, scale)),
        "none": (swiftvi.TruncatedNormal(loc, scale), stats.norm(loc, scale)),
        "infinite": (swiftvi.TruncatedNormal(loc, scale, low=-np.inf, high=np.inf), stats.norm(loc, scale)),
    }
    x = np.array([[0.7, 1.3], [3.0, 0.4], [-2.0, 0.6]])
    for name, (dist, reference) in one_sided.items():
        expected = reference.logpdf(x)
        assert_close(dist.log_prob(x), expected, 1e-12, what=name)
    assert swiftvi.TruncatedNormal().low is None and swiftvi.TruncatedNormal(low=1.0).low == 1.0


def test_defaults_follow_numpyro():
    assert swiftvi.LogNormal().log_prob(1.0) == pytest.approx(stats.lognorm(s=1.0).logpdf(1.0), rel=1e-14)
    assert swiftvi.Uniform().entropy() == 0.0
    for cls in (swiftvi.HalfNormal, swiftvi.HalfCauchy):
        assert cls().scale == 1.0
    for cls in (swiftvi.Cauchy, swiftvi.Laplace, swiftvi.Logistic, swiftvi.Gumbel, swiftvi.LogNormal):
        d = cls()
        assert (d.loc, d.scale) == (0.0, 1.0)
    with pytest.raises(TypeError):
        swiftvi.Weibull()
    with pytest.raises(TypeError):
        swiftvi.Pareto()


OUTSIDE = [
    (swiftvi.LogNormal(0.0, 1.0), [-1.0, 0.0]),
    (swiftvi.HalfNormal(1.0), [-1e-9, -3.0]),
    (swiftvi.HalfCauchy(1.0), [-0.5]),
    (swiftvi.Uniform(-1.0, 2.0), [-1.0001, 2.0001, 50.0]),
    (swiftvi.Weibull(1.0, 2.0), [-0.1]),
    (swiftvi.Pareto(1.5, 2.0), [1.4999, 0.0, -2.0]),
    (swiftvi.TruncatedNormal(0.0, 1.0, -1.0, 1.0), [-1.0001, 1.0001]),
    (swiftvi.TruncatedNormal(0.0, 1.0, low=30.0), [29.9]),
]


@pytest.mark.parametrize("dist, values", OUTSIDE, ids=lambda v: getattr(v, "family", None))
def test_values_outside_the_support_have_log_prob_minus_infinity(dist, values):
    assert np.all(dist.log_prob(np.array(values)) == -np.inf)
    assert np.all(np.isin(dist.cdf(np.array(values)), [0.0, 1.0]))


INVALID = [
    (lambda: swiftvi.LogNormal(0.0, -1.0), "scale"),
    (lambda: swiftvi.LogNormal(np.nan, 1.0), "loc"),
    (lambda: swiftvi.HalfNormal(0.0), "scale"),
    (lambda: swiftvi.HalfCauchy(-2.0), "scale"),
    (lambda: swiftvi.Cauchy(np.inf, 1.0), "loc"),
    (lambda: swiftvi.Laplace(0.0, [1.0, 0.0]), "scale"),
    (lambda: swiftvi.Logistic(0.0, np.inf), "scale"),
    (lambda: swiftvi.Gumbel(0.0, -1.0), "scale"),
    (lambda: swiftvi.Uniform(1.0, 1.0), "low must be less than high"),
    (lambda: swiftvi.Uniform([0.0, 3.0], 2.0), "low must be less than high"),
    (lambda: swiftvi.Uniform(-np.inf, 0.0), "low"),
    (lambda: swiftvi.Weibull(1.0, 0.0), "concentration"),
    (lambda: swiftvi.Weibull(-1.0, 1.0), "scale"),
    (lambda: swiftvi.Pareto(1.0, -0.5), "alpha"),
    (lambda: swiftvi.Pareto(0.0, 2.0), "scale"),
    (lambda: swiftvi.TruncatedNormal(0.0, 0.0), "scale"),
    (lambda: swiftvi.TruncatedNormal(0.0, 1.0, 2.0, 1.0), "low must be less than high"),
    (lambda: swiftvi.TruncatedNormal(0.0, 1.0, low=np.inf), "low must be less than high"),
]


@pytest.mark.parametrize("make, name", INVALID)
def test_invalid_parameters_are_rejected_naming_the_parameter(make, name):
    with pytest.raises(swiftvi.SwiftVIError) as info:
        make()
    assert info.value.status == swiftvi.Status.INVALID_ARGUMENT
    assert name in info.value.message


def test_unknown_and_missing_parameters_are_rejected():
    from swiftvi.distributions import Distribution

    with pytest.raises(swiftvi.SwiftVIError, match="'scale' is missing"):
        Distribution._from_params("Weibull", {"concentration": np.array(1.0)})
    with pytest.raises(swiftvi.SwiftVIError, match="unknown parameter 'rate'"):
        Distribution._from_params("Pareto", {"scale": np.array(1.0), "alpha": np.array(1.0), "rate": np.array(1.0)})


KL_PAIRS = {
    "LogNormal": (swiftvi.LogNormal([0.3, -1.0], [0.6, 1.4]), swiftvi.LogNormal(-0.2, 0.9)),
    "HalfNormal": (swiftvi.HalfNormal([0.7, 3.0]), swiftvi.HalfNormal(1.9)),
    "Laplace": (swiftvi.Laplace([0.4, -2.0], [1.5, 0.3]), swiftvi.Laplace(-1.0, 0.8)),
    "Uniform": (swiftvi.Uniform([-0.5, 0.0], [1.2, 0.1]), swiftvi.Uniform(-1.0, 2.0)),
    "Uniform-Normal": (swiftvi.Uniform([-0.5, 3.0], [1.2, 5.0]), swiftvi.Normal(0.3, 0.8)),
    "Cauchy": (swiftvi.Cauchy([0.4, 5.0], [1.5, 0.2]), swiftvi.Cauchy(-1.0, 0.6)),
}


def kl_reference(name, p, q):
    """KL(p ‖ q) from the textbook closed forms, written out here independently of the library."""
    if name == "LogNormal" or name == "HalfNormal":
        loc_p = p.loc if name == "LogNormal" else 0.0
        loc_q = q.loc if name == "LogNormal" else 0.0
        return np.log(q.scale / p.scale) + (p.scale**2 + (loc_p - loc_q) ** 2) / (2 * q.scale**2) - 0.5
    if name == "Laplace":
        d = np.abs(p.loc - q.loc)
        return np.log(q.scale / p.scale) + d / q.scale + p.scale / q.scale * np.exp(-d / p.scale) - 1
    if name == "Uniform":
        inside = (p.low >= q.low) & (p.high <= q.high)
        return np.where(inside, np.log((q.high - q.low) / (p.high - p.low)), np.inf)
    if name == "Uniform-Normal":
        # -H(p) - E_p[log q], with E_p[(x - μ)²] = var + (mean - μ)².
        second = (p.high - p.low) ** 2 / 12 + ((p.low + p.high) / 2 - q.loc) ** 2
        return -np.log(p.high - p.low) + np.log(q.scale * np.sqrt(2 * np.pi)) + second / (2 * q.scale**2)
    if name == "Cauchy":
        return np.log(((p.scale + q.scale) ** 2 + (p.loc - q.loc) ** 2) / (4 * p.scale * q.scale))
    raise KeyError(name)


@pytest.mark.parametrize("name", sorted(KL_PAIRS))
def test_analytic_kl_matches_the_closed_form_and_monte_carlo(name):
    p, q = KL_PAIRS[name]
    exact = swiftvi.kl_divergence(p, q)
    assert_close(exact, kl_reference(name, p, q), 1e-12, what=name)
    estimate, standard_error = swiftvi.kl_monte_carlo(p, q, num_samples=1_000_000, seed=5)
    # Plus the rounding of a 10^6-term mean, for pairs whose log-ratio is constant (Uniform ‖ Uniform).
    assert np.all(np.abs(estimate - exact) <= 4 * standard_error + 1e-10 * np.abs(exact))
    if type(p) is type(q):
        np.testing.assert_array_equal(swiftvi.kl_divergence(p, p), 0.0)


def test_uniform_kl_is_infinite_when_p_reaches_outside_q():
    p = swiftvi.Uniform([-0.5, -2.0, 0.0], [1.0, 0.0, 3.0])
    kl = swiftvi.kl_divergence(p, swiftvi.Uniform(-1.0, 2.0))
    assert kl[0] == pytest.approx(np.log(3.0 / 1.5), rel=1e-15)
    assert kl[1] == np.inf and kl[2] == np.inf
