"""AutoNormal's init_loc_fn (svi_auto_normal_options.init_loc_fn), against the inverse bijections written out."""

import ctypes

import numpy as np
import pytest

import swiftvi
from swiftvi import _capi, _library, constraints

LATENTS = {"w": 2, "s": (1, constraints.positive), "p": (2, constraints.interval(-1.0, 3.0))}


def flat(z):
    """A log-density that is 0 everywhere: only the initial point matters here."""
    return np.zeros(len(z)), np.zeros_like(z)


MODEL = swiftvi.LogDensityModel(flat, latents=LATENTS)


def initial_params(guide, seed=3):
    svi = swiftvi.SVI(MODEL, guide, swiftvi.optim.Adam(0.01), swiftvi.Trace_ELBO())
    svi.init(seed=seed)
    return svi.get_params()


def initial_locs(guide, seed=3):
    params = initial_params(guide, seed)
    return np.concatenate([params[f"{site}_auto_loc"] for site in LATENTS])


def test_init_to_value_puts_the_locations_at_the_inverse_bijections():
    values = {"w": [0.25, -4.0], "s": [2.5], "p": [-0.5, 2.9]}
    params = initial_params(swiftvi.AutoNormal(MODEL, init_loc_fn=swiftvi.init_to_value(values=values)))
    np.testing.assert_array_equal(params["w_auto_loc"], [0.25, -4.0])
    np.testing.assert_allclose(params["s_auto_loc"], np.log([2.5]), rtol=1e-15)
    unit = (np.array([-0.5, 2.9]) + 1.0) / 4.0
    np.testing.assert_allclose(params["p_auto_loc"], np.log(unit / (1 - unit)), rtol=1e-13)
    # The guide's median maps the locations back: the given constrained values.
    median = swiftvi.AutoNormal(MODEL).median(params)
    for site, value in values.items():
        np.testing.assert_allclose(median[site], value, rtol=1e-13)


def test_init_to_value_starts_the_other_sites_as_init_to_uniform():
    partial = initial_locs(swiftvi.AutoNormal(MODEL, init_loc_fn=swiftvi.init_to_value(values={"s": [2.5]})))
    uniform = initial_locs(swiftvi.AutoNormal(MODEL, init_loc_fn=swiftvi.init_to_uniform))
    assert partial[2] == pytest.approx(np.log(2.5), rel=1e-15)
    np.testing.assert_array_equal(np.delete(partial, 2), np.delete(uniform, 2))


@pytest.mark.parametrize("radius", [0.3, 1.0, 5.0])
def test_init_to_uniform_draws_within_the_radius(radius):
    locs = np.concatenate(
        [initial_locs(swiftvi.AutoNormal(MODEL, init_loc_fn=swiftvi.init_to_uniform(radius=radius)), seed)
         for seed in range(40)]
    )
    assert np.all(np.abs(locs) <= radius)
    # 200 uniform draws on (-r, r): each fifth of the interval holds some (chance of failure below 1e-18).
    counts, _ = np.histogram(locs, bins=5, range=(-radius, radius))
    assert np.all(counts > 0)


def test_init_to_feasible_starts_every_coordinate_at_zero():
    assert np.all(initial_locs(swiftvi.AutoNormal(MODEL, init_loc_fn=swiftvi.init_to_feasible())) == 0)


def test_without_a_prior_median_mean_and_sample_start_as_init_to_uniform_radius_2():
    uniform = initial_locs(swiftvi.AutoNormal(MODEL, init_loc_fn=swiftvi.init_to_uniform(radius=2.0)))
    for init_loc_fn in (swiftvi.init_to_median(num_samples=15), swiftvi.init_to_mean, swiftvi.init_to_sample):
        np.testing.assert_array_equal(initial_locs(swiftvi.AutoNormal(MODEL, init_loc_fn=init_loc_fn)), uniform)


