"""Transforms, biject_to and TransformedDistribution through the C interface, against NumPy and SciPy."""

import numpy as np
import pytest
from scipy import stats

import scipy_check
import swiftvi
from swiftvi import constraints
from swiftvi import transforms as T


def lower(m, strict=False):
    """The lower triangle (row by row) of the last two axes."""
    n = m.shape[-1]
    rows, cols = np.tril_indices(n, -1 if strict else 0)
    return m[..., rows, cols]


def symmetric(entries, n):
    m = np.zeros((n, n))
    m[np.tril_indices(n)] = entries
    return m + np.tril(m, -1).T


def lower_matrix(entries, n):
    m = np.zeros((n, n))
    m[np.tril_indices(n)] = entries
    return m


L3 = np.array([[1.3, 0, 0], [-0.4, 0.7, 0], [0.9, 0.2, 2.1]])
A3 = symmetric([2.0, 0.3, 1.5, -0.4, 0.2, 1.8], 3)

# name -> (transform factory, point in intrinsic coordinates, input from coordinates, coordinates of an output)
CASES = {
    "identity": (T.IdentityTransform, np.array([0.3, -1.1, 0.8]), None, None),
    "exp": (T.ExpTransform, np.array([0.3, -1.1, 0.8]), None, None),
    "softplus": (T.SoftplusTransform, np.array([0.3, -1.1, 0.8]), None, None),
    "sigmoid": (T.SigmoidTransform, np.array([0.3, -1.1, 0.8]), None, None),
    "tanh": (T.TanhTransform, np.array([0.3, -1.1, 0.8]), None, None),
    "affine": (lambda: T.AffineTransform([1.0, -2.0, 0.5], [2.0, -0.5, 3.0]), np.array([0.3, -1.1, 0.8]), None, None),
    "power": (lambda: T.PowerTransform([2.0, -1.5, 0.5]), np.array([0.7, 1.9, 0.2]), None, None),
    "lower_cholesky_affine": (lambda: T.LowerCholeskyAffine([1.0, 2.0, 3.0], L3), np.array([0.3, -1.1, 0.8]), None, None),
    "fill_triangular": (T.FillTriangular, np.linspace(-1, 1.5, 6), None, lower),
    "fill_scale_tril": (T.FillScaleTriL, np.linspace(-1, 1.5, 6), None, lower),
    "lower_cholesky": (T.LowerCholeskyTransform, np.linspace(-1, 1.5, 6), None, lower),
    "stick_breaking": (T.StickBreakingTransform, np.array([0.3, -1.1, 0.8, 1.7]), None, lambda y: y[..., :-1]),
    "corr_cholesky": (T.CorrCholeskyTransform, np.linspace(-1.2, 1.5, 6), None, lambda y: lower(y, strict=True)),
    "cholesky": (T.CholeskyTransform, lower(A3), lambda v: symmetric(v, 3), lower),
    "l_lt": (lambda: T.CholeskyTransform().inv, lower(L3), lambda v: lower_matrix(v, 3), lower),
    "compose": (lambda: T.ComposeTransform([T.ExpTransform(), T.AffineTransform(1.0, 2.0)]), np.array([0.3, -1.1]), None, None),
    "positive_definite": (lambda: swiftvi.biject_to(constraints.positive_definite), np.linspace(-1, 1.5, 6), None, lower),
    "inverse_stick_breaking": (
        lambda: T.StickBreakingTransform().inv,
        np.array([0.1, 0.3, 0.2, 0.15]),
        lambda v: np.append(v, 1 - v.sum()),
        None,
    ),
}


def case(name):
    make, point, to_input, from_output = CASES[name]
    return make(), point, to_input or (lambda v: v), from_output or (lambda y: np.ravel(y))


