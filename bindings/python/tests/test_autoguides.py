"""The automatic guides on a Bayesian linear regression with known noise, against the NumPy closed form.

The model is a NumPy callback (LogDensityModel): w ~ N(0, tau² I), y ~ N(X w, sigma² I)
with two strongly correlated covariates, so the posterior N(P⁻¹ Xᵀy / sigma², P⁻¹),
P = I / tau² + XᵀX / sigma², has correlations the families must (or must not) capture.
"""

import numpy as np
import pytest
from scipy import stats

import swiftvi

TAU, SIGMA = 2.0, 0.5


def regression():
    rng = np.random.default_rng(3)
    n = 20
    x1 = rng.normal(size=n)
    x2 = 0.9 * x1 + np.sqrt(1 - 0.81) * rng.normal(size=n)
    design = np.column_stack([np.ones(n), x1, x2])
    y = design @ np.array([0.3, 1.5, -0.7]) + SIGMA * rng.normal(size=n)
    precision = np.eye(3) / TAU**2 + design.T @ design / SIGMA**2
    covariance = np.linalg.inv(precision)
    mean = covariance @ design.T @ y / SIGMA**2

    def log_density(w):
        residual = y[None, :] - w @ design.T
        value = -0.5 * (w**2).sum(1) / TAU**2 - 0.5 * (residual**2).sum(1) / SIGMA**2
        gradient = -w / TAU**2 + residual @ design / SIGMA**2
        return value, gradient

    return swiftvi.LogDensityModel(log_density, latents={"w": 3}), mean, covariance, precision


MODEL, MEAN, COVARIANCE, PRECISION = regression()
SD = np.sqrt(np.diag(COVARIANCE))


def test_the_posterior_is_strongly_correlated():
    correlation = COVARIANCE[1, 2] / (SD[1] * SD[2])
    assert abs(correlation) > 0.5


def averaged(guide, statistic, warmup=2000, averaged_steps=2000, learning_rate=0.01, particles=16):
    """Adam: `warmup` steps by run(), then the average of statistic(params) over `averaged_steps` more."""
    svi = swiftvi.SVI(MODEL, guide, swiftvi.optim.Adam(learning_rate), swiftvi.Trace_ELBO(num_particles=particles))
    svi.run(warmup, seed=1)
    total = None
    for _ in range(averaged_steps):
        svi.step()
        value = statistic(svi.get_params())
        total = value if total is None else {k: total[k] + value[k] for k in value}
    return {k: v / averaged_steps for k, v in total.items()}, svi


def assert_matches_posterior(loc, covariance, tolerance):
    np.testing.assert_array_less(np.abs(loc - MEAN), tolerance * SD)
    np.testing.assert_array_less(np.abs(covariance - COVARIANCE), tolerance * np.outer(SD, SD))


def test_auto_multivariate_normal_recovers_mean_and_covariance():
    fit, svi = averaged(
        swiftvi.AutoMultivariateNormal(MODEL),
        lambda p: {"loc": p["auto_loc"], "covariance": p["auto_scale_tril"] @ p["auto_scale_tril"].T},
    )
    assert svi.get_params()["auto_scale_tril"].shape == (3, 3)
    assert_matches_posterior(fit["loc"], fit["covariance"], 0.1)


def test_auto_diagonal_normal_recovers_mean_and_mean_field_variances():
    fit, _ = averaged(
        swiftvi.AutoDiagonalNormal(MODEL), lambda p: {"loc": p["auto_loc"], "variance": p["auto_scale"] ** 2}
    )
    np.testing.assert_array_less(np.abs(fit["loc"] - MEAN), 0.1 * SD)
    np.testing.assert_allclose(fit["variance"], 1 / np.diag(PRECISION), rtol=0.1)
    assert not np.allclose(1 / np.diag(PRECISION), np.diag(COVARIANCE), rtol=0.3)


