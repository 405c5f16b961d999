"""Models, guides, ELBO objectives and stochastic variational inference."""

import contextlib
import ctypes
from typing import NamedTuple

import numpy as np

from . import _capi, _library, constraints
from ._handle import Handle
from ._progress import progress_bar as _progress_bar
from ._marshal import NamedArrays, double_ptr, query_shape, size
from .distributions import Distribution
from .errors import SwiftVIError
from .initialization import as_init_strategy
from .optim import Optimizer
from .random import as_key


class _PythonCallback:
    """Runs a Python function inside a C callback, keeping any exception it raises for re-raising later."""

    def __init__(self, function, returns_gradient=True):
        self.function = function
        self.returns_gradient = returns_gradient
        self.error = None

    def take_error(self):
        error, self.error = self.error, None
        return error

    def log_density(self, _user_data, num_points, dim, points, out_log_density, out_gradient):
        try:
            z = np.ctypeslib.as_array(points, shape=(num_points, dim)).copy()
            log_density, gradient = self.function(z) if self.returns_gradient else (self.function(z), None)
            np.ctypeslib.as_array(out_log_density, shape=(num_points,))[:] = _exact_shape(
                log_density, (num_points,), "log-density"
            )
            if out_gradient:
                np.ctypeslib.as_array(out_gradient, shape=(num_points, dim))[:] = _exact_shape(
                    gradient, (num_points, dim), "gradient"
                )
            return 0
        except BaseException as error:
            self.error = error
            return 1

    def predict(self, _user_data, num_samples, dim, latents, num_predictions, out_predictions):
        try:
            z = np.ctypeslib.as_array(latents, shape=(num_samples, dim)).copy()
            out = np.ctypeslib.as_array(out_predictions, shape=(num_samples, num_predictions))
            self.function(z, out)
            return 0
        except BaseException as error:
            self.error = error
            return 1

    def progress(self, _user_data, step, loss):
        try:
            return 1 if self.function(step, loss) else 0
        except BaseException as error:
            self.error = error
            return 1


def _exact_shape(value, shape, what):
    value = np.asarray(value, dtype=np.float64)
    if value.shape != shape:
        raise ValueError(f"the {what} has shape {value.shape}; expected {shape}")
    return value


@contextlib.contextmanager
def _reraising(*callbacks):
    """Re-raises the exception of a Python callback that made a library call fail.

    The exception is raised as it is (its own ``__cause__`` kept); the
    SwiftVIError of the failed call becomes its ``__context__``.
    """
    for callback in callbacks:
        callback.take_error()
    try:
        yield
    except SwiftVIError:
        for callback in callbacks:
            error = callback.take_error()
            if error is not None:
                raise error  # noqa: B904 - implicit chaining keeps the callback's own __cause__
        raise


def _run_with_progress(function, arguments, callbacks, progress):
    """Calls a training function taking ``arguments`` then a progress callback and its user data.

    ``progress(step, loss)`` (or None) runs after each step and stops the run by
    returning True; a stop is not an error. An exception raised by ``progress``
    or by one of ``callbacks`` is re-raised as it is.
    """
    c_progress = _capi.svi_progress_fn()
    if progress is not None:
        progress_callback = _PythonCallback(progress)
        callbacks += (progress_callback,)
        c_progress = _capi.svi_progress_fn(progress_callback.progress)
    try:
        with _reraising(*callbacks):
            _library.call(function, *arguments, c_progress, None)
    except SwiftVIError as error:
        if error.status != _capi.SVI_E_STOPPED:
            raise


class Model(Handle):
    """An unnormalized log-density over named latent blocks, held by the library."""

    _free_function = "svi_model_free"
    _callbacks = ()

    @property
    def dim(self):
        """The total latent dimension: the number of unconstrained coordinates a guide draws."""
        dim = ctypes.c_size_t()
        _library.call("svi_model_dim", self._handle, ctypes.byref(dim))
        return dim.value

    @property
    def constrained_dim(self):
        """The number of latent values per point (what a LogDensityModel's ``fn`` receives)."""
        dim = ctypes.c_size_t()
        _library.call("svi_model_constrained_dim", self._handle, ctypes.byref(dim))
        return dim.value


