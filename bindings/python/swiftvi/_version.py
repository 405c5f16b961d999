"""The version of the swiftvi Python package."""

__version__ = "0.1.0"
