"""Optimizers, schedules, gradient clipping and SVI state through the C interface.

Each optimizer is driven by a known gradient sequence: the model's
log-density is linear, a_t . z at step t, so the loss gradient with respect to
the guide's location parameters is exactly -a_t whatever the draws (the guide's
own log-density has no net dependence on its location). The locations are then
compared with a NumPy transcription of the published update rule.
"""

import math

import numpy as np
import pytest

import swiftvi
from swiftvi import optim

START = np.array([1.0, -2.0, 0.5])
# Loss gradients of the location parameters at steps 1, 2, ...
GRADIENTS = np.array([[2.0, -0.5, 30.0], [-1.0, 0.25, -20.0], [0.5, 4.0, 0.0], [3.0, -3.0, 12.0], [-0.2, 0.1, 5.0]])


class LinearModel:
    """log p(z) = a_t . z at call t, so the location gradient of the loss is -a_t = GRADIENTS[t]."""

    def __init__(self, gradients):
        self.gradients = gradients
        self.calls = 0

    def __call__(self, z):
        a = -self.gradients[min(self.calls, len(self.gradients) - 1)]
        self.calls += 1
        return z @ a, np.tile(a, (z.shape[0], 1))


def locations(optimizer, gradients=GRADIENTS):
    """The guide locations after each step of ``optimizer`` on ``gradients``."""
    model = swiftvi.LogDensityModel(LinearModel(gradients), {"z": gradients.shape[1]})
    svi = swiftvi.SVI(model, swiftvi.AutoNormal(model, init_loc=START), optimizer, swiftvi.Trace_ELBO())
    svi.init(0)
    path = []
    for _ in gradients:
        svi.step()
        path.append(svi.get_params()["z_auto_loc"])
    return np.array(path)


