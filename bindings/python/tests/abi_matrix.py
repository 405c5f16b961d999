"""The bad-input matrix over every function of include/swiftvi.h.

Each function has a recipe (abi_recipes.RECIPES) that builds valid arguments.
The matrix calls the function with them, then again once for every mutation
of one argument, chosen from the argument's C type as the header declares it:

- a pointer: NULL; a string also empty and an unknown name;
- a handle: 0, forged, freed, and a live handle of another kind; a *_free
  function is also called twice on the same handle;
- a length (out_len, capacity, out_*_len): 0, one less, one more, SIZE_MAX;
  another size_t: 0 and SIZE_MAX;
- a double: NaN, +inf, -inf and -1; an svi_array: NULL data, NULL shape,
  too many dimensions, no elements, one element more, and one element NaN,
  +inf, -inf or -1; named parameters: each value as an array, a NULL or
  repeated name; option structs: a struct_size of another version, and each
  field made NaN/±inf/-1 (doubles), 0/SIZE_MAX (sizes), NULL (pointers), -1
  (int32s);
- callbacks (a progress callback, or the log-density of a callback model the
  call runs): one that fails, one that writes NaN, and one that calls back
  into the library.

Every call must return its documented status: the rule's default for the
mutation unless the recipe's `expect` names another (each such entry is a
documented exception). A failed call must leave a non-empty message that
names the function and leave its out-buffers untouched; no call may write
past a buffer; and every object the recipe made must still work afterwards.

Functions run in a child process (`python abi_matrix.py NAME...`) that reports
each one as it finishes, so a crash is reported for the function that caused
it and the rest still run.
"""

import ctypes
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cheader  # noqa: E402
from swiftvi import _capi, _library  # noqa: E402

OK = _capi.SVI_OK
E_NULL = _capi.SVI_E_NULL_POINTER
E_INVALID = _capi.SVI_E_INVALID_ARGUMENT
E_SHAPE = _capi.SVI_E_SHAPE_MISMATCH
E_STALE = _capi.SVI_E_STALE_HANDLE
E_KIND = _capi.SVI_E_WRONG_HANDLE_KIND
E_CALLBACK = _capi.SVI_E_CALLBACK_FAILED
E_STOPPED = _capi.SVI_E_STOPPED
E_NUMERICAL = _capi.SVI_E_NUMERICAL
E_NOT_IMPLEMENTED = _capi.SVI_E_NOT_IMPLEMENTED
E_VERSION = _capi.SVI_E_VERSION_MISMATCH

SIZE_MAX = 2**64 - 1
SENTINEL_BYTE = 0xA5
FORGED_HANDLE = 0x0123_4567_89AB_CDEF

#: Handle typedefs of the header and the kind of object each names.
HANDLE_TYPES = {
    "svi_dist": "dist",
    "svi_transform": "transform",
    "svi_model": "model",
    "svi_guide": "guide",
    "svi_optim": "optim",
    "svi_elbo": "elbo",
    "svi_svi": "svi",
    "svi_vae": "vae",
}

def is_length(name):
    """Whether a size_t parameter gives the length of a caller's buffer: capacity and every *_len but `len`
    (the count of an input)."""
    return name == "capacity" or (name.endswith("_len") and name != "len")


# --------------------------------------------------------------------------
# Argument descriptors: what a recipe returns, turned into C values per call.
# --------------------------------------------------------------------------


class Out:
    """An output buffer of `count` elements of the parameter's pointee type, filled with a sentinel and followed
    by slack that must stay untouched."""

    SLACK = 4

    def __init__(self, count=1):
        self.count = count
        self.buffer = None

    def bind(self, pointer_type):
        self.element = pointer_type._type_
        self.buffer = (self.element * (self.count + self.SLACK))()
        ctypes.memset(self.buffer, SENTINEL_BYTE, ctypes.sizeof(self.buffer))
        self.pristine = bytes(self.buffer)
        return ctypes.cast(self.buffer, pointer_type)

    def untouched(self):
        return self.buffer is None or bytes(self.buffer) == self.pristine

    def slack_intact(self):
        if self.buffer is None:
            return True
        start = ctypes.sizeof(self.element) * self.count
        return bytes(self.buffer)[start:] == self.pristine[start:]

    def __getitem__(self, i):
        return self.buffer[i]


OUT = Out  # OUT() is one element, OUT(n) n elements


class Arr:
    """An svi_array of `values` with `shape` (a vector when omitted)."""

    def __init__(self, values, shape=None, *, data_null=False, shape_null=False, ndim=None):
        self.values = [float(v) for v in values]
        self.shape = list(shape) if shape is not None else [len(self.values)]
        self.data_null, self.shape_null, self.ndim = data_null, shape_null, ndim

    def replaced(self, **changes):
        fields = dict(values=self.values, shape=self.shape, data_null=self.data_null, shape_null=self.shape_null,
                      ndim=self.ndim)
        fields.update(changes)
        return Arr(fields.pop("values"), fields.pop("shape"), **fields)

    def build(self, keep):
        data = (ctypes.c_double * max(len(self.values), 1))(*self.values)
        shape = (ctypes.c_size_t * max(len(self.shape), 1))(*self.shape)
        keep += [data, shape]
        ndim = len(self.shape) if self.ndim is None else self.ndim
        return _capi.svi_array(
            None if self.data_null else ctypes.cast(data, ctypes.POINTER(ctypes.c_double)),
            ndim,
            None if self.shape_null or not self.shape else ctypes.cast(shape, ctypes.POINTER(ctypes.c_size_t)),
        )


def scalar(value):
    """A 0-dimensional svi_array."""
    return Arr([value], [])


