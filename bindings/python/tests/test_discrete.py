"""Bernoulli, Binomial, Poisson, Geometric, Delta and Independent against scipy.stats and their KL rules
against Monte Carlo."""

import numpy as np
import pytest
from scipy import stats
from scipy.special import expit

import swiftvi
from scipy_check import NUM_DRAWS, check_against_scipy, check_sampling

METHODS = ("log_prob", "mean", "variance", "entropy")


@pytest.fixture
def rng():
    return np.random.default_rng(20240917)


def integer_values(rng, low, high, count=40):
    """(count + 4, NUM_DRAWS) values: random integers in [low - 2, high + 2] (per column) and four off-support points."""
    low, high = np.broadcast_to(low, NUM_DRAWS).astype(float), np.broadcast_to(high, NUM_DRAWS).astype(float)
    span = rng.random((count, NUM_DRAWS))
    inside = np.floor(low - 2 + span * (high - low + 5))
    outside = np.stack([np.full_like(span[0], -1.0), low + 0.5, high + 1.5, np.full_like(span[0], 1e300)])
    return np.concatenate([inside, outside])


@pytest.mark.parametrize("form", ["probs", "logits"])
def test_bernoulli_matches_scipy(rng, form):
    p = rng.random(NUM_DRAWS)
    d = swiftvi.Bernoulli(probs=p) if form == "probs" else swiftvi.Bernoulli(logits=np.log(p) - np.log1p(-p))
    check_against_scipy(d, stats.bernoulli(p), integer_values(rng, 0, 1), discrete=True, methods=METHODS + ("cdf",))


@pytest.mark.parametrize("form", ["probs", "logits"])
def test_binomial_matches_scipy(rng, form):
    n = rng.integers(0, 300, NUM_DRAWS).astype(float)
    logits = rng.normal(0, 3, NUM_DRAWS)
    d = swiftvi.Binomial(n, probs=expit(logits)) if form == "probs" else swiftvi.Binomial(n, logits=logits)
    # scipy's binom.cdf loses digits below about 1e-280 (checked against mpmath), hence the cdf's atol.
    check_against_scipy(d, stats.binom(n, expit(logits)), integer_values(rng, 0, n), discrete=True,
                        methods=METHODS + ("cdf",), tolerances={"cdf": (1e-9, 1e-280)})


def test_poisson_matches_scipy(rng):
    rate = np.exp(rng.uniform(-5, 7, NUM_DRAWS))
    spread = 6 * np.sqrt(rate) + 3
    values = integer_values(rng, np.maximum(rate - spread, 0), rate + spread)
    check_against_scipy(swiftvi.Poisson(rate), stats.poisson(rate), values, discrete=True, methods=METHODS + ("cdf",))


@pytest.mark.parametrize("form", ["probs", "logits"])
def test_negative_binomial_matches_scipy(rng, form):
    r = np.exp(rng.uniform(-2, 4, NUM_DRAWS))
    logits = rng.normal(0, 1.5, NUM_DRAWS)
    d = swiftvi.NegativeBinomial(r, probs=expit(logits)) if form == "probs" else swiftvi.NegativeBinomial(r, logits=logits)
    # PyTorch/NumPyro count successes (probability probs) before total_count failures;
    # scipy's nbinom(n, p) counts failures before n successes of probability p: n = total_count, p = 1 - probs.
    reference = stats.nbinom(r, expit(-logits))
    check_against_scipy(d, reference, integer_values(rng, 0, reference.ppf(0.999)), discrete=True, methods=METHODS)


@pytest.mark.parametrize("form", ["probs", "logits"])
def test_geometric_matches_scipy(rng, form):
    logits = rng.normal(0, 2.5, NUM_DRAWS)
    d = swiftvi.Geometric(probs=expit(logits)) if form == "probs" else swiftvi.Geometric(logits=logits)
    # NumPyro's Geometric counts failures; scipy's geom counts trials, hence loc = -1.
    reference = stats.geom(expit(logits), loc=-1)
    values = integer_values(rng, 0, reference.ppf(0.999))
    check_against_scipy(d, reference, values, discrete=True, methods=METHODS + ("cdf",))


