"""Finding, loading and calling libswiftvi."""

import ctypes
import os
import sys
import threading
from pathlib import Path

from . import _capi
from .errors import LibraryLoadError, SwiftVIError

ENV_VAR = "SWIFTVI_LIBRARY"
LIBRARY_NAME = "libswiftvi.dylib" if sys.platform == "darwin" else "libswiftvi.so"
REPO_ROOT = Path(__file__).resolve().parents[3]

_lock = threading.Lock()
_loaded = None


def candidate_paths():
    """Paths searched for the library when SWIFTVI_LIBRARY is unset, in order of preference."""
    build = REPO_ROOT / "build"
    paths = [REPO_ROOT / ".build" / "release" / LIBRARY_NAME, REPO_ROOT / ".build" / "debug" / LIBRARY_NAME]
    if build.is_dir():
        paths += sorted(build.rglob(LIBRARY_NAME))
    return paths


def find_library():
    """The path of the library to load: SWIFTVI_LIBRARY if set, else the first build output found."""
    configured = os.environ.get(ENV_VAR)
    if configured:
        if not Path(configured).is_file():
            raise LibraryLoadError(f"{ENV_VAR}={configured!r} is not a file")
        return Path(configured)
    for path in candidate_paths():
        if path.is_file():
            return path
    raise LibraryLoadError(
        f"{LIBRARY_NAME} not found; build it (swift build in {REPO_ROOT}) or set {ENV_VAR} to its path. "
        f"Searched: {', '.join(str(p) for p in candidate_paths()) or 'nothing'} "
        f"(and {REPO_ROOT / 'build'} recursively)"
    )


def load(path):
    """Loads the library at ``path``, declares every prototype and checks its ABI version."""
    try:
        cdll = ctypes.CDLL(str(path))
    except OSError as err:
        raise LibraryLoadError(f"cannot load {path}: {err}") from err
    for name, (restype, argtypes) in _capi.PROTOTYPES.items():
        try:
            function = getattr(cdll, name)
        except AttributeError as err:
            raise LibraryLoadError(f"{path} does not export {name}") from err
        function.restype = restype
        function.argtypes = argtypes
    version = cdll.svi_abi_version()
    if version != _capi.SVI_ABI_VERSION:
        raise LibraryLoadError(f"{path} has ABI version {version}; this package needs {_capi.SVI_ABI_VERSION}")
    return cdll


def lib():
    """The loaded library, loading it on first use."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = load(find_library())
    return _loaded


def error_for(status):
    """The SwiftVIError describing a failed call's ``status`` on this thread."""
    library = lib()
    name = library.svi_status_string(status).decode()
    message = library.svi_last_error_message().decode(errors="replace")
    return SwiftVIError(int(status), name, message)


def call(name, *args):
    """Calls the library function ``name``; raises SwiftVIError when it returns a non-zero status."""
    status = getattr(lib(), name)(*args)
    if status != _capi.SVI_OK:
        raise error_for(status)