class Named:
    """An array of svi_named_array: (name, Arr) pairs, the count given separately by the recipe."""

    def __init__(self, items):
        self.items = [(name, value if isinstance(value, Arr) else Arr(*value)) for name, value in items]

    def __len__(self):
        return len(self.items)

    def build(self, keep):
        array = (_capi.svi_named_array * max(len(self.items), 1))()
        for i, (name, value) in enumerate(self.items):
            encoded = None if name is None else name.encode()
            keep.append(encoded)
            array[i].name = encoded
            array[i].value = value.build(keep)
        keep.append(array)
        return array


def named(**params):
    """Named parameters: each value a float (a scalar), a list (a vector) or an Arr."""
    items = []
    for name, value in params.items():
        if isinstance(value, Arr):
            items.append((name, value))
        elif isinstance(value, (list, tuple)):
            items.append((name, Arr(value)))
        else:
            items.append((name, scalar(value)))
    return Named(items)


class CArray:
    """A read-only C array of `element_type` values."""

    element_type = None

    def __init__(self, values):
        self.values = list(values)

    def build(self, keep):
        array = (self.element_type * max(len(self.values), 1))(*self.values)
        keep.append(array)
        return array


class Handles(CArray):
    """A C array of handles."""

    element_type = ctypes.c_uint64


class Sizes(CArray):
    """A read-only array of size_t."""

    element_type = ctypes.c_size_t


class Doubles(CArray):
    """A read-only array of doubles (data, or the elements of a pointer field)."""

    element_type = ctypes.c_double


class Structs:
    """A read-only array of structs of the header's `type_name`, each given as {field: value}; the matrix
    mutates the fields of the first as it does an option struct's."""

    def __init__(self, type_name, items):
        self.type_name = type_name
        self.struct_type = getattr(_capi, type_name)
        self.items = [dict(item) for item in items]

    def build(self, keep):
        array = (self.struct_type * max(len(self.items), 1))()
        for element, item in zip(array, self.items):
            for name, value in item.items():
                if isinstance(value, str):
                    value = value.encode()
                    keep.append(value)
                setattr(element, name, value)
        keep.append(array)
        return array


class Bytes:
    """A read-only byte buffer."""

    def __init__(self, data):
        self.data = bytes(data)

    def build(self, keep):
        array = (ctypes.c_uint8 * max(len(self.data), 1)).from_buffer_copy(self.data or b"\0")
        keep.append(array)
        return array


class Options:
    """An option struct filled by its *_init, then `fields` set."""

    def __init__(self, context, type_name, fields):
        self.type_name = type_name
        self.struct_type = getattr(_capi, type_name)
        self.fields = dict(fields)
        self.context = context

    def build(self, keep):
        struct = self.struct_type()
        init = _INIT_FUNCTIONS.get(self.type_name)
        if init is None:
            raise LookupError(f"no *_init function fills {self.type_name}")
        status = getattr(self.context.lib, init)(ctypes.byref(struct), ctypes.sizeof(struct))
        if status != OK:
            raise RuntimeError(f"{init} failed: {self.context.message()}")
        for name, value in self.fields.items():
            _set_field(struct, name, value, keep)
        keep.append(struct)
        return ctypes.pointer(struct)


def _set_field(struct, name, value, keep):
    """Sets a field from a plain value, a descriptor, or (for a nested struct) a dict of its fields."""
    field_type = dict(type(struct)._fields_)[name]
    if isinstance(value, dict):
        nested = getattr(struct, name)
        for inner, inner_value in value.items():
            _set_field(nested, inner, inner_value, keep)
        setattr(struct, name, nested)
        return
    built = value.build(keep) if hasattr(value, "build") else value
    if isinstance(built, ctypes.Array):
        built = ctypes.cast(built, field_type)
    elif built is None and hasattr(field_type, "argtypes"):
        built = field_type()  # a NULL function pointer
    setattr(struct, name, built)


class Callback:
    """A progress or prediction callback whose behaviour a mutation changes: 'ok', 'fails', 'nan' or
    'reenters' (calls into the library, including a call that fails)."""

    def __init__(self, context, fn_type):
        self.context = context
        self.fn_type = fn_type
        self.behaviour = "ok"
        self.calls = 0

    def build(self, keep):
        def progress(user_data, step, loss):
            self.calls += 1
            return self.context.callback_result(self.behaviour)

        def predict(user_data, num_samples, latent_dim, latents, num_predictions, out):
            self.calls += 1
            for i in range(num_samples * num_predictions):
                out[i] = math.nan if self.behaviour == "nan" else 0.5
            return self.context.callback_result(self.behaviour)

        fn = self.fn_type(progress if self.fn_type is _capi.svi_progress_fn else predict)
        keep.append(fn)
        return fn


# --------------------------------------------------------------------------
# The context: objects a recipe asks for, made through the library itself.
# --------------------------------------------------------------------------


def _init_functions():
    header = cheader.read_header()
    found = {}
    for name, (_, types) in header.functions.items():
        if name.endswith("_init") and len(types) == 2 and types[1] == "uint32_t":
            found[types[0].replace("*", "").strip()] = name
    return found


_INIT_FUNCTIONS = _init_functions()


