"""Univariate continuous families with elementary densities.

Names, parameter order and defaults follow NumPyro; parameters broadcast
against each other as NumPy does and are kept as float64 arrays on the object.
"""

import numpy as np

from .distributions import Distribution

__all__ = [
    "Cauchy",
    "Gumbel",
    "HalfCauchy",
    "HalfNormal",
    "Laplace",
    "LogNormal",
    "Logistic",
    "Pareto",
    "TruncatedNormal",
    "Uniform",
    "Weibull",
]


class _Elementary(Distribution):
    """A family made by name from its parameters, which become float64 array attributes."""

    def _make(self, family, **params):
        arrays = {name: np.asarray(value, dtype=np.float64) for name, value in params.items() if value is not None}
        for name, value in params.items():
            setattr(self, name, arrays.get(name))
        Distribution.__init__(self, self._from_params(family, arrays))


class LogNormal(_Elementary):
    """The distribution of ``exp(y)`` for ``y ~ Normal(loc, scale)``; support x > 0."""

    def __init__(self, loc=0.0, scale=1.0):
        self._make("LogNormal", loc=loc, scale=scale)


class HalfNormal(_Elementary):
    """The normal distribution with mean 0 and standard deviation ``scale`` folded onto x >= 0."""

    def __init__(self, scale=1.0):
        self._make("HalfNormal", scale=scale)


class HalfCauchy(_Elementary):
    """The Cauchy distribution with location 0 and scale ``scale`` folded onto x >= 0 (infinite mean)."""

    def __init__(self, scale=1.0):
        self._make("HalfCauchy", scale=scale)


class Cauchy(_Elementary):
    """The Cauchy distribution with median ``loc`` and scale ``scale`` (mean and variance are NaN)."""

    def __init__(self, loc=0.0, scale=1.0):
        self._make("Cauchy", loc=loc, scale=scale)


class Laplace(_Elementary):
    """The Laplace distribution: density ``exp(-|x - loc| / scale) / (2 scale)``."""

    def __init__(self, loc=0.0, scale=1.0):
        self._make("Laplace", loc=loc, scale=scale)


class Logistic(_Elementary):
    """The logistic distribution: cdf ``sigmoid((x - loc) / scale)``."""

    def __init__(self, loc=0.0, scale=1.0):
        self._make("Logistic", loc=loc, scale=scale)


class Gumbel(_Elementary):
    """The Gumbel (maximum) distribution: cdf ``exp(-exp(-(x - loc) / scale))`` (scipy's gumbel_r)."""

    def __init__(self, loc=0.0, scale=1.0):
        self._make("Gumbel", loc=loc, scale=scale)


class Uniform(_Elementary):
    """The uniform distribution on ``[low, high]``; requires low < high."""

    def __init__(self, low=0.0, high=1.0):
        self._make("Uniform", low=low, high=high)


class Weibull(_Elementary):
    """The Weibull distribution with scale λ = ``scale`` and shape k = ``concentration``:
    density ``(k/λ) (x/λ)^(k-1) exp(-(x/λ)^k)`` for x >= 0 (scipy's weibull_min(c=k, scale=λ))."""

    def __init__(self, scale, concentration):
        self._make("Weibull", scale=scale, concentration=concentration)


class Pareto(_Elementary):
    """The Pareto (type I) distribution with minimum ``scale`` and tail index ``alpha``:
    density ``alpha scale^alpha / x^(alpha + 1)`` for x >= scale (scipy's pareto(b=alpha, scale=scale))."""

    def __init__(self, scale, alpha):
        self._make("Pareto", scale=scale, alpha=alpha)


class TruncatedNormal(_Elementary):
    """Normal(``loc``, ``scale``) restricted to ``[low, high]`` and renormalized.

    ``low`` and ``high`` default to None (that side untruncated; ±inf means the
    same). The normalizer is computed in log space, so intervals far in a tail
    (say 30 scales from ``loc``) keep finite, accurate log-densities.
    """

    def __init__(self, loc=0.0, scale=1.0, low=None, high=None):
        self._make("TruncatedNormal", loc=loc, scale=scale, low=low, high=high)
