"""ELBOs from Python: the seed-003 coin as a constrained callback model, with and without its gradient;
Rényi, mean-field and one-particle-per-call objectives; constrained latent blocks."""

import math

import numpy as np
import pytest

import coin
import swiftvi
from swiftvi import constraints


def averaged_fit(model, loss, seed=3, warmup=2000, averaged=2000):
    """Adam(0.01): the iterate average of the constrained parameters over `averaged` steps after `warmup`."""
    svi = swiftvi.SVI(model, swiftvi.AutoNormal(model), swiftvi.optim.Adam(0.01), loss)
    svi.run(warmup, seed=seed)
    sums = {}
    for _ in range(averaged):
        svi.step()
        for name, value in svi.get_params().items():
            sums[name] = sums.get(name, 0) + value / averaged
    return svi, sums


def bounds_at(model, loss, loc, scale, count):
    """`count` estimates of the bound `loss` negates, at the guide N(loc, scale), each with a fresh key."""
    svi = swiftvi.SVI(
        model, swiftvi.AutoNormal(model, init_loc=[loc], init_scale=scale), swiftvi.optim.Adam(0.01), loss
    )
    values = []
    for seed in range(count):
        svi.init(seed)
        values.append(-svi.step())
    return np.array(values)


def mean_and_error(values):
    return values.mean(), values.std(ddof=1) / math.sqrt(values.size)


def test_the_quadrature_optimum_is_the_one_of_the_issue():
    loc, scale = coin.optimum()
    assert abs(loc - -0.330) < 1e-3 and abs(scale - 0.817) < 1e-3


def test_coin_fit_reaches_the_quadrature_optimum():
    model = coin.model()
    assert model.dim == 1 and model.constrained_dim == 1
    _, params = averaged_fit(model, swiftvi.Trace_ELBO(num_particles=32))
    loc, scale = coin.optimum()
    assert abs(params["p_auto_loc"][0] - loc) < 0.01
    assert abs(params["p_auto_scale"][0] - scale) < 0.01


def test_a_gradient_free_coin_reaches_the_same_optimum():
    calls = []

    def log_joint(z):
        calls.append(z.shape)
        return coin.log_joint(z)

    model = swiftvi.LogDensityModel(log_joint, latents={"p": (1, constraints.unit_interval)}, has_gradient=False)
    _, params = averaged_fit(model, swiftvi.Trace_ELBO(num_particles=32))
    loc, scale = coin.optimum()
    assert abs(params["p_auto_loc"][0] - loc) < 0.02
    assert abs(params["p_auto_scale"][0] - scale) < 0.02
    assert set(calls) == {(32, 1)}


def test_a_gradient_free_model_needs_two_particles():
    model = coin.model(has_gradient=False)
    svi = swiftvi.SVI(model, swiftvi.AutoNormal(model), swiftvi.optim.Adam(0.01), swiftvi.Trace_ELBO())
    with pytest.raises(swiftvi.SwiftVIError, match="at least 2 particles"):
        svi.step()


def test_iwae_bound_lies_above_trace_elbo_and_below_the_evidence():
    model = coin.model()
    iwae = bounds_at(model, swiftvi.RenyiELBO(alpha=0, num_particles=8), 0.5, 1.2, 3000)
    trace = bounds_at(model, swiftvi.Trace_ELBO(num_particles=8), 0.5, 1.2, 3000)
    (iwae_mean, iwae_error), (trace_mean, trace_error) = mean_and_error(iwae), mean_and_error(trace)
    assert abs(trace_mean - coin.elbo(0.5, 1.2)) < 4 * trace_error
    assert iwae_mean - trace_mean > 4 * math.hypot(iwae_error, trace_error)
    assert iwae_mean < coin.LOG_EVIDENCE + 4 * iwae_error
    # The same bound as the importance-sampled log evidence of 8 draws.
    params = {"p_auto_loc": [0.5], "p_auto_scale": [1.2]}
    guide = swiftvi.AutoNormal(model)
    sampled = np.array(
        [swiftvi.log_evidence(model, guide, params, num_samples=8, seed=s).estimate for s in range(3000)]
    )
    sampled_mean, sampled_error = mean_and_error(sampled)
    assert abs(sampled_mean - iwae_mean) < 4 * math.hypot(sampled_error, iwae_error)


def test_renyi_alpha_one_points_to_trace_elbo():
    with pytest.raises(swiftvi.SwiftVIError, match="Trace_ELBO"):
        swiftvi.RenyiELBO(alpha=1)
    with pytest.raises(swiftvi.SwiftVIError):
        swiftvi.RenyiELBO(alpha=0, num_particles=0)


def test_mean_field_elbo_of_a_callback_model_is_trace_elbo():
    model = coin.model()
    mean_field = bounds_at(model, swiftvi.TraceMeanField_ELBO(num_particles=4), 0.1, 0.9, 20)
    trace = bounds_at(model, swiftvi.Trace_ELBO(num_particles=4), 0.1, 0.9, 20)
    np.testing.assert_array_equal(mean_field, trace)