class Context:
    """Live objects for one call, each made on first use and freed by close()."""

    def __init__(self, lib):
        self.lib = lib
        self.keep = []
        self.made = []  # (kind, handle, label)
        self.model_behaviour = "ok"
        self.model_calls = 0
        self.reentered_failures = 0
        self._cache = {}

    # ---- helpers ----
    def message(self):
        return self.lib.svi_last_error_message().decode(errors="replace")

    def check(self, status, what):
        if status != OK:
            raise RuntimeError(f"{what} failed ({status}): {self.message()}")

    def register(self, kind, handle, label):
        self.made.append((kind, handle, label))
        return handle

    def once(self, name, make):
        if name not in self._cache:
            self._cache[name] = make()
        return self._cache[name]

    def key(self, seed=7):
        key = _capi.svi_key()
        self.check(self.lib.svi_key_from_seed(ctypes.byref(key), seed), "svi_key_from_seed")
        return key

    def options(self, type_name, **fields):
        return Options(self, type_name, fields)

    def callback(self, fn_type):
        return self.once(f"callback {fn_type.__name__}", lambda: Callback(self, fn_type))

    def callback_result(self, behaviour):
        """What a callback returns for `behaviour`; 'reenters' first calls into the library."""
        if behaviour == "reenters":
            out = (ctypes.c_double * 3)()
            steps = ctypes.c_size_t()
            calls = [(self.lib.svi_dist_mean(self.dist, out, 3), OK), (self.lib.svi_dist_free(FORGED_HANDLE), E_STALE)]
            for svi in (self._cache.get(name) for name in ("svi", "callback svi")):
                if svi is not None:
                    calls.append((self.lib.svi_svi_num_steps(svi, ctypes.byref(steps)), OK))
            self.reentered_failures += sum(status != expected for status, expected in calls)
        return 3 if behaviour == "fails" else 0

    def new_handle(self, kind, label, function, *args):
        handle = ctypes.c_uint64()
        self.check(getattr(self.lib, function)(ctypes.byref(handle), *args), function)
        return self.register(kind, handle.value, label)

    def distribution(self, family, **params):
        """A distribution made by svi_dist_new."""
        keep = []
        items = named(**params)
        return self.new_handle("dist", family, "svi_dist_new", family.encode(), items.build(keep), len(items))

    def transform_named(self, name, **params):
        keep = []
        items = named(**params)
        return self.new_handle("transform", name, "svi_transform_new", name.encode(), items.build(keep), len(items))

    # ---- objects recipes use ----
    @property
    def dist(self):
        """Normal with batch shape (3,)."""
        return self.once("dist", lambda: self.distribution("Normal", loc=[0.5, -1.0, 2.0], scale=[1.0, 0.3, 2.5]))

    @property
    def normal(self):
        """A scalar Normal(0, 1)."""
        return self.once("normal", lambda: self.distribution("Normal", loc=0.0, scale=1.0))

    @property
    def laplace(self):
        """A scalar Laplace(0.5, 2)."""
        return self.once("laplace", lambda: self.distribution("Laplace", loc=0.5, scale=2.0))

    @property
    def mvn(self):
        """A MultivariateNormal of event shape (2,)."""
        return self.once("mvn", lambda: self.distribution("MultivariateNormal", loc=[0.0, 1.0],
                                                          scale_tril=Arr([1.0, 0.0, 0.5, 1.0], [2, 2])))

    @property
    def categorical(self):
        return self.once("categorical", lambda: self.distribution("Categorical", probs=[0.3, 0.7]))

    @property
    def components(self):
        """Normal with batch shape (2,), components for `categorical`."""
        return self.once("components", lambda: self.distribution("Normal", loc=[-1.0, 1.0], scale=[1.0, 0.5]))

    @property
    def transform(self):
        return self.once("transform", lambda: self.transform_named("Exp"))

    @property
    def affine(self):
        return self.once("affine", lambda: self.transform_named("Affine", loc=1.0, scale=2.0))

    @property
    def model(self):
        """The distribution model of `dist`, latent 'x' of dimension 3."""
        return self.once("model", lambda: self.new_handle("model", "model", "svi_model_new_distribution", b"x",
                                                          self.dist))

    def guide_for(self, model, label):
        return self.once(label, lambda: self.new_handle(
            "guide", label, "svi_guide_new_auto_normal", model, self.options("svi_auto_normal_options").build(self.keep)))

    @property
    def guide(self):
        """AutoNormal over `model`."""
        return self.guide_for(self.model, "guide")

    @property
    def optim(self):
        return self.once("optim", lambda: self.new_handle(
            "optim", "optim", "svi_optim_new_adam", self.options("svi_adam_options", learning_rate=0.05).build(self.keep)))

    @property
    def elbo(self):
        return self.once("elbo", lambda: self.new_handle(
            "elbo", "elbo", "svi_elbo_new_trace", self.options("svi_trace_elbo_options", num_particles=4).build(self.keep)))

    def svi_over(self, model, guide, label):
        def make():
            handle = self.new_handle("svi", label, "svi_svi_new", model, guide, self.optim, self.elbo)
            self.check(self.lib.svi_svi_init(handle, self.key(3)), "svi_svi_init")
            loss = ctypes.c_double()
            for _ in range(2):
                self.check(self.lib.svi_svi_step(handle, ctypes.byref(loss)), "svi_svi_step")
            return handle
        return self.once(label, make)

    @property
    def svi(self):
        """An SVI over `model`, `guide`, `optim` and `elbo`, initialized and stepped twice."""
        return self.svi_over(self.model, self.guide, "svi")

    def callback_model_options(self, constraint=_capi.SVI_CONSTRAINT_REAL, lower_bound=0.0, upper_bound=0.0):
        """Options of a callback model of one latent block 'z' of 2 values, a Gaussian log-density centred in
        (0.5, 1) whose behaviour mutations change."""
        def log_density(user_data, num_points, dim, points, out_log_density, out_gradient):
            self.model_calls += 1
            result = self.callback_result(self.model_behaviour)
            for s in range(num_points):
                total = 0.0
                for i in range(dim):
                    z = points[s * dim + i] - 0.5 * (1.0 + i)
                    total -= 0.5 * z * z
                    if out_gradient:
                        out_gradient[s * dim + i] = math.nan if self.model_behaviour == "nan gradient" else -z
                out_log_density[s] = math.nan if self.model_behaviour == "nan" else total
            return result

        fn = _capi.svi_log_density_fn(log_density)
        self.keep.append(fn)
        block = Structs("svi_latent_block", [dict(name="z", size=2, constraint=constraint, lower_bound=lower_bound,
                                                   upper_bound=upper_bound)])
        return self.options("svi_callback_model_options", latents=block, num_latents=1, log_density=fn)

    @property
    def callback_model(self):
        """The model of callback_model_options()."""
        return self.once("callback model", lambda: self.new_handle(
            "model", "callback model", "svi_model_new_callback", self.callback_model_options().build(self.keep)))

    @property
    def callback_guide(self):
        return self.guide_for(self.callback_model, "callback guide")

    @property
    def callback_svi(self):
        """An SVI over `callback_model`, initialized and stepped twice."""
        return self.svi_over(self.callback_model, self.callback_guide, "callback svi")

    def guide_of(self, kind, label, model=None, **fields):
        """An automatic guide made by svi_guide_new_<kind> over `model` (default: `model`)."""
        return self.once(label, lambda: self.new_handle(
            "guide", label, f"svi_guide_new_{kind}", model or self.model,
            self.options(f"svi_{kind}_options", **fields).build(self.keep)))

    @property
    def laplace_guide(self):
        """AutoLaplaceApproximation over `model`."""
        return self.guide_of("auto_laplace_approximation", "laplace guide")

    @property
    def laplace_svi(self):
        """An SVI over `laplace_guide`, initialized and stepped twice."""
        return self.svi_over(self.model, self.laplace_guide, "laplace svi")

    #: Ten rows of two-dimensional data for the VAE.
    VAE_DATA = [0.1 * i - 0.4 * (i % 3) for i in range(20)]

    @property
    def vae(self):
        """A VAE of 2-dimensional data and latents with one hidden layer of 4, initialized."""
        def make():
            opts = self.options("svi_vae_options", hidden_sizes=Sizes([4]), num_hidden=1, batch_size=5,
                                optim=self.optim)
            handle = self.new_handle("vae", "vae", "svi_vae_new", opts.build(self.keep))
            self.check(self.lib.svi_vae_init(handle, self.key(2)), "svi_vae_init")
            return handle
        return self.once("vae", make)

    def vae_num_params(self):
        count = ctypes.c_size_t()
        self.check(self.lib.svi_vae_num_params(self.vae, ctypes.byref(count)), "svi_vae_num_params")
        return count.value

    def saved_state(self, svi):
        """The bytes svi_svi_save writes for `svi`."""
        length = ctypes.c_size_t()
        self.check(self.lib.svi_svi_save(svi, None, 0, ctypes.byref(length)), "svi_svi_save")
        buffer = (ctypes.c_uint8 * length.value)()
        self.check(self.lib.svi_svi_save(svi, buffer, length.value, ctypes.byref(length)), "svi_svi_save")
        return Bytes(bytes(buffer))

    def fitted_params(self, svi):
        """The parameters of `svi` by name, as svi_predictive takes them."""
        count = ctypes.c_size_t()
        self.check(self.lib.svi_svi_num_params(svi, ctypes.byref(count)), "svi_svi_num_params")
        items = []
        for i in range(count.value):
            name = ctypes.c_char_p()
            self.check(self.lib.svi_svi_param_name(svi, i, ctypes.byref(name)), "svi_svi_param_name")
            size = ctypes.c_size_t()
            self.check(self.lib.svi_svi_param_size(svi, name, ctypes.byref(size)), "svi_svi_param_size")
            values = (ctypes.c_double * size.value)()
            self.check(self.lib.svi_svi_get_param(svi, name, values, size.value), "svi_svi_get_param")
            items.append((name.value.decode(), Arr(list(values))))
        return Named(items)

    # ---- handles for the handle mutations ----
    def fresh(self, kind):
        """A new live object of `kind`, not cached."""
        saved = dict(self._cache)
        self._cache = {k: v for k, v in self._cache.items() if k not in _KIND_OBJECT}
        try:
            handle = getattr(self, _KIND_PROPERTY[kind])
        finally:
            self._cache = saved
        return handle

    def freed(self, kind):
        """A handle of `kind` that was freed."""
        handle = self.fresh(kind)
        self.check(getattr(self.lib, _FREE_FUNCTIONS[kind])(handle), _FREE_FUNCTIONS[kind])
        self.made = [m for m in self.made if m[1] != handle]
        return handle

    def other_kind(self, kind):
        """A live handle of another kind than `kind`."""
        return self.model if kind == "dist" else self.dist

    # ---- checks after a call ----
    def broken_objects(self, consumed=()):
        """Descriptions of the objects made for this call that no longer work."""
        problems = []
        behaviour, self.model_behaviour = self.model_behaviour, "ok"
        for kind, handle, label in list(self.made):
            if handle in consumed:
                continue
            problem = self._health(kind, handle)
            if problem:
                problems.append(f"{label} ({kind} {handle:#x}) no longer works: {problem}")
        self.model_behaviour = behaviour
        return problems

    def _health(self, kind, handle):
        lib = self.lib
        if kind == "dist":
            status = lib.svi_dist_family(handle, ctypes.byref(ctypes.c_char_p()))
        elif kind == "transform":
            status = lib.svi_transform_name(handle, ctypes.byref(ctypes.c_char_p()))
        elif kind == "model":
            status = lib.svi_model_dim(handle, ctypes.byref(ctypes.c_size_t()))
        elif kind == "vae":
            status = lib.svi_vae_num_steps(handle, ctypes.byref(ctypes.c_size_t()))
        elif kind == "svi":
            loss = ctypes.c_double()
            status = lib.svi_svi_step(handle, ctypes.byref(loss))
            if status == OK and not math.isfinite(loss.value):
                return f"a step's loss is {loss.value}"
        elif kind in ("guide", "optim", "elbo"):
            parts = {"model": self.model, "guide": self.guide, "optim": self.optim, "elbo": self.elbo}
            if kind == "guide":
                model = self.callback_model if handle == self._cache.get("callback guide") else self.model
                if handle == self._cache.get("laplace guide"):  # a point mass: Trace_ELBO steps it as any guide
                    model = self.model
                parts.update(model=model, guide=handle)
            else:
                parts[kind] = handle
            svi = ctypes.c_uint64()
            status = lib.svi_svi_new(ctypes.byref(svi), parts["model"], parts["guide"], parts["optim"], parts["elbo"])
            if status == OK:
                loss = ctypes.c_double()
                status = lib.svi_svi_step(svi.value, ctypes.byref(loss))
                lib.svi_svi_free(svi.value)
        else:
            return None
        return None if status == OK else f"status {status}: {self.message()}"

    def close(self):
        for kind, handle, _ in reversed(self.made):
            getattr(self.lib, _FREE_FUNCTIONS[kind])(handle)
        self.made = []


