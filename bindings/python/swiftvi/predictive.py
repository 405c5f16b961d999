"""Posterior predictive draws and evidence estimates from a fitted guide, as NumPyro's ``Predictive``."""

import ctypes
from typing import NamedTuple

import numpy as np

from . import _capi, _library
from ._marshal import NamedArrays, double_ptr, size
from .infer import Guide, LogDensityModel, Model, _exact_shape, _PythonCallback, _reraising
from .random import as_key

__all__ = ["Estimate", "Predictive", "estimate_elbo", "log_evidence"]


class Estimate(NamedTuple):
    """A Monte Carlo estimate and its standard error."""

    estimate: float
    standard_error: float


def _check_parts(model, guide):
    if not isinstance(model, Model):
        raise TypeError(f"model must be a Model, got {type(model).__name__}")
    if not isinstance(guide, Guide):
        raise TypeError(f"guide must be a Guide, got {type(guide).__name__}")


def _evidence(function, model, guide, params, num_samples, seed):
    _check_parts(model, guide)
    named = NamedArrays(params)
    estimate, error = ctypes.c_double(), ctypes.c_double()
    with _reraising(*model._callbacks):
        _library.call(
            function,
            model.handle,
            guide.handle,
            named.array,
            len(named),
            as_key(seed),
            size(num_samples, "num_samples"),
            ctypes.byref(estimate),
            ctypes.byref(error),
        )
    return Estimate(estimate.value, error.value)


def log_evidence(model, guide, params, num_samples=10_000, seed=0):
    """The importance-sampled log evidence log p(data) with ``guide`` (parameters ``params``) as proposal.

    log mean(exp(w)) over ``num_samples`` draws with log-weights
    w = log p(z) - log q(z): the IWAE bound of that many particles, which lies
    below the log evidence in expectation and tends to it. The standard error
    is the delta method's, sd(exp(w)) / (sqrt(num_samples) mean(exp(w))).
    Returns an :class:`Estimate`.
    """
    return _evidence("svi_log_evidence", model, guide, params, num_samples, seed)


def estimate_elbo(model, guide, params, num_samples=10_000, seed=0):
    """The ELBO E_q[log p(z) - log q(z)] of ``guide`` (parameters ``params``) from ``num_samples`` draws.

    Returns an :class:`Estimate`: the sample mean and its standard error.
    """
    return _evidence("svi_estimate_elbo", model, guide, params, num_samples, seed)


class Predictive:
    """Posterior draws of a fitted guide, as NumPyro's ``Predictive(model, guide=..., params=...)``.

    Calling it with a seed returns a dict with each latent block's constrained
    values, of shape (num_samples, size) — (num_samples, n, n) for an n × n
    Cholesky block. With ``predict``, a function from the (num_samples, D)
    array of all blocks' values (as the model's ``fn`` receives them) to a
    (num_samples, num_predictions) array, the dict also holds its result
    under "predictions". ``return_sites`` keeps only the names listed.
    """

    def __init__(
        self, model, guide=None, params=None, num_samples=1, predict=None, num_predictions=None, return_sites=None
    ):
        _check_parts(model, guide)
        if not isinstance(model, LogDensityModel):
            raise TypeError("Predictive needs a LogDensityModel, whose latent blocks it draws")
        if params is None:
            raise ValueError("Predictive needs the guide's params (e.g. the result of SVI.run)")
        if predict is not None and num_predictions is None:
            raise ValueError("predict needs num_predictions, the number of predictions per sample")
        self.model, self.guide, self.params = model, guide, dict(params)
        self.num_samples = size(num_samples, "num_samples")
        self.predict = predict
        self.num_predictions = None if predict is None else size(num_predictions, "num_predictions")
        self.return_sites = None if return_sites is None else list(return_sites)

    def __call__(self, seed=0):
        """Draws ``num_samples`` points with the key ``seed`` (an int or PRNGKey)."""
        options = _capi.svi_predictive_options()
        _library.call("svi_predictive_options_init", ctypes.byref(options), ctypes.sizeof(options))
        options.num_samples = self.num_samples
        latents = np.empty((self.num_samples, self.model.constrained_dim))
        predictions = np.empty((self.num_samples, self.num_predictions or 0))
        callbacks = self.model._callbacks
        if self.predict is not None:
            callback = _PythonCallback(self._predict_into)
            callbacks += (callback,)
            options.predict = _capi.svi_predict_fn(callback.predict)
            options.num_predictions = self.num_predictions
        named = NamedArrays(self.params)
        with _reraising(*callbacks):
            _library.call(
                "svi_predictive",
                self.model.handle,
                self.guide.handle,
                named.array,
                len(named),
                as_key(seed),
                ctypes.byref(options),
                double_ptr(latents),
                latents.size,
                double_ptr(predictions),
                predictions.size,
            )
        draws = self._split(latents)
        if self.predict is not None:
            draws["predictions"] = predictions
        if self.return_sites is None:
            return draws
        unknown = [name for name in self.return_sites if name not in draws]
        if unknown:
            raise KeyError(f"no sites named {unknown}; the sites are {sorted(draws)}")
        return {name: draws[name] for name in self.return_sites}

    def _predict_into(self, latents, out):
        out[:] = _exact_shape(self.predict(latents), out.shape, "prediction")

    def _split(self, latents):
        """Each block's columns of ``latents``, matrix blocks as (S, n, n)."""
        draws, start = {}, 0
        for name, block_size in self.model.latents.items():
            values = latents[:, start : start + block_size]
            if self.model.constraints[name].name in ("lower_cholesky", "corr_cholesky"):
                n = round(block_size**0.5)
                values = values.reshape(-1, n, n)
            draws[name] = values.copy()
            start += block_size
        return draws