def test_the_earlier_keywords_still_work():
    assert np.all(np.abs(initial_locs(swiftvi.AutoNormal(MODEL, init_radius=0.1))) <= 0.1)
    np.testing.assert_array_equal(
        initial_locs(swiftvi.AutoNormal(MODEL, init_radius=0.7)),
        initial_locs(swiftvi.AutoNormal(MODEL, init_loc_fn=swiftvi.init_to_uniform(radius=0.7))),
    )
    point = [0.1, 0.2, 0.3, 0.4, 0.5]
    np.testing.assert_allclose(initial_locs(swiftvi.AutoNormal(MODEL, init_loc=point)), point, rtol=1e-15)


@pytest.mark.parametrize(
    ("keywords", "mentions"),
    [
        (dict(init_loc=[0.0] * 5, init_loc_fn=swiftvi.init_to_median), "init_loc"),
        (dict(init_radius=0.5, init_loc_fn=swiftvi.init_to_sample), "init_radius"),
        (dict(init_radius=0.5, init_loc_fn=swiftvi.init_to_uniform(radius=0.7)), "disagree"),
        (dict(init_loc_fn=swiftvi.init_to_uniform(radius=-1.0)), "radius"),
        (dict(init_loc_fn=swiftvi.init_to_median(num_samples=0)), "num_samples"),
    ],
)
def test_conflicting_or_invalid_strategies_are_refused(keywords, mentions):
    with pytest.raises(swiftvi.SwiftVIError) as raised:
        swiftvi.AutoNormal(MODEL, **keywords)
    assert raised.value.status == swiftvi.Status.INVALID_ARGUMENT
    assert mentions in raised.value.message


def test_a_value_outside_the_support_is_refused_at_initialization():
    guide = swiftvi.AutoNormal(MODEL, init_loc_fn=swiftvi.init_to_value(values={"s": [-1.0]}))
    with pytest.raises(swiftvi.SwiftVIError) as raised:
        initial_params(guide)
    assert raised.value.status == swiftvi.Status.INVALID_ARGUMENT
    assert "'s'" in raised.value.message


#: The size of svi_auto_normal_options before init_loc_fn.
EARLIER_SIZE = _capi.svi_auto_normal_options.init_loc_fn.offset


def test_the_earlier_struct_is_read_with_the_default_strategy():
    assert EARLIER_SIZE == 40  # LP64: struct_size, init_scale, init_radius, init_loc, init_loc_len
    options = _capi.svi_auto_normal_options()
    ctypes.memset(ctypes.byref(options), 0xAB, ctypes.sizeof(options))
    _library.call("svi_auto_normal_options_init", ctypes.byref(options), EARLIER_SIZE)
    tail = bytes(options)[EARLIER_SIZE:]
    assert tail == b"\xab" * len(tail), "svi_auto_normal_options_init wrote past the earlier struct"
    options.init_radius = 0.25
    options.init_loc_fn.kind = -1  # beyond the earlier struct: never read
    handle = _capi.svi_guide()
    _library.call("svi_guide_new_auto_normal", ctypes.byref(handle), MODEL.handle, ctypes.byref(options))
    guide = swiftvi.AutoNormal.__new__(swiftvi.AutoNormal)
    guide.model = MODEL
    guide._own(handle.value)
    locs = initial_locs(guide)
    assert np.all(np.abs(locs) <= 0.25) and np.any(locs != 0)
    options.struct_size = ctypes.sizeof(options)
    with pytest.raises(swiftvi.SwiftVIError) as raised:
        _library.call("svi_guide_new_auto_normal", ctypes.byref(handle), MODEL.handle, ctypes.byref(options))
    assert raised.value.status == swiftvi.Status.INVALID_ARGUMENT


def test_the_defaults_are_init_to_uniform_with_radius_2():
    options = _capi.svi_auto_normal_options()
    _library.call("svi_auto_normal_options_init", ctypes.byref(options), ctypes.sizeof(options))
    strategy = options.init_loc_fn
    assert (strategy.kind, strategy.radius, strategy.num_samples) == (_capi.SVI_INIT_TO_UNIFORM, 2.0, 15)
    assert not strategy.values and strategy.num_values == 0