#: The constraints a latent block may have: name -> (svi_constraint_kind, bound parameters).
_BLOCK_CONSTRAINTS = {
    "real": (_capi.SVI_CONSTRAINT_REAL, ()),
    "real_vector": (_capi.SVI_CONSTRAINT_REAL, ()),
    "positive": (_capi.SVI_CONSTRAINT_POSITIVE, ()),
    "unit_interval": (_capi.SVI_CONSTRAINT_UNIT_INTERVAL, ()),
    "interval": (_capi.SVI_CONSTRAINT_INTERVAL, ("lower_bound", "upper_bound")),
    "greater_than": (_capi.SVI_CONSTRAINT_GREATER_THAN, ("lower_bound",)),
    "less_than": (_capi.SVI_CONSTRAINT_LESS_THAN, ("upper_bound",)),
    "simplex": (_capi.SVI_CONSTRAINT_SIMPLEX, ()),
    "lower_cholesky": (_capi.SVI_CONSTRAINT_LOWER_CHOLESKY, ()),
    "corr_cholesky": (_capi.SVI_CONSTRAINT_CORR_CHOLESKY, ()),
}


def _latent_block(name, spec, kind=_capi.SVI_BLOCK_LATENT):
    """The svi_latent_block (of ``kind``) for ``name: size`` or ``name: (size, constraint)``."""
    block_size, constraint = spec if isinstance(spec, (tuple, list)) else (spec, constraints.real)
    block_size = size(block_size, f"size of latent {name!r}")
    if not isinstance(constraint, constraints.Constraint):
        raise TypeError(f"latent {name!r}: the constraint must be a swiftvi.constraints.Constraint")
    if constraint.name not in _BLOCK_CONSTRAINTS:
        raise ValueError(
            f"latent {name!r}: constraint {constraint!r} is not supported; use one of {', '.join(_BLOCK_CONSTRAINTS)}"
        )
    bound_names = _BLOCK_CONSTRAINTS[constraint.name][1]
    bounds = {}
    for bound in bound_names:
        value = np.asarray(constraint.params[bound], dtype=np.float64)
        if value.size != 1:
            raise ValueError(f"latent {name!r}: {bound} must be a scalar, got shape {value.shape}")
        bounds[bound] = float(value.reshape(()))
    block = _capi.svi_latent_block(
        name.encode(),
        block_size,
        _BLOCK_CONSTRAINTS[constraint.name][0],
        bounds.get("lower_bound", 0.0),
        bounds.get("upper_bound", 0.0),
        kind,
    )
    return block_size, constraint, block


class LogDensityModel(Model):
    """A model whose log-density (and gradient) come from a batched Python function.

    ``latents`` maps each block's name to its size, or to ``(size, constraint)``
    with a constraint of :mod:`swiftvi.constraints` (``real``, ``positive``,
    ``unit_interval``, ``interval(a, b)``, ``greater_than(a)``, ``less_than(b)``
    with scalar bounds, ``simplex``, ``lower_cholesky``, ``corr_cholesky``).
    ``fn(z)`` receives an (S, D) float64 array of S points, each the blocks'
    values in order — constrained: a simplex block of size K gives K values
    summing to 1, an n × n Cholesky block n·n values row-major — and returns
    ``(log_density, gradient)`` of shapes (S,) and (S, D), the gradient with
    respect to those values. The library maps the guide's unconstrained
    coordinates onto the constraints and adds the log-determinant, as NumPyro
    does for constrained sample sites.

    With ``has_gradient=False``, ``fn(z)`` returns the log-density alone and
    the ELBOs use the score-function estimator (at least 2 particles).

    ``params`` declares learnable model parameters (NumPyro's ``param`` in a
    model), specified as latents are: point estimates that SVI optimizes
    jointly with the guide's parameters. Their values follow the latents' in
    each row ``fn`` receives (the same in every row), ``fn`` returns the
    gradient with respect to them too, and they appear by name in the SVI's
    parameters. They start at the constrained value of zero (0 for real, 1
    for positive, the midpoint of an interval) and need ``has_gradient``.

    An exception raised by ``fn`` makes the library call that invoked it fail,
    and is re-raised from that call.
    """

    def __init__(self, fn, latents, has_gradient=True, params=None):
        if not callable(fn):
            raise TypeError("fn must be callable")
        self.fn = fn
        self.has_gradient = bool(has_gradient)
        blocks = {str(name): _latent_block(str(name), spec) for name, spec in latents.items()}
        self.latents = {name: block[0] for name, block in blocks.items()}
        self.constraints = {name: block[1] for name, block in blocks.items()}
        parameter_blocks = {
            str(name): _latent_block(str(name), spec, _capi.SVI_BLOCK_PARAMETER) for name, spec in (params or {}).items()
        }
        self.params = {name: block[0] for name, block in parameter_blocks.items()}
        clash = self.latents.keys() & self.params.keys()
        if clash:
            raise ValueError(f"{sorted(clash)[0]!r} is both a latent and a parameter")
        blocks.update(parameter_blocks)
        self._callback = _PythonCallback(fn, returns_gradient=self.has_gradient)
        self._callbacks = (self._callback,)
        self._c_function = _capi.svi_log_density_fn(self._callback.log_density)
        self._blocks = (_capi.svi_latent_block * len(blocks))(*(block[2] for block in blocks.values()))
        options = _capi.svi_callback_model_options()
        _library.call("svi_callback_model_options_init", ctypes.byref(options), ctypes.sizeof(options))
        options.latents = self._blocks
        options.num_latents = len(blocks)
        options.log_density = self._c_function
        options.has_gradient = int(self.has_gradient)
        handle = _capi.svi_model()
        _library.call("svi_model_new_callback", ctypes.byref(handle), ctypes.byref(options))
        self._own(handle.value)


