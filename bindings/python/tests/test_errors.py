"""Every failure raises an exception carrying the library's status and message; none crashes the process."""

import ctypes
import gc
import pickle

import numpy as np
import pytest

import reference
import swiftvi
from swiftvi import _capi, _library


def check(info, status):
    """The raised SwiftVIError has ``status``, its name, and a message included in its text."""
    assert info.value.status == status
    assert info.value.status_name == f"SVI_E_{swiftvi.Status(status).name}"
    assert info.value.message and info.value.message in str(info.value)


def test_error_carries_status_name_and_message():
    with pytest.raises(swiftvi.SwiftVIError) as info:
        swiftvi.Normal(0.0, -1.0)
    check(info, swiftvi.Status.INVALID_ARGUMENT)
    assert "scale" in info.value.message
    assert isinstance(info.value, Exception)
    copy = pickle.loads(pickle.dumps(info.value))
    assert (copy.status, copy.status_name, copy.message) == (
        info.value.status,
        info.value.status_name,
        info.value.message,
    )


@pytest.mark.parametrize(
    "loc, scale",
    [(0.0, 0.0), (0.0, -2.0), ([0.0, 1.0], [1.0, -1.0]), (np.nan, 1.0), (0.0, np.nan), (0.0, np.inf)],
)
def test_invalid_normal_parameters_are_rejected(loc, scale):
    with pytest.raises(swiftvi.SwiftVIError) as info:
        swiftvi.Normal(loc, scale)
    check(info, swiftvi.Status.INVALID_ARGUMENT)


def test_non_broadcasting_parameters_are_a_shape_mismatch():
    with pytest.raises(swiftvi.SwiftVIError) as info:
        swiftvi.Normal([0.0, 1.0], [1.0, 2.0, 3.0])
    check(info, swiftvi.Status.SHAPE_MISMATCH)


def test_invalid_categorical_probabilities_are_rejected():
    for probs in ([0.5, 0.6], [1.5, -0.5], [np.nan, 1.0]):
        with pytest.raises(swiftvi.SwiftVIError) as info:
            swiftvi.Categorical(probs=probs)
        check(info, swiftvi.Status.INVALID_ARGUMENT)


def test_values_that_do_not_broadcast_with_the_batch_are_rejected():
    d = swiftvi.Normal([0.0, 1.0, 2.0], 1.0)
    with pytest.raises(ValueError):
        d.log_prob([0.0, 1.0])


def test_wrong_output_length_is_a_shape_mismatch_at_the_c_interface():
    d = swiftvi.Normal([0.0, 1.0, 2.0], 1.0)
    out = (ctypes.c_double * 2)()
    with pytest.raises(swiftvi.SwiftVIError) as info:
        _library.call("svi_dist_mean", d.handle, out, 2)
    check(info, swiftvi.Status.SHAPE_MISMATCH)


def test_too_many_dimensions_are_rejected():
    with pytest.raises(swiftvi.SwiftVIError) as info:
        swiftvi.Normal(np.zeros((1,) * (_capi.SVI_MAX_NDIM + 1)), 1.0)
    assert info.value.status in (swiftvi.Status.INVALID_ARGUMENT, swiftvi.Status.SHAPE_MISMATCH)


def test_unknown_family_is_rejected():
    with pytest.raises(swiftvi.SwiftVIError) as info:
        swiftvi.Distribution._from_params("NoSuchFamily", {"loc": 0.0, "scale": 1.0})
    check(info, swiftvi.Status.INVALID_ARGUMENT)
    assert "NoSuchFamily" in info.value.message


def test_freed_objects_raise_stale_handle_and_double_close_is_harmless():
    d = swiftvi.Normal(0.0, 1.0)
    d.close()
    d.close()
    for use in (lambda: d.log_prob(0.0), lambda: d.sample(seed=0), lambda: d.entropy(), lambda: d.family):
        with pytest.raises(swiftvi.SwiftVIError) as info:
            use()
        check(info, swiftvi.Status.STALE_HANDLE)
    with pytest.raises(swiftvi.SwiftVIError) as info:
        swiftvi.kl_divergence(d, swiftvi.Normal(0.0, 1.0))
    check(info, swiftvi.Status.STALE_HANDLE)


