"""MultivariateNormal and LowRankMultivariateNormal against scipy.stats.multivariate_normal."""

import numpy as np
import pytest
from scipy import stats

import swiftvi
from scipy_check import NUM_DRAWS, NUM_SAMPLES, assert_close

PARAMETERIZATIONS = ["covariance_matrix", "precision_matrix", "scale_tril", "low_rank"]


def random_spd(rng, d):
    """A random symmetric positive-definite d × d matrix with a random overall scale."""
    b = rng.normal(size=(d, d))
    return np.exp(rng.normal()) * (b @ b.T / d + 0.3 * np.eye(d))


def random_distribution(rng, d, kind):
    """A SwiftVI distribution of the given kind in dimension d, and its covariance and mean."""
    loc = rng.normal(scale=2.0, size=d)
    if kind == "low_rank":
        rank = rng.integers(1, d + 1)
        factor = rng.normal(size=(d, rank))
        diag = np.exp(rng.normal(size=d))
        return swiftvi.LowRankMultivariateNormal(loc, factor, diag), factor @ factor.T + np.diag(diag), loc
    cov = random_spd(rng, d)
    if kind == "covariance_matrix":
        return swiftvi.MultivariateNormal(loc, covariance_matrix=cov), cov, loc
    if kind == "precision_matrix":
        precision = random_spd(rng, d)
        return swiftvi.MultivariateNormal(loc, precision_matrix=precision), np.linalg.inv(precision), loc
    tril = np.linalg.cholesky(cov)
    return swiftvi.MultivariateNormal(loc, scale_tril=tril), tril @ tril.T, loc


@pytest.mark.parametrize("kind", PARAMETERIZATIONS)
def test_log_prob_moments_and_entropy_match_scipy(kind):
    rng = np.random.default_rng(PARAMETERIZATIONS.index(kind))
    for _ in range(NUM_DRAWS):
        d = int(rng.integers(1, 7))
        dist, cov, loc = random_distribution(rng, d, kind)
        reference = stats.multivariate_normal(loc, cov)
        assert dist.batch_shape == () and dist.event_shape == (d,)
        values = rng.multivariate_normal(loc, 4 * cov, size=10)
        what = f"{kind} in dimension {d}"
        assert_close(dist.log_prob(values), reference.logpdf(values).reshape(10), 1e-9, 1e-12, what=f"log_prob, {what}")
        assert_close(dist.mean, loc, 1e-15, what=f"mean, {what}")
        assert_close(dist.variance, np.diag(cov), 1e-9, what=f"variance, {what}")
        assert_close(dist.entropy(), reference.entropy(), 1e-9, 1e-12, what=f"entropy, {what}")


def test_batch_shapes_broadcast_from_loc_and_matrix():
    rng = np.random.default_rng(10)
    d = 3
    locs = rng.normal(size=(4, 1, d))
    covs = np.stack([random_spd(rng, d) for _ in range(2)])
    dist = swiftvi.MultivariateNormal(locs, covariance_matrix=covs)
    assert dist.batch_shape == (4, 2) and dist.event_shape == (d,)
    values = rng.normal(size=(5, 1, 1, d))
    log_prob = dist.log_prob(values)
    assert log_prob.shape == (5, 4, 2)
    expected = np.array(
        [[[stats.multivariate_normal(locs[i, 0], covs[j]).logpdf(values[s, 0, 0]) for j in range(2)] for i in range(4)]
         for s in range(5)]
    )
    assert_close(log_prob, expected, 1e-9, what="batched log_prob")
    assert_close(dist.variance, np.broadcast_to(np.diagonal(covs, axis1=-2, axis2=-1), (4, 2, d)), 1e-12)
    assert dist.sample((7,), seed=1).shape == (7, 4, 2, d)
    scalar_loc = swiftvi.MultivariateNormal(covariance_matrix=covs[0])
    np.testing.assert_array_equal(scalar_loc.mean, np.zeros(d))


@pytest.mark.parametrize("kind", PARAMETERIZATIONS)
def test_samples_have_the_mean_covariance_and_normal_projections(kind):
    rng = np.random.default_rng(20 + PARAMETERIZATIONS.index(kind))
    d = 3
    dist, cov, loc = random_distribution(rng, d, kind)
    n = NUM_SAMPLES
    draws = dist.sample((n,), seed=5)
    assert draws.shape == (n, d)
    assert np.all(np.abs(draws.mean(axis=0) - loc) <= 5 * np.sqrt(np.diag(cov) / n)), "sample mean"
    centered = draws - loc
    sample_cov = centered.T @ centered / n
    standard_error = np.sqrt((np.outer(np.diag(cov), np.diag(cov)) + cov**2) / n)
    assert np.all(np.abs(sample_cov - cov) <= 5 * standard_error), "sample covariance"
    direction = np.array([0.6, -1.0, 0.3])
    projection = stats.norm(direction @ loc, np.sqrt(direction @ cov @ direction))
    p_value = stats.kstest(draws @ direction, projection.cdf).pvalue
    assert p_value > 1e-3, f"KS p = {p_value:.3g}"


