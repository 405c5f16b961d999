"""Univariate continuous families with elementary densities."""

__all__ = []
