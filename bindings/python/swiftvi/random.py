"""Reproducible random keys and draws (Threefry-2x32, as in JAX)."""

import ctypes
import operator

import numpy as np

from . import _capi, _library
from ._marshal import double_ptr, numpy_result, size


class PRNGKey:
    """A counter-based random key; ``PRNGKey(seed)`` matches JAX's for seeds below 2**32.

    The same key always gives the same numbers; use ``split`` or ``fold_in``
    to derive independent keys.
    """

    __slots__ = ("_key",)

    def __init__(self, seed):
        seed = operator.index(seed)
        if not 0 <= seed < 2**64:
            raise ValueError(f"seed must be in [0, 2**64), got {seed}")
        self._key = _capi.svi_key()
        _library.call("svi_key_from_seed", ctypes.byref(self._key), seed)

    @classmethod
    def _wrap(cls, key):
        new = cls.__new__(cls)
        new._key = key
        return new

    @property
    def data(self):
        """The key's two 32-bit words as a uint32 array."""
        return np.array(self._key.data, dtype=np.uint32)

    def split(self, num=2):
        """Returns a tuple of ``num`` new independent keys."""
        keys = (_capi.svi_key * size(num, "num"))()
        _library.call("svi_key_split", keys, num, self._key)
        return tuple(PRNGKey._wrap(key) for key in keys)

    def fold_in(self, data):
        """Returns the key obtained by folding the 32-bit integer ``data`` into this one."""
        data = operator.index(data)
        if not 0 <= data < 2**32:
            raise ValueError(f"data must be in [0, 2**32), got {data}")
        key = _capi.svi_key()
        _library.call("svi_key_fold_in", ctypes.byref(key), self._key, data)
        return PRNGKey._wrap(key)

    def __eq__(self, other):
        return isinstance(other, PRNGKey) and tuple(self._key.data) == tuple(other._key.data)

    def __hash__(self):
        return hash(tuple(self._key.data))

    def __repr__(self):
        return f"PRNGKey(data=[{self._key.data[0]}, {self._key.data[1]}])"


def as_key(seed):
    """The svi_key for a PRNGKey or an integer seed."""
    if isinstance(seed, PRNGKey):
        return seed._key
    return PRNGKey(seed)._key


def _draw(function, seed, shape):
    shape = (shape,) if np.ndim(shape) == 0 else tuple(shape)
    out = np.empty(shape, dtype=np.float64)
    _library.call(function, double_ptr(out), out.size, as_key(seed))
    return numpy_result(out)


def uniform(seed, shape=()):
    """Uniform draws on the open interval (0, 1) of the given shape."""
    return _draw("svi_random_uniform", seed, shape)


def normal(seed, shape=()):
    """Standard normal draws of the given shape."""
    return _draw("svi_random_normal", seed, shape)
