"""Gradient-based optimizers for SVI."""

import ctypes

from . import _capi, _library
from ._handle import Handle


class Optimizer(Handle):
    """The settings of an optimizer held by the library."""

    _free_function = "svi_optim_free"

    def __init__(self, options_type, init_function, new_function, **fields):
        options = options_type()
        _library.call(init_function, ctypes.byref(options), ctypes.sizeof(options))
        for name, value in fields.items():
            setattr(options, name, value)
        handle = _capi.svi_optim()
        _library.call(new_function, ctypes.byref(handle), ctypes.byref(options))
        self._own(handle.value)


class Adam(Optimizer):
    """Adam with learning rate ``lr``, moment decay rates ``b1``, ``b2`` and ``eps``."""

    def __init__(self, lr, b1=0.9, b2=0.999, eps=1e-8):
        self.lr, self.b1, self.b2, self.eps = lr, b1, b2, eps
        super().__init__(
            _capi.svi_adam_options,
            "svi_adam_options_init",
            "svi_optim_new_adam",
            learning_rate=lr,
            beta1=b1,
            beta2=b2,
            epsilon=eps,
        )


class SGD(Optimizer):
    """Stochastic gradient descent with learning rate ``lr`` and optional (Nesterov) momentum."""

    def __init__(self, lr, momentum=0.0, nesterov=False):
        self.lr, self.momentum, self.nesterov = lr, momentum, nesterov
        super().__init__(
            _capi.svi_sgd_options,
            "svi_sgd_options_init",
            "svi_optim_new_sgd",
            learning_rate=lr,
            momentum=momentum,
            nesterov=int(bool(nesterov)),
        )
