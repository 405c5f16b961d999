"""Shared fixtures: the parsed header and a C compiler for layout checks."""

import shutil
import subprocess

import pytest

import cheader


@pytest.fixture(scope="session")
def header():
    """The parsed include/swiftvi.h."""
    return cheader.read_header()


@pytest.fixture(scope="session")
def compile_c(tmp_path_factory):
    """A function compiling C source (with include/ on the path) to an executable or, with shared=True, a library."""
    compiler = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if compiler is None:
        pytest.skip("no C compiler")
    folder = tmp_path_factory.mktemp("c")

    def build(name, source, shared=False):
        source_path = folder / f"{name}.c"
        source_path.write_text(source)
        output = folder / (f"lib{name}.so" if shared else name)
        flags = ["-shared", "-fPIC"] if shared else []
        subprocess.run(
            [
                compiler,
                "-std=c11",
                "-Wall",
                "-Werror",
                *flags,
                "-I",
                str(cheader.HEADER.parent),
                "-o",
                str(output),
                str(source_path),
            ],
            check=True,
            capture_output=True,
        )
        return output

    return build
