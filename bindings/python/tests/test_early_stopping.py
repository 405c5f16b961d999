"""Early stopping of SVI.run (svi_run_options' early_stopping_* fields), checked against the rule written out."""

import ctypes
import math

import numpy as np
import pytest

import swiftvi
from swiftvi import _capi, _library


def quadratic(z):
    """log N(z; 1, 1) up to a constant and its gradient."""
    return -0.5 * (z[:, 0] - 1) ** 2, -(z - 1)


def make_svi(fn=quadratic):
    model = swiftvi.LogDensityModel(fn, latents={"z": 1})
    return swiftvi.SVI(model, swiftvi.AutoNormal(model), swiftvi.optim.Adam(0.05), swiftvi.Trace_ELBO(num_particles=2))


def stopping_step(losses, tolerance, smoothing, patience, skipped="ignored"):
    """The 1-based attempt after which the documented rule ends a run with these losses, or None.

    s_1 = L_1, s_t = b s_{t-1} + (1 - b) L_t; step t >= 2 is calm when |s_t - s_{t-1}| <= tol |s_{t-1}|;
    the run ends after the step that completes `patience` consecutive calm steps. A NaN loss is a skipped
    step: "ignored" as documented, or (to show a test can tell) one that "resets" the count or "counts" as calm.
    """
    smoothed, calm = None, 0
    for attempt, loss in enumerate(losses, start=1):
        if math.isnan(loss):
            if skipped == "ignored":
                continue
            calm = 0 if skipped == "resets" else calm + 1
        elif smoothed is None:
            smoothed = loss
            continue
        else:
            current = smoothing * smoothed + (1 - smoothing) * loss
            calm = calm + 1 if abs(current - smoothed) <= tolerance * abs(smoothed) else 0
            smoothed = current
        if calm >= patience:
            return attempt
    return None


@pytest.mark.parametrize(("tolerance", "smoothing", "patience"), [(1e-2, 0.9, 10), (3e-3, 0.9, 5), (1e-2, 0.0, 3)])
def test_the_run_stops_where_the_rule_says_in_the_state_of_a_run_that_long(tolerance, smoothing, patience):
    full = make_svi().run(2000, seed=1).losses
    expected = stopping_step(full, tolerance, smoothing, patience)
    assert expected is not None and expected < 2000

    stopped_svi = make_svi()
    stopped = stopped_svi.run(2000, seed=1, early_stopping=swiftvi.EarlyStopping(tolerance, smoothing, patience))
    assert len(stopped.losses) == expected
    np.testing.assert_array_equal(stopped.losses, full[:expected])
    assert stopped_svi.num_steps == expected

    reference_svi = make_svi()
    reference = reference_svi.run(expected, seed=1)
    assert stopped.params.keys() == reference.params.keys()
    for name, value in reference.params.items():
        np.testing.assert_array_equal(stopped.params[name], value)
    assert stopped_svi.save() == reference_svi.save()


def test_a_tolerance_never_met_runs_every_step():
    result = make_svi().run(60, seed=2, early_stopping=swiftvi.EarlyStopping(1e-12, smoothing=0.0, patience=1))
    assert len(result.losses) == 60


def test_a_number_is_the_relative_tolerance_with_default_settings():
    shorthand = make_svi().run(2000, seed=1, early_stopping=1e-2)
    spelled = make_svi().run(2000, seed=1, early_stopping=swiftvi.EarlyStopping(1e-2, smoothing=0.9, patience=10))
    np.testing.assert_array_equal(shorthand.losses, spelled.losses)
    assert len(shorthand.losses) < 2000


def offset_quadratic(z):
    """quadratic minus 5: the loss of a point mass tends to 5, so its relative changes tend to 0."""
    log_density, gradient = quadratic(z)
    return log_density - 5, gradient


def failing_at(call):
    """offset_quadratic, except that call number `call` (from 1) raises."""
    calls = []

    def fn(z):
        calls.append(None)
        if len(calls) == call:
            raise RuntimeError("bad point")
        return offset_quadratic(z)

    return fn


def make_map_svi(fn):
    """A MAP fit by plain gradient descent: deterministic losses, calm for good once calm."""
    model = swiftvi.LogDensityModel(fn, latents={"z": 1})
    return swiftvi.SVI(model, swiftvi.AutoDelta(model), swiftvi.optim.SGD(0.1), swiftvi.Trace_ELBO())


