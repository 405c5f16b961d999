"""Gradient-based optimizers for SVI, with NumPyro/optax names.

Every optimizer takes ``step_size`` as a number or a schedule
(``exponential_decay``, ``cosine_decay``, ``piecewise_constant``,
``linear_warmup``), and — except ClippedAdam, whose own ``clip_norm`` is
Pyro's per-element clamp — ``clip_norm`` (optax's ``clip_by_global_norm``) and
``clip_value`` (optax's per-element ``clip``) to clip gradients first.
"""

import ctypes
import numbers

import numpy as np

from . import _capi, _library
from ._handle import Handle

__all__ = [
    "Adagrad",
    "Adam",
    "AdamW",
    "ClippedAdam",
    "Optimizer",
    "RMSProp",
    "SGD",
    "Schedule",
    "constant",
    "cosine_decay",
    "exponential_decay",
    "linear_warmup",
    "piecewise_constant",
]


class Schedule:
    """A step size as a function of n, the number of updates already applied (0 for the first)."""

    def __init__(self, kind, **fields):
        self._kind = kind
        self._fields = fields
        self._warmup = None

    def _struct(self):
        """The svi_schedule describing this schedule, and the arrays it points to (keep them alive)."""
        schedule = _capi.svi_schedule()
        _library.call("svi_schedule_init", ctypes.byref(schedule), ctypes.sizeof(schedule))
        schedule.kind = self._kind
        keep = []
        for name, value in self._fields.items():
            if name == "boundaries":
                array = np.ascontiguousarray(value, dtype=np.uintp)
                schedule.boundaries = array.ctypes.data_as(ctypes.POINTER(ctypes.c_size_t))
                schedule.num_boundaries = array.size
                keep.append(array)
            elif name == "values":
                array = np.ascontiguousarray(value, dtype=np.float64)
                schedule.values = array.ctypes.data_as(ctypes.POINTER(ctypes.c_double))
                keep.append(array)
            else:
                setattr(schedule, name, value)
        if self._warmup is not None:
            schedule.warmup_steps, schedule.warmup_init_value = self._warmup
        return schedule, keep

    def __repr__(self):
        fields = ", ".join(f"{k}={v!r}" for k, v in self._fields.items())
        warmup = "" if self._warmup is None else f", warmup={self._warmup!r}"
        return f"Schedule(kind={self._kind}, {fields}{warmup})"


