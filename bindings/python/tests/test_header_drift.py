"""The package's ctypes declarations (swiftvi._capi) must match include/swiftvi.h exactly."""

import ctypes
import re
import subprocess
import types

import pytest

import cheader
from swiftvi import _capi, _library


def test_package_matches_header(header):
    assert cheader.compare(header, _capi) == []


def test_header_declares_what_the_parser_expects(header):
    # Guards the parser itself: a parse that silently dropped declarations would compare nothing.
    called = set(re.findall(r"\b(svi_\w+)\s*\(", re.sub(r"/\*.*?\*/", " ", cheader.HEADER.read_text(), flags=re.S)))
    assert header.functions.keys() == called
    assert {"svi_key", "svi_array", "svi_named_array", "svi_adam_options"} <= header.structs.keys()
    assert header.typedefs["svi_status"] == "int32_t"
    assert header.typedefs["svi_dist"] == "uint64_t"
    assert header.callbacks["svi_progress_fn"] == ("int", ["void *", "size_t", "double"])
    assert header.functions["svi_dist_new"] == (
        "svi_status",
        ["svi_dist *", "const char *", "const svi_named_array *", "size_t"],
    )


HEADER_MUTATIONS = {
    "parameter type": ("size_t num_params);", "uint32_t num_params);", "svi_dist_new"),
    "new function": (
        "#ifdef __cplusplus\n}",
        "svi_status svi_dist_rename(svi_dist dist, const char *name);\n#ifdef __cplusplus\n}",
        "svi_dist_rename",
    ),
    "removed function": (
        "svi_status svi_dist_entropy(svi_dist dist, double *out, size_t out_len);",
        "",
        "svi_dist_entropy",
    ),
    "return type": ("uint32_t svi_abi_version(void);", "uint64_t svi_abi_version(void);", "svi_abi_version"),
    "struct field added": ("int32_t nesterov;", "int32_t nesterov;\n    double weight_decay;", "svi_sgd_options"),
    "struct field type": ("size_t num_particles;", "uint32_t num_particles;", "svi_trace_elbo_options"),
    "array length": ("uint32_t data[2];", "uint32_t data[4];", "svi_key"),
    "callback type": ("size_t step, double loss", "uint32_t step, double loss", "svi_progress_fn"),
    "handle typedef": ("typedef uint64_t svi_guide;", "typedef uint32_t svi_guide;", "svi_guide"),
    "constant": ("#define SVI_E_STOPPED 7", "#define SVI_E_STOPPED 70", "SVI_E_STOPPED"),
}


@pytest.mark.parametrize("mutation", HEADER_MUTATIONS, ids=list(HEADER_MUTATIONS))
def test_header_drift_is_detected(mutation):
    old, new, name = HEADER_MUTATIONS[mutation]
    text = cheader.HEADER.read_text()
    assert old in text
    problems = cheader.compare(cheader.parse(text.replace(old, new, 1)), _capi)
    assert any(name in problem for problem in problems), problems


def _package_with(**changes):
    module = types.SimpleNamespace(**{name: getattr(_capi, name) for name in dir(_capi) if not name.startswith("__")})
    module.PROTOTYPES = dict(_capi.PROTOTYPES)
    for name, value in changes.items():
        setattr(module, name, value)
    return module


class _ReorderedAdam(ctypes.Structure):
    _fields_ = [(n, t) for n, t in reversed(_capi.svi_adam_options._fields_)]


def _prototypes(**changes):
    prototypes = dict(_capi.PROTOTYPES)
    for name, value in changes.items():
        if value is None:
            del prototypes[name]
        else:
            prototypes[name] = value
    return prototypes


PACKAGE_MUTATIONS = {
    "missing function": (dict(PROTOTYPES=_prototypes(svi_svi_run=None)), "svi_svi_run"),
    "extra function": (dict(PROTOTYPES=_prototypes(svi_svi_save=(ctypes.c_int32, []))), "svi_svi_save"),
    "argument type": (
        dict(
            PROTOTYPES=_prototypes(
                svi_kl_quadrature=(
                    ctypes.c_int32,
                    [
                        ctypes.c_uint64,
                        ctypes.c_uint64,
                        ctypes.c_float,
                        ctypes.c_double,
                        ctypes.c_size_t,
                        ctypes.POINTER(ctypes.c_double),
                    ],
                )
            )
        ),
        "svi_kl_quadrature",
    ),
    "argument count": (dict(PROTOTYPES=_prototypes(svi_dist_free=(ctypes.c_int32, []))), "svi_dist_free"),
    "return type": (dict(PROTOTYPES=_prototypes(svi_version_string=(ctypes.c_void_p, []))), "svi_version_string"),
    "struct order": (dict(svi_adam_options=_ReorderedAdam), "svi_adam_options"),
    "callback": (
        dict(svi_log_density_fn=ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t)),
        "svi_log_density_fn",
    ),
    "handle typedef": (dict(svi_elbo=ctypes.c_uint32), "svi_elbo"),
    "constant": (dict(SVI_MAX_NDIM=8), "SVI_MAX_NDIM"),
}


@pytest.mark.parametrize("mutation", PACKAGE_MUTATIONS, ids=list(PACKAGE_MUTATIONS))
def test_package_drift_is_detected(header, mutation):
    changes, name = PACKAGE_MUTATIONS[mutation]
    problems = cheader.compare(header, _package_with(**changes))
    assert any(name in problem for problem in problems), problems


def test_unknown_declarations_are_not_skipped():
    with pytest.raises(cheader.UnparsedDeclaration):
        cheader.parse(cheader.HEADER.read_text() + "\nenum svi_mode { SVI_FAST, SVI_SLOW };\n")


def test_struct_layouts_match_the_c_compiler(header, compile_c):
    lines = ["#include <stddef.h>", "#include <stdio.h>", '#include "swiftvi.h"', "int main(void) {"]
    for name, fields in header.structs.items():
        lines.append(f'    printf("{name} %zu\\n", sizeof({name}));')
        lines += [f'    printf("{name}.{f} %zu\\n", offsetof({name}, {f}));' for f, _, _ in fields]
    program = compile_c("layout", "\n".join(lines + ["    return 0;", "}", ""]))
    c_layout = dict(
        line.split()
        for line in subprocess.run([program], capture_output=True, text=True, check=True).stdout.splitlines()
    )
    for name, fields in header.structs.items():
        structure = getattr(_capi, name)
        assert int(c_layout[name]) == ctypes.sizeof(structure), name
        for field_name, _, _ in fields:
            assert int(c_layout[f"{name}.{field_name}"]) == getattr(structure, field_name).offset, (
                f"{name}.{field_name}"
            )


def test_library_exports_every_header_function_with_the_declared_prototype(header):
    library = _library.lib()
    for name in header.functions:
        function = getattr(library, name)
        restype, argtypes = _capi.PROTOTYPES[name]
        assert function.restype is restype and list(function.argtypes) == argtypes, name
