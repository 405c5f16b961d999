"""Multivariate normal families."""

import numpy as np

from .distributions import Distribution

__all__ = ["MultivariateNormal", "LowRankMultivariateNormal"]


def _array(value):
    return None if value is None else np.asarray(value, dtype=np.float64)


class MultivariateNormal(Distribution):
    """The normal distribution over vectors of length D (event shape ``(D,)``).

    ``loc`` has shape ``(..., D)`` (a scalar is repeated), and exactly one of
    ``covariance_matrix``, ``precision_matrix`` (both symmetric positive definite)
    and ``scale_tril`` (lower triangular with a positive diagonal), shape
    ``(..., D, D)``, gives the covariance. Batch shapes broadcast as in NumPyro.
    The attributes of the matrices not given are None.
    """

    def __init__(self, loc=0.0, covariance_matrix=None, precision_matrix=None, scale_tril=None):
        given = {
            name: value
            for name, value in (
                ("covariance_matrix", covariance_matrix),
                ("precision_matrix", precision_matrix),
                ("scale_tril", scale_tril),
            )
            if value is not None
        }
        if len(given) != 1:
            raise ValueError("give exactly one of covariance_matrix, precision_matrix and scale_tril")
        self.loc = _array(loc)
        self.covariance_matrix = _array(covariance_matrix)
        self.precision_matrix = _array(precision_matrix)
        self.scale_tril = _array(scale_tril)
        (name, matrix), = given.items()
        super().__init__(self._from_params("MultivariateNormal", {"loc": self.loc, name: _array(matrix)}))


class LowRankMultivariateNormal(Distribution):
    """The normal distribution over vectors of length D with covariance
    ``cov_factor @ cov_factor.T + diag(cov_diag)``.

    ``loc`` has shape ``(..., D)``, ``cov_factor`` ``(..., D, r)`` and the positive
    ``cov_diag`` ``(..., D)``; batch shapes broadcast. Densities cost O(D r²).
    """

    def __init__(self, loc, cov_factor, cov_diag):
        self.loc = _array(loc)
        self.cov_factor = _array(cov_factor)
        self.cov_diag = _array(cov_diag)
        super().__init__(
            self._from_params(
                "LowRankMultivariateNormal",
                {"loc": self.loc, "cov_factor": self.cov_factor, "cov_diag": self.cov_diag},
            )
        )
