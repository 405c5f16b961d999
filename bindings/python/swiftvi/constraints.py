"""Constraints: regions of values named as in NumPyro (``swiftvi.constraints.positive``,
``interval(a, b)``, …), the targets of :func:`swiftvi.biject_to`.

A constraint here only names a region and its parameters; the library does the
checking and the transforming.
"""

import numpy as np

__all__ = [
    "Constraint",
    "boolean",
    "corr_cholesky",
    "greater_than",
    "independent",
    "integer_interval",
    "interval",
    "less_than",
    "lower_cholesky",
    "lower_triangular",
    "nonnegative",
    "nonnegative_integer",
    "positive",
    "positive_definite",
    "real",
    "real_vector",
    "simplex",
    "unit_interval",
]


class Constraint:
    """A region named ``name`` (NumPyro's spelling) with array parameters ``params``
    (e.g. ``lower_bound``), read as an event of ``reinterpreted_batch_ndims`` more dimensions."""

    def __init__(self, name, params=None, reinterpreted_batch_ndims=0):
        self.name = name
        self.params = {key: np.asarray(value, dtype=np.float64) for key, value in (params or {}).items()}
        self.reinterpreted_batch_ndims = int(reinterpreted_batch_ndims)
        for key, value in self.params.items():
            setattr(self, key, value)

    def __eq__(self, other):
        return (
            isinstance(other, Constraint)
            and (self.name, self.reinterpreted_batch_ndims) == (other.name, other.reinterpreted_batch_ndims)
            and self.params.keys() == other.params.keys()
            and all(np.array_equal(self.params[k], other.params[k]) for k in self.params)
        )

    __hash__ = None

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        base = f"{self.name}({args})" if args else self.name
        n = self.reinterpreted_batch_ndims
        return f"independent({base}, {n})" if n else base


real = Constraint("real")
real_vector = Constraint("real_vector")
positive = Constraint("positive")
nonnegative = Constraint("nonnegative")
unit_interval = Constraint("unit_interval")
simplex = Constraint("simplex")
lower_triangular = Constraint("lower_triangular")
lower_cholesky = Constraint("lower_cholesky")
positive_definite = Constraint("positive_definite")
corr_cholesky = Constraint("corr_cholesky")
boolean = Constraint("boolean")
nonnegative_integer = Constraint("nonnegative_integer")


def interval(lower_bound, upper_bound):
    """lower_bound ≤ x ≤ upper_bound (broadcast)."""
    return Constraint("interval", {"lower_bound": lower_bound, "upper_bound": upper_bound})


def greater_than(lower_bound):
    """x > lower_bound."""
    return Constraint("greater_than", {"lower_bound": lower_bound})


def less_than(upper_bound):
    """x < upper_bound."""
    return Constraint("less_than", {"upper_bound": upper_bound})


def integer_interval(lower_bound, upper_bound):
    """The integers lower_bound … upper_bound (a discrete constraint)."""
    return Constraint("integer_interval", {"lower_bound": lower_bound, "upper_bound": upper_bound})


def independent(base_constraint, reinterpreted_batch_ndims):
    """``base_constraint`` with its rightmost ``reinterpreted_batch_ndims`` batch dimensions read as event dimensions."""
    if not isinstance(base_constraint, Constraint):
        raise TypeError("independent takes a Constraint")
    if int(reinterpreted_batch_ndims) < 0:
        raise ValueError(f"reinterpreted_batch_ndims must be non-negative, got {reinterpreted_batch_ndims}")
    return Constraint(
        base_constraint.name,
        base_constraint.params,
        base_constraint.reinterpreted_batch_ndims + int(reinterpreted_batch_ndims),
    )