def gaussian_kl(mp, cp, mq, cq):
    """KL(N(mp, cp) ‖ N(mq, cq)) in closed form, with NumPy's inverse and determinants."""
    inverse = np.linalg.inv(cq)
    delta = mq - mp
    return 0.5 * (
        np.trace(inverse @ cp) + delta @ inverse @ delta - len(mp)
        + np.linalg.slogdet(cq)[1] - np.linalg.slogdet(cp)[1]
    )


KL_PAIRS = [
    ("covariance_matrix", "scale_tril"),
    ("precision_matrix", "covariance_matrix"),
    ("scale_tril", "low_rank"),
    ("low_rank", "precision_matrix"),
    ("low_rank", "low_rank"),
]


@pytest.mark.parametrize("kinds", KL_PAIRS)
def test_analytic_kl_has_the_closed_form_and_agrees_with_monte_carlo(kinds):
    rng = np.random.default_rng(30 + KL_PAIRS.index(kinds))
    for d in range(1, 7):
        p, cp, mp = random_distribution(rng, d, kinds[0])
        q, cq, mq = random_distribution(rng, d, kinds[1])
        assert_close(swiftvi.kl_divergence(p, q), gaussian_kl(mp, cp, mq, cq), 1e-9, 1e-12, what=f"KL {kinds}, d={d}")
        assert abs(swiftvi.kl_divergence(p, p)) < 1e-12
    p, _, _ = random_distribution(rng, 3, kinds[0])
    q, _, _ = random_distribution(rng, 3, kinds[1])
    estimate, standard_error = swiftvi.kl_monte_carlo(p, q, num_samples=1_000_000, seed=7)
    exact = swiftvi.kl_divergence(p, q)
    assert abs(estimate - exact) < 4 * standard_error, f"{estimate} ± {standard_error} vs {exact}"


def test_kl_broadcasts_batches():
    rng = np.random.default_rng(40)
    covs = np.stack([random_spd(rng, 2) for _ in range(3)])
    p = swiftvi.MultivariateNormal(rng.normal(size=(4, 1, 2)), scale_tril=np.linalg.cholesky(covs))
    q = swiftvi.LowRankMultivariateNormal(np.zeros(2), rng.normal(size=(3, 2, 1)), np.ones(2))
    kl = swiftvi.kl_divergence(p, q)
    assert kl.shape == (4, 3)
    for i in range(4):
        for j in range(3):
            cq = q.cov_factor[j] @ q.cov_factor[j].T + np.eye(2)
            assert_close(kl[i, j], gaussian_kl(p.loc[i, 0], covs[j], np.zeros(2), cq), 1e-9)


def test_invalid_parameters_are_rejected_with_their_names():
    not_positive_definite = np.array([[1.0, 2.0], [2.0, 1.0]])
    for name in ["covariance_matrix", "precision_matrix"]:
        with pytest.raises(swiftvi.SwiftVIError) as info:
            swiftvi.MultivariateNormal(np.zeros(2), **{name: not_positive_definite})
        assert info.value.status == swiftvi.Status.INVALID_ARGUMENT
        assert name in info.value.message and "positive definite" in info.value.message
    with pytest.raises(swiftvi.SwiftVIError, match="covariance_matrix"):
        swiftvi.MultivariateNormal(np.zeros(2), covariance_matrix=np.array([[1.0, 0.5], [0.0, 1.0]]))
    with pytest.raises(swiftvi.SwiftVIError, match="scale_tril"):
        swiftvi.MultivariateNormal(np.zeros(2), scale_tril=np.array([[1.0, 0.0], [0.5, -1.0]]))
    with pytest.raises(swiftvi.SwiftVIError, match="scale_tril"):
        swiftvi.MultivariateNormal(np.zeros(2), scale_tril=np.array([[1.0, 0.1], [0.0, 1.0]]))
    with pytest.raises(swiftvi.SwiftVIError, match="cov_diag"):
        swiftvi.LowRankMultivariateNormal(np.zeros(2), np.ones((2, 1)), np.array([1.0, -1.0]))
    with pytest.raises(swiftvi.SwiftVIError, match="loc"):
        swiftvi.MultivariateNormal(np.zeros(3), covariance_matrix=np.eye(2))
    with pytest.raises(swiftvi.SwiftVIError, match="square"):
        swiftvi.MultivariateNormal(np.zeros(2), covariance_matrix=np.ones((2, 3)))
    with pytest.raises(ValueError):
        swiftvi.MultivariateNormal(np.zeros(2), covariance_matrix=np.eye(2), scale_tril=np.eye(2))
    with pytest.raises(swiftvi.SwiftVIError, match="exactly one"):
        swiftvi.Distribution._from_params(
            "MultivariateNormal", {"loc": np.zeros(2), "covariance_matrix": np.eye(2), "scale_tril": np.eye(2)}
        )