def test_raw_double_free_and_forged_handles_are_reported():
    d = swiftvi.Normal(0.0, 1.0)
    handle = d.handle
    d.close()
    with pytest.raises(swiftvi.SwiftVIError) as info:
        _library.call("svi_dist_free", handle)
    check(info, swiftvi.Status.STALE_HANDLE)
    _library.call("svi_dist_free", 0)
    with pytest.raises(swiftvi.SwiftVIError) as info:
        _library.call("svi_dist_free", 0xDEADBEEF12345)
    check(info, swiftvi.Status.STALE_HANDLE)


def test_a_handle_of_another_kind_is_reported():
    d = swiftvi.Normal(0.0, 1.0)
    with pytest.raises(swiftvi.SwiftVIError) as info:
        _library.call("svi_model_dim", d.handle, ctypes.byref(ctypes.c_size_t()))
    check(info, swiftvi.Status.WRONG_HANDLE_KIND)


def test_null_pointers_are_reported():
    with pytest.raises(swiftvi.SwiftVIError) as info:
        _library.call("svi_key_from_seed", None, 1)
    check(info, swiftvi.Status.NULL_POINTER)


def test_option_struct_of_unknown_size_is_rejected():
    options = _capi.svi_adam_options()
    with pytest.raises(swiftvi.SwiftVIError) as info:
        _library.call("svi_adam_options_init", ctypes.byref(options), 3)
    check(info, swiftvi.Status.VERSION_MISMATCH)


def test_invalid_optimizer_and_elbo_settings_are_rejected():
    for make in (
        lambda: swiftvi.optim.Adam(-0.1),
        lambda: swiftvi.optim.Adam(0.1, b1=1.5),
        lambda: swiftvi.optim.SGD(np.nan),
        lambda: swiftvi.Trace_ELBO(num_particles=0),
    ):
        with pytest.raises(swiftvi.SwiftVIError) as info:
            make()
        check(info, swiftvi.Status.INVALID_ARGUMENT)


def test_negative_sizes_are_rejected_before_reaching_the_library():
    with pytest.raises(ValueError):
        swiftvi.Trace_ELBO(num_particles=-1)
    with pytest.raises(ValueError):
        swiftvi.kl_monte_carlo(swiftvi.Normal(0.0, 1.0), swiftvi.Normal(1.0, 1.0), num_samples=-5)


def make_svi(fn, seed=0):
    model = swiftvi.LogDensityModel(fn, latents={"z": 1})
    svi = swiftvi.SVI(model, swiftvi.AutoNormal(model), swiftvi.optim.Adam(0.05), swiftvi.Trace_ELBO(num_particles=4))
    svi.init(seed)
    return svi


class Failing:
    """The mixture log-density, failing on demand with an exception or a bad result."""

    def __init__(self):
        self.failure = None

    def __call__(self, z):
        if isinstance(self.failure, BaseException):
            raise self.failure
        log_density, gradient = reference.mixture_log_density_and_gradient(z)
        if self.failure == "nan":
            log_density[0] = np.nan
        elif self.failure == "shape":
            gradient = gradient[:, 0]
        return log_density, gradient


def assert_failed_step_keeps_state(svi, fn, failure, expected_error):
    for _ in range(5):
        svi.step()
    before, steps = svi.get_params(), svi.num_steps
    fn.failure = failure
    with pytest.raises(expected_error) as info:
        svi.step()
    after = svi.get_params()
    assert svi.num_steps == steps
    assert before.keys() == after.keys()
    for name in before:
        np.testing.assert_array_equal(after[name], before[name])
    fn.failure = None
    assert np.isfinite(svi.step())
    return info


