"""Distribution families whose densities need special functions: Gamma, Beta, StudentT and those built on them."""

import numpy as np

from .distributions import Distribution

__all__ = ["Gamma", "Exponential", "Chi2", "InverseGamma", "StudentT", "Beta", "Dirichlet"]


def _array(value):
    return np.asarray(value, dtype=np.float64)


class Gamma(Distribution):
    """The gamma distribution with shape ``concentration`` and inverse scale ``rate`` (broadcast):
    density rate^concentration x^(concentration-1) exp(-rate x) / Gamma(concentration) on x > 0.
    Samples carry implicit reparameterization gradients."""

    def __init__(self, concentration, rate=1.0):
        self.concentration, self.rate = _array(concentration), _array(rate)
        super().__init__(self._from_params("Gamma", {"concentration": self.concentration, "rate": self.rate}))


class Exponential(Distribution):
    """The exponential distribution with ``rate``: density rate exp(-rate x) on x > 0."""

    def __init__(self, rate=1.0):
        self.rate = _array(rate)
        super().__init__(self._from_params("Exponential", {"rate": self.rate}))


class Chi2(Distribution):
    """The chi-squared distribution with ``df`` degrees of freedom: Gamma(df/2, rate=1/2)."""

    def __init__(self, df):
        self.df = _array(df)
        super().__init__(self._from_params("Chi2", {"df": self.df}))


class InverseGamma(Distribution):
    """The inverse-gamma distribution: the law of rate/G with G ~ Gamma(concentration, 1);
    density rate^a x^(-a-1) exp(-rate/x) / Gamma(a) with a = ``concentration``. Its mean is
    +inf for concentration <= 1 and its variance +inf for concentration <= 2 (as scipy)."""

    def __init__(self, concentration, rate=1.0):
        self.concentration, self.rate = _array(concentration), _array(rate)
        super().__init__(self._from_params("InverseGamma", {"concentration": self.concentration, "rate": self.rate}))


class StudentT(Distribution):
    """Student's t distribution with ``df`` degrees of freedom, location ``loc`` and scale ``scale``.
    The mean is +inf for df <= 1; the variance is +inf for 1 < df <= 2 and NaN for df <= 1 (as scipy)."""

    def __init__(self, df, loc=0.0, scale=1.0):
        self.df, self.loc, self.scale = _array(df), _array(loc), _array(scale)
        super().__init__(self._from_params("StudentT", {"df": self.df, "loc": self.loc, "scale": self.scale}))


class Beta(Distribution):
    """The beta distribution on [0, 1]: density x^(c1-1) (1-x)^(c0-1) / B(c1, c0) with
    c1 = ``concentration1`` and c0 = ``concentration0``."""

    def __init__(self, concentration1, concentration0):
        self.concentration1, self.concentration0 = _array(concentration1), _array(concentration0)
        super().__init__(
            self._from_params(
                "Beta", {"concentration1": self.concentration1, "concentration0": self.concentration0}
            )
        )


class Dirichlet(Distribution):
    """The Dirichlet distribution on the simplex, ``concentration`` of shape batch_shape + (K,)
    (event shape (K,)). Samples are normalized Gamma draws."""

    def __init__(self, concentration):
        self.concentration = _array(concentration)
        super().__init__(self._from_params("Dirichlet", {"concentration": self.concentration}))