def _count(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


def constant(value):
    """The step size ``value`` at every step."""
    return Schedule(_capi.SVI_SCHEDULE_CONSTANT, init_value=float(value))


def exponential_decay(init_value, decay_steps, decay_rate, staircase=False):
    """``init_value * decay_rate ** (n / decay_steps)``, the exponent floored when ``staircase``."""
    return Schedule(
        _capi.SVI_SCHEDULE_EXPONENTIAL_DECAY,
        init_value=float(init_value),
        decay_steps=_count(decay_steps, "decay_steps"),
        decay_rate=float(decay_rate),
        staircase=int(bool(staircase)),
    )


def cosine_decay(init_value, decay_steps, alpha=0.0):
    """optax's cosine decay: ``init_value * ((1 - alpha) * (1 + cos(pi * min(n, decay_steps) / decay_steps)) / 2 + alpha)``."""
    return Schedule(
        _capi.SVI_SCHEDULE_COSINE_DECAY,
        init_value=float(init_value),
        decay_steps=_count(decay_steps, "decay_steps"),
        alpha=float(alpha),
    )


def piecewise_constant(boundaries, values):
    """``values[k]`` where k is the number of ``boundaries`` strictly below n (JAX's piecewise_constant).

    ``values`` has one more element than ``boundaries``.
    """
    boundaries = [_count(b, "a boundary") for b in boundaries]
    values = [float(v) for v in values]
    if len(values) != len(boundaries) + 1:
        raise ValueError(
            f"piecewise_constant needs one more value than boundaries, got {len(values)} and {len(boundaries)}"
        )
    return Schedule(_capi.SVI_SCHEDULE_PIECEWISE_CONSTANT, boundaries=boundaries, values=values)


def linear_warmup(warmup_steps, schedule, init_value=0.0):
    """Linear from ``init_value`` to the first value of ``schedule`` over ``warmup_steps`` updates, then ``schedule``.

    ``schedule`` is a number (a constant) or a schedule without a warm-up of its own.
    """
    after = schedule if isinstance(schedule, Schedule) else constant(schedule)
    if after._warmup is not None:
        raise ValueError("the schedule after a warm-up cannot have a warm-up of its own")
    warmed = Schedule(after._kind, **after._fields)
    warmed._warmup = (_count(warmup_steps, "warmup_steps"), float(init_value))
    return warmed


class Optimizer(Handle):
    """The settings of an optimizer held by the library."""

    _free_function = "svi_optim_free"

    def __init__(
        self, options_type, init_function, new_function, step_size, max_global_norm=None, max_value=None, **fields
    ):
        self.step_size = step_size
        schedule = step_size if isinstance(step_size, Schedule) else None
        if schedule is None and not isinstance(step_size, numbers.Real):
            raise TypeError(f"step_size must be a number or a swiftvi.optim schedule, got {type(step_size).__name__}")
        for name, bound in (("clip_norm", max_global_norm), ("clip_value", max_value)):
            if bound is not None and not bound > 0:
                raise ValueError(f"{name} must be positive, got {bound!r}")
        options = options_type()
        _library.call(init_function, ctypes.byref(options), ctypes.sizeof(options))
        for name, value in fields.items():
            setattr(options, name, value)
        # With a schedule, the constant given here is replaced by svi_optim_new_scheduled.
        options.learning_rate = 1.0 if schedule is not None else float(step_size)
        handle = _capi.svi_optim()
        _library.call(new_function, ctypes.byref(handle), ctypes.byref(options))
        if schedule is not None:
            struct, _keep = schedule._struct()
            handle = self._derived(handle, "svi_optim_new_scheduled", struct)
        if max_global_norm is not None or max_value is not None:
            clip = _capi.svi_clip_options()
            _library.call("svi_clip_options_init", ctypes.byref(clip), ctypes.sizeof(clip))
            clip.max_global_norm = 0.0 if max_global_norm is None else float(max_global_norm)
            clip.max_value = 0.0 if max_value is None else float(max_value)
            handle = self._derived(handle, "svi_optim_new_clipped", clip)
        self._own(handle.value)

    @staticmethod
    def _derived(base, function, options):
        """The optimizer ``function`` makes from ``base`` and ``options``; ``base`` is freed either way."""
        derived = _capi.svi_optim()
        try:
            _library.call(function, ctypes.byref(derived), base, ctypes.byref(options))
        finally:
            _library.call("svi_optim_free", base)
        return derived


class Adam(Optimizer):
    """Adam with step size ``step_size``, moment decay rates ``b1``, ``b2`` and ``eps``."""

    def __init__(self, step_size, b1=0.9, b2=0.999, eps=1e-8, clip_norm=None, clip_value=None):
        self.b1, self.b2, self.eps = b1, b2, eps
        super().__init__(
            _capi.svi_adam_options,
            "svi_adam_options_init",
            "svi_optim_new_adam",
            step_size,
            max_global_norm=clip_norm,
            max_value=clip_value,
            beta1=b1,
            beta2=b2,
            epsilon=eps,
        )


class SGD(Optimizer):
    """Stochastic gradient descent with step size ``step_size`` and optional (Nesterov) momentum."""

    def __init__(self, step_size, momentum=0.0, nesterov=False, clip_norm=None, clip_value=None):
        self.momentum, self.nesterov = momentum, nesterov
        super().__init__(
            _capi.svi_sgd_options,
            "svi_sgd_options_init",
            "svi_optim_new_sgd",
            step_size,
            max_global_norm=clip_norm,
            max_value=clip_value,
            momentum=momentum,
            nesterov=int(bool(nesterov)),
        )


class AdamW(Optimizer):
    """Adam with decoupled weight decay, as optax's adamw and PyTorch's AdamW.

    ``theta <- theta - lr * (m_hat / (sqrt(v_hat) + eps) + weight_decay * theta)``, lr the step's step size.
    """

    def __init__(self, step_size, b1=0.9, b2=0.999, eps=1e-8, weight_decay=1e-4, clip_norm=None, clip_value=None):
        self.b1, self.b2, self.eps, self.weight_decay = b1, b2, eps, weight_decay
        super().__init__(
            _capi.svi_adamw_options,
            "svi_adamw_options_init",
            "svi_optim_new_adamw",
            step_size,
            max_global_norm=clip_norm,
            max_value=clip_value,
            beta1=b1,
            beta2=b2,
            epsilon=eps,
            weight_decay=weight_decay,
        )


class ClippedAdam(Optimizer):
    """Pyro's ClippedAdam (NumPyro's, plus Pyro's ``lrd`` and ``weight_decay``).

    Each gradient element is clamped to [-clip_norm, clip_norm] (per element,
    despite the name), ``weight_decay * theta`` is added, and step t (from 1)
    uses the step size ``step_size * lrd ** t`` in Pyro's Adam step.
    """

    def __init__(self, step_size, clip_norm=10.0, b1=0.9, b2=0.999, eps=1e-8, lrd=1.0, weight_decay=0.0):
        self.clip_norm, self.b1, self.b2, self.eps, self.lrd, self.weight_decay = (
            clip_norm,
            b1,
            b2,
            eps,
            lrd,
            weight_decay,
        )
        super().__init__(
            _capi.svi_clipped_adam_options,
            "svi_clipped_adam_options_init",
            "svi_optim_new_clipped_adam",
            step_size,
            beta1=b1,
            beta2=b2,
            epsilon=eps,
            clip_norm=clip_norm,
            lrd=lrd,
            weight_decay=weight_decay,
        )


class RMSProp(Optimizer):
    """RMSProp as PyTorch defines it (``decay`` is PyTorch's alpha; eps is added outside the square root).

    With ``centered`` the squared-gradient average is centered by the gradient
    average; with ``momentum`` the normalized gradient feeds a momentum buffer.
    """

    def __init__(self, step_size, decay=0.99, eps=1e-8, momentum=0.0, centered=False, clip_norm=None, clip_value=None):
        self.decay, self.eps, self.momentum, self.centered = decay, eps, momentum, centered
        super().__init__(
            _capi.svi_rmsprop_options,
            "svi_rmsprop_options_init",
            "svi_optim_new_rmsprop",
            step_size,
            max_global_norm=clip_norm,
            max_value=clip_value,
            decay=decay,
            epsilon=eps,
            momentum=momentum,
            centered=int(bool(centered)),
        )


class Adagrad(Optimizer):
    """Adagrad as PyTorch defines it: ``s += g**2`` from ``initial_accumulator_value``; ``theta -= lr * g / (sqrt(s) + eps)``."""

    def __init__(self, step_size, initial_accumulator_value=0.0, eps=1e-10, clip_norm=None, clip_value=None):
        self.initial_accumulator_value, self.eps = initial_accumulator_value, eps
        super().__init__(
            _capi.svi_adagrad_options,
            "svi_adagrad_options_init",
            "svi_optim_new_adagrad",
            step_size,
            max_global_norm=clip_norm,
            max_value=clip_value,
            initial_accumulator_value=initial_accumulator_value,
            epsilon=eps,
        )
