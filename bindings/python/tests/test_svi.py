"""Stochastic variational inference: the seed-000 fit against a SciPy optimum, determinism, progress, ownership."""

import ctypes
import gc

import numpy as np
import pytest

import reference
import swiftvi
from swiftvi import _library

WARMUP_STEPS = 2000
AVERAGED_STEPS = 1000


def seed_mixture():
    return swiftvi.MixtureSameFamily(
        swiftvi.Categorical(probs=reference.WEIGHTS), swiftvi.Normal(reference.LOCS, reference.SCALES)
    )


def fit(model, seed=0):
    """Adam(0.02) with 32 particles: WARMUP_STEPS by run(), then the iterate average of AVERAGED_STEPS more steps.

    The constant step size keeps single iterates jittering by a few hundredths
    around the optimum; their Polyak average estimates it closely.
    """
    svi = swiftvi.SVI(model, swiftvi.AutoNormal(model), swiftvi.optim.Adam(0.02), swiftvi.Trace_ELBO(num_particles=32))
    result = svi.run(WARMUP_STEPS, seed=seed)
    assert result.losses.shape == (WARMUP_STEPS,) and np.isfinite(result.losses).all()
    assert set(result.params) == {"z_auto_loc", "z_auto_scale"}
    locs, scales, losses = [], [], []
    for _ in range(AVERAGED_STEPS):
        losses.append(svi.step())
        params = svi.get_params()
        locs.append(params["z_auto_loc"][0])
        scales.append(params["z_auto_scale"][0])
    return result, np.mean(locs), np.mean(scales), np.mean(losses)


@pytest.mark.parametrize("kind", ["numpy callback", "distribution"])
def test_seed_000_fit_reaches_the_reverse_kl_optimum(kind):
    if kind == "numpy callback":
        model = swiftvi.LogDensityModel(reference.mixture_log_density_and_gradient, latents={"z": 1})
    else:
        model = swiftvi.DistributionModel(seed_mixture(), site="z")
    assert model.dim == 1
    result, loc, scale, mean_loss = fit(model)
    best_loc, best_scale = reference.reverse_kl_optimum()
    assert abs(loc - best_loc) < 0.02
    assert abs(scale - best_scale) < 0.02
    # A single final iterate is near too, within its jitter.
    assert abs(result.params["z_auto_loc"][0] - best_loc) < 0.15
    assert abs(result.params["z_auto_scale"][0] - best_scale) < 0.15
    # p is normalized, so the loss (negative ELBO) estimates KL(q ‖ p), at least its minimum.
    assert abs(mean_loss - reference.reverse_kl(best_loc, best_scale)) < 0.01


def test_callback_and_distribution_models_give_the_same_fit():
    callback = swiftvi.LogDensityModel(reference.mixture_log_density_and_gradient, latents={"z": 1})
    distribution = swiftvi.DistributionModel(seed_mixture())
    runs = []
    for model in (callback, distribution):
        svi = swiftvi.SVI(model, swiftvi.AutoNormal(model), swiftvi.optim.Adam(0.03), swiftvi.Trace_ELBO(8))
        runs.append(svi.run(200, seed=5))
    np.testing.assert_allclose(runs[0].losses, runs[1].losses, rtol=1e-9, atol=1e-12)


def test_the_callback_sees_all_particles_at_once():
    shapes = []

    def log_density(z):
        shapes.append(z.shape)
        return -0.5 * np.sum(z**2, axis=1), -z

    model = swiftvi.LogDensityModel(log_density, latents={"a": 2, "b": 3})
    assert model.dim == 5
    svi = swiftvi.SVI(model, swiftvi.AutoNormal(model), swiftvi.optim.Adam(0.05), swiftvi.Trace_ELBO(num_particles=7))
    params = svi.run(400, seed=0).params
    assert set(shapes) == {(7, 5)}
    assert {name: value.shape for name, value in params.items()} == {
        "a_auto_loc": (2,),
        "a_auto_scale": (2,),
        "b_auto_loc": (3,),
        "b_auto_scale": (3,),
    }
    # The target is a standard normal over both blocks.
    np.testing.assert_allclose(np.concatenate([params["a_auto_loc"], params["b_auto_loc"]]), 0.0, atol=0.2)
    np.testing.assert_allclose(np.concatenate([params["a_auto_scale"], params["b_auto_scale"]]), 1.0, atol=0.2)


def test_sgd_finds_a_normal_target():
    # For a Normal target the reverse-KL optimum is the target itself.
    model = swiftvi.DistributionModel(swiftvi.Normal(1.5, 0.7))
    for optimizer in (swiftvi.optim.SGD(0.01), swiftvi.optim.SGD(0.005, momentum=0.9, nesterov=True)):
        svi = swiftvi.SVI(
            model, swiftvi.AutoNormal(model, init_loc=[0.0], init_scale=1.0), optimizer, swiftvi.Trace_ELBO(16)
        )
        svi.run(3000, seed=2)
        locs, scales = [], []
        for _ in range(500):
            svi.step()
            params = svi.get_params()
            locs.append(params["z_auto_loc"][0])
            scales.append(params["z_auto_scale"][0])
        assert abs(np.mean(locs) - 1.5) < 0.02
        assert abs(np.mean(scales) - 0.7) < 0.02