def test_a_skipped_step_neither_counts_nor_resets_the_calm_steps():
    tolerance, smoothing, patience = 1e-3, 0.0, 5
    plain_stop = stopping_step(make_map_svi(offset_quadratic).run(200, seed=1).losses, tolerance, smoothing, patience)
    bad_call = plain_stop - 2  # inside the calm streak that ends the plain run
    full = make_map_svi(failing_at(bad_call)).run(200, seed=1, stable=True).losses
    assert np.isnan(full[bad_call - 1]) and np.isfinite(np.delete(full, bad_call - 1)).all()
    expected = stopping_step(full, tolerance, smoothing, patience)
    for other in ("resets", "counts"):
        assert stopping_step(full, tolerance, smoothing, patience, skipped=other) != expected

    svi = make_map_svi(failing_at(bad_call))
    stopped = svi.run(200, seed=1, stable=True, early_stopping=swiftvi.EarlyStopping(tolerance, smoothing, patience))
    np.testing.assert_array_equal(stopped.losses, full[:expected])
    assert svi.num_steps == expected - 1


@pytest.mark.parametrize(
    ("early_stopping", "mentions"),
    [
        (swiftvi.EarlyStopping(float("nan")), "early_stopping_tolerance"),
        (swiftvi.EarlyStopping(-1e-3), "early_stopping_tolerance"),
        (swiftvi.EarlyStopping(float("inf")), "early_stopping_tolerance"),
        (swiftvi.EarlyStopping(1e-3, smoothing=1.0), "smoothing"),
        (swiftvi.EarlyStopping(1e-3, smoothing=-0.1), "smoothing"),
        (swiftvi.EarlyStopping(1e-3, smoothing=float("nan")), "smoothing"),
        (swiftvi.EarlyStopping(1e-3, patience=0), "patience"),
    ],
)
def test_invalid_settings_are_refused_before_any_step(early_stopping, mentions):
    svi = make_svi()
    svi.run(20, seed=0)
    before = svi.save()
    with pytest.raises(swiftvi.SwiftVIError) as raised:
        svi.run(50, seed=5, early_stopping=early_stopping)
    assert raised.value.status == swiftvi.Status.INVALID_ARGUMENT
    assert mentions in raised.value.message
    assert svi.save() == before


@pytest.mark.parametrize("early_stopping", [0.0, swiftvi.EarlyStopping(1e-3, patience=-1)])
def test_settings_that_c_would_misread_are_refused_in_python(early_stopping):
    with pytest.raises(ValueError):
        make_svi().run(10, seed=0, early_stopping=early_stopping)


#: The size of svi_run_options before the early-stopping fields.
EARLIER_SIZE = _capi.svi_run_options.early_stopping_tolerance.offset


def run_with_options(svi, options, num_steps):
    losses, count = np.empty(num_steps), ctypes.c_size_t()
    _library.call(
        "svi_svi_run_with_options",
        svi.handle,
        swiftvi.random.as_key(0),
        num_steps,
        losses.ctypes.data_as(ctypes.POINTER(ctypes.c_double)),
        ctypes.byref(count),
        ctypes.byref(options),
    )
    return count.value


def test_the_earlier_struct_is_read_without_its_missing_fields():
    assert EARLIER_SIZE == 32  # LP64: struct_size, two pointers, stable, padding
    options = _capi.svi_run_options()
    ctypes.memset(ctypes.byref(options), 0xAB, ctypes.sizeof(options))
    _library.call("svi_run_options_init", ctypes.byref(options), EARLIER_SIZE)
    tail = bytes(options)[EARLIER_SIZE:]
    assert tail == b"\xab" * len(tail), "svi_run_options_init wrote past the earlier struct"
    options.progress = _capi.svi_progress_fn()
    # A tolerance that would be refused, beyond the earlier struct: never read.
    options.early_stopping_tolerance = -1.0
    assert run_with_options(make_svi(), options, 40) == 40
    options.struct_size = ctypes.sizeof(options)
    with pytest.raises(swiftvi.SwiftVIError) as raised:
        run_with_options(make_svi(), options, 40)
    assert raised.value.status == swiftvi.Status.INVALID_ARGUMENT


def test_the_defaults_turn_early_stopping_off():
    options = _capi.svi_run_options()
    _library.call("svi_run_options_init", ctypes.byref(options), ctypes.sizeof(options))
    assert (options.early_stopping_tolerance, options.early_stopping_smoothing) == (0.0, 0.9)
    assert options.early_stopping_patience == 10
