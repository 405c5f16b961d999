"""Univariate families with elementary densities, discrete families, Delta and Independent."""

__all__ = []
