"""SwiftVI: variational inference with libswiftvi, from Python.

Distributions, KL divergences and stochastic variational inference with
NumPyro-style names; arrays in, NumPy arrays out. The library is found through
the SWIFTVI_LIBRARY environment variable or the repository's build folders and
loaded on first use.
"""

from . import autoguides, constraints, initialization, optim, random, transforms
from ._capi import SVI_ABI_VERSION
from ._library import lib as _lib
from ._version import __version__
from . import distributions
from .distributions import *  # noqa: F401,F403  (every family, by its NumPyro name)
from .autoguides import *  # noqa: F401,F403  (NumPyro's autoguide names)
from .errors import LibraryLoadError, Status, SwiftVIError
from .infer import (
    ELBO,
    SVI,
    AutoNormal,
    DistributionModel,
    EarlyStopping,
    Guide,
    LogDensityModel,
    Model,
    StableUpdateResult,
    RenyiELBO,
    SVIRunResult,
    Trace_ELBO,
    TraceMeanField_ELBO,
)
from .predictive import Estimate, Predictive, estimate_elbo, log_evidence
from .initialization import *  # noqa: F401,F403  (init_to_median, init_to_value, …)
from .random import PRNGKey
from .vae import VAE, make_moons
from .transforms import TransformedDistribution, biject_to


def abi_version():
    """The loaded library's ABI version (equal to SVI_ABI_VERSION, or loading fails)."""
    return _lib().svi_abi_version()


def library_version():
    """The loaded library's version string, "MAJOR.MINOR.PATCH"."""
    return _lib().svi_version_string().decode()


__all__ = [
    "SVI_ABI_VERSION",
    "SVI",
    "SVIRunResult",
    "StableUpdateResult",
    "AutoNormal",
    "DistributionModel",
    "ELBO",
    "EarlyStopping",
    "Estimate",
    "Guide",
    "LibraryLoadError",
    "LogDensityModel",
    "Model",
    "PRNGKey",
    "Predictive",
    "RenyiELBO",
    "Status",
    "SwiftVIError",
    "TraceMeanField_ELBO",
    "Trace_ELBO",
    "TransformedDistribution",
    "VAE",
    "__version__",
    "abi_version",
    "biject_to",
    "constraints",
    "estimate_elbo",
    "library_version",
    "log_evidence",
    "make_moons",
    "optim",
    *distributions.__all__,
    *autoguides.__all__,
    *initialization.__all__,
    "autoguides",
    "initialization",
    "random",
    "transforms",
]