def test_particles_one_per_call_give_the_same_loss():
    shapes = []

    def fn(z):
        shapes.append(z.shape)
        return coin.log_joint_and_gradient(z)

    model = swiftvi.LogDensityModel(fn, latents={"p": (1, constraints.unit_interval)})
    batched = bounds_at(model, swiftvi.Trace_ELBO(num_particles=5), 0.2, 0.5, 1)
    assert shapes == [(5, 1)]
    single = bounds_at(model, swiftvi.Trace_ELBO(num_particles=5, vectorize_particles=False), 0.2, 0.5, 1)
    assert shapes[1:] == [(1, 1)] * 5
    np.testing.assert_allclose(single, batched, rtol=1e-14)


# Log evidences of unnormalized densities on constrained blocks, known in closed form: each checks
# the block's map and log-determinant end to end.
CONSTRAINED_KERNELS = {
    # Dirichlet(2, 3, 4) kernel on the 3-simplex: B(α) = Π Γ(αᵢ) / Γ(Σ αᵢ).
    "simplex": (
        (3, constraints.simplex),
        lambda x: np.log(x) @ np.array([1.0, 2.0, 3.0]),
        math.lgamma(2) + math.lgamma(3) + math.lgamma(4) - math.lgamma(9),
    ),
    # Gamma(3, rate 2) kernel on (0, ∞): Γ(3) / 2³.
    "positive": (
        (1, constraints.positive),
        lambda x: 2 * np.log(x[:, 0]) - 2 * x[:, 0],
        math.lgamma(3) - 3 * math.log(2),
    ),
    # A constant on (-1, 2): its length.
    "interval": ((1, constraints.interval(-1.0, 2.0)), lambda x: np.zeros(len(x)), math.log(3)),
    # exp(-(x - 1)) on (1, ∞) and exp(x + 2) on (-∞, -2): 1 each.
    "greater_than": ((1, constraints.greater_than(1.0)), lambda x: -(x[:, 0] - 1), 0.0),
    "less_than": ((1, constraints.less_than(-2.0)), lambda x: x[:, 0] + 2, 0.0),
}


@pytest.mark.parametrize("kind", CONSTRAINED_KERNELS)
def test_constrained_blocks_integrate_to_the_closed_form_evidence(kind):
    block, kernel, log_normalizer = CONSTRAINED_KERNELS[kind]
    seen = []

    def fn(x):
        seen.append(x.copy())
        return kernel(x)

    model = swiftvi.LogDensityModel(fn, latents={"x": block}, has_gradient=False)
    guide = swiftvi.AutoNormal(model)
    size = block[0]
    unconstrained = model.dim
    assert model.constrained_dim == size and unconstrained == (size - 1 if kind == "simplex" else size)
    params = {"x_auto_loc": np.zeros(unconstrained), "x_auto_scale": np.full(unconstrained, 1.5)}
    estimate = swiftvi.log_evidence(model, guide, params, num_samples=200_000, seed=1)
    assert estimate.standard_error < 0.01
    assert abs(estimate.estimate - log_normalizer) < 4 * estimate.standard_error
    values = np.concatenate(seen)
    inside = {
        "simplex": np.all(values >= 0) and np.allclose(values.sum(axis=1), 1),
        "positive": np.all(values > 0),
        "interval": np.all((values > -1) & (values < 2)),
        "greater_than": np.all(values > 1),
        "less_than": np.all(values < -2),
    }[kind]
    assert inside


def test_latent_specifications():
    def fn(z):
        return np.zeros(len(z)), np.zeros_like(z)

    plain = swiftvi.LogDensityModel(fn, latents={"w": 2, "b": (1, constraints.real)})
    assert plain.latents == {"w": 2, "b": 1} and plain.dim == 3
    cholesky = swiftvi.LogDensityModel(
        fn, latents={"L": (9, constraints.lower_cholesky), "C": (4, constraints.corr_cholesky)}
    )
    assert cholesky.dim == 6 + 1 and cholesky.constrained_dim == 13
    with pytest.raises(swiftvi.SwiftVIError, match="simplex"):
        swiftvi.LogDensityModel(fn, latents={"s": (1, constraints.simplex)})
    with pytest.raises(swiftvi.SwiftVIError):
        swiftvi.LogDensityModel(fn, latents={"t": (1, constraints.interval(2.0, 1.0))})
    with pytest.raises(ValueError, match="not supported"):
        swiftvi.LogDensityModel(fn, latents={"n": (1, constraints.nonnegative_integer)})
    with pytest.raises(ValueError, match="scalar"):
        swiftvi.LogDensityModel(fn, latents={"t": (2, constraints.interval([0.0, 1.0], 2.0))})
    with pytest.raises(TypeError):
        swiftvi.LogDensityModel(fn, latents={"t": (2, "positive")})
