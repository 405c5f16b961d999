"""Finding and loading the library, and checking its ABI version."""

import re

import pytest

import cheader
import swiftvi
from swiftvi import _library


def test_abi_version_matches_the_header(header):
    assert swiftvi.abi_version() == header.defines["SVI_ABI_VERSION"] == swiftvi.SVI_ABI_VERSION


def test_versions_are_semantic():
    assert re.fullmatch(r"\d+\.\d+\.\d+", swiftvi.library_version())
    assert re.fullmatch(r"\d+\.\d+\.\d+", swiftvi.__version__)


def test_status_enum_covers_every_status_code(header):
    codes = {name: value for name, value in header.defines.items() if name == "SVI_OK" or name.startswith("SVI_E_")}
    assert {f"SVI_{s.name}" if s.name == "OK" else f"SVI_E_{s.name}": s.value for s in swiftvi.Status} == codes


def test_status_names_come_from_the_library(header):
    library = _library.lib()
    for name, value in header.defines.items():
        if name == "SVI_OK" or name.startswith("SVI_E_"):
            assert library.svi_status_string(value).decode() == name
    assert library.svi_status_string(12345).decode() == "SVI_E_UNKNOWN"


def test_environment_variable_takes_precedence(monkeypatch, tmp_path):
    path = tmp_path / "libswiftvi.so"
    path.write_bytes(b"")
    monkeypatch.setenv(_library.ENV_VAR, str(path))
    assert _library.find_library() == path


def test_environment_variable_naming_a_missing_file_is_an_error(monkeypatch, tmp_path):
    monkeypatch.setenv(_library.ENV_VAR, str(tmp_path / "missing.so"))
    with pytest.raises(swiftvi.LibraryLoadError, match="missing.so"):
        _library.find_library()


def test_missing_library_gives_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.delenv(_library.ENV_VAR, raising=False)
    monkeypatch.setattr(_library, "REPO_ROOT", tmp_path)
    with pytest.raises(swiftvi.LibraryLoadError, match="SWIFTVI_LIBRARY"):
        _library.find_library()


def test_cmake_build_folders_are_searched(monkeypatch, tmp_path):
    monkeypatch.delenv(_library.ENV_VAR, raising=False)
    monkeypatch.setattr(_library, "REPO_ROOT", tmp_path)
    built = tmp_path / "build" / "Sources" / _library.LIBRARY_NAME
    built.parent.mkdir(parents=True)
    built.write_bytes(b"")
    assert _library.find_library() == built
    release = tmp_path / ".build" / "release" / _library.LIBRARY_NAME
    release.parent.mkdir(parents=True)
    release.write_bytes(b"")
    assert _library.find_library() == release


def test_a_file_that_is_not_a_library_is_rejected(tmp_path):
    path = tmp_path / "libswiftvi.so"
    path.write_text("not a shared object")
    with pytest.raises(swiftvi.LibraryLoadError, match="cannot load"):
        _library.load(path)


def _stub_library(header, abi_version, skip=()):
    """C source defining every header function trivially, with svi_abi_version returning ``abi_version``."""
    lines = ['#include "swiftvi.h"']
    for name, (returns, parameters) in header.functions.items():
        if name in skip:
            continue
        arguments = ", ".join(f"{p} a{i}" for i, p in enumerate(parameters)) or "void"
        body = ", ".join(f"(void)a{i}" for i in range(len(parameters)))
        value = {"svi_status": "0", "uint32_t": str(abi_version), "const char *": '""'}[returns]
        lines.append(f"{returns} {name}({arguments}) {{ {body}{';' if body else ''} return {value}; }}")
    return "\n".join(lines) + "\n"


def test_an_abi_version_mismatch_is_rejected(header, compile_c):
    stub = compile_c(
        "swiftvi_v2", _stub_library(header, cheader.read_header().defines["SVI_ABI_VERSION"] + 1), shared=True
    )
    with pytest.raises(swiftvi.LibraryLoadError, match="ABI version"):
        _library.load(stub)


def test_a_library_missing_a_function_is_rejected(header, compile_c):
    version = header.defines["SVI_ABI_VERSION"]
    complete = compile_c("swiftvi_stub", _stub_library(header, version), shared=True)
    assert _library.load(complete).svi_abi_version() == version
    partial = compile_c("swiftvi_partial", _stub_library(header, version, skip={"svi_kl_quadrature"}), shared=True)
    with pytest.raises(swiftvi.LibraryLoadError, match="svi_kl_quadrature"):
        _library.load(partial)