class DistributionModel(Model):
    """A model whose log-density is that of ``dist`` (summed over its batch) at the latent ``site``."""

    def __init__(self, dist, site="z"):
        if not isinstance(dist, Distribution):
            raise TypeError("dist must be a Distribution")
        self.distribution = dist
        self.site = site
        handle = _capi.svi_model()
        _library.call("svi_model_new_distribution", ctypes.byref(handle), site.encode(), dist.handle)
        self._own(handle.value)


class Guide(Handle):
    """A variational family with learnable parameters, held by the library.

    The posterior queries take ``params``: a dict of the guide's constrained
    parameters (as ``SVIRunResult.params`` or ``SVI.get_params()`` give them)
    or a fitted ``SVI`` (its current parameters).
    """

    _free_function = "svi_guide_free"
    model = None

    def _latent_shapes(self):
        """Each latent site's name and (constrained) value shape, in the model's order."""
        count = ctypes.c_size_t()
        _library.call("svi_guide_num_latents", self._handle, ctypes.byref(count))
        names = []
        for index in range(count.value):
            name = ctypes.c_char_p()
            _library.call("svi_guide_latent_name", self._handle, index, ctypes.byref(name))
            names.append(name.value)
        return {name.decode(): query_shape("svi_guide_latent_shape", self._handle, name) for name in names}

    def _per_site(self, function, params, leading, *args):
        """``{site: array of shape leading + site shape}`` written by ``function(guide, svi, params, n, *args, site, out, len)``."""
        svi_handle, named = (params.handle, None) if isinstance(params, SVI) else (0, NamedArrays(params))
        result = {}
        with _reraising(*self.model._callbacks):
            for site, shape in self._latent_shapes().items():
                out = np.empty(leading + shape)
                _library.call(
                    function,
                    self._handle,
                    svi_handle,
                    named.array if named else None,
                    len(named) if named else 0,
                    *args,
                    site.encode(),
                    double_ptr(out),
                    out.size,
                )
                result[site] = out
        return result

    def sample_posterior(self, seed, params, num_samples=1):
        """``num_samples`` draws of the approximate posterior, each site's constrained: ``{site: (num_samples, *shape)}``."""
        num_samples = size(num_samples, "num_samples")
        return self._per_site("svi_guide_sample_posterior", params, (num_samples,), as_key(seed), num_samples)

    def median(self, params):
        """Each site's posterior median (the constrained unconstrained-marginal median): ``{site: shape}``."""
        return self._per_site("svi_guide_median", params, ())

    def quantiles(self, params, quantiles):
        """Each site's posterior quantiles at ``quantiles`` in (0, 1): ``{site: (len(quantiles), *shape)}``."""
        quantiles = np.ascontiguousarray(quantiles, dtype=np.float64).reshape(-1)
        return self._per_site(
            "svi_guide_quantiles", params, (quantiles.size,), double_ptr(quantiles), quantiles.size
        )


