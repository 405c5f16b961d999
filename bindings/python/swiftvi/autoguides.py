"""Automatic guides over the whole unconstrained latent vector, with NumPyro's names and parameters.

``AutoDiagonalNormal``, ``AutoMultivariateNormal``, ``AutoLowRankMultivariateNormal``,
``AutoDelta``, ``AutoLaplaceApproximation`` and ``AutoIAFNormal`` (``AutoNormal``
is in ``swiftvi.infer``). Each takes the model first and keyword options after
it, as in NumPyro; the posterior queries (``sample_posterior``, ``median``,
``quantiles``) are those of ``swiftvi.infer.Guide``.
"""

import ctypes

import numpy as np

from . import _capi, _library
from ._marshal import NamedArrays, double_ptr, size
from .distributions import MultivariateNormal
from .infer import SVI, Guide, Model, _reraising
from .initialization import as_init_strategy, init_to_median, init_to_uniform

__all__ = [
    "AutoDelta",
    "AutoDiagonalNormal",
    "AutoIAFNormal",
    "AutoLaplaceApproximation",
    "AutoLowRankMultivariateNormal",
    "AutoMultivariateNormal",
]


class _AutoGuide(Guide):
    """Makes the library guide ``_family`` for ``model`` from its option struct, set up by ``configure``."""

    _family = None

    def _make(self, model, configure, init_loc_fn=None):
        if not isinstance(model, Model):
            raise TypeError("model must be a Model")
        self.model = model
        options = getattr(_capi, f"svi_{self._family}_options")()
        _library.call(f"svi_{self._family}_options_init", ctypes.byref(options), ctypes.sizeof(options))
        if init_loc_fn is not None:
            self.init_loc_fn = as_init_strategy(init_loc_fn)
            options.init_loc_fn = self.init_loc_fn._struct()
        configure(options)
        handle = _capi.svi_guide()
        _library.call(f"svi_guide_new_{self._family}", ctypes.byref(handle), model.handle, ctypes.byref(options))
        self._own(handle.value)


class AutoDiagonalNormal(_AutoGuide):
    """A Normal with diagonal covariance over the unconstrained latent vector: parameters ``auto_loc``, ``auto_scale``."""

    _family = "auto_diagonal_normal"

    def __init__(self, model, *, init_loc_fn=init_to_uniform, init_scale=0.1):
        def configure(options):
            options.init_scale = init_scale

        self._make(model, configure, init_loc_fn)


class AutoMultivariateNormal(_AutoGuide):
    """A Normal with full covariance: parameters ``auto_loc`` and ``auto_scale_tril`` (D x D, lower Cholesky).

    ``auto_scale_tril`` starts at ``init_scale`` times the identity.
    """

    _family = "auto_multivariate_normal"

    def __init__(self, model, *, init_loc_fn=init_to_uniform, init_scale=0.1):
        def configure(options):
            options.init_scale = init_scale

        self._make(model, configure, init_loc_fn)


class AutoLowRankMultivariateNormal(_AutoGuide):
    """A Normal with covariance diag(s) (W Wᵀ + I) diag(s).

    Parameters ``auto_loc``, ``auto_cov_factor`` (W, D x rank, starting at 0) and
    ``auto_scale`` (s, starting at ``init_scale``); ``rank`` defaults to round(sqrt(D)).
    """

    _family = "auto_low_rank_multivariate_normal"

    def __init__(self, model, *, init_loc_fn=init_to_uniform, init_scale=0.1, rank=None):
        def configure(options):
            options.init_scale = init_scale
            if rank is not None:
                if size(rank, "rank") == 0:
                    raise ValueError("rank must be at least 1")
                options.rank = rank

        self._make(model, configure, init_loc_fn)


class AutoDelta(_AutoGuide):
    """A point mass at each site: parameters ``<site>_auto_loc`` (constrained values), MAP in the constrained space."""

    _family = "auto_delta"

    def __init__(self, model, *, init_loc_fn=init_to_median):
        self._make(model, lambda options: None, init_loc_fn)


class AutoLaplaceApproximation(_AutoGuide):
    """A point mass ``auto_loc`` in the unconstrained space, then the Normal with the Hessian of -log p as precision.

    ``get_posterior(params)`` gives that Normal; ``sample_posterior``, ``median``
    and ``quantiles`` use it.
    """

    _family = "auto_laplace_approximation"

    def __init__(self, model, *, init_loc_fn=init_to_uniform):
        self._make(model, lambda options: None, init_loc_fn)

    def get_posterior(self, params):
        """The Laplace approximation at ``params`` (a dict or a fitted SVI), a MultivariateNormal over the latent vector."""
        svi_handle, named = (params.handle, None) if isinstance(params, SVI) else (0, NamedArrays(params))
        dim = self.model.dim
        loc, covariance = np.empty(dim), np.empty((dim, dim))
        with _reraising(*self.model._callbacks):
            _library.call(
                "svi_guide_laplace_posterior",
                self._handle,
                svi_handle,
                named.array if named else None,
                len(named) if named else 0,
                double_ptr(loc),
                loc.size,
                double_ptr(covariance),
                covariance.size,
            )
        return MultivariateNormal(loc, covariance_matrix=covariance)


class AutoIAFNormal(_AutoGuide):
    """A standard Normal pushed through ``num_flows`` stable inverse autoregressive layers.

    Each layer is y = s x + (1 - s) m with s = sigmoid(t + 2) and (m, t) from a
    MADE network with ``hidden_dims`` (default ``[D, D]``) and ``nonlinearity``
    ("elu", the default, or "relu"); coordinates are reversed between layers.
    Parameters ``auto_arn__<i>$params.<l>.W`` and ``.b``. As in NumPyro the flow
    has no initial location (no ``init_loc_fn``). Needs D >= 2.
    """

    _family = "auto_iaf_normal"
    _nonlinearities = {"elu": _capi.SVI_NONLINEARITY_ELU, "relu": _capi.SVI_NONLINEARITY_RELU}

    def __init__(self, model, *, num_flows=3, hidden_dims=None, nonlinearity="elu"):
        if nonlinearity not in self._nonlinearities:
            raise ValueError(f"nonlinearity must be one of {sorted(self._nonlinearities)}, got {nonlinearity!r}")
        hidden = None if hidden_dims is None else [size(h, "hidden_dims") for h in hidden_dims]
        self._hidden = None if hidden is None else (ctypes.c_size_t * max(len(hidden), 1))(*hidden)

        def configure(options):
            options.num_flows = size(num_flows, "num_flows")
            options.nonlinearity = self._nonlinearities[nonlinearity]
            if hidden is not None:
                options.hidden_dims = ctypes.cast(self._hidden, ctypes.POINTER(ctypes.c_size_t))
                options.num_hidden_dims = len(hidden)

        self._make(model, configure)
