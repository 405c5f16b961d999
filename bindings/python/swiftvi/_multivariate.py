"""Multivariate normal families."""

__all__ = []