class AutoNormal(Guide):
    """A diagonal Normal guide over the model's latents, with parameters ``<site>_auto_loc`` and ``<site>_auto_scale``.

    Initial locations follow ``init_loc_fn`` (NumPyro's: ``init_to_uniform``,
    the default, ``init_to_median(num_samples=15)``, ``init_to_value(values)``
    ... from :mod:`swiftvi.initialization`); every initial scale is
    ``init_scale``. ``init_loc`` (model-dim unconstrained values) and
    ``init_radius`` (the radius of ``init_to_uniform``) are earlier ways to say
    the same; combining either with an ``init_loc_fn`` that disagrees raises
    SwiftVIError.
    """

    def __init__(self, model, init_scale=0.1, init_loc=None, init_radius=None, *, init_loc_fn=None):
        if not isinstance(model, Model):
            raise TypeError("model must be a Model")
        self.model = model
        options = _capi.svi_auto_normal_options()
        _library.call("svi_auto_normal_options_init", ctypes.byref(options), ctypes.sizeof(options))
        options.init_scale = init_scale
        if init_radius is not None:
            options.init_radius = init_radius
        if init_loc is not None:
            init_loc = np.ascontiguousarray(init_loc, dtype=np.float64).reshape(-1)
            options.init_loc = double_ptr(init_loc)
            options.init_loc_len = init_loc.size
        if init_loc_fn is not None:
            self.init_loc_fn = as_init_strategy(init_loc_fn)
            options.init_loc_fn = self.init_loc_fn._struct()
        handle = _capi.svi_guide()
        _library.call("svi_guide_new_auto_normal", ctypes.byref(handle), model.handle, ctypes.byref(options))
        self._own(handle.value)


class ELBO(Handle):
    """An evidence lower bound, the objective SVI maximizes (by minimizing its negative)."""

    _free_function = "svi_elbo_free"


class Trace_ELBO(ELBO):
    """The Monte Carlo ELBO averaged over ``num_particles`` draws of the guide.

    Reparameterized, or the score-function estimator with a leave-one-out
    baseline for a model with ``has_gradient=False``. With
    ``vectorize_particles=True`` (the default) the model's ``fn`` gets all
    particles of a step in one call; with False, one particle per call.
    """

    _constructor = "svi_elbo_new_trace"

    def __init__(self, num_particles=1, vectorize_particles=True):
        self.num_particles = size(num_particles, "num_particles")
        self.vectorize_particles = bool(vectorize_particles)
        options = _capi.svi_trace_elbo_options()
        _library.call("svi_trace_elbo_options_init", ctypes.byref(options), ctypes.sizeof(options))
        options.num_particles = self.num_particles
        options.vectorize_particles = int(self.vectorize_particles)
        handle = _capi.svi_elbo()
        _library.call(self._constructor, ctypes.byref(handle), ctypes.byref(options))
        self._own(handle.value)


class TraceMeanField_ELBO(Trace_ELBO):
    """NumPyro's TraceMeanField_ELBO: Trace_ELBO with analytic KL terms where a site's prior and guide have one.

    Models given by a log-density callback state no prior apart from the
    likelihood, so for them it is exactly :class:`Trace_ELBO` (particles are
    always batched).
    """

    _constructor = "svi_elbo_new_trace_mean_field"

    def __init__(self, num_particles=1):
        super().__init__(num_particles)


class RenyiELBO(ELBO):
    """NumPyro's RenyiELBO: log(mean(exp((1 - alpha) w))) / (1 - alpha) over ``num_particles`` log-weights w.

    ``alpha=0`` is the importance-weighted (IWAE) bound; ``alpha=1`` is an
    error (that bound is :class:`Trace_ELBO`'s).
    """

    def __init__(self, alpha=0.0, num_particles=2):
        self.alpha = float(alpha)
        self.num_particles = size(num_particles, "num_particles")
        options = _capi.svi_renyi_elbo_options()
        _library.call("svi_renyi_elbo_options_init", ctypes.byref(options), ctypes.sizeof(options))
        options.alpha = self.alpha
        options.num_particles = self.num_particles
        handle = _capi.svi_elbo()
        _library.call("svi_elbo_new_renyi", ctypes.byref(handle), ctypes.byref(options))
        self._own(handle.value)


class SVIRunResult(NamedTuple):
    """The result of ``SVI.run``: final parameters (name -> array) and the loss of each step taken."""

    params: dict
    losses: np.ndarray


