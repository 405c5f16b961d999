"""Discrete families (Bernoulli, Binomial, Poisson, Geometric, NegativeBinomial) and the Delta and Independent wrappers."""

import ctypes

import numpy as np

from . import _capi, _library
from ._marshal import size
from .distributions import Categorical, Distribution

__all__ = ["Bernoulli", "Binomial", "Poisson", "Geometric", "NegativeBinomial", "Delta", "Independent"]


def _probs_and_logits(probs, logits):
    """Exactly one of ``probs`` and ``logits`` as float64 arrays, the other derived from it,
    and the (name, array) pair to pass to the library."""
    if (probs is None) == (logits is None):
        raise ValueError("give exactly one of probs and logits")
    with np.errstate(divide="ignore", over="ignore"):
        if probs is not None:
            probs = np.asarray(probs, dtype=np.float64)
            return probs, np.log(probs) - np.log1p(-probs), ("probs", probs)
        logits = np.asarray(logits, dtype=np.float64)
        return np.exp(-np.logaddexp(0.0, -logits)), logits, ("logits", logits)


class _Counts(Distribution):
    """A family on the integers: samples are returned as int64."""

    _integer_samples = True

    def sample(self, shape=(), seed=0):
        """Draws integers (int64) of shape ``shape + batch_shape + event_shape``."""
        return super().sample(shape, seed).astype(np.int64)


class _BernoulliTrials(_Counts):
    """A family of Bernoulli trials with success probability given as ``probs`` or ``logits``.

    Both ``probs`` and ``logits`` are available afterwards (one derived from the other).
    """

    def _make(self, family, probs, logits, **params):
        self.probs, self.logits, (name, value) = _probs_and_logits(probs, logits)
        super().__init__(self._from_params(family, {**params, name: value}))


class Bernoulli(_BernoulliTrials):
    """The Bernoulli distribution on {0, 1}: 1 with probability ``probs`` (or sigmoid(``logits``))."""

    def __init__(self, probs=None, logits=None):
        self._make("Bernoulli", probs, logits)


class Binomial(_BernoulliTrials):
    """The number of successes in ``total_count`` trials of success probability ``probs`` (or sigmoid(``logits``))."""

    def __init__(self, total_count=1, probs=None, logits=None):
        self.total_count = np.asarray(total_count, dtype=np.float64)
        self._make("Binomial", probs, logits, total_count=self.total_count)


class Geometric(_BernoulliTrials):
    """The number of failures {0, 1, 2, …} before the first success, success probability ``probs``
    (or sigmoid(``logits``)): P(k) = p (1 - p)^k, scipy's ``geom(p, loc=-1)``."""

    def __init__(self, probs=None, logits=None):
        self._make("Geometric", probs, logits)


class NegativeBinomial(_BernoulliTrials):
    """The number of successes before ``total_count`` (real, > 0) failures in trials of success probability
    ``probs`` (or sigmoid(``logits``)), as PyTorch and NumPyro; scipy's ``nbinom(total_count, 1 - probs)``."""

    def __init__(self, total_count, probs=None, logits=None):
        self.total_count = np.asarray(total_count, dtype=np.float64)
        self._make("NegativeBinomial", probs, logits, total_count=self.total_count)


class Poisson(_Counts):
    """The Poisson distribution with mean ``rate`` (rate 0 is the point mass at 0)."""

    def __init__(self, rate):
        self.rate = np.asarray(rate, dtype=np.float64)
        super().__init__(self._from_params("Poisson", {"rate": self.rate}))


class Delta(Distribution):
    """The point mass at ``v`` whose rightmost ``event_dim`` dimensions form one event; its log-mass
    at ``v`` is ``log_density`` (a weight, as in NumPyro). Samples are ``v``."""

    def __init__(self, v=0.0, log_density=0.0, event_dim=0):
        self.v = np.asarray(v, dtype=np.float64)
        self.log_density = np.asarray(log_density, dtype=np.float64)
        self.event_dim = event_dim
        params = {"v": self.v, "log_density": self.log_density, "event_dim": np.asarray(event_dim, dtype=np.float64)}
        super().__init__(self._from_params("Delta", params))


class Independent(Distribution):
    """``base_distribution`` with its rightmost ``reinterpreted_batch_ndims`` batch dimensions read as event
    dimensions: log_prob and entropy are summed over them."""

    def __init__(self, base_distribution, reinterpreted_batch_ndims):
        if not isinstance(base_distribution, Distribution):
            raise TypeError("Independent takes a Distribution as base_distribution")
        self.base_dist = base_distribution
        self._integer_samples = isinstance(base_distribution, Categorical) or getattr(
            base_distribution, "_integer_samples", False
        )
        self.reinterpreted_batch_ndims = size(reinterpreted_batch_ndims, "reinterpreted_batch_ndims")
        handle = _capi.svi_dist()
        _library.call("svi_independent_new", ctypes.byref(handle), base_distribution.handle,
                      self.reinterpreted_batch_ndims)
        super().__init__(handle.value)

    def sample(self, shape=(), seed=0):
        """Draws of shape ``shape + batch_shape + event_shape``, int64 when the base's are."""
        draws = super().sample(shape, seed)
        return draws.astype(np.int64) if self._integer_samples else draws