def test_large_count_log_probs_match_high_precision():
    # scipy's logpmf loses digits to cancellation at such counts, so the reference is computed in 50 digits.
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 50
    counts = np.array([1e4, 3e6, 1e9])
    shifts = np.array([[-3.0], [0.0], [2.5]])
    k = np.round(counts + shifts * np.sqrt(counts))
    exact = [[float(kk * mpmath.log(r) - r - mpmath.loggamma(kk + 1)) for kk, r in zip(row, counts)] for row in k]
    np.testing.assert_allclose(swiftvi.Poisson(counts).log_prob(k), exact, rtol=1e-12)
    p = np.array([0.3, 0.5, 0.9])
    k = np.round(counts * p + shifts * np.sqrt(counts * p * (1 - p)))
    exact = [
        [
            float(mpmath.loggamma(n + 1) - mpmath.loggamma(kk + 1) - mpmath.loggamma(n - kk + 1)
                  + kk * mpmath.log(pp) + (n - kk) * mpmath.log(1 - mpmath.mpf(pp)))
            for kk, n, pp in zip(row, counts, p)
        ]
        for row in k
    ]
    np.testing.assert_allclose(swiftvi.Binomial(counts, probs=p).log_prob(k), exact, rtol=1e-12)


@pytest.mark.parametrize(
    "make, reference",
    [
        (lambda: swiftvi.Bernoulli(probs=0.37), stats.bernoulli(0.37)),
        (lambda: swiftvi.Bernoulli(logits=-2.0), stats.bernoulli(expit(-2.0))),
        (lambda: swiftvi.Binomial(17, probs=0.3), stats.binom(17, 0.3)),
        (lambda: swiftvi.Binomial(400, logits=1.2), stats.binom(400, expit(1.2))),
        (lambda: swiftvi.Binomial(1_000_000, probs=0.73), stats.binom(1_000_000, 0.73)),
        (lambda: swiftvi.Poisson(0.8), stats.poisson(0.8)),
        (lambda: swiftvi.Poisson(9.9), stats.poisson(9.9)),
        (lambda: swiftvi.Poisson(35.0), stats.poisson(35.0)),
        (lambda: swiftvi.Poisson(1e4), stats.poisson(1e4)),
        (lambda: swiftvi.Geometric(probs=0.2), stats.geom(0.2, loc=-1)),
        (lambda: swiftvi.Geometric(logits=2.0), stats.geom(expit(2.0), loc=-1)),
        (lambda: swiftvi.NegativeBinomial(0.4, probs=0.7), stats.nbinom(0.4, 0.3)),
        (lambda: swiftvi.NegativeBinomial(3.5, logits=-0.5), stats.nbinom(3.5, expit(0.5))),
        (lambda: swiftvi.NegativeBinomial(200.0, probs=0.95), stats.nbinom(200.0, 0.05)),
    ],
)
def test_sampling_matches_scipy(make, reference):
    d = make()
    assert d.sample(3, seed=1).dtype == np.int64
    check_sampling(d, reference, seed=11, discrete=True)
    np.testing.assert_array_equal(d.sample(100, seed=5), d.sample(100, seed=5))


def kl_pairs():
    normal = lambda loc: swiftvi.Normal(np.array([[0.0, 1.0], [2.0, 0.5]]) + loc, 1.3)
    return [
        (swiftvi.Bernoulli(probs=[0.1, 0.9]), swiftvi.Bernoulli(logits=[0.3, 2.0])),
        (swiftvi.Binomial(25, probs=[0.1, 0.5]), swiftvi.Binomial(25, logits=-1.0)),
        (swiftvi.Poisson([0.3, 250.0]), swiftvi.Poisson([0.5, 230.0])),
        (swiftvi.Geometric(probs=[0.1, 0.9]), swiftvi.Geometric(logits=[0.3, 2.0])),
        (swiftvi.Categorical(probs=[[0.2, 0.3, 0.5], [0.7, 0.2, 0.1]]), swiftvi.Categorical(logits=[0.1, 0.4, -0.2])),
        (swiftvi.Independent(normal(0.0), 1), swiftvi.Independent(normal(0.3), 1)),
        (swiftvi.Independent(swiftvi.Poisson([1.0, 3.0]), 1), swiftvi.Independent(swiftvi.Poisson([1.5, 2.0]), 1)),
    ]


@pytest.mark.parametrize("index", range(7))
def test_kl_matches_monte_carlo(index):
    p, q = kl_pairs()[index]
    exact = swiftvi.kl_divergence(p, q)
    estimate, standard_error = swiftvi.kl_monte_carlo(p, q, num_samples=1_000_000, seed=index)
    assert np.all(np.abs(estimate - exact) <= 4 * standard_error), (exact, estimate, standard_error)
    np.testing.assert_allclose(swiftvi.kl_divergence(p, p), 0.0, atol=1e-15)