_KIND_PROPERTY = {"dist": "dist", "transform": "transform", "model": "model", "guide": "guide", "optim": "optim",
                  "elbo": "elbo", "svi": "svi", "vae": "vae"}
_KIND_OBJECT = set(_KIND_PROPERTY)
_FREE_FUNCTIONS = {"dist": "svi_dist_free", "transform": "svi_transform_free", "model": "svi_model_free",
                   "guide": "svi_guide_free", "optim": "svi_optim_free", "elbo": "svi_elbo_free", "svi": "svi_svi_free",
                   "vae": "svi_vae_free"}


# --------------------------------------------------------------------------
# Recipes and mutations
# --------------------------------------------------------------------------


class Recipe:
    """Valid arguments for one function, and its documented exceptions to the matrix's rules.

    build: context -> the argument list (descriptors above or plain values), one per header parameter.
    status: what the valid call returns (default SVI_OK).
    expect: {mutation label pattern: status} overriding the rules' default for matching labels (* matches
        anything, e.g. "opts.*=nan"); the first matching entry wins.
    writes_on_failure: out-parameters the header allows to be written by a failing call.
    returns: for a function that returns no status: "string" (never NULL) or "abi version".
    name: tells apart several recipes of one function.
    """

    def __init__(self, build, *, status=OK, expect=None, writes_on_failure=(), returns=None, name=None):
        self.build = build
        self.name = name
        self.status = status
        self.expect = expect or {}
        self.writes_on_failure = set(writes_on_failure)
        self.returns = returns

    def expected(self, label, default):
        for pattern, status in self.expect.items():
            if matches(label, pattern):
                return status
        return default