@pytest.mark.parametrize("rank", [2, 3])
def test_auto_low_rank_multivariate_normal_recovers_the_covariance(rank):
    def statistic(p):
        s, w = p["auto_scale"], p["auto_cov_factor"]
        return {"loc": p["auto_loc"], "covariance": np.outer(s, s) * (w @ w.T + np.eye(3))}

    fit, svi = averaged(swiftvi.AutoLowRankMultivariateNormal(MODEL, rank=rank), statistic, warmup=3000)
    assert svi.get_params()["auto_cov_factor"].shape == (3, rank)
    assert_matches_posterior(fit["loc"], fit["covariance"], 0.15)


def test_auto_laplace_approximation_is_exact():
    guide = swiftvi.AutoLaplaceApproximation(MODEL)
    svi = swiftvi.SVI(MODEL, guide, swiftvi.optim.Adam(0.01), swiftvi.Trace_ELBO())
    result = svi.run(5000, seed=0)
    for params in (result.params, svi):
        posterior = guide.get_posterior(params)
        np.testing.assert_allclose(posterior.loc, MEAN, rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(posterior.covariance_matrix, COVARIANCE, rtol=1e-6, atol=1e-9 * SD.max() ** 2)
    draws = guide.sample_posterior(5, result.params, num_samples=20000)["w"]
    assert draws.shape == (20000, 3)
    np.testing.assert_array_less(np.abs(draws.mean(0) - MEAN), 5 * SD / np.sqrt(20000))
    np.testing.assert_allclose(np.cov(draws.T), COVARIANCE, atol=0.05 * SD.max() ** 2)


def test_auto_laplace_approximation_rejects_a_minimum():
    model = swiftvi.LogDensityModel(lambda z: (0.5 * (z**2).sum(1), z), latents={"z": 1})
    guide = swiftvi.AutoLaplaceApproximation(model)
    with pytest.raises(swiftvi.SwiftVIError) as info:
        guide.get_posterior({"auto_loc": [0.0]})
    assert info.value.status == swiftvi.Status.NUMERICAL and "positive definite" in info.value.message


def test_auto_delta_reaches_the_map():
    svi = swiftvi.SVI(MODEL, swiftvi.AutoDelta(MODEL), swiftvi.optim.Adam(0.01), swiftvi.Trace_ELBO())
    result = svi.run(4000, seed=0)
    # The MAP of a Gaussian posterior is its mean: P⁻¹ Xᵀy / sigma², solved here by NumPy.
    np.testing.assert_allclose(result.params["w_auto_loc"], MEAN, rtol=1e-5, atol=1e-6)


def test_auto_iaf_normal_fits_and_draws():
    guide = swiftvi.AutoIAFNormal(MODEL, num_flows=2, hidden_dims=[6, 6], nonlinearity="relu")
    svi = swiftvi.SVI(MODEL, guide, swiftvi.optim.Adam(0.005), swiftvi.Trace_ELBO(num_particles=8))
    result = svi.run(3000, seed=0)
    assert result.params["auto_arn__1$params.2.W"].shape == (6, 6)
    draws = guide.sample_posterior(2, result.params, num_samples=4000)["w"]
    np.testing.assert_array_less(np.abs(draws.mean(0) - MEAN), 0.3 * SD)
    with pytest.raises(swiftvi.SwiftVIError):
        swiftvi.AutoIAFNormal(MODEL, hidden_dims=[2])
    with pytest.raises(ValueError):
        swiftvi.AutoIAFNormal(MODEL, nonlinearity="tanh")


def test_sample_posterior_median_and_quantiles_of_given_parameters():
    guide = swiftvi.AutoDiagonalNormal(MODEL)
    loc, scale = np.array([0.1, -0.4, 2.0]), np.array([0.3, 0.2, 0.5])
    params = {"auto_loc": loc, "auto_scale": scale}
    draws = guide.sample_posterior(swiftvi.PRNGKey(4), params, num_samples=50000)["w"]
    np.testing.assert_array_less(np.abs(draws.mean(0) - loc), 5 * scale / np.sqrt(50000))
    np.testing.assert_allclose(draws.std(0), scale, rtol=0.02)
    np.testing.assert_array_equal(guide.sample_posterior(4, params, 3)["w"], guide.sample_posterior(4, params, 3)["w"])
    np.testing.assert_allclose(guide.median(params)["w"], loc, rtol=1e-15)
    q = np.array([0.05, 0.5, 0.975])
    np.testing.assert_allclose(guide.quantiles(params, q)["w"], loc + scale * stats.norm.ppf(q)[:, None], rtol=1e-12)
    with pytest.raises(swiftvi.SwiftVIError):
        guide.median({"auto_loc": loc})
    with pytest.raises(swiftvi.SwiftVIError):
        guide.median({**params, "auto_scale": -scale})


def test_auto_normal_draws_constrained_posteriors_too():
    guide = swiftvi.AutoNormal(MODEL)
    params = {"w_auto_loc": MEAN, "w_auto_scale": SD}
    np.testing.assert_allclose(guide.median(params)["w"], MEAN, rtol=1e-15)
    assert guide.sample_posterior(0, params, 7)["w"].shape == (7, 3)


@pytest.mark.parametrize(
    ("init_loc_fn", "expected"),
    [
        (swiftvi.init_to_value(values={"w": [1.0, -2.0, 0.5]}), [1.0, -2.0, 0.5]),
        (swiftvi.init_to_feasible(), [0.0, 0.0, 0.0]),
        (swiftvi.init_to_uniform(radius=0.0), [0.0, 0.0, 0.0]),
    ],
)
def test_init_strategies_give_the_documented_initial_locations(init_loc_fn, expected):
    for guide, name in (
        (swiftvi.AutoDelta(MODEL, init_loc_fn=init_loc_fn), "w_auto_loc"),
        (swiftvi.AutoDiagonalNormal(MODEL, init_loc_fn=init_loc_fn), "auto_loc"),
        (swiftvi.AutoMultivariateNormal(MODEL, init_loc_fn=init_loc_fn), "auto_loc"),
        (swiftvi.AutoLowRankMultivariateNormal(MODEL, init_loc_fn=init_loc_fn), "auto_loc"),
        (swiftvi.AutoLaplaceApproximation(MODEL, init_loc_fn=init_loc_fn), "auto_loc"),
    ):
        svi = swiftvi.SVI(MODEL, guide, swiftvi.optim.Adam(0.01), swiftvi.Trace_ELBO())
        svi.init(seed=3)
        np.testing.assert_array_equal(svi.get_params()[name], expected)


def test_without_a_prior_median_mean_and_sample_start_as_uniform():
    def start(init_loc_fn):
        svi = swiftvi.SVI(
            MODEL,
            swiftvi.AutoDiagonalNormal(MODEL, init_loc_fn=init_loc_fn),
            swiftvi.optim.Adam(0.01),
            swiftvi.Trace_ELBO(),
        )
        svi.init(seed=3)
        return svi.get_params()["auto_loc"]

    uniform = start(swiftvi.init_to_uniform)
    assert np.all(np.abs(uniform) < 2) and len(set(uniform)) == 3
    for init_loc_fn in (
        swiftvi.init_to_median,
        swiftvi.init_to_median(num_samples=5),
        swiftvi.init_to_mean,
        swiftvi.init_to_sample,
    ):
        np.testing.assert_array_equal(start(init_loc_fn), uniform)


def test_invalid_init_strategies_are_errors():
    with pytest.raises(TypeError):
        swiftvi.AutoDelta(MODEL, init_loc_fn="median")
    with pytest.raises(swiftvi.SwiftVIError):
        swiftvi.AutoDelta(MODEL, init_loc_fn=swiftvi.init_to_median(num_samples=0))
    guide = swiftvi.AutoDelta(MODEL, init_loc_fn=swiftvi.init_to_value({"v": [1.0]}))
    svi = swiftvi.SVI(MODEL, guide, swiftvi.optim.Adam(0.01), swiftvi.Trace_ELBO())
    with pytest.raises(swiftvi.SwiftVIError) as info:
        svi.init(seed=0)
    assert "'v' is not a latent site" in info.value.message