def test_kl_is_infinite_where_q_misses_mass_of_p():
    inf = np.inf
    bernoulli = swiftvi.kl_divergence(swiftvi.Bernoulli(probs=[0.3, 0.0, 1.0]), swiftvi.Bernoulli(probs=[0.0, 0.0, 1.0]))
    np.testing.assert_array_equal(bernoulli, [inf, 0.0, 0.0])
    poisson = swiftvi.kl_divergence(swiftvi.Poisson([2.0, 0.0]), swiftvi.Poisson([0.0, 3.0]))
    np.testing.assert_array_equal(poisson, [inf, 3.0])
    geometric = swiftvi.kl_divergence(swiftvi.Geometric(probs=[0.5, 1.0]), swiftvi.Geometric(probs=1.0))
    np.testing.assert_array_equal(geometric, [inf, 0.0])
    with pytest.raises(swiftvi.SwiftVIError, match="total_count"):
        swiftvi.kl_divergence(swiftvi.Binomial(5, probs=0.5), swiftvi.Binomial(6, probs=0.5))


def test_delta_kl_is_minus_the_log_density_of_q_at_v():
    q = swiftvi.Normal([0.0, 1.0], 2.0)
    kl = swiftvi.kl_divergence(swiftvi.Delta([0.5, -1.0], log_density=3.0), q)
    np.testing.assert_allclose(kl, -stats.norm([0.0, 1.0], 2.0).logpdf([0.5, -1.0]), rtol=1e-13)


def test_delta_puts_its_log_density_on_v():
    d = swiftvi.Delta([[1.0, 2.0], [3.0, 4.0]], log_density=[0.5, -1.0], event_dim=1)
    assert (d.batch_shape, d.event_shape) == ((2,), (2,))
    np.testing.assert_array_equal(d.log_prob([[1.0, 2.0], [3.0, 5.0]]), [0.5, -np.inf])
    np.testing.assert_array_equal(d.sample((3,)), np.broadcast_to([[1.0, 2.0], [3.0, 4.0]], (3, 2, 2)))
    np.testing.assert_array_equal(d.mean, [[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(d.variance, np.zeros((2, 2)))
    assert swiftvi.Delta().log_prob(0.0) == 0.0


def test_independent_log_prob_is_the_summed_base_log_prob(rng):
    base = swiftvi.Binomial(rng.integers(1, 30, (4, 3, 2)).astype(float), probs=rng.random((4, 3, 2)))
    for ndims in range(4):
        d = swiftvi.Independent(base, ndims)
        assert d.batch_shape == base.batch_shape[: 3 - ndims]
        assert d.event_shape == base.batch_shape[3 - ndims:]
        x = rng.integers(0, 30, (5, 4, 3, 2)).astype(float)
        np.testing.assert_allclose(d.log_prob(x), base.log_prob(x).sum(axis=tuple(range(4 - ndims, 4))), rtol=1e-13)
        np.testing.assert_allclose(d.entropy(), base.entropy().sum(axis=tuple(range(3 - ndims, 3))), rtol=1e-13)
        draws = d.sample(2, seed=3)
        assert draws.dtype == np.int64
        np.testing.assert_array_equal(draws, base.sample(2, seed=3))


@pytest.mark.parametrize(
    "make, name",
    [
        (lambda: swiftvi.Bernoulli(probs=[0.5, 1.5]), "probs"),
        (lambda: swiftvi.Bernoulli(logits=np.inf), "logits"),
        (lambda: swiftvi.Binomial(2.5, probs=0.5), "total_count"),
        (lambda: swiftvi.Binomial(-1, logits=0.0), "total_count"),
        (lambda: swiftvi.Binomial(3, probs=-0.1), "probs"),
        (lambda: swiftvi.Poisson(-1.0), "rate"),
        (lambda: swiftvi.Poisson(np.nan), "rate"),
        (lambda: swiftvi.Geometric(probs=0.0), "probs"),
        (lambda: swiftvi.NegativeBinomial(0.0, probs=0.5), "total_count"),
        (lambda: swiftvi.NegativeBinomial(2.0, probs=1.0), "probs"),
        (lambda: swiftvi.Delta(np.nan), "v"),
        (lambda: swiftvi.Delta([1.0, 2.0], log_density=[1.0, 2.0, 3.0]), "log_density"),
        (lambda: swiftvi.Delta([1.0, 2.0], event_dim=2), "event_dim"),
        (lambda: swiftvi.Delta([1.0, 2.0], event_dim=0.5), "event_dim"),
        (lambda: swiftvi.Independent(swiftvi.Poisson([1.0, 2.0]), 2), "reinterpreted_batch_ndims"),
    ],
)
def test_invalid_parameters_are_rejected_by_name(make, name):
    with pytest.raises(swiftvi.SwiftVIError, match=name):
        make()


def test_probs_and_logits_are_both_available():
    d = swiftvi.Binomial(4, logits=[0.0, np.log(3.0)])
    np.testing.assert_allclose(d.probs, [0.5, 0.75], rtol=1e-15)
    np.testing.assert_allclose(swiftvi.Geometric(probs=0.25).logits, np.log(1 / 3), rtol=1e-15)
    with pytest.raises(ValueError):
        swiftvi.Bernoulli()
