"""Probability distributions and KL divergences."""

import ctypes

import numpy as np

from . import _capi, _library
from ._handle import Handle
from ._marshal import CArray, NamedArrays, double_ptr, numpy_result, query_shape, size
from .random import as_key


class Distribution(Handle):
    """A distribution held by the library. Immutable; broadcasting follows NumPy.

    ``Distribution(handle)`` takes ownership of a raw ``svi_dist`` handle.
    """

    _free_function = "svi_dist_free"

    def __init__(self, handle):
        self._own(handle)
        self.batch_shape = self._query_shape("svi_dist_batch_shape")
        self.event_shape = self._query_shape("svi_dist_event_shape")

    @classmethod
    def _from_params(cls, family, params):
        named = NamedArrays(params)
        handle = _capi.svi_dist()
        _library.call("svi_dist_new", ctypes.byref(handle), family.encode(), named.array, len(named))
        return handle.value

    def _query_shape(self, function):
        return query_shape(function, self._handle)

    @property
    def family(self):
        """The family name, e.g. ``"Normal"``."""
        name = ctypes.c_char_p()
        _library.call("svi_dist_family", self._handle, ctypes.byref(name))
        return name.value.decode()

    def _at(self, function, value):
        value = CArray(value)
        event_ndim = len(self.event_shape)
        leading = value.array.shape[: max(value.array.ndim - event_ndim, 0)]
        out = np.empty(np.broadcast_shapes(leading, self.batch_shape))
        _library.call(function, self._handle, value.struct, double_ptr(out), out.size)
        return numpy_result(out)

    def _moment(self, function, shape):
        out = np.empty(shape)
        _library.call(function, self._handle, double_ptr(out), out.size)
        return numpy_result(out)

    def log_prob(self, value):
        """Log-density (or log-mass) at ``value`` of shape sample_shape + batch_shape + event_shape."""
        return self._at("svi_dist_log_prob", value)

    def cdf(self, value):
        """Cumulative distribution function at ``value``."""
        return self._at("svi_dist_cdf", value)

    def icdf(self, probability):
        """Inverse cumulative distribution function at probabilities in [0, 1]."""
        return self._at("svi_dist_icdf", probability)

    def sample(self, shape=(), seed=0):
        """Draws an array of shape ``shape + batch_shape + event_shape``; ``seed`` is an int or PRNGKey."""
        sample_shape = (shape,) if np.ndim(shape) == 0 else tuple(shape)
        out = np.empty(sample_shape + self.batch_shape + self.event_shape)
        c_shape = (ctypes.c_size_t * len(sample_shape))(*sample_shape)
        _library.call(
            "svi_dist_sample", self._handle, as_key(seed), len(sample_shape), c_shape, double_ptr(out), out.size
        )
        return numpy_result(out)

    @property
    def mean(self):
        """The mean, shape batch_shape + event_shape."""
        return self._moment("svi_dist_mean", self.batch_shape + self.event_shape)

    @property
    def variance(self):
        """The variance, shape batch_shape + event_shape."""
        return self._moment("svi_dist_variance", self.batch_shape + self.event_shape)

    def entropy(self):
        """The differential (or Shannon) entropy, shape batch_shape."""
        return self._moment("svi_dist_entropy", self.batch_shape)

    def __repr__(self):
        state = ", closed" if self.closed else ""
        return f"{type(self).__name__}(batch_shape={self.batch_shape}, event_shape={self.event_shape}{state})"


class Normal(Distribution):
    """The normal distribution with location ``loc`` and standard deviation ``scale`` (broadcast)."""

    def __init__(self, loc=0.0, scale=1.0):
        self.loc = np.asarray(loc, dtype=np.float64)
        self.scale = np.asarray(scale, dtype=np.float64)
        super().__init__(self._from_params("Normal", {"loc": self.loc, "scale": self.scale}))


class Categorical(Distribution):
    """A distribution over category indices 0 … K-1, from ``probs`` or ``logits`` (last axis: categories).

    Exactly one of ``probs`` and ``logits`` must be given; the other attribute is None.
    """

    def __init__(self, probs=None, logits=None):
        if (probs is None) == (logits is None):
            raise ValueError("give exactly one of probs and logits")
        self.probs = None if probs is None else np.asarray(probs, dtype=np.float64)
        self.logits = None if logits is None else np.asarray(logits, dtype=np.float64)
        name, value = ("probs", self.probs) if probs is not None else ("logits", self.logits)
        super().__init__(self._from_params("Categorical", {name: value}))

    def sample(self, shape=(), seed=0):
        """Draws category indices (int64) of shape ``shape + batch_shape``."""
        return super().sample(shape, seed).astype(np.int64)


class MixtureSameFamily(Distribution):
    """A mixture weighted by the Categorical ``mixture_distribution`` whose components are the
    batch of ``component_distribution`` along its last batch axis."""

    def __init__(self, mixture_distribution, component_distribution):
        if not isinstance(mixture_distribution, Distribution) or not isinstance(component_distribution, Distribution):
            raise TypeError("MixtureSameFamily takes two Distribution objects")
        self.mixture_distribution = mixture_distribution
        self.component_distribution = component_distribution
        handle = _capi.svi_dist()
        _library.call(
            "svi_mixture_same_family_new",
            ctypes.byref(handle),
            mixture_distribution.handle,
            component_distribution.handle,
        )
        super().__init__(handle.value)


def _pair_shape(p, q):
    return np.broadcast_shapes(p.batch_shape, q.batch_shape)


def kl_divergence(p, q):
    """Analytic KL(p ‖ q), shape: the broadcast batch shape.

    Raises SwiftVIError (SVI_E_NOT_IMPLEMENTED) for a pair without a closed
    form; use kl_monte_carlo or kl_quadrature then.
    """
    out = np.empty(_pair_shape(p, q))
    _library.call("svi_kl_divergence", p.handle, q.handle, double_ptr(out), out.size)
    return numpy_result(out)


def kl_monte_carlo(p, q, num_samples=1000, seed=0):
    """Monte Carlo KL(p ‖ q) from ``num_samples`` draws of p; returns ``(estimate, standard_error)``."""
    estimate = np.empty(_pair_shape(p, q))
    standard_error = np.empty_like(estimate)
    _library.call(
        "svi_kl_monte_carlo",
        p.handle,
        q.handle,
        size(num_samples, "num_samples"),
        as_key(seed),
        double_ptr(estimate),
        double_ptr(standard_error),
        estimate.size,
    )
    return numpy_result(estimate), numpy_result(standard_error)


def kl_quadrature(p, q, low, high, num_points=1024):
    """KL(p ‖ q) of scalar univariate distributions by composite Gauss–Legendre quadrature on [low, high]."""
    out = ctypes.c_double()
    _library.call("svi_kl_quadrature", p.handle, q.handle, low, high, size(num_points, "num_points"), ctypes.byref(out))
    return out.value


from . import _discrete, _elementary, _gamma_based, _multivariate  # noqa: E402  (they subclass Distribution)
from ._discrete import *  # noqa: E402,F401,F403
from ._elementary import *  # noqa: E402,F401,F403
from ._gamma_based import *  # noqa: E402,F401,F403
from ._multivariate import *  # noqa: E402,F401,F403

__all__ = [
    "Distribution",
    "Normal",
    "Categorical",
    "MixtureSameFamily",
    "kl_divergence",
    "kl_monte_carlo",
    "kl_quadrature",
    *_discrete.__all__,
    *_elementary.__all__,
    *_gamma_based.__all__,
    *_multivariate.__all__,
]