def matches(label, pattern):
    """Whether a mutation label matches an `expect` pattern, in which only * is special."""
    return re.fullmatch(".*".join(map(re.escape, pattern.split("*"))), label) is not None


class Mutation:
    """One bad argument: a label, the parameter it changes, how, and the rules' default status."""

    def __init__(self, label, index, change, default):
        self.label, self.index, self.change, self.default = label, index, change, default


def mutations(header, function, args, context):
    """The mutations of `function`'s arguments, from each parameter's C type."""
    types = header.functions[function][1]
    names = header.parameter_names[function]
    found = []

    def add(label, index, change, default):
        found.append(Mutation(label, index, change, default))

    for index, (c_type, name, arg) in enumerate(zip(types, names, args)):
        base = c_type.replace("const", "").replace("*", "").strip()
        pointer = "*" in c_type
        if arg is None and (pointer or base in header.callbacks):
            continue  # NULL already
        if base in HANDLE_TYPES and not pointer:
            kind = HANDLE_TYPES[base]
            freeing = function == _FREE_FUNCTIONS.get(kind)
            add(f"{name}=0", index, lambda c, a: 0, OK if freeing else E_STALE)
            add(f"{name}=forged", index, lambda c, a: FORGED_HANDLE, E_STALE)
            add(f"{name}=freed", index, lambda c, a, k=kind: c.freed(k), E_STALE)
            add(f"{name}=another kind", index, lambda c, a, k=kind: c.other_kind(k), E_KIND)
            if freeing:
                add(f"{name}=freed twice", index, "twice", E_STALE)
        elif isinstance(arg, Handles):
            kind = HANDLE_TYPES.get(base)
            add(f"{name}=NULL", index, lambda c, a: None, E_NULL)
            add(f"{name}[0]=freed", index, lambda c, a, k=kind: Handles([c.freed(k)] + a.values[1:]), E_STALE)
            add(f"{name}[0]=another kind", index,
                lambda c, a, k=kind: Handles([c.other_kind(k)] + a.values[1:]), E_KIND)
        elif c_type in ("const char *",):
            add(f"{name}=NULL", index, lambda c, a: None, E_NULL)
            add(f"{name}=empty", index, lambda c, a: "", E_INVALID)
            add(f"{name}=unknown", index, lambda c, a: "no_such_name", E_INVALID)
        elif isinstance(arg, Out):
            add(f"{name}=NULL", index, lambda c, a: None, E_NULL)
        elif isinstance(arg, Arr):
            _array_mutations(add, name, index)
        elif isinstance(arg, Named):
            add(f"{name}=NULL", index, lambda c, a: None, E_NULL)
            _named_mutations(add, name, index, arg)
        elif isinstance(arg, Options):
            add(f"{name}=NULL", index, lambda c, a: None, E_NULL)
            _option_mutations(add, name, index, arg)
        elif isinstance(arg, Callback):
            add(f"{name}=NULL", index, lambda c, a: None, E_NULL)
            add(f"{name}=fails", index, "fails", E_CALLBACK)
            add(f"{name}=reenters", index, "reenters", OK)
        elif isinstance(arg, Doubles):
            add(f"{name}=NULL", index, lambda c, a: None, E_NULL)
            for label, value in (("nan", math.nan), ("+inf", math.inf), ("-inf", -math.inf), ("-1", -1.0)):
                add(f"{name}[0]={label}", index, lambda c, a, v=value: Doubles([v] + a.values[1:]),
                    OK if label == "-1" else E_INVALID)
        elif isinstance(arg, (Bytes, Sizes)):
            add(f"{name}=NULL", index, lambda c, a: None, E_NULL)
        elif c_type == "void *":
            add(f"{name}=NULL", index, lambda c, a: None, OK)
        elif pointer:
            add(f"{name}=NULL", index, lambda c, a: None, E_NULL)
        elif c_type == "size_t":
            if is_length(name):
                add(f"{name}=0", index, lambda c, a: 0, E_SHAPE if arg != 0 else OK)
                if arg > 0:
                    add(f"{name}=one less", index, lambda c, a: a - 1, E_SHAPE)
                add(f"{name}=one more", index, lambda c, a: a + 1, E_SHAPE)
                add(f"{name}=SIZE_MAX", index, lambda c, a: SIZE_MAX, E_SHAPE)
            else:
                add(f"{name}=0", index, lambda c, a: 0, E_INVALID)
                add(f"{name}=SIZE_MAX", index, lambda c, a: SIZE_MAX, E_INVALID)
        elif c_type == "double":
            for label, value in (("nan", math.nan), ("+inf", math.inf), ("-inf", -math.inf), ("-1", -1.0)):
                add(f"{name}={label}", index, lambda c, a, v=value: v, E_INVALID)
        elif c_type == "uint32_t" and name == "struct_size":
            add(f"{name}=0", index, lambda c, a: 0, E_VERSION)
            add(f"{name}=+8", index, lambda c, a: a + 8, E_VERSION)
        elif c_type in ("uint32_t", "uint64_t", "svi_status", "int32_t", "int"):
            add(f"{name}=0", index, lambda c, a: 0, OK)
            add(f"{name}=max", index, lambda c, a, t=c_type: {"uint32_t": 2**32 - 1, "uint64_t": 2**64 - 1}.get(
                t, 2**31 - 1), OK)
        elif base == "svi_key":
            add(f"{name}=zero", index, lambda c, a: _capi.svi_key((0, 0)), OK)
            add(f"{name}=all ones", index, lambda c, a: _capi.svi_key((2**32 - 1, 2**32 - 1)), OK)
        elif base in header.callbacks:
            add(f"{name}=NULL", index, lambda c, a: None, E_NULL)
        else:
            raise LookupError(f"{function}: no mutations for parameter {name} of type {c_type}; teach abi_matrix.py")
    if context.model_calls:
        for behaviour, status in (("fails", E_CALLBACK), ("nan", E_NUMERICAL), ("nan gradient", E_NUMERICAL),
                                  ("reenters", OK)):
            add(f"log_density={behaviour}", None, behaviour, status)
    return found


