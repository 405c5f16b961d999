"""Variational autoencoders trained by the library, and the two-moons data set."""

import ctypes

import numpy as np

from . import _capi, _library
from ._handle import Handle
from ._marshal import double_ptr, size
from .infer import _exact_shape, _PythonCallback, _reraising, _run_with_progress
from .optim import Adam, Optimizer
from .random import as_key

_ACTIVATIONS = {
    "relu": _capi.SVI_ACTIVATION_RELU,
    "tanh": _capi.SVI_ACTIVATION_TANH,
    "softplus": _capi.SVI_ACTIVATION_SOFTPLUS,
    "sigmoid": _capi.SVI_ACTIVATION_SIGMOID,
}


def make_moons(n_samples=100, noise=0.0, seed=0):
    """Two interleaved half circles, as scikit-learn's ``make_moons`` draws them, from the library's random keys.

    Returns ``(points, labels)``: points of shape (n_samples, 2) and labels 0
    (upper moon) or 1 (lower moon). The same seed gives the same points as
    ``makeMoons`` in Swift and ``svi_make_moons`` in C.
    """
    n = size(n_samples, "n_samples")
    points = np.empty((n, 2))
    labels = np.empty(n, dtype=np.int32)
    _library.call(
        "svi_make_moons", n, float(noise), as_key(seed), double_ptr(points), points.size,
        labels.ctypes.data_as(ctypes.POINTER(ctypes.c_int32)),
    )
    return points, labels.astype(np.int64)


class _LikelihoodCallback(_PythonCallback):
    """Runs a Python decoder log-likelihood inside the C callback."""

    def log_likelihood(self, _user_data, num_points, latent_dim, latents, data_dim, data, num_params, params,
                       out_log_likelihood, out_grad_latents, out_grad_params):
        try:
            z = np.ctypeslib.as_array(latents, shape=(num_points, latent_dim)).copy()
            x = np.ctypeslib.as_array(data, shape=(num_points, data_dim)).copy()
            theta = np.ctypeslib.as_array(params, shape=(num_params,)).copy() if num_params else np.empty(0)
            log_likelihood, grad_z, grad_theta = self.function(z, x, theta)
            np.ctypeslib.as_array(out_log_likelihood, shape=(num_points,))[:] = _exact_shape(
                log_likelihood, (num_points,), "log-likelihood")
            if out_grad_latents:
                np.ctypeslib.as_array(out_grad_latents, shape=(num_points, latent_dim))[:] = _exact_shape(
                    grad_z, (num_points, latent_dim), "latent gradient")
                if num_params:
                    np.ctypeslib.as_array(out_grad_params, shape=(num_points, num_params))[:] = _exact_shape(
                        grad_theta, (num_points, num_params), "parameter gradient")
            return 0
        except BaseException as error:
            self.error = error
            return 1


