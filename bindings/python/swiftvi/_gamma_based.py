"""Distribution families whose densities need special functions: Gamma, Beta, StudentT and those built on them."""

__all__ = []
