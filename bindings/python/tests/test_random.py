"""Random keys and draws: reproducibility and distribution."""

import numpy as np
import pytest
from scipy import stats

import swiftvi
from swiftvi import random


def test_keys_for_32_bit_seeds_are_jax_keys():
    # JAX's PRNGKey(seed) is the pair (high 32 bits, low 32 bits) of the seed.
    for seed in [0, 1, 42, 2**32 - 1]:
        np.testing.assert_array_equal(swiftvi.PRNGKey(seed).data, [0, seed])


def test_same_key_same_numbers_and_split_keys_differ():
    key = swiftvi.PRNGKey(7)
    np.testing.assert_array_equal(random.normal(key, 100), random.normal(swiftvi.PRNGKey(7), 100))
    np.testing.assert_array_equal(random.normal(key, 100), random.normal(7, 100))
    keys = key.split(4)
    assert len(keys) == 4 and len({*keys, key}) == 5
    assert keys == swiftvi.PRNGKey(7).split(4)
    assert key.fold_in(3) == key.fold_in(3) != key.fold_in(4)
    draws = [random.uniform(k, 10) for k in keys]
    assert all(not np.array_equal(draws[0], d) for d in draws[1:])


def test_uniform_draws_are_uniform_on_the_open_interval():
    u = random.uniform(swiftvi.PRNGKey(1), (200, 500))
    assert u.shape == (200, 500)
    assert np.all((u > 0) & (u < 1))
    assert stats.kstest(u.ravel(), "uniform").pvalue > 1e-3


def test_normal_draws_are_standard_normal():
    z = random.normal(2, 100_000)
    assert stats.kstest(z, "norm").pvalue > 1e-3


def test_invalid_seeds_are_rejected():
    with pytest.raises(ValueError):
        swiftvi.PRNGKey(-1)
    with pytest.raises(ValueError):
        swiftvi.PRNGKey(2**64)
    with pytest.raises(TypeError):
        swiftvi.PRNGKey(1.5)
