"""Bijective transforms with NumPyro's class names, ``biject_to``, and ``TransformedDistribution``.

A transform maps arrays whose rightmost ``domain_event_dim`` dimensions are one
event (the rest a batch) and is called like a function::

    t = swiftvi.transforms.ComposeTransform([ExpTransform(), AffineTransform(1.0, 2.0)])
    y = t(x); x_again = t.inv(y); t.log_abs_det_jacobian(x, y)
"""

import ctypes

import numpy as np

from . import _capi, _library
from ._handle import Handle
from ._marshal import CArray, NamedArrays, double_ptr, numpy_result, query_shape
from .constraints import Constraint
from .distributions import Distribution

__all__ = [
    "AffineTransform",
    "CholeskyTransform",
    "ComposeTransform",
    "CorrCholeskyTransform",
    "ExpTransform",
    "FillScaleTriL",
    "FillTriangular",
    "IdentityTransform",
    "LowerCholeskyAffine",
    "LowerCholeskyTransform",
    "PowerTransform",
    "SigmoidTransform",
    "SoftplusTransform",
    "StickBreakingTransform",
    "TanhTransform",
    "Transform",
    "TransformedDistribution",
    "biject_to",
]


def _new_handle(function, *args):
    handle = _capi.svi_transform()
    _library.call(function, ctypes.byref(handle), *args)
    return handle.value


def _made(name, params=None):
    named = NamedArrays(params or {})
    return _new_handle("svi_transform_new", name.encode(), named.array, len(named))


class Transform(Handle):
    """A transform held by the library. Immutable. ``Transform(handle)`` takes ownership of a raw handle."""

    _free_function = "svi_transform_free"

    def __init__(self, handle):
        self._own(handle)
        domain, codomain = ctypes.c_size_t(), ctypes.c_size_t()
        _library.call("svi_transform_event_dims", self._handle, ctypes.byref(domain), ctypes.byref(codomain))
        self.domain_event_dim = domain.value
        self.codomain_event_dim = codomain.value

    def _name(self, function):
        name = ctypes.c_char_p()
        _library.call(function, self._handle, ctypes.byref(name))
        return name.value.decode()

    @property
    def name(self):
        """The class name in the library, e.g. ``"ExpTransform"``."""
        return self._name("svi_transform_name")

    @property
    def domain(self):
        """The domain's constraint name as NumPyro spells it (``"real"``, ``"real_vector"``, …)."""
        return self._name("svi_transform_domain")

    @property
    def codomain(self):
        """The codomain's constraint name (``"positive"``, ``"simplex"``, …)."""
        return self._name("svi_transform_codomain")

    def _shape(self, function, shape):
        shape = tuple(int(s) for s in shape)
        c_shape = (ctypes.c_size_t * max(len(shape), 1))(*shape)
        return query_shape(function, self._handle, len(shape), c_shape)

    def forward_shape(self, shape):
        """The shape of ``self(x)`` for ``x`` of shape ``shape``."""
        return self._shape("svi_transform_forward_shape", shape)

    def inverse_shape(self, shape):
        """The shape of ``self.inv(y)`` for ``y`` of shape ``shape``."""
        return self._shape("svi_transform_inverse_shape", shape)

    def _map(self, function, shape_function, value):
        value = CArray(value)
        out = np.empty(shape_function(value.array.shape))
        _library.call(function, self._handle, value.struct, double_ptr(out), out.size)
        return numpy_result(out)

    def __call__(self, x):
        """y = f(x)."""
        return self._map("svi_transform_forward", self.forward_shape, x)

    def _inverse(self, y):
        """x = f⁻¹(y)."""
        return self._map("svi_transform_inverse", self.inverse_shape, y)

    @property
    def inv(self):
        """The inverse transform."""
        return Transform(_new_handle("svi_transform_inv", self._handle))

    def log_abs_det_jacobian(self, x, y):
        """log |det ∂y/∂x|, summed over the event dimensions: shape is the batch shape."""
        x, y = CArray(x), CArray(y)
        shape = self.forward_shape(x.array.shape)
        out = np.empty(shape[: len(shape) - self.codomain_event_dim])
        _library.call("svi_transform_log_abs_det_jacobian", self._handle, x.struct, y.struct, double_ptr(out), out.size)
        return numpy_result(out)

    def __repr__(self):
        if self.closed:
            return f"{type(self).__name__}(closed)"
        return f"{type(self).__name__}(domain={self.domain!r}, codomain={self.codomain!r})"


class IdentityTransform(Transform):
    """y = x."""

    def __init__(self):
        super().__init__(_made("Identity"))


class ExpTransform(Transform):
    """y = exp(x), onto (0, ∞)."""

    def __init__(self):
        super().__init__(_made("Exp"))


class SoftplusTransform(Transform):
    """y = log(1 + exp(x)), onto (0, ∞)."""

    def __init__(self):
        super().__init__(_made("Softplus"))


class SigmoidTransform(Transform):
    """y = 1 / (1 + exp(-x)), onto [0, 1]."""

    def __init__(self):
        super().__init__(_made("Sigmoid"))


class TanhTransform(Transform):
    """y = tanh(x), onto [-1, 1]."""

    def __init__(self):
        super().__init__(_made("Tanh"))


