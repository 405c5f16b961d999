"""The bad-input matrix (abi_matrix.py): every header function, each argument made bad in turn, gives its
documented status and message, writes nothing it should not, and leaves every object working."""

import pytest

import abi_matrix
import abi_recipes
import cheader
from swiftvi import _library

HEADER = cheader.read_header()
FUNCTIONS = list(HEADER.functions)


def test_every_header_function_has_a_recipe():
    missing = abi_matrix.missing_recipes(HEADER, abi_recipes.RECIPES)
    assert not missing, (
        "these header functions have no recipe for the bad-input matrix; add an entry for each to RECIPES in "
        "bindings/python/tests/abi_recipes.py (replace each <name: type> with a valid value):\n" + "\n".join(missing)
    )


def test_every_recipe_names_a_header_function():
    assert sorted(abi_recipes.RECIPES.keys() - HEADER.functions.keys()) == []


@pytest.fixture(scope="module")
def matrix():
    """Problems by function, each function run in a child process."""
    return abi_matrix.run_all([f for f in FUNCTIONS if f in abi_recipes.RECIPES], _library.find_library())


@pytest.mark.parametrize("function", FUNCTIONS)
def test_bad_inputs(matrix, function):
    if function not in abi_recipes.RECIPES:
        pytest.fail(f"{function} has no recipe (see test_every_header_function_has_a_recipe)")
    problems = matrix[function]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
