"""Predictive draws and evidence estimates from Python, on the seed-003 coin."""

import numpy as np
import pytest

import coin
import swiftvi
from swiftvi import constraints


def optimum_params():
    loc, scale = coin.optimum()
    return {"p_auto_loc": [loc], "p_auto_scale": [scale]}


def test_predictive_draws_the_constrained_latents():
    model = coin.model()
    guide = swiftvi.AutoNormal(model)
    draws = swiftvi.Predictive(model, guide=guide, params=optimum_params(), num_samples=50_000)(seed=2)
    assert set(draws) == {"p"}
    p = draws["p"]
    assert p.shape == (50_000, 1) and np.all((p > 0) & (p < 1))
    assert abs(p.mean() - coin.mean_p(*coin.optimum())) < 5 * p.std() / np.sqrt(p.size)
    again = swiftvi.Predictive(model, guide=guide, params=optimum_params(), num_samples=50_000)(seed=2)
    np.testing.assert_array_equal(again["p"], p)


def test_predictions_come_from_the_callback_in_one_call():
    model = coin.model()
    calls = []

    def predict(z):
        calls.append(z.shape)
        return np.column_stack([z[:, 0], 1 - z[:, 0], z[:, 0] ** 5])

    def predictive(**options):
        return swiftvi.Predictive(
            model,
            guide=swiftvi.AutoNormal(model),
            params=optimum_params(),
            predict=predict,
            num_predictions=3,
            **options,
        )

    draws = predictive(num_samples=1000)(seed=0)
    assert calls == [(1000, 1)]
    np.testing.assert_array_equal(draws["predictions"], predict(draws["p"]))
    only = predictive(num_samples=4, return_sites=["predictions"])
    assert list(only(1)) == ["predictions"]


def test_matrix_and_simplex_blocks_have_their_shapes():
    def fn(z):
        return np.zeros(len(z)), np.zeros_like(z)

    model = swiftvi.LogDensityModel(fn, latents={"w": (3, constraints.simplex), "L": (4, constraints.lower_cholesky)})
    guide = swiftvi.AutoNormal(model)
    params = {"w_auto_loc": [0.1, 0.2], "w_auto_scale": [1.0, 1.0], "L_auto_loc": [0, 0, 0], "L_auto_scale": [1, 1, 1]}
    draws = swiftvi.Predictive(model, guide=guide, params=params, num_samples=7)(seed=0)
    assert draws["w"].shape == (7, 3) and np.allclose(draws["w"].sum(axis=1), 1)
    assert (
        draws["L"].shape == (7, 2, 2)
        and np.all(draws["L"][:, 0, 1] == 0)
        and np.all(np.diagonal(draws["L"], axis1=1, axis2=2) > 0)
    )


def test_predictive_errors():
    model = coin.model()
    guide = swiftvi.AutoNormal(model)
    with pytest.raises(swiftvi.SwiftVIError, match="p_auto_scale"):
        swiftvi.Predictive(model, guide=guide, params={"p_auto_loc": [0.0]}, num_samples=3)(0)
    with pytest.raises(swiftvi.SwiftVIError, match="constraint"):
        swiftvi.Predictive(model, guide=guide, params={"p_auto_loc": [0.0], "p_auto_scale": [-1.0]}, num_samples=3)(0)
    with pytest.raises(ValueError, match="num_predictions"):
        swiftvi.Predictive(model, guide=guide, params=optimum_params(), predict=lambda z: z)
    with pytest.raises(KeyError):
        swiftvi.Predictive(model, guide=guide, params=optimum_params(), return_sites=["q"])(0)

    def failing(z):
        raise RuntimeError("no prediction today")

    with pytest.raises(RuntimeError, match="no prediction today"):
        swiftvi.Predictive(model, guide=guide, params=optimum_params(), predict=failing, num_predictions=1)(0)
    with pytest.raises(ValueError, match="prediction"):
        swiftvi.Predictive(model, guide=guide, params=optimum_params(), predict=lambda z: z, num_predictions=2)(0)


def test_log_evidence_at_the_optimum_is_log_beta_3_4():
    model = coin.model()
    guide = swiftvi.AutoNormal(model)
    evidence = swiftvi.log_evidence(model, guide, optimum_params(), num_samples=200_000, seed=1)
    assert evidence.standard_error < 0.003
    assert abs(evidence.estimate - coin.LOG_EVIDENCE) < min(4 * evidence.standard_error, 0.01)
    elbo = swiftvi.estimate_elbo(model, guide, optimum_params(), num_samples=200_000, seed=2)
    assert abs(elbo.estimate - coin.elbo(*coin.optimum())) < 4 * elbo.standard_error
    assert elbo.estimate < evidence.estimate


def test_svi_evidence_after_a_fit():
    model = coin.model()
    svi = swiftvi.SVI(model, swiftvi.AutoNormal(model), swiftvi.optim.Adam(0.01), swiftvi.Trace_ELBO(num_particles=32))
    svi.run(3000, seed=0)
    evidence = svi.evidence(num_samples=100_000, seed=4)
    assert abs(evidence.estimate - coin.LOG_EVIDENCE) < max(4 * evidence.standard_error, 0.01)
    elbo = svi.estimate_elbo(num_samples=100_000, seed=5)
    assert elbo.estimate < evidence.estimate
    # The ELBO is below its maximum, up to Monte Carlo error.
    assert elbo.estimate < coin.elbo(*coin.optimum()) + 4 * elbo.standard_error
