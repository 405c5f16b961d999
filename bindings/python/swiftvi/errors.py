"""Exceptions raised by the swiftvi package."""

import enum

from . import _capi

Status = enum.IntEnum(
    "Status",
    sorted(
        [("OK", _capi.SVI_OK)]
        + [(name[len("SVI_E_") :], getattr(_capi, name)) for name in dir(_capi) if name.startswith("SVI_E_")],
        key=lambda item: item[1],
    ),
)
Status.__doc__ = "The library's status codes (SVI_OK and SVI_E_* in swiftvi.h) by their short names."


class SwiftVIError(Exception):
    """A library call returned a non-zero status.

    Attributes: ``status`` (the int code), ``status_name`` (e.g.
    ``"SVI_E_INVALID_ARGUMENT"``) and ``message`` (the library's explanation).
    """

    def __init__(self, status, status_name, message):
        super().__init__(f"{status_name}: {message}" if message else status_name)
        self.status = status
        self.status_name = status_name
        self.message = message

    def __reduce__(self):
        return type(self), (self.status, self.status_name, self.message)


class LibraryLoadError(OSError):
    """libswiftvi could not be found, loaded, or does not match this package's ABI version."""