class AffineTransform(Transform):
    """y = loc + scale · x elementwise (broadcast; scale nonzero)."""

    def __init__(self, loc, scale):
        self.loc = np.asarray(loc, dtype=np.float64)
        self.scale = np.asarray(scale, dtype=np.float64)
        super().__init__(_made("Affine", {"loc": self.loc, "scale": self.scale}))


class PowerTransform(Transform):
    """y = x ** exponent on x > 0 (exponent nonzero, broadcast)."""

    def __init__(self, exponent):
        self.exponent = np.asarray(exponent, dtype=np.float64)
        super().__init__(_made("Power", {"exponent": self.exponent}))


class LowerCholeskyAffine(Transform):
    """y = loc + scale_tril @ x for vectors x; scale_tril lower triangular with positive diagonal."""

    def __init__(self, loc, scale_tril):
        self.loc = np.asarray(loc, dtype=np.float64)
        self.scale_tril = np.asarray(scale_tril, dtype=np.float64)
        super().__init__(_made("LowerCholeskyAffine", {"loc": self.loc, "scale_tril": self.scale_tril}))


class FillTriangular(Transform):
    """A vector of n(n+1)/2 entries to an n × n lower-triangular matrix, filled row by row
    ((0,0), (1,0), (1,1), (2,0), … — NumPyro's ``vec_to_tril_matrix`` order, not TFP's spiral)."""

    def __init__(self):
        super().__init__(_made("FillTriangular"))


class FillScaleTriL(Transform):
    """TFP's FillScaleTriL: ``FillTriangular``, then softplus(·) + ``diag_shift`` on the diagonal."""

    def __init__(self, diag_shift=1e-5):
        self.diag_shift = float(diag_shift)
        super().__init__(_made("FillScaleTriL", {"diag_shift": self.diag_shift}))


class LowerCholeskyTransform(Transform):
    """A vector of n(n+1)/2 entries to a lower Cholesky factor: the strictly lower triangle row
    by row, then the log-diagonal (NumPyro's layout)."""

    def __init__(self):
        super().__init__(_made("LowerCholesky"))


class StickBreakingTransform(Transform):
    """K-1 reals to the K-simplex (NumPyro's, with its offset: zeros map to the uniform point)."""

    def __init__(self):
        super().__init__(_made("StickBreaking"))


class CorrCholeskyTransform(Transform):
    """K(K-1)/2 reals to the Cholesky factor of a K × K correlation matrix (NumPyro's and Stan's)."""

    def __init__(self):
        super().__init__(_made("CorrCholesky"))


class CholeskyTransform(Transform):
    """A symmetric positive-definite matrix to its lower Cholesky factor; ``.inv`` is L ↦ L Lᵀ."""

    def __init__(self):
        super().__init__(_made("Cholesky"))


class ComposeTransform(Transform):
    """``parts`` applied first to last."""

    def __init__(self, parts):
        self.parts = list(parts)
        if not self.parts or not all(isinstance(p, Transform) for p in self.parts):
            raise TypeError("ComposeTransform takes a non-empty list of Transform objects")
        handles = (_capi.svi_transform * len(self.parts))(*(p.handle for p in self.parts))
        super().__init__(_new_handle("svi_transform_compose", handles, len(self.parts)))


def biject_to(constraint):
    """A transform from unconstrained reals onto ``constraint`` (a ``swiftvi.constraints`` object), as NumPyro's.

    Raises SwiftVIError (SVI_E_NOT_IMPLEMENTED) for discrete constraints.
    """
    if not isinstance(constraint, Constraint):
        raise TypeError("biject_to takes a swiftvi.constraints.Constraint")
    params = dict(constraint.params)
    if constraint.reinterpreted_batch_ndims:
        params["reinterpreted_batch_ndims"] = constraint.reinterpreted_batch_ndims
    named = NamedArrays(params)
    return Transform(_new_handle("svi_biject_to", constraint.name.encode(), named.array, len(named)))


class TransformedDistribution(Distribution):
    """The distribution of ``transforms(x)`` for x drawn from ``base_distribution`` (NumPyro's).

    ``transforms`` is a Transform or a list of them, applied first to last. ``log_prob`` is
    the base's at the inverse image minus the log-determinant (-inf outside the support);
    samples are transformed base samples. ``mean``, ``variance`` and ``entropy`` raise
    SwiftVIError (SVI_E_NOT_IMPLEMENTED) unless every transform is affine (or the
    identity) on a univariate base; ``cdf``/``icdf`` need elementwise monotone transforms.
    """

    def __init__(self, base_distribution, transforms):
        if not isinstance(base_distribution, Distribution):
            raise TypeError("TransformedDistribution takes a Distribution as base_distribution")
        self.base_dist = base_distribution
        self.transforms = [transforms] if isinstance(transforms, Transform) else list(transforms)
        chain = self.transforms[0] if len(self.transforms) == 1 else ComposeTransform(self.transforms)
        handle = _capi.svi_dist()
        _library.call("svi_transformed_distribution_new", ctypes.byref(handle), base_distribution.handle, chain.handle)
        super().__init__(handle.value)
