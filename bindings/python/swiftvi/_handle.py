"""Ownership of library handles."""

from . import _library


class Handle:
    """Owns one library handle, freed exactly once by ``close()``, ``with`` or garbage collection.

    After ``close()`` the object keeps its (now stale) handle, so further use
    raises SwiftVIError with status SVI_E_STALE_HANDLE.
    """

    _free_function = None
    _handle = 0
    _closed = True

    def _own(self, handle):
        self._handle = handle
        self._closed = False

    @property
    def handle(self):
        """The raw 64-bit handle, for passing to the C interface directly."""
        return self._handle

    @property
    def closed(self):
        """Whether the handle has been freed."""
        return self._closed

    def close(self):
        """Frees the handle; closing again does nothing."""
        if not self._closed:
            self._closed = True
            _library.call(self._free_function, self._handle)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass
