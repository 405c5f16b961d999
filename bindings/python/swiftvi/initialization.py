"""Initialization strategies of the automatic guides, with NumPyro's names (``numpyro.infer.initialization``).

Pass one as ``init_loc_fn`` — called (``init_to_median(num_samples=101)``) or
not (``init_to_median``, its defaults). A model without a prior (a
LogDensityModel or DistributionModel) has no per-site distributions to draw
from: there ``init_to_median``, ``init_to_mean`` and ``init_to_sample`` start
uniformly on (-2, 2) in the unconstrained space, as ``init_to_uniform()``.
"""

import numpy as np

from . import _capi
from ._marshal import NamedArrays, size

__all__ = [
    "InitStrategy",
    "init_to_feasible",
    "init_to_mean",
    "init_to_median",
    "init_to_sample",
    "init_to_uniform",
    "init_to_value",
]


class InitStrategy:
    """An initialization strategy; fills the library's ``svi_init_strategy``."""

    def __init__(self, kind, radius=2.0, num_samples=15, values=None):
        self.kind = kind
        self.radius = float(radius)
        self.num_samples = size(num_samples, "num_samples")
        self.values = {str(name): np.asarray(value, dtype=np.float64) for name, value in (values or {}).items()}
        self._named = NamedArrays(self.values)

    def _struct(self):
        """The ``svi_init_strategy`` describing this strategy (valid while this object lives)."""
        return _capi.svi_init_strategy(
            self.kind, self.radius, self.num_samples, self._named.array if self.values else None, len(self._named)
        )

    def __repr__(self):
        return f"InitStrategy(kind={self.kind}, radius={self.radius}, num_samples={self.num_samples})"


def init_to_median(num_samples=15):
    """Each site at the elementwise median of ``num_samples`` draws of its prior."""
    return InitStrategy(_capi.SVI_INIT_TO_MEDIAN, num_samples=num_samples)


def init_to_mean():
    """Each site at its prior mean (the median of 15 draws where the mean is not finite)."""
    return InitStrategy(_capi.SVI_INIT_TO_MEAN)


def init_to_sample():
    """Each site at one draw of its prior."""
    return InitStrategy(_capi.SVI_INIT_TO_SAMPLE)


def init_to_uniform(radius=2.0):
    """Each site's unconstrained coordinates uniform on (-radius, radius)."""
    return InitStrategy(_capi.SVI_INIT_TO_UNIFORM, radius=radius)


def init_to_feasible():
    """Each site's unconstrained coordinates at 0 (``init_to_uniform(radius=0)``)."""
    return init_to_uniform(radius=0.0)


def init_to_value(values=None):
    """The sites in ``values`` (a dict of constrained values) there, the others as ``init_to_uniform()``."""
    return InitStrategy(_capi.SVI_INIT_TO_VALUE, values=values)


def as_init_strategy(init_loc_fn):
    """``init_loc_fn`` as an InitStrategy: one already, or one of this module's functions, called with its defaults."""
    strategy = init_loc_fn() if callable(init_loc_fn) and not isinstance(init_loc_fn, InitStrategy) else init_loc_fn
    if not isinstance(strategy, InitStrategy):
        raise TypeError(f"init_loc_fn must be an init_to_* strategy, got {init_loc_fn!r}")
    return strategy