def test_init_loc_and_init_scale_set_the_starting_parameters():
    model = swiftvi.LogDensityModel(reference.mixture_log_density_and_gradient, latents={"z": 1})
    svi = swiftvi.SVI(
        model,
        swiftvi.AutoNormal(model, init_scale=0.3, init_loc=[1.25]),
        swiftvi.optim.Adam(0.01),
        swiftvi.Trace_ELBO(),
    )
    svi.init(0)
    params = svi.get_params()
    np.testing.assert_allclose(params["z_auto_loc"], [1.25], rtol=1e-12)
    np.testing.assert_allclose(params["z_auto_scale"], [0.3], rtol=1e-12)
    assert svi.num_steps == 0


def test_random_init_locations_lie_within_the_radius():
    model = swiftvi.LogDensityModel(lambda z: (-0.5 * np.sum(z**2, axis=1), -z), latents={"z": 50})
    svi = swiftvi.SVI(model, swiftvi.AutoNormal(model, init_radius=0.5), swiftvi.optim.Adam(0.01), swiftvi.Trace_ELBO())
    svi.init(3)
    loc = svi.get_params()["z_auto_loc"]
    assert np.all(np.abs(loc) < 0.5) and np.ptp(loc) > 0.5


def make_seed_svi(num_particles=4):
    model = swiftvi.LogDensityModel(reference.mixture_log_density_and_gradient, latents={"z": 1})
    return swiftvi.SVI(model, swiftvi.AutoNormal(model), swiftvi.optim.Adam(0.03), swiftvi.Trace_ELBO(num_particles))


def test_same_seed_gives_identical_losses():
    svi = make_seed_svi()
    first = svi.run(300, seed=123).losses
    second = svi.run(300, seed=123).losses
    np.testing.assert_array_equal(first, second)
    np.testing.assert_array_equal(first, make_seed_svi().run(300, seed=swiftvi.PRNGKey(123)).losses)
    assert not np.array_equal(first, svi.run(300, seed=124).losses)


def test_run_equals_init_then_steps():
    svi = make_seed_svi()
    ran = svi.run(50, seed=4)
    svi.init(4)
    stepped = [svi.step() for _ in range(50)]
    np.testing.assert_array_equal(ran.losses, stepped)
    params = svi.get_params()
    for name in ran.params:
        np.testing.assert_array_equal(ran.params[name], params[name])
    assert svi.num_steps == 50


def test_progress_sees_every_step_and_can_stop_the_run():
    seen = []

    def progress(step, loss):
        seen.append((step, loss))
        return step == 5

    svi = make_seed_svi()
    result = svi.run(100, seed=0, progress=progress)
    assert [step for step, _ in seen] == [1, 2, 3, 4, 5]
    assert len(result.losses) == svi.num_steps in (4, 5)
    np.testing.assert_array_equal(result.losses, [loss for _, loss in seen][: len(result.losses)])


def test_progress_that_never_stops_lets_the_run_finish():
    steps = []
    result = make_seed_svi().run(30, seed=0, progress=lambda step, loss: steps.append(step))
    assert steps == list(range(1, 31)) and len(result.losses) == 30


def handle_is_live(function, handle, *args):
    try:
        _library.call(function, handle, *args)
    except swiftvi.SwiftVIError as error:
        assert error.status == swiftvi.Status.STALE_HANDLE
        return False
    return True


def test_handles_are_freed_when_the_last_reference_goes():
    gc.disable()
    try:
        d = swiftvi.Normal(0.0, 1.0)
        handle = d.handle
        del d
        assert not handle_is_live("svi_dist_family", handle, ctypes.byref(ctypes.c_char_p()))
        svi = make_seed_svi()
        svi_handle, model_handle = svi.handle, svi.model.handle
        del svi
        assert not handle_is_live("svi_svi_num_steps", svi_handle, ctypes.byref(ctypes.c_size_t()))
        assert not handle_is_live("svi_model_dim", model_handle, ctypes.byref(ctypes.c_size_t()))
    finally:
        gc.enable()


def test_context_managers_free_their_handles():
    model = swiftvi.DistributionModel(swiftvi.Normal(0.0, 1.0))
    with swiftvi.optim.Adam(0.01) as adam, swiftvi.Trace_ELBO() as elbo, swiftvi.AutoNormal(model) as guide:
        with swiftvi.SVI(model, guide, adam, elbo) as svi:
            svi.step()
        assert svi.closed and not adam.closed
    assert adam.closed and elbo.closed and guide.closed