def _array_mutations(add, name, index):
    add(f"{name}.data=NULL", index, lambda c, a: a.replaced(data_null=True), E_NULL)
    add(f"{name}.shape=NULL", index, lambda c, a: a.replaced(shape_null=True) if a.shape else a.replaced(
        shape_null=True, ndim=1), E_NULL)
    add(f"{name}.ndim={_capi.SVI_MAX_NDIM + 1}", index, lambda c, a: a.replaced(
        values=a.values, shape=[1] * (_capi.SVI_MAX_NDIM + 1 - len(a.shape)) + a.shape), E_INVALID)
    add(f"{name}=no elements", index, lambda c, a: a.replaced(values=[], shape=[0]), E_SHAPE)
    add(f"{name}=one more element", index, lambda c, a: a.replaced(
        values=a.values + [a.values[-1]], shape=[len(a.values) + 1]), E_SHAPE)
    for label, value in (("nan", math.nan), ("+inf", math.inf), ("-inf", -math.inf), ("-1", -1.0)):
        add(f"{name}[0]={label}", index, lambda c, a, v=value: a.replaced(values=[v] + a.values[1:]),
            E_INVALID if label == "nan" else OK)


def _named_mutations(add, name, index, arg):
    def with_item(i, item):
        return lambda c, a: Named(a.items[:i] + [item(a.items[i])] + a.items[i + 1:])

    for i, (param, value) in enumerate(arg.items):
        where = f"{name}[{param}]"
        add(f"{where}.name=NULL", index, with_item(i, lambda it: (None, it[1])), E_NULL)
        add(f"{where}.data=NULL", index, with_item(i, lambda it: (it[0], it[1].replaced(data_null=True))), E_NULL)
        add(f"{where}=repeated", index, lambda c, a, i=i: Named(a.items + [a.items[i]]), E_INVALID)
        for label, v in (("nan", math.nan), ("+inf", math.inf), ("-inf", -math.inf), ("-1", -1.0)):
            add(f"{where}={label}", index,
                with_item(i, lambda it, v=v: (it[0], it[1].replaced(values=[v] + it[1].values[1:]))), E_INVALID)
    add(f"{name}=unknown name", index, lambda c, a: Named(a.items + [("no_such_parameter", scalar(1.0))]), E_INVALID)


def _option_mutations(add, name, index, arg):
    def with_field(field, value):
        return lambda c, a: Options(a.context, a.type_name, {**a.fields, field: value})

    def with_size(delta):
        def change(c, a):
            class Sized(Options):
                def build(self, keep):
                    pointer = Options.build(self, keep)
                    pointer.contents.struct_size = (pointer.contents.struct_size + delta) if delta else 0
                    return pointer
            return Sized(a.context, a.type_name, a.fields)
        return change

    def with_behaviour(field, behaviour):
        def change(c, a):
            a.fields[field].behaviour = behaviour
            return a
        return change

    def with_element_field(field, inner, value):
        def change(c, a):
            items = a.fields[field].items
            structs = Structs(a.fields[field].type_name, [{**items[0], inner: value}] + items[1:])
            return Options(a.context, a.type_name, {**a.fields, field: structs})
        return change

    add(f"{name}.struct_size=0", index, with_size(0), E_VERSION)
    add(f"{name}.struct_size=+8", index, with_size(8), E_VERSION)
    _field_mutations(add, name, index, arg.struct_type, arg.fields, with_field)
    for field, value in arg.fields.items():
        if isinstance(value, Callback):
            add(f"{name}.{field}=fails", index, with_behaviour(field, "fails"), E_CALLBACK)
            add(f"{name}.{field}=nan", index, with_behaviour(field, "nan"), E_NUMERICAL)
            add(f"{name}.{field}=reenters", index, with_behaviour(field, "reenters"), OK)
        elif isinstance(value, Structs):
            _field_mutations(add, f"{name}.{field}[0]", index, value.struct_type, value.items[0],
                             lambda inner, v, field=field: with_element_field(field, inner, v))