def test_exception_in_the_log_density_propagates_and_leaves_parameters_unchanged():
    fn = Failing()
    svi = make_svi(fn)
    error = RuntimeError("the model broke")
    info = assert_failed_step_keeps_state(svi, fn, error, RuntimeError)
    assert info.value is error
    assert isinstance(info.value.__context__, swiftvi.SwiftVIError)
    assert info.value.__context__.status == swiftvi.Status.CALLBACK_FAILED
    assert any(entry.name == "__call__" for entry in info.traceback), "the callback's frame is kept"


def test_exception_in_the_log_density_propagates_from_run():
    fn = Failing()
    fn.failure = KeyError("z")
    svi = make_svi(fn)
    with pytest.raises(KeyError):
        svi.run(10, seed=0)


def test_wrong_callback_result_shape_raises_and_leaves_parameters_unchanged():
    fn = Failing()
    info = assert_failed_step_keeps_state(make_svi(fn), fn, "shape", ValueError)
    assert "gradient" in str(info.value)


def test_nan_log_density_is_a_numerical_error_and_leaves_parameters_unchanged():
    fn = Failing()
    info = assert_failed_step_keeps_state(make_svi(fn), fn, "nan", swiftvi.SwiftVIError)
    assert info.value.status == swiftvi.Status.NUMERICAL


def test_exception_in_progress_propagates():
    model = swiftvi.DistributionModel(swiftvi.Normal(0.0, 1.0))
    svi = swiftvi.SVI(model, swiftvi.AutoNormal(model), swiftvi.optim.SGD(0.01), swiftvi.Trace_ELBO())

    def progress(step, loss):
        if step == 3:
            raise ZeroDivisionError("stop here")

    with pytest.raises(ZeroDivisionError):
        svi.run(10, seed=0, progress=progress)
    assert svi.num_steps <= 3


def test_parts_of_the_wrong_type_are_rejected():
    model = swiftvi.DistributionModel(swiftvi.Normal(0.0, 1.0))
    with pytest.raises(TypeError):
        swiftvi.SVI(model, swiftvi.AutoNormal(model), swiftvi.Trace_ELBO(), swiftvi.optim.SGD(0.01))
    with pytest.raises(TypeError):
        swiftvi.LogDensityModel("not callable", latents={"z": 1})


def test_init_loc_of_the_wrong_length_is_rejected():
    model = swiftvi.LogDensityModel(reference.mixture_log_density_and_gradient, latents={"z": 1})
    with pytest.raises(swiftvi.SwiftVIError) as caught:
        swiftvi.AutoNormal(model, init_loc=[0.0, 1.0])
    assert caught.value.status_name == "SVI_E_SHAPE_MISMATCH"
    assert "2 initial locations for 1 latent coordinates" in str(caught.value)


def test_freed_svi_and_parts():
    model = swiftvi.DistributionModel(swiftvi.Normal(0.0, 1.0))
    guide = swiftvi.AutoNormal(model)
    svi = swiftvi.SVI(model, guide, swiftvi.optim.Adam(0.01), swiftvi.Trace_ELBO())
    # The SVI keeps its own references to its parts.
    model.close()
    guide.close()
    assert np.isfinite(svi.step())
    with pytest.raises(swiftvi.SwiftVIError) as info:
        _ = model.dim
    check(info, swiftvi.Status.STALE_HANDLE)
    with pytest.raises(swiftvi.SwiftVIError) as info:
        swiftvi.AutoNormal(model)
    check(info, swiftvi.Status.STALE_HANDLE)
    svi.close()
    with pytest.raises(swiftvi.SwiftVIError) as info:
        svi.step()
    check(info, swiftvi.Status.STALE_HANDLE)
    with pytest.raises(swiftvi.SwiftVIError) as info:
        svi.get_params()
    check(info, swiftvi.Status.STALE_HANDLE)


def test_callback_outlives_the_python_model_object():
    def build():
        model = swiftvi.LogDensityModel(reference.mixture_log_density_and_gradient, latents={"z": 1})
        return swiftvi.SVI(model, swiftvi.AutoNormal(model), swiftvi.optim.Adam(0.05), swiftvi.Trace_ELBO(2))

    svi = build()
    gc.collect()
    assert np.isfinite(svi.run(20, seed=1).losses).all()
