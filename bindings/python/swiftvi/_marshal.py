"""Conversions between NumPy arrays and the C interface's arrays."""

import ctypes
import operator

import numpy as np

from . import _capi, _library


class CArray:
    """A float64 C-contiguous copy of an array-like and the svi_array describing it (kept alive together)."""

    def __init__(self, value):
        self.array = np.asarray(value, dtype=np.float64, order="C")
        self._shape = (ctypes.c_size_t * self.array.ndim)(*self.array.shape)
        self.struct = _capi.svi_array(
            double_ptr(self.array),
            self.array.ndim,
            ctypes.cast(self._shape, ctypes.POINTER(ctypes.c_size_t)) if self.array.ndim else None,
        )


def double_ptr(array):
    """A ``double *`` to a float64 C-contiguous NumPy array's data."""
    return array.ctypes.data_as(ctypes.POINTER(ctypes.c_double))


def numpy_result(array):
    """``array`` as NumPy returns results: a NumPy scalar when 0-dimensional."""
    return array[()] if array.ndim == 0 else array


def size(value, name):
    """``value`` as a non-negative integer for a ``size_t`` argument (ctypes would wrap negatives)."""
    value = operator.index(value)
    if value < 0:
        raise ValueError(f"{name} must be non-negative, got {value}")
    return value


class NamedArrays:
    """``{name: array-like}`` as a C array of svi_named_array (``.array``, ``len(self)`` entries), kept alive together."""

    def __init__(self, params):
        self._values = {name: CArray(value) for name, value in params.items()}
        self.array = (_capi.svi_named_array * len(self._values))(
            *(_capi.svi_named_array(name.encode(), value.struct) for name, value in self._values.items())
        )

    def __len__(self):
        return len(self._values)


def query_shape(function, *args):
    """The shape the library function ``function`` writes after ``args`` (as out_shape, capacity, out_ndim)."""
    shape = (ctypes.c_size_t * _capi.SVI_MAX_NDIM)()
    ndim = ctypes.c_size_t()
    _library.call(function, *args, shape, _capi.SVI_MAX_NDIM, ctypes.byref(ndim))
    return tuple(shape[: ndim.value])