def _with_lazy_field(with_field, field, make):
    """A change that sets `field` to a value made from the context at mutation time."""
    return lambda c, a: with_field(field, make(c))(c, a)


def _field_mutations(add, name, index, struct_type, given, with_field):
    """Mutations of each field of a struct (struct_size excepted): doubles NaN/±inf/-1, sizes 0/SIZE_MAX,
    int32s -1, handles 0/forged/freed/of another kind, pointers NULL when `given` sets them (and the elements of
    given double arrays NaN/±inf/-1), and the fields of nested structs likewise."""
    for field, field_type in struct_type._fields_:
        if field == "struct_size":
            continue
        where = f"{name}.{field}"
        value = given.get(field)
        if isinstance(field_type, type) and issubclass(field_type, ctypes.Structure):
            inner_given = value if isinstance(value, dict) else {}
            _field_mutations(add, where, index, field_type, inner_given,
                             lambda inner, v, field=field, inner_given=inner_given: with_field(
                                 field, {**inner_given, inner: v}))
            continue
        if isinstance(value, Doubles):
            for label, v in (("nan", math.nan), ("+inf", math.inf), ("-inf", -math.inf), ("-1", -1.0)):
                add(f"{where}[0]={label}", index, with_field(field, Doubles([v] + value.values[1:])),
                    OK if label == "-1" else E_INVALID)
        if field_type is ctypes.c_uint64 and field in _KIND_PROPERTY:
            kind = field
            add(f"{where}=0", index, with_field(field, 0), E_STALE)
            add(f"{where}=forged", index, with_field(field, FORGED_HANDLE), E_STALE)
            add(f"{where}=freed", index, _with_lazy_field(with_field, field, lambda c, k=kind: c.freed(k)), E_STALE)
            add(f"{where}=another kind", index,
                _with_lazy_field(with_field, field, lambda c, k=kind: c.other_kind(k)), E_KIND)
            continue
        if field_type is ctypes.c_double:
            for label, value in (("nan", math.nan), ("+inf", math.inf), ("-inf", -math.inf), ("-1", -1.0)):
                add(f"{where}={label}", index, with_field(field, value), E_INVALID)
        elif field_type is ctypes.c_size_t:
            add(f"{where}=0", index, with_field(field, 0), E_INVALID)
            add(f"{where}=SIZE_MAX", index, with_field(field, SIZE_MAX), E_INVALID)
        elif field_type is ctypes.c_int32:
            add(f"{where}=-1", index, with_field(field, -1), OK)
        elif field_type is ctypes.c_void_p:
            add(f"{where}=NULL", index, with_field(field, None), OK)
        elif field in given:
            add(f"{where}=NULL", index, with_field(field, None), E_NULL)


# --------------------------------------------------------------------------
# Running one function
# --------------------------------------------------------------------------


def _c_value(arg, c_type, argtype, context, keep):
    if isinstance(arg, Out):
        return arg.bind(argtype)
    if arg is None and hasattr(argtype, "argtypes"):
        return argtype()  # a NULL function pointer
    if isinstance(arg, str):
        encoded = arg.encode()
        keep.append(encoded)
        return encoded
    if hasattr(arg, "build"):
        return arg.build(keep)
    return arg


def _call(lib, function, args, header, context):
    types = header.functions[function][1]
    argtypes = _capi.PROTOTYPES[function][1]
    keep = []
    values = [_c_value(a, t, at, context, keep) for a, t, at in zip(args, types, argtypes)]
    return getattr(lib, function)(*values)


def _outs(args):
    return [(i, a) for i, a in enumerate(args) if isinstance(a, Out)]