def adam_reference(lr, b1, b2, eps, weight_decay=0.0, steps=GRADIENTS):
    """optax.adamw: u = -lr * (m_hat / (sqrt(v_hat) + eps) + wd * theta)."""
    theta, m, v, path = START.copy(), np.zeros(3), np.zeros(3), []
    for t, g in enumerate(steps, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
        theta = theta - lr * (m_hat / (np.sqrt(v_hat) + eps) + weight_decay * theta)
        path.append(theta)
    return np.array(path)


def test_adam_and_adamw_follow_optax():
    np.testing.assert_allclose(
        locations(optim.Adam(0.1, b1=0.8, b2=0.99, eps=1e-6)), adam_reference(0.1, 0.8, 0.99, 1e-6), rtol=1e-12
    )
    got = locations(optim.AdamW(0.1, b1=0.8, b2=0.99, eps=1e-6, weight_decay=0.05))
    np.testing.assert_allclose(got, adam_reference(0.1, 0.8, 0.99, 1e-6, weight_decay=0.05), rtol=1e-12)


def test_clipped_adam_follows_pyro():
    lr, b1, b2, eps, clip, lrd, wd = 0.05, 0.9, 0.999, 1e-8, 5.0, 0.9, 0.1
    theta, m, v, group_lr, expected = START.copy(), np.zeros(3), np.zeros(3), lr, []
    for t, g in enumerate(GRADIENTS, start=1):
        group_lr *= lrd
        grad = np.clip(g, -clip, clip) + wd * theta
        m = m * b1 + (1 - b1) * grad
        v = v * b2 + (1 - b2) * grad * grad
        step_size = group_lr * math.sqrt(1 - b2**t) / (1 - b1**t)
        theta = theta - step_size * m / (np.sqrt(v) + eps)
        expected.append(theta)
    got = locations(optim.ClippedAdam(lr, clip_norm=clip, b1=b1, b2=b2, eps=eps, lrd=lrd, weight_decay=wd))
    np.testing.assert_allclose(got, np.array(expected), rtol=1e-12)


@pytest.mark.parametrize("momentum", [0.0, 0.6])
@pytest.mark.parametrize("centered", [False, True])
def test_rmsprop_follows_pytorch(momentum, centered):
    lr, alpha, eps = 0.01, 0.9, 1e-8
    theta, square_avg, grad_avg, buf, expected = START.copy(), np.zeros(3), np.zeros(3), np.zeros(3), []
    for g in GRADIENTS:
        square_avg = alpha * square_avg + (1 - alpha) * g * g
        avg = square_avg
        if centered:
            grad_avg = alpha * grad_avg + (1 - alpha) * g
            avg = square_avg - grad_avg**2
        avg = np.sqrt(avg) + eps
        if momentum > 0:
            buf = momentum * buf + g / avg
            theta = theta - lr * buf
        else:
            theta = theta - lr * g / avg
        expected.append(theta)
    got = locations(optim.RMSProp(lr, decay=alpha, eps=eps, momentum=momentum, centered=centered))
    np.testing.assert_allclose(got, np.array(expected), rtol=1e-11)


def test_adagrad_follows_pytorch():
    lr, initial, eps = 0.1, 0.25, 1e-10
    theta, state_sum, expected = START.copy(), np.full(3, initial), []
    for g in GRADIENTS:
        state_sum = state_sum + g * g
        theta = theta - lr * g / (np.sqrt(state_sum) + eps)
        expected.append(theta)
    got = locations(optim.Adagrad(lr, initial_accumulator_value=initial, eps=eps))
    np.testing.assert_allclose(got, np.array(expected), rtol=1e-12)


def test_clip_value_clamps_each_element_before_the_optimizer():
    clipped = np.clip(GRADIENTS, -2.0, 2.0)
    np.testing.assert_allclose(
        locations(optim.Adam(0.1, clip_value=2.0)), adam_reference(0.1, 0.9, 0.999, 1e-8, steps=clipped), rtol=1e-12
    )
    sgd_path = START - np.cumsum(0.1 * clipped, axis=0)
    np.testing.assert_allclose(locations(optim.SGD(0.1, clip_value=2.0)), sgd_path, rtol=1e-12)


def sgd_step_sizes(step_size, steps=12):
    """The step size SGD used at each step, from unit gradients."""
    ones = np.ones((steps, 1))
    path = locations_1d(optim.SGD(step_size), ones)
    return -np.diff(np.concatenate([[0.0], path]))


def locations_1d(optimizer, gradients):
    model = swiftvi.LogDensityModel(LinearModel(gradients), {"z": 1})
    svi = swiftvi.SVI(model, swiftvi.AutoNormal(model, init_loc=[0.0]), optimizer, swiftvi.Trace_ELBO())
    svi.init(0)
    path = []
    for _ in gradients:
        svi.step()
        path.append(svi.get_params()["z_auto_loc"][0])
    return np.array(path)


N = np.arange(12)


def test_schedules_as_step_size():
    np.testing.assert_allclose(sgd_step_sizes(optim.exponential_decay(0.1, 4, 0.5)), 0.1 * 0.5 ** (N / 4), rtol=1e-12)
    np.testing.assert_allclose(
        sgd_step_sizes(optim.exponential_decay(0.1, 4, 0.5, staircase=True)), 0.1 * 0.5 ** (N // 4), rtol=1e-12
    )
    cosine = 0.1 * ((1 - 0.2) * 0.5 * (1 + np.cos(np.pi * np.minimum(N, 8) / 8)) + 0.2)
    np.testing.assert_allclose(sgd_step_sizes(optim.cosine_decay(0.1, 8, alpha=0.2)), cosine, rtol=1e-12)
    piecewise = np.array([0.1, 0.05, 0.01])[np.searchsorted([3, 7], N, side="left")]
    np.testing.assert_allclose(
        sgd_step_sizes(optim.piecewise_constant([3, 7], [0.1, 0.05, 0.01])), piecewise, rtol=1e-12
    )
    warm = np.where(N < 4, 0.01 + (0.1 - 0.01) * N / 4, 0.1 * 0.5 ** ((N - 4) / 4))
    np.testing.assert_allclose(
        sgd_step_sizes(optim.linear_warmup(4, optim.exponential_decay(0.1, 4, 0.5), init_value=0.01)), warm, rtol=1e-12
    )
    np.testing.assert_allclose(sgd_step_sizes(optim.linear_warmup(5, 0.1)), np.minimum(N / 5, 1) * 0.1, rtol=1e-12)


def test_bad_optimizer_settings_raise():
    with pytest.raises(swiftvi.SwiftVIError, match="AdamW"):
        optim.AdamW(0.1, weight_decay=-1)
    with pytest.raises(swiftvi.SwiftVIError, match="decay_steps"):
        optim.Adam(optim.exponential_decay(0.1, 0, 0.5))
    with pytest.raises(swiftvi.SwiftVIError, match="alpha"):
        optim.RMSProp(optim.cosine_decay(0.1, 10, alpha=2))
    with pytest.raises(ValueError):
        optim.SGD(0.1, clip_norm=0)
    with pytest.raises(ValueError):
        optim.piecewise_constant([1, 2], [0.1])
    with pytest.raises(TypeError):
        optim.Adam(lambda i: 0.1)


class GaussianModel:
    """log p(z) = -|z - mu|^2 / 2; NaN on the calls in ``nan_calls``."""

    def __init__(self, nan_calls=()):
        self.calls = 0
        self.nan_calls = set(nan_calls)

    def __call__(self, z):
        self.calls += 1
        d = z - np.array([1.0, -2.0])
        value = -0.5 * np.sum(d * d, axis=1)
        if self.calls in self.nan_calls:
            value = value * np.nan
        return value, -d


def gaussian_svi(optimizer, nan_calls=()):
    model = swiftvi.LogDensityModel(GaussianModel(nan_calls), {"z": 2})
    return swiftvi.SVI(model, swiftvi.AutoNormal(model), optimizer, swiftvi.Trace_ELBO(num_particles=3))


@pytest.mark.parametrize(
    "make",
    [
        lambda: optim.Adam(0.05),
        lambda: optim.RMSProp(optim.linear_warmup(3, 0.01), momentum=0.5, centered=True, clip_norm=1.0),
        lambda: optim.ClippedAdam(0.05, lrd=0.99),
    ],
)
def test_save_restore_continues_bit_for_bit(make):
    straight = gaussian_svi(make())
    straight.init(3)
    straight_losses = [straight.step() for _ in range(25)]

    first = gaussian_svi(make())
    first.init(3)
    losses = [first.step() for _ in range(10)]
    saved = first.save()
    assert isinstance(saved, bytes) and saved[:8] == b"\x89SVIS\r\n\x1a"
    resumed = gaussian_svi(make())
    resumed.init(99)
    resumed.restore(saved)
    assert resumed.num_steps == 10
    losses += [resumed.step() for _ in range(15)]
    assert np.array(losses).tobytes() == np.array(straight_losses).tobytes()
    assert resumed.save() == straight.save()
    for name, value in straight.get_params().items():
        assert resumed.get_params()[name].tobytes() == value.tobytes()


def test_corrupt_bytes_raise_and_leave_the_state_unchanged():
    svi = gaussian_svi(optim.Adam(0.05))
    svi.init(1)
    for _ in range(3):
        svi.step()
    saved = svi.save()
    svi.step()
    before = svi.save()
    rng = np.random.default_rng(0)
    candidates = [
        b"",
        b"SVIS",
        saved[:-1],
        saved[: len(saved) // 2],
        saved + b"\0",
        rng.bytes(len(saved)),
        rng.bytes(7),
    ]
    for index in rng.choice(len(saved), 20, replace=False):
        flipped = bytearray(saved)
        flipped[index] ^= 0x10
        candidates.append(bytes(flipped))
    for data in candidates:
        with pytest.raises(swiftvi.SwiftVIError) as error:
            svi.restore(data)
        assert error.value.status == swiftvi.Status.INVALID_ARGUMENT
        assert svi.save() == before
    # A well-formed state of another optimizer's layout is refused too.
    other = gaussian_svi(optim.SGD(0.1))
    other.init(1)
    with pytest.raises(swiftvi.SwiftVIError, match="slots"):
        svi.restore(other.save())
    assert svi.save() == before


def test_evaluate_is_the_next_steps_loss():
    svi = gaussian_svi(optim.Adagrad(0.1))
    svi.init(2)
    svi.step()
    loss = svi.evaluate()
    assert svi.evaluate() == loss and svi.num_steps == 1
    assert svi.step() == loss


def test_stable_update_refuses_a_nan_step_keeping_the_state():
    svi = gaussian_svi(optim.Adam(0.05), nan_calls=[3])
    svi.init(4)
    assert all(svi.stable_update().accepted for _ in range(2))
    params = svi.get_params()
    result = svi.stable_update()
    assert not result.accepted and math.isnan(result.loss)
    assert svi.num_steps == 2
    for name, value in params.items():
        assert svi.get_params()[name].tobytes() == value.tobytes()
    result = svi.stable_update()
    assert result.accepted and math.isfinite(result.loss) and svi.num_steps == 3