class VAE(Handle):
    """A variational autoencoder: encoder and decoder are library MLPs, trained with the inference combinators.

    The encoder maps x to the location of q(z | x) = Normal(loc(x), scale),
    with ``encoder_scale`` fixed or, when None, learned (through softplus);
    the decoder maps z to the mean of p(x | z) = Normal(mean(z),
    ``decoder_scale``), the prior is z ~ Normal(0, I). With
    ``log_likelihood`` the decoder is instead a Python function
    ``log_likelihood(z, x, theta) -> (ll, dll_dz, dll_dtheta)`` of S latent
    rows z (S, latent_dim), their data rows x (S, data_dim) and its own
    parameters theta (starting at ``likelihood_params``), returning S
    log-likelihoods and their gradients of shapes (S, latent_dim) and
    (S, len(theta)); theta is learned with the encoder.

    ``fit`` minimizes the negative ELBO per data point over minibatches of
    ``batch_size`` rows drawn with replacement, with ``num_particles`` draws
    per row, using ``optim`` (Adam with step size 1e-3 by default).
    """

    _free_function = "svi_vae_free"

    def __init__(self, data_dim=2, latent_dim=2, hidden_sizes=(32,), activation="relu", decoder_scale=1.0,
                 encoder_scale=None, num_particles=1, batch_size=100, optim=None, log_likelihood=None,
                 likelihood_params=()):
        if activation not in _ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(_ACTIVATIONS)}, got {activation!r}")
        if encoder_scale is not None and not encoder_scale > 0:
            raise ValueError(f"encoder_scale must be positive or None, got {encoder_scale!r}")
        self.optim = optim if optim is not None else Adam(1e-3)
        if not isinstance(self.optim, Optimizer):
            raise TypeError(f"optim must be a swiftvi.optim optimizer, got {type(self.optim).__name__}")
        self.data_dim, self.latent_dim = size(data_dim, "data_dim"), size(latent_dim, "latent_dim")
        self._hidden = (ctypes.c_size_t * len(hidden_sizes))(*[size(h, "a hidden size") for h in hidden_sizes])
        self._theta = np.ascontiguousarray(likelihood_params, dtype=np.float64).ravel()
        options = _capi.svi_vae_options()
        _library.call("svi_vae_options_init", ctypes.byref(options), ctypes.sizeof(options))
        options.data_dim, options.latent_dim = self.data_dim, self.latent_dim
        options.hidden_sizes = ctypes.cast(self._hidden, ctypes.POINTER(ctypes.c_size_t))
        options.num_hidden = len(hidden_sizes)
        options.activation = _ACTIVATIONS[activation]
        options.decoder_scale = float(decoder_scale)
        options.encoder_scale = 0.0 if encoder_scale is None else float(encoder_scale)
        options.num_particles = size(num_particles, "num_particles")
        options.batch_size = size(batch_size, "batch_size")
        options.optim = self.optim.handle
        self._callbacks = ()
        if log_likelihood is not None:
            self._likelihood = _LikelihoodCallback(log_likelihood)
            self._c_likelihood = _capi.svi_vae_log_likelihood_fn(self._likelihood.log_likelihood)
            self._callbacks = (self._likelihood,)
            options.log_likelihood = self._c_likelihood
            options.num_likelihood_params = self._theta.size
            options.initial_likelihood_params = double_ptr(self._theta) if self._theta.size else None
        handle = _capi.svi_vae()
        _library.call("svi_vae_new", ctypes.byref(handle), ctypes.byref(options))
        self._own(handle.value)

    def _rows(self, data, width, name):
        data = np.ascontiguousarray(data, dtype=np.float64)
        if data.ndim != 2 or data.shape[1] != width:
            raise ValueError(f"{name} must have shape (n, {width}), got {data.shape}")
        return data

    def init(self, seed=0):
        """Initializes the parameters (from ``seed``) and the optimizer state."""
        _library.call("svi_vae_init", self._handle, as_key(seed))

    def fit(self, data, num_steps, seed=None, progress=None):
        """Takes ``num_steps`` training steps on ``data`` (n, data_dim); returns the losses of the steps kept.

        With ``seed`` the parameters are initialized from it first; otherwise
        training continues from the current state. ``progress(step, loss)`` is
        called after each step; returning True stops early.
        """
        data = self._rows(data, self.data_dim, "data")
        if seed is not None:
            self.init(seed)
        losses = np.full(size(num_steps, "num_steps"), np.nan)
        before = self.num_steps
        _run_with_progress("svi_vae_train", (self._handle, double_ptr(data), data.shape[0], losses.size,
                                             double_ptr(losses)), self._callbacks, progress)
        return losses[: self.num_steps - before].copy()

    def _size(self, function):
        value = ctypes.c_size_t()
        _library.call(function, self._handle, ctypes.byref(value))
        return value.value

    @property
    def num_steps(self):
        """The number of training steps since initialization."""
        return self._size("svi_vae_num_steps")

    @property
    def params(self):
        """The flat parameter vector (encoder, then decoder network or the likelihood's theta last)."""
        out = np.empty(self._size("svi_vae_num_params"))
        _library.call("svi_vae_get_params", self._handle, double_ptr(out), out.size)
        return out

    def evaluate(self, data, num_particles=50, seed=0):
        """``(elbo, iwae)`` per data point on ``data`` with ``num_particles`` draws per row (iwae >= elbo)."""
        data = self._rows(data, self.data_dim, "data")
        elbo, iwae = ctypes.c_double(), ctypes.c_double()
        with _reraising(*self._callbacks):
            _library.call("svi_vae_evaluate", self._handle, double_ptr(data), data.shape[0],
                          size(num_particles, "num_particles"), as_key(seed), ctypes.byref(elbo), ctypes.byref(iwae))
        return elbo.value, iwae.value

    def loss(self, data, num_particles=1, seed=0):
        """The negative ELBO per data point on ``data`` (the training loss on the whole of it)."""
        return -self.evaluate(data, num_particles, seed)[0]

    def encode(self, data):
        """The encoder's ``(loc, scale)`` for each row of ``data``, each of shape (n, latent_dim)."""
        data = self._rows(data, self.data_dim, "data")
        loc, scale = np.empty((data.shape[0], self.latent_dim)), np.empty((data.shape[0], self.latent_dim))
        _library.call("svi_vae_encode", self._handle, double_ptr(data), data.shape[0], double_ptr(loc),
                      double_ptr(scale), loc.size)
        return loc, scale

    def decode(self, latents):
        """The decoder network's mean for each row of ``latents`` (n, latent_dim)."""
        z = self._rows(latents, self.latent_dim, "latents")
        out = np.empty((z.shape[0], self.data_dim))
        _library.call("svi_vae_decode", self._handle, double_ptr(z), z.shape[0], double_ptr(out), out.size)
        return out

    def reconstruct(self, data, seed=0):
        """For each row of ``data``, the decoded mean at a latent drawn from the encoder."""
        data = self._rows(data, self.data_dim, "data")
        out = np.empty_like(data)
        _library.call("svi_vae_reconstruct", self._handle, double_ptr(data), data.shape[0], as_key(seed),
                      double_ptr(out), out.size)
        return out

    def sample(self, num_samples, seed=0):
        """``(latents, data)`` drawn from the model; data is None for a callback decoder."""
        n = size(num_samples, "num_samples")
        z = np.empty((n, self.latent_dim))
        x = np.empty((n, self.data_dim)) if not self._callbacks else np.empty((0, self.data_dim))
        _library.call("svi_vae_sample", self._handle, n, as_key(seed), double_ptr(z), z.size,
                      double_ptr(x) if x.size else None, x.size)
        return z, (x if x.size else None)