def run_function(lib, header, function, recipe):
    """Problems found calling `function` with its valid arguments and every mutation of them."""
    problems = []
    names = header.parameter_names[function]
    types = header.functions[function][1]
    returns = header.functions[function][0]

    def attempt(label, mutation, expected):
        context = Context(lib)
        try:
            args = list(recipe.build(context))
            if len(args) != len(types):
                return [f"the recipe gives {len(args)} arguments; the header declares {len(types)}"], context
            twice = False
            if mutation is not None:
                if mutation.index is None:  # the callback model's behaviour
                    context.model_behaviour = mutation.change
                elif mutation.change == "twice":
                    twice = True
                elif isinstance(mutation.change, str):  # a callback argument's behaviour
                    args[mutation.index].behaviour = mutation.change
                else:
                    before = args[mutation.index]
                    args[mutation.index] = mutation.change(context, before)
                    # Named parameters carry their count in the next argument.
                    following = mutation.index + 1
                    if isinstance(before, Named) and following < len(args) and args[following] == len(before):
                        args[following] = len(args[mutation.index]) if args[mutation.index] is not None else len(before)
        except Exception as error:  # a recipe that cannot build is a problem of the matrix itself
            context.close()
            return [f"{label}: building the arguments failed: {error!r}"], context
        # A failure no mutation makes leaves a message, which a failing call must replace.
        lib.svi_dist_new(ctypes.byref(ctypes.c_uint64()), b"__matrix_marker__", None, 0)
        stale_message = context.message()
        if returns != "svi_status":
            result = _call(lib, function, args, header, context)
            found = []
            if recipe.returns == "string" and not result:
                found.append(f"{label}: returned NULL")
            if recipe.returns == "abi version" and result != _capi.SVI_ABI_VERSION:
                found.append(f"{label}: returned {result}")
            return found, context
        if twice:
            first = _call(lib, function, args, header, context)
            if first != OK:
                return [f"{label}: the first free gave {first}: {context.message()}"], context
        status = _call(lib, function, args, header, context)
        found = []
        name = lambda s: lib.svi_status_string(s).decode()  # noqa: E731
        if status != expected:
            found.append(f"{label}: got {name(status)} ({context.message()!r}), expected {name(expected)}")
        if status != OK:
            message = context.message()
            if not message or message == stale_message or function not in message:
                found.append(f"{label}: the message {message!r} does not describe this failure of {function}")
            for i, out in _outs(args):
                if names[i] not in recipe.writes_on_failure and not out.untouched():
                    found.append(f"{label}: {names[i]} was written although the call failed")
        for i, out in _outs(args):
            if not out.slack_intact():
                found.append(f"{label}: {names[i]} was written past its end")
        if context.reentered_failures:
            found.append(f"{label}: calls into the library from a callback did not give their statuses")
        consumed = set()
        if function.endswith("_free") and status == OK or twice:
            consumed = {a for a in args if isinstance(a, int)}
        if status == OK:
            for i, out in _outs(args):
                base = types[i].replace("*", "").strip()
                if base in HANDLE_TYPES:
                    context.register(HANDLE_TYPES[base], out[0], f"the handle {function} made")
        found += [f"{label}: {p}" for p in context.broken_objects(consumed)]
        return found, context

    found, context = attempt("valid arguments", None, recipe.status)
    context.close()
    problems += found
    if found:
        return problems
    probe = Context(lib)
    try:
        args = list(recipe.build(probe))
        # Run the valid call once more to learn whether it calls the model's callback.
        _call(lib, function, args, header, probe)
        listed = mutations(header, function, args, probe)
    finally:
        probe.close()
    for mutation in listed:
        expected = recipe.expected(mutation.label, mutation.default)
        found, context = attempt(mutation.label, mutation, expected)
        context.close()
        problems += found
    for pattern in recipe.expect:
        if not any(matches(m.label, pattern) for m in listed):
            problems.append(f"the recipe's expect entry {pattern!r} matches no mutation")
    return problems


def missing_recipes(header, recipes):
    """Header functions without a recipe, each with the line to add to abi_recipes.RECIPES (placeholders
    <name: type> where a value must be chosen), and what to add to this module for a new handle type."""
    lines = []
    for function, (_, types) in header.functions.items():
        if function in recipes:
            continue
        names = header.parameter_names[function]
        if function.endswith("_init") and names[-1:] == ["struct_size"]:
            lines.append(f'    "{function}": option_init("{types[0].replace("*", "").strip()}"),')
            continue
        placeholders = ", ".join(_placeholder(header, t, n) for t, n in zip(types, names))
        lines.append(f'    "{function}": Recipe(lambda c: [{placeholders}]),')
    for name, c_type in header.typedefs.items():
        if c_type == "uint64_t" and name not in HANDLE_TYPES:
            lines.append(f"and the handle type {name}: add it to HANDLE_TYPES in abi_matrix.py, with a maker "
                         f"property on Context and its free function in _FREE_FUNCTIONS")
    return lines


def _placeholder(header, c_type, name):
    base = c_type.replace("const", "").replace("*", "").strip()
    if base in HANDLE_TYPES and "*" not in c_type:
        return f"c.{HANDLE_TYPES[base]}"
    if c_type.startswith("const svi_") and c_type.endswith("options *"):
        return f'c.options("{base}")'
    if c_type == "void *" or base in header.callbacks:
        return "None"
    if "*" in c_type and not c_type.startswith("const") or c_type == "const char **":
        return "OUT()"
    if c_type == "svi_key":
        return "c.key()"
    return f"<{name}: {c_type}>"


# --------------------------------------------------------------------------
# The crash-resilient runner
# --------------------------------------------------------------------------


def run_all(functions, library_path, timeout=600):
    """{function: [problems]} for each of `functions`, each run in a child process; a child that dies is
    replaced, its function reported as crashed with the end of its output."""
    results = {}
    remaining = list(functions)
    env = dict(os.environ, SWIFTVI_LIBRARY=str(library_path))
    while remaining:
        child = subprocess.run([sys.executable, __file__, *remaining], capture_output=True, text=True, env=env,
                               timeout=timeout)
        current = None
        for line in child.stdout.splitlines():
            if line.startswith("BEGIN "):
                current = line[6:]
            elif line.startswith("DONE "):
                name, _, payload = line[5:].partition(" ")
                results[name] = json.loads(payload)
                current = None
        remaining = [f for f in remaining if f not in results]
        if remaining:
            crashed = current or remaining[0]
            tail = "\n".join(child.stderr.splitlines()[:30])  # the crash report and its first frames
            results[crashed] = [f"the process died (exit status {child.returncode}) while testing {crashed}:\n{tail}"]
            remaining = [f for f in remaining if f != crashed]
    return results


def _child(functions):
    import abi_recipes

    header = cheader.read_header()
    lib = _library.load(_library.find_library())
    for function in functions:
        print(f"BEGIN {function}", flush=True)
        entry = abi_recipes.RECIPES[function]
        problems = []
        for recipe in entry if isinstance(entry, list) else [entry]:
            where = f"[{recipe.name}] " if recipe.name else ""
            try:
                problems += [where + p for p in run_function(lib, header, function, recipe)]
            except Exception as error:  # the matrix itself failed for this function
                problems.append(f"{where}the matrix failed: {error!r}")
        print(f"DONE {function} {json.dumps(problems)}", flush=True)


if __name__ == "__main__":
    # Through the module's own name, so that the recipes and the matrix share its classes.
    import abi_matrix

    abi_matrix._child(sys.argv[1:])
