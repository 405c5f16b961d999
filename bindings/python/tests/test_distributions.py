"""Normal, Categorical and MixtureSameFamily against SciPy and direct NumPy computation."""

import numpy as np
import pytest
from scipy import stats
from scipy.special import log_softmax, logsumexp

import swiftvi

RTOL = 1e-12


def assert_close(actual, expected, floor=0.0):
    """|actual - expected| <= RTOL * max(|expected|, floor), elementwise, with equal shapes."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape
    bound = RTOL * np.maximum(np.abs(expected), floor)
    error = np.abs(actual - expected)
    assert np.all(error <= bound), f"worst relative error {np.max(error / np.maximum(np.abs(expected), 1e-300)):.3g}"


@pytest.fixture
def rng():
    return np.random.default_rng(20240601)


def random_normal_params(rng, loc_shape, scale_shape):
    return rng.normal(0, 3, size=loc_shape), np.exp(rng.normal(0, 1, size=scale_shape))


BROADCASTS = [
    # (loc shape, scale shape, value shape)
    ((), (), (500,)),
    ((40, 1), (1, 30), (40, 30)),
    ((30,), (), (7, 30)),
    ((5, 1, 3), (4, 1), (2, 5, 4, 3)),
    ((6,), (6,), ()),
]


@pytest.mark.parametrize("loc_shape, scale_shape, value_shape", BROADCASTS)
def test_normal_log_prob_and_cdf_match_scipy(rng, loc_shape, scale_shape, value_shape):
    loc, scale = random_normal_params(rng, loc_shape, scale_shape)
    d = swiftvi.Normal(loc, scale)
    assert d.batch_shape == np.broadcast_shapes(loc_shape, scale_shape)
    assert d.event_shape == ()
    x = np.broadcast_to(loc, np.broadcast_shapes(loc_shape, value_shape)) + 2 * rng.normal(size=value_shape)
    reference = stats.norm(loc, scale)
    assert_close(d.log_prob(x), reference.logpdf(x))
    assert_close(d.cdf(x), reference.cdf(x))


@pytest.mark.parametrize("loc_shape, scale_shape, value_shape", BROADCASTS)
def test_normal_icdf_matches_scipy(rng, loc_shape, scale_shape, value_shape):
    loc, scale = random_normal_params(rng, loc_shape, scale_shape)
    p = rng.uniform(size=value_shape)
    expected = stats.norm(loc, scale).ppf(p)
    # Relative to the scale where the quantile crosses zero.
    assert_close(swiftvi.Normal(loc, scale).icdf(p), expected, floor=np.broadcast_to(scale, expected.shape))


def test_normal_tails_match_scipy(rng):
    loc, scale = random_normal_params(rng, (200,), (200,))
    d = swiftvi.Normal(loc, scale)
    t = np.linspace(-8, 8, 200)
    reference = stats.norm(loc, scale)
    assert_close(d.cdf(loc + t * scale), reference.cdf(loc + t * scale))
    assert_close(d.log_prob(loc + t * scale), reference.logpdf(loc + t * scale))
    p = np.concatenate([10.0 ** -np.linspace(1, 15, 100), 1 - 10.0 ** -np.linspace(1, 10, 100)])
    assert_close(d.icdf(p), reference.ppf(p), floor=scale)


def test_normal_moments_and_entropy_match_scipy(rng):
    loc, scale = random_normal_params(rng, (8, 1), (1, 9))
    d = swiftvi.Normal(loc, scale)
    reference = stats.norm(loc, scale)
    assert_close(d.mean, reference.mean())
    assert_close(d.variance, reference.var())
    # The entropy crosses zero at scale = 1 / sqrt(2 pi e): compare relative to 1 there.
    assert_close(d.entropy(), reference.entropy(), floor=1.0)


def test_scalar_normal_returns_numpy_scalars():
    d = swiftvi.Normal(0.5, 2.0)
    assert d.batch_shape == ()
    assert isinstance(d.log_prob(1.0), np.float64)
    assert d.sample(seed=3).shape == ()
    assert d.sample(10, seed=3).shape == (10,)
    assert d.sample((2, 3), seed=3).shape == (2, 3)


def test_normal_samples_have_the_right_distribution():
    loc, scale, n = 1.3, 0.7, 100_000
    x = swiftvi.Normal(loc, scale).sample((n,), seed=11)
    assert x.shape == (n,)
    assert abs(x.mean() - loc) < 5 * scale / np.sqrt(n)
    assert abs(x.std(ddof=1) - scale) < 5 * scale / np.sqrt(2 * (n - 1))
    assert stats.kstest(x, stats.norm(loc, scale).cdf).pvalue > 1e-3


def test_batched_normal_samples_follow_each_batch_member():
    loc, scale, n = np.array([-2.0, 0.0, 5.0]), np.array([0.5, 1.0, 3.0]), 50_000
    x = swiftvi.Normal(loc, scale).sample((n,), seed=5)
    assert x.shape == (n, 3)
    for j in range(3):
        assert abs(x[:, j].mean() - loc[j]) < 5 * scale[j] / np.sqrt(n)
        assert stats.kstest(x[:, j], stats.norm(loc[j], scale[j]).cdf).pvalue > 1e-3


def test_same_seed_same_samples():
    d = swiftvi.Normal([0.0, 1.0], [1.0, 2.0])
    np.testing.assert_array_equal(d.sample((100,), seed=9), d.sample((100,), seed=9))
    np.testing.assert_array_equal(d.sample((100,), seed=9), d.sample((100,), seed=swiftvi.PRNGKey(9)))
    assert not np.array_equal(d.sample((100,), seed=9), d.sample((100,), seed=10))


def test_categorical_log_prob_matches_numpy(rng):
    probs = rng.dirichlet(np.ones(5), size=(3, 4))
    values = rng.integers(0, 5, size=(6, 3, 4))
    expected = np.log(np.take_along_axis(np.broadcast_to(probs, (6, 3, 4, 5)), values[..., None], axis=-1)[..., 0])
    d = swiftvi.Categorical(probs=probs)
    assert d.batch_shape == (3, 4) and d.event_shape == ()
    assert_close(d.log_prob(values), expected)


def test_categorical_from_logits_matches_log_softmax(rng):
    logits = rng.normal(0, 2, size=(2, 6))
    values = rng.integers(0, 6, size=(10, 2))
    expected = np.take_along_axis(log_softmax(logits, axis=-1)[None].repeat(10, 0), values[..., None], -1)[..., 0]
    assert_close(swiftvi.Categorical(logits=logits).log_prob(values), expected, floor=1.0)


def test_categorical_samples_follow_the_probabilities():
    probs = np.array([0.1, 0.2, 0.3, 0.4])
    draws = swiftvi.Categorical(probs=probs).sample(40_000, seed=4)
    assert draws.dtype == np.int64
    counts = np.bincount(draws, minlength=4)
    assert stats.chisquare(counts, probs * draws.size).pvalue > 1e-3


def test_categorical_needs_exactly_one_parameterization():
    with pytest.raises(ValueError):
        swiftvi.Categorical()
    with pytest.raises(ValueError):
        swiftvi.Categorical(probs=[0.5, 0.5], logits=[0.0, 0.0])


def make_mixture(weights, locs, scales):
    return swiftvi.MixtureSameFamily(swiftvi.Categorical(probs=weights), swiftvi.Normal(locs, scales))


def test_mixture_log_prob_matches_logsumexp(rng):
    weights, locs, scales = np.array([0.5, 0.5]), np.array([-0.2, 1.0]), np.array([0.4, 0.5])
    p = make_mixture(weights, locs, scales)
    assert p.batch_shape == () and p.event_shape == ()
    x = rng.normal(0, 2, size=300)
    expected = logsumexp(np.log(weights) + stats.norm.logpdf(x[:, None], locs, scales), axis=-1)
    assert_close(p.log_prob(x), expected, floor=1.0)


def test_batched_mixture_matches_numpy(rng):
    weights = rng.dirichlet(np.ones(3), size=4)
    locs, scales = rng.normal(size=(4, 3)), np.exp(rng.normal(size=(4, 3)))
    p = swiftvi.MixtureSameFamily(
        mixture_distribution=swiftvi.Categorical(probs=weights),
        component_distribution=swiftvi.Normal(locs, scales),
    )
    assert p.batch_shape == (4,)
    x = rng.normal(size=(20, 4))
    expected = logsumexp(np.log(weights) + stats.norm.logpdf(x[..., None], locs, scales), axis=-1)
    assert_close(p.log_prob(x), expected, floor=1.0)
    mean = np.sum(weights * locs, axis=-1)
    assert_close(p.mean, mean, floor=1.0)
    assert_close(p.variance, np.sum(weights * (scales**2 + locs**2), axis=-1) - mean**2, floor=1.0)


def test_mixture_samples_follow_the_mixture_cdf():
    weights, locs, scales = np.array([0.3, 0.7]), np.array([-1.0, 2.0]), np.array([0.5, 1.0])
    x = make_mixture(weights, locs, scales).sample(50_000, seed=8)
    assert x.shape == (50_000,)
    cdf = lambda v: np.sum(weights * stats.norm.cdf(np.asarray(v)[..., None], locs, scales), axis=-1)  # noqa: E731
    assert stats.kstest(x, cdf).pvalue > 1e-3


def test_family_names():
    normal, categorical = swiftvi.Normal([0.0, 1.0], 1.0), swiftvi.Categorical(probs=[0.5, 0.5])
    assert normal.family == "Normal"
    assert categorical.family == "Categorical"
    assert swiftvi.MixtureSameFamily(categorical, normal).family == "MixtureSameFamily"


def test_distributions_work_as_context_managers():
    with swiftvi.Normal(0.0, 1.0) as d:
        assert np.isfinite(d.log_prob(0.0))
    assert d.closed


def test_normal_against_scipy_at_random_parameters(rng):
    from scipy_check import NUM_DRAWS, check_against_scipy

    loc, scale = rng.normal(0, 3, NUM_DRAWS), np.exp(rng.normal(0, 1, NUM_DRAWS))
    values = loc + scale * rng.normal(0, 2, (20, NUM_DRAWS))
    check_against_scipy(swiftvi.Normal(loc, scale), stats.norm(loc, scale), values, rtol=1e-12, atol=1e-300,
                        tolerances={"icdf": (1e-12, 1e-12 * scale.max())}, rng=rng)


def test_normal_draws_pass_goodness_of_fit():
    from scipy_check import check_sampling

    check_sampling(swiftvi.Normal(1.5, 0.3), stats.norm(1.5, 0.3), seed=7)