@pytest.mark.parametrize("name", CASES)
def test_round_trip_of_random_batches(name):
    t, point, to_input, _ = case(name)
    rng = np.random.default_rng(1)
    x = np.stack([to_input(point + 0.05 * rng.normal(size=point.shape)) for _ in range(5)])
    y = t(x)
    assert y.shape == t.forward_shape(x.shape)
    np.testing.assert_allclose(t.inv(y), x, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(t._inverse(y), x, rtol=1e-10, atol=1e-10)
    assert t.log_abs_det_jacobian(x, y).shape == y.shape[: y.ndim - t.codomain_event_dim]


@pytest.mark.parametrize("name", CASES)
def test_log_det_matches_the_numerical_jacobian(name):
    t, point, to_input, from_output = case(name)
    f = lambda v: from_output(t(to_input(v)))
    h = 1e-6
    jacobian = np.stack([(f(point + h * e) - f(point - h * e)) / (2 * h) for e in np.eye(point.size)], axis=1)
    x = to_input(point)
    log_det = np.sum(t.log_abs_det_jacobian(x, t(x)))
    np.testing.assert_allclose(log_det, np.linalg.slogdet(jacobian)[1], rtol=1e-7, atol=1e-7)


def unconstrained(rng, shape):
    """Normal draws at scales 0.1 … 1000 capped at ±700, a tenth of them exactly ±700."""
    x = np.clip(rng.normal(size=shape) * 10 ** rng.uniform(-1, 3, size=shape), -700, 700)
    extreme = rng.uniform(size=shape) < 0.1
    x[extreme] = rng.choice([-700.0, 700.0], size=extreme.sum())
    return x


def check_simplex(y):
    return np.all(y >= 0, axis=-1) & (np.abs(y.sum(-1) - 1) <= 1e-6)


def check_corr_cholesky(y):
    lower_ok = np.all(np.triu(y, 1) == 0, axis=(-2, -1)) & np.all(np.diagonal(y, axis1=-2, axis2=-1) > 0, axis=-1)
    return lower_ok & np.all(np.abs(np.sum(y**2, -1) - 1) <= 1e-6, axis=-1)


LANDINGS = {
    "real": (constraints.real, 1, np.isfinite),
    "positive": (constraints.positive, 1, lambda y: y > 0),
    "nonnegative": (constraints.nonnegative, 1, lambda y: y >= 0),
    "greater_than": (constraints.greater_than([-2.5, 0.1, 3.0]), 3, lambda y: y > [-2.5, 0.1, 3.0]),
    "less_than": (constraints.less_than([-2.5, 0.1, 3.0]), 3, lambda y: y < [-2.5, 0.1, 3.0]),
    "unit_interval": (constraints.unit_interval, 1, lambda y: (y >= 0) & (y <= 1)),
    "interval": (constraints.interval([-1.0, 0.1], [2.0, 0.7]), 2, lambda y: (y >= [-1.0, 0.1]) & (y <= [2.0, 0.7])),
    "simplex": (constraints.simplex, 4, check_simplex),
    "lower_cholesky": (
        constraints.lower_cholesky,
        6,
        lambda y: np.all(np.triu(y, 1) == 0, axis=(-2, -1)) & np.all(np.diagonal(y, axis1=-2, axis2=-1) > 0, axis=-1),
    ),
    "corr_cholesky": (constraints.corr_cholesky, 6, check_corr_cholesky),
    "independent": (constraints.independent(constraints.positive, 1), 3, lambda y: np.all(y > 0, axis=-1)),
}


@pytest.mark.parametrize("name", LANDINGS)
def test_biject_to_lands_in_the_constraint(name):
    constraint, width, inside = LANDINGS[name]
    t = swiftvi.biject_to(constraint)
    x = unconstrained(np.random.default_rng(2), (10_000 // width + 1, width))
    y = t(x)
    assert not np.isnan(y).any()
    assert np.all(inside(y))
    assert not np.isnan(t.log_abs_det_jacobian(x, y)).any()


def test_biject_to_positive_definite_gives_symmetric_positive_definite_matrices():
    t = swiftvi.biject_to(constraints.positive_definite)
    x = np.random.default_rng(3).normal(size=(500, 10))
    y = t(x)
    assert y.shape == (500, 4, 4)
    assert np.array_equal(y, np.swapaxes(y, -1, -2))
    assert np.all(np.linalg.eigvalsh(y)[:, 0] > 0)
    np.testing.assert_allclose(t.inv(y), x, atol=1e-9)


def test_transform_names_and_constraints():
    assert T.ExpTransform().name == "ExpTransform"
    assert (T.ExpTransform().domain, T.ExpTransform().codomain) == ("real", "positive")
    assert T.StickBreakingTransform().codomain == "simplex"
    assert T.StickBreakingTransform().inv.name == "InverseTransform"
    assert T.StickBreakingTransform().inv.inv.name == "StickBreakingTransform"
    assert swiftvi.biject_to(constraints.greater_than(1.0)).codomain == "greater_than"
    assert swiftvi.biject_to(constraints.real_vector).domain == "independent(real, 1)"
    assert (T.FillTriangular().domain_event_dim, T.FillTriangular().codomain_event_dim) == (1, 2)
    np.testing.assert_array_equal(T.FillTriangular()(np.arange(1.0, 7.0)), [[1, 0, 0], [2, 3, 0], [4, 5, 6]])
    np.testing.assert_allclose(T.StickBreakingTransform()(np.zeros(3)), np.full(4, 0.25), rtol=1e-15)
    assert T.CorrCholeskyTransform().forward_shape((7, 6)) == (7, 4, 4)
    assert "codomain='positive'" in repr(T.ExpTransform())


MU, SIGMA = np.array([0.3, -1.0, 2.0]), np.array([0.5, 1.2, 0.8])


def test_exp_of_normal_is_scipys_lognormal():
    d = swiftvi.TransformedDistribution(swiftvi.Normal(MU, SIGMA), T.ExpTransform())
    assert (d.batch_shape, d.event_shape, d.family) == ((3,), (), "TransformedDistribution")
    reference = stats.lognorm(s=SIGMA, scale=np.exp(MU))
    rng = np.random.default_rng(4)
    values = np.exp(MU + SIGMA * rng.normal(size=(50, 3)))
    values[0] = [-1.0, 0.0, 1e-300]
    scipy_check.check_against_scipy(d, reference, values, rtol=1e-12, methods=("log_prob", "cdf", "icdf"), rng=rng)


def test_lognormal_samples_match_scipy():
    d = swiftvi.TransformedDistribution(swiftvi.Normal(0.2, 0.4), [T.ExpTransform()])
    scipy_check.check_sampling(d, stats.lognorm(s=0.4, scale=np.exp(0.2)), seed=5)


def test_affine_chain_has_the_normals_moments():
    d = swiftvi.TransformedDistribution(swiftvi.Normal(MU, SIGMA), [T.AffineTransform(1.0, -3.0)])
    reference = stats.norm(1 - 3 * MU, 3 * SIGMA)
    values = np.random.default_rng(6).normal(size=(50, 3)) * 3
    # A decreasing map's cdf is 1 - F(x): accurate to an absolute 1e-16, not relatively, in the lower tail.
    scipy_check.check_against_scipy(d, reference, values, rtol=1e-12, tolerances={"cdf": (1e-12, 1e-15)})


def test_kl_of_equal_transforms_is_the_bases_kl_and_agrees_with_monte_carlo():
    make = lambda loc, scale: swiftvi.TransformedDistribution(
        swiftvi.Normal(loc, scale), [T.ExpTransform(), T.AffineTransform(1.0, 2.0)]
    )
    p, q = make([0.2, -1.0], [0.7, 1.3]), make([0.5, 0.0], [1.1, 0.6])
    kl = swiftvi.kl_divergence(p, q)
    np.testing.assert_allclose(kl, swiftvi.kl_divergence(swiftvi.Normal([0.2, -1.0], [0.7, 1.3]), swiftvi.Normal([0.5, 0.0], [1.1, 0.6])))
    estimate, error = swiftvi.kl_monte_carlo(p, q, num_samples=50_000, seed=7)
    assert np.all(np.abs(kl - estimate) < 5 * error)
    other = swiftvi.TransformedDistribution(swiftvi.Normal(0.0, 1.0), T.SoftplusTransform())
    with pytest.raises(swiftvi.SwiftVIError) as info:
        swiftvi.kl_divergence(other, swiftvi.TransformedDistribution(swiftvi.Normal(0.0, 1.0), T.ExpTransform()))
    assert info.value.status == swiftvi.Status.NOT_IMPLEMENTED and "same transforms" in info.value.message


def test_moments_of_non_affine_transforms_are_not_implemented():
    d = swiftvi.TransformedDistribution(swiftvi.Normal(0.0, 1.0), T.ExpTransform())
    with pytest.raises(swiftvi.SwiftVIError) as info:
        d.mean
    assert info.value.status == swiftvi.Status.NOT_IMPLEMENTED and "affine" in info.value.message


@pytest.mark.parametrize(
    "make, status, words",
    [
        (lambda: T.AffineTransform(0.0, 0.0), "INVALID_ARGUMENT", "scale"),
        (lambda: T.AffineTransform([0.0, 1.0], [1.0, 1.0, 1.0]), "SHAPE_MISMATCH", "broadcast"),
        (lambda: T.PowerTransform(np.nan), "INVALID_ARGUMENT", "exponent"),
        (lambda: T.FillScaleTriL(-1.0), "INVALID_ARGUMENT", "diag_shift"),
        (lambda: T.LowerCholeskyAffine([0.0, 0.0], [[1.0, 1.0], [0.0, 1.0]]), "INVALID_ARGUMENT", "lower triangular"),
        (lambda: T.FillTriangular()(np.arange(5.0)), "SHAPE_MISMATCH", "n(n+1)/2"),
        (lambda: T.StickBreakingTransform()(1.0), "SHAPE_MISMATCH", "dimensions"),
        (lambda: T.ExpTransform()(np.array([1.0, np.nan])), "INVALID_ARGUMENT", "NaN"),
        (lambda: T.ExpTransform().log_abs_det_jacobian([1.0, 2.0], [1.0]), "SHAPE_MISMATCH", "shape"),
        (lambda: swiftvi.biject_to(constraints.boolean), "NOT_IMPLEMENTED", "discrete"),
        (lambda: swiftvi.biject_to(constraints.interval(1.0, 1.0)), "INVALID_ARGUMENT", "upper_bound - lower_bound"),
        (lambda: swiftvi.biject_to(constraints.Constraint("circle")), "INVALID_ARGUMENT", "unknown constraint"),
        (lambda: swiftvi.biject_to(constraints.Constraint("interval", {"lower_bound": 0.0})), "INVALID_ARGUMENT", "upper_bound"),
        (lambda: swiftvi.TransformedDistribution(swiftvi.Normal(0.0, 1.0), T.StickBreakingTransform()), "SHAPE_MISMATCH", "dimensions"),
    ],
)
def test_bad_inputs_raise_with_messages(make, status, words):
    with pytest.raises(swiftvi.SwiftVIError) as info:
        make()
    assert info.value.status == swiftvi.Status[status]
    assert words in info.value.message


def test_closed_transform_is_stale_and_python_type_errors():
    t = T.ExpTransform()
    t.close()
    with pytest.raises(swiftvi.SwiftVIError) as info:
        t(1.0)
    assert info.value.status == swiftvi.Status.STALE_HANDLE
    with pytest.raises(TypeError):
        T.ComposeTransform([])
    with pytest.raises(TypeError):
        swiftvi.biject_to("positive")