class EarlyStopping(NamedTuple):
    """A rule that ends ``SVI.run`` once its loss has stopped improving (``SVI.run(..., early_stopping=...)``).

    The step losses L_1, L_2, ... are smoothed as s_1 = L_1,
    s_t = smoothing * s_{t-1} + (1 - smoothing) * L_t; step t >= 2 is calm
    when |s_t - s_{t-1}| <= relative_tolerance * |s_{t-1}|, and the run ends
    after the first step that completes ``patience`` consecutive calm steps.
    ``relative_tolerance`` must be positive and finite, ``smoothing`` in
    [0, 1) (0 follows the raw losses) and ``patience`` at least 1; the library
    checks them when the run starts.
    """

    relative_tolerance: float
    smoothing: float = 0.9
    patience: int = 10


class StableUpdateResult(NamedTuple):
    """The result of ``SVI.stable_update``: the step's loss and whether the step was taken."""

    loss: float
    accepted: bool


class SVI(Handle):
    """Stochastic variational inference: fits ``guide`` to ``model`` by minimizing ``loss`` with ``optim``.

    Holds the state of the fit (parameters, optimizer state, key, step count).
    A step that fails leaves that state as it was before the step.
    """

    _free_function = "svi_svi_free"

    def __init__(self, model, guide, optim, loss):
        parts = {"model": (model, Model), "guide": (guide, Guide), "optim": (optim, Optimizer), "loss": (loss, ELBO)}
        for what, (value, kind) in parts.items():
            if not isinstance(value, kind):
                raise TypeError(f"{what} must be a {kind.__name__}, got {type(value).__name__}")
        self.model, self.guide, self.optim, self.loss = model, guide, optim, loss
        handle = _capi.svi_svi()
        _library.call("svi_svi_new", ctypes.byref(handle), model.handle, guide.handle, optim.handle, loss.handle)
        self._own(handle.value)

    def init(self, seed=0):
        """(Re-)initializes the parameters and optimizer state from ``seed`` (an int or PRNGKey)."""
        with _reraising(*self.model._callbacks):
            _library.call("svi_svi_init", self._handle, as_key(seed))

    def step(self):
        """Takes one optimization step and returns its loss (the negative ELBO estimate)."""
        loss = ctypes.c_double()
        with _reraising(*self.model._callbacks):
            _library.call("svi_svi_step", self._handle, ctypes.byref(loss))
        return loss.value

    def evaluate(self):
        """The loss at the current parameters without taking a step: the loss the next ``step()`` would report."""
        loss = ctypes.c_double()
        with _reraising(*self.model._callbacks):
            _library.call("svi_svi_evaluate", self._handle, ctypes.byref(loss))
        return loss.value

    def stable_update(self):
        """One step as NumPyro's ``stable_update``; returns a StableUpdateResult.

        When the loss or a gradient entry is not finite the step is refused
        (``accepted`` is False): parameters, optimizer state and step count stay
        as they were, and only the random key moves on.
        """
        loss, accepted = ctypes.c_double(), ctypes.c_int32()
        with _reraising(*self.model._callbacks):
            _library.call("svi_svi_stable_step", self._handle, ctypes.byref(loss), ctypes.byref(accepted))
        return StableUpdateResult(loss.value, bool(accepted.value))

    def save(self):
        """The whole state of the fit (parameters, optimizer state, step count, random key) as bytes."""
        length = ctypes.c_size_t()
        _library.call("svi_svi_save", self._handle, None, 0, ctypes.byref(length))
        buffer = (ctypes.c_uint8 * length.value)()
        _library.call("svi_svi_save", self._handle, buffer, length.value, ctypes.byref(length))
        return bytes(buffer)

    def restore(self, data):
        """Restores a state from ``save()`` of an SVI with the same guide and optimizer kind.

        Bytes that are corrupt, truncated or of another layout raise SwiftVIError
        and leave the state as it was.
        """
        data = bytes(data)
        buffer = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
        _library.call("svi_svi_restore", self._handle, buffer, len(data))

    def run(self, num_steps, seed=0, progress=None, progress_bar=False, stable=False, early_stopping=None):
        """Initializes from ``seed`` and takes ``num_steps`` steps; returns an SVIRunResult.

        ``progress(step, loss)`` is called after each step (steps count from 1);
        returning True stops the run early, and the result then holds the
        steps actually kept.

        ``early_stopping`` (an :class:`EarlyStopping`, or a number: its
        ``relative_tolerance`` with the other settings at their defaults) ends
        the run without error once the smoothed loss has stopped changing;
        the run then holds fewer than ``num_steps`` losses, and its state is
        the one a run of that many steps from the same seed reaches. A
        tolerance of 0 raises ValueError; other invalid settings raise
        SwiftVIError (SVI_E_INVALID_ARGUMENT) before any step, leaving the
        SVI's state as it was.

        With ``progress_bar=True`` a bar (tqdm's if installed, else a plain
        one) shows the steps, their rate and the current loss on stderr when
        stderr is a terminal; otherwise nothing is printed.

        A step whose ``fn`` raises or whose loss or gradient is not finite
        ends the run: the exception (or SwiftVIError with status
        SVI_E_CALLBACK_FAILED or SVI_E_NUMERICAL) is raised and the SVI keeps
        the state of the step before. With ``stable=True`` such a step is
        skipped instead (as ``stable_update``: only the random key moves on),
        its loss (NaN when ``fn`` raised) is kept in the result, and the run
        goes on; the result's losses then hold one entry per attempt.
        """
        num_steps = size(num_steps, "num_steps")
        losses = np.full(num_steps, np.nan)
        bar = _progress_bar(num_steps) if progress_bar else None

        def report(step, loss):
            if bar is not None:
                bar.update(loss)
            return progress is not None and progress(step, loss)

        options = _capi.svi_run_options()
        _library.call("svi_run_options_init", ctypes.byref(options), ctypes.sizeof(options))
        options.stable = int(bool(stable))
        if early_stopping is not None:
            if not isinstance(early_stopping, EarlyStopping):
                early_stopping = EarlyStopping(early_stopping)
            if early_stopping.relative_tolerance == 0:
                raise ValueError("early stopping needs a positive relative_tolerance; pass early_stopping=None for none")
            options.early_stopping_tolerance = early_stopping.relative_tolerance
            options.early_stopping_smoothing = early_stopping.smoothing
            options.early_stopping_patience = size(early_stopping.patience, "patience")
        callbacks = self.model._callbacks
        if progress is not None or bar is not None:
            progress_callback = _PythonCallback(report)
            callbacks += (progress_callback,)
            options.progress = _capi.svi_progress_fn(progress_callback.progress)
        count = ctypes.c_size_t()
        try:
            with _reraising(*callbacks):
                _library.call(
                    "svi_svi_run_with_options",
                    self._handle,
                    as_key(seed),
                    num_steps,
                    double_ptr(losses),
                    ctypes.byref(count),
                    ctypes.byref(options),
                )
        except SwiftVIError as error:
            if error.status != _capi.SVI_E_STOPPED:
                raise
        finally:
            if bar is not None:
                bar.close()
        return SVIRunResult(self.get_params(), losses[: count.value].copy())

    @property
    def num_steps(self):
        """The number of steps taken since initialization."""
        steps = ctypes.c_size_t()
        _library.call("svi_svi_num_steps", self._handle, ctypes.byref(steps))
        return steps.value

    def evidence(self, num_samples=10_000, seed=0):
        """The importance-sampled log evidence with the current parameters (see :func:`swiftvi.log_evidence`)."""
        from .predictive import log_evidence

        return log_evidence(self.model, self.guide, self.get_params(), num_samples=num_samples, seed=seed)

    def estimate_elbo(self, num_samples=10_000, seed=0):
        """The ELBO with the current parameters (see :func:`swiftvi.estimate_elbo`)."""
        from .predictive import estimate_elbo

        return estimate_elbo(self.model, self.guide, self.get_params(), num_samples=num_samples, seed=seed)

    def get_params(self):
        """The guide's parameters and the model's (``LogDensityModel(params=...)``), constrained, as name -> float64 array."""
        count = ctypes.c_size_t()
        _library.call("svi_svi_num_params", self._handle, ctypes.byref(count))
        params = {}
        for index in range(count.value):
            name = ctypes.c_char_p()
            _library.call("svi_svi_param_name", self._handle, index, ctypes.byref(name))
            param_size = ctypes.c_size_t()
            _library.call("svi_svi_param_size", self._handle, name.value, ctypes.byref(param_size))
            value = np.empty(param_size.value)
            _library.call("svi_svi_get_param", self._handle, name.value, double_ptr(value), value.size)
            params[name.value.decode()] = value.reshape(query_shape("svi_svi_param_shape", self._handle, name.value))
        return params
