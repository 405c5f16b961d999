"""Model parameters learned jointly with the guide: LogDensityModel(params=...) against the closed-form maximum marginal likelihood."""

import numpy as np
import pytest

import swiftvi

N = 40
#: y_i ~ N(z_i, sigma) with z_i ~ N(0, 1): marginally y_i ~ N(0, 1 + sigma^2).
Y = np.random.default_rng(11).normal(size=N) * np.sqrt(1 + 1.2**2)
#: The maximum marginal likelihood sigma, sqrt(mean(y^2) - 1).
SIGMA_HAT = np.sqrt(np.mean(Y**2) - 1)


def log_joint(points):
    """log N(z; 0, 1) + log N(y; z, sigma) up to a constant, for rows (z_1..z_N, sigma), and its gradient."""
    z, sigma = points[:, :N], points[:, N:]
    r = Y - z
    value = np.sum(-0.5 * z**2 - 0.5 * r**2 / sigma**2 - np.log(sigma), axis=1)
    grad_z = -z + r / sigma**2
    grad_sigma = np.sum(r**2 / sigma**3 - 1 / sigma, axis=1, keepdims=True)
    return value, np.hstack([grad_z, grad_sigma])


def test_a_learnable_noise_parameter_reaches_the_maximum_marginal_likelihood():
    model = swiftvi.LogDensityModel(log_joint, latents={"z": N}, params={"sigma": (1, swiftvi.constraints.positive)})
    assert model.dim == N and model.constrained_dim == N and model.params == {"sigma": 1}
    svi = swiftvi.SVI(model, swiftvi.AutoNormal(model), swiftvi.optim.Adam(0.02), swiftvi.Trace_ELBO(num_particles=4))
    result = svi.run(1500, seed=5)
    assert set(result.params) == {"z_auto_loc", "z_auto_scale", "sigma"}
    sigmas = []
    for _ in range(500):
        svi.step()
        sigmas.append(svi.get_params()["sigma"][0])
    assert abs(np.mean(sigmas) - SIGMA_HAT) < 0.02
    # The fitted parameters, the model's included, serve the posterior queries and estimates.
    draws = swiftvi.Predictive(model, guide=svi.guide, params=svi.get_params(), num_samples=3)(seed=1)
    assert draws["z"].shape == (3, N)
    assert np.isfinite(svi.estimate_elbo(num_samples=10).estimate)


def test_parameters_start_at_the_constrained_zero_and_are_rejected_where_they_cannot_work():
    seen = []

    def record(points):
        seen.append(points[0, -1])
        return log_joint(points)

    model = swiftvi.LogDensityModel(record, latents={"z": N}, params={"sigma": (1, swiftvi.constraints.positive)})
    svi = swiftvi.SVI(model, swiftvi.AutoNormal(model), swiftvi.optim.Adam(0.02), swiftvi.Trace_ELBO())
    svi.init(0)
    assert svi.get_params()["sigma"] == pytest.approx([1.0])
    svi.step()
    assert seen == [1.0]
    with pytest.raises(ValueError, match="both a latent and a parameter"):
        swiftvi.LogDensityModel(log_joint, latents={"z": 1}, params={"z": 1})
    with pytest.raises(swiftvi.SwiftVIError, match="needs the gradient"):
        swiftvi.LogDensityModel(lambda p: p[:, 0], latents={"z": 1}, params={"t": 1}, has_gradient=False)
