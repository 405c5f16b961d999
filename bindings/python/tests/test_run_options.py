"""SVI.run options: the progress bar on a terminal, and runs meeting a failing or NaN-returning model."""

import io
import sys
import types

import numpy as np
import pytest

import swiftvi


class FakeTerminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self):
        return True


def quadratic(z):
    """log N(z; 1, 1) up to a constant and its gradient."""
    return -0.5 * (z[:, 0] - 1) ** 2, -(z - 1)


def make_svi(fn=quadratic):
    model = swiftvi.LogDensityModel(fn, latents={"z": 1})
    return swiftvi.SVI(model, swiftvi.AutoNormal(model), swiftvi.optim.Adam(0.05), swiftvi.Trace_ELBO(num_particles=2))


def test_the_progress_bar_shows_steps_rate_and_loss_on_a_terminal(monkeypatch):
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setitem(sys.modules, "tqdm", None)  # the built-in bar
    result = make_svi().run(50, seed=0, progress_bar=True)
    shown = terminal.getvalue()
    assert "50/50" in shown and "step/s" in shown
    assert f"loss={result.losses[-1]:.4g}" in shown
    assert shown.endswith("\n")


def test_the_progress_bar_is_silent_when_stderr_is_not_a_terminal(monkeypatch):
    pipe = io.StringIO()
    monkeypatch.setattr(sys, "stderr", pipe)
    make_svi().run(20, seed=0, progress_bar=True)
    assert pipe.getvalue() == ""


def test_the_progress_bar_uses_tqdm_when_it_is_installed(monkeypatch):
    made = []

    class FakeTqdm:
        def __init__(self, total, file, **options):
            self.total, self.file, self.updates, self.postfix, self.closed = total, file, 0, None, False
            made.append(self)

        def set_postfix(self, refresh=True, **values):
            self.postfix = values

        def update(self, n):
            self.updates += n

        def close(self):
            self.closed = True

    monkeypatch.setitem(sys.modules, "tqdm", types.SimpleNamespace(tqdm=FakeTqdm))
    monkeypatch.setattr(sys, "stderr", FakeTerminal())
    result = make_svi().run(30, seed=0, progress_bar=True)
    (bar,) = made
    assert (bar.total, bar.updates, bar.closed, bar.file) == (30, 30, True, sys.stderr)
    assert bar.postfix == {"loss": f"{result.losses[-1]:.4g}"}


def failing_at(call, failure):
    """quadratic, except that call number `call` (from 1) fails: raises or returns NaN."""
    calls = []

    def fn(z):
        calls.append(None)
        if len(calls) == call:
            if failure == "raise":
                raise RuntimeError("bad point")
            return np.full(len(z), np.nan), np.zeros_like(z)
        return quadratic(z)

    return fn


@pytest.mark.parametrize("failure", ["raise", "nan"])
def test_a_bad_step_ends_the_run_with_the_state_before_it(failure):
    svi = make_svi(failing_at(30, failure))
    if failure == "raise":
        with pytest.raises(RuntimeError, match="bad point") as raised:
            svi.run(100, seed=3)
        assert raised.value.__context__.status == swiftvi.Status.CALLBACK_FAILED
    else:
        with pytest.raises(swiftvi.SwiftVIError) as raised:
            svi.run(100, seed=3)
        assert raised.value.status == swiftvi.Status.NUMERICAL
    assert svi.num_steps == 29
    reference = make_svi()
    reference.run(29, seed=3)
    for name, value in reference.get_params().items():
        np.testing.assert_array_equal(svi.get_params()[name], value)


@pytest.mark.parametrize("failure", ["raise", "nan"])
def test_a_stable_run_skips_the_bad_step_and_goes_on(failure):
    svi = make_svi(failing_at(30, failure))
    result = svi.run(100, seed=3, stable=True)
    assert result.losses.shape == (100,)
    assert np.isnan(result.losses[29]) and np.isfinite(np.delete(result.losses, 29)).all()
    assert svi.num_steps == 99
    # Up to the bad step the run is the plain one; after it the fit still converges.
    reference = make_svi()
    np.testing.assert_array_equal(reference.run(29, seed=3).losses, result.losses[:29])
    assert abs(result.params["z_auto_loc"][0] - 1) < 0.5
