"""Discrete families (Bernoulli, Binomial, Poisson, Geometric, NegativeBinomial) and the Delta and Independent wrappers."""

__all__ = []
