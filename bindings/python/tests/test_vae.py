"""The VAE through the C ABI: seed 001's two-moons run, the shared data, callback decoders and errors."""

import math
from pathlib import Path

import numpy as np
import pytest

import swiftvi

FIXTURE = Path(__file__).parent / "data" / "seed001_vae.txt"


def seed001_vae():
    """Seed 001's VAE: 2-D latent, one hidden layer of 32 ReLU units, encoder scale 0.01, decoder noise 1,
    Adam 1e-2, batches of 300 with one draw per point."""
    return swiftvi.VAE(data_dim=2, latent_dim=2, hidden_sizes=[32], activation="relu", decoder_scale=1.0,
                       encoder_scale=0.01, batch_size=300, optim=swiftvi.optim.Adam(1e-2))


def test_two_moons_lie_on_their_half_circles():
    points, labels = swiftvi.make_moons(101, noise=0.0, seed=3)
    assert points.shape == (101, 2) and (labels == 0).sum() == 50
    upper, lower = points[labels == 0], points[labels == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1, rtol=0, atol=1e-12)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1, rtol=0, atol=1e-12)
    # Evenly spaced angles on [0, pi], as make_moons places them (before shuffling).
    np.testing.assert_allclose(np.sort(np.arctan2(upper[:, 1], upper[:, 0])), np.linspace(0, np.pi, 50), atol=1e-12)


def test_two_moons_noise_is_standard_normal_times_noise():
    clean, labels = swiftvi.make_moons(20_000, noise=0.0, seed=4)
    noisy, noisy_labels = swiftvi.make_moons(20_000, noise=0.25, seed=4)
    np.testing.assert_array_equal(labels, noisy_labels)
    residual = (noisy - clean).ravel() / 0.25
    assert abs(residual.mean()) < 5 / math.sqrt(residual.size)
    assert abs(residual.var() - 1) < 5 * math.sqrt(2 / residual.size)


def test_seed001_training_through_the_abi_gives_the_swift_runs_numbers():
    """The Swift test VAETests.seed001TrainingLossFallsAsTheSeedShows checks its own run against the same file."""
    recorded = [float(line) for line in FIXTURE.read_text().splitlines() if not line.startswith("#")]
    data, _ = swiftvi.make_moons(10_000, noise=0.1, seed=0)
    vae = seed001_vae()
    losses = vae.fit(data, 100, seed=0)
    test, _ = swiftvi.make_moons(500, noise=0.1, seed=1)
    elbo, iwae = vae.evaluate(test, num_particles=50, seed=2)
    np.testing.assert_allclose(list(losses) + [elbo, iwae], recorded, rtol=1e-12, atol=1e-12)
    # As seed 001 shows: the loss falls from about 11 to about 10, and IWAE (K = 50) >= ELBO.
    assert losses[:5].mean() > losses[-20:].mean() + 0.4
    assert iwae >= elbo


def test_training_continues_and_progress_can_stop_it():
    data, _ = swiftvi.make_moons(1000, noise=0.1, seed=0)
    vae = swiftvi.VAE(hidden_sizes=[8], batch_size=50, optim=swiftvi.optim.Adam(1e-2))
    whole = vae.fit(data, 6, seed=1)
    again = swiftvi.VAE(hidden_sizes=[8], batch_size=50, optim=swiftvi.optim.Adam(1e-2))
    first = again.fit(data, 2, seed=1, progress=lambda step, loss: step == 2)
    rest = again.fit(data, 4)
    np.testing.assert_array_equal(np.concatenate([first, rest]), whole)
    assert again.num_steps == 6
    stopped = again.fit(data, 10, progress=lambda step, loss: step == 8)
    assert len(stopped) == 2 and again.num_steps == 8


def test_encode_decode_reconstruct_and_sample_have_their_shapes():
    data, _ = swiftvi.make_moons(40, noise=0.1, seed=0)
    vae = swiftvi.VAE(hidden_sizes=[16, 16], activation="tanh", latent_dim=3)
    vae.init(0)
    loc, scale = vae.encode(data)
    assert loc.shape == scale.shape == (40, 3) and (scale > 0).all()
    assert vae.decode(loc).shape == (40, 2)
    assert vae.reconstruct(data, seed=1).shape == (40, 2)
    z, x = vae.sample(25, seed=2)
    assert z.shape == (25, 3) and x.shape == (25, 2)
    assert vae.params.size == (2 * 16 + 16 + 16 * 16 + 16 + 16 * 6 + 6) + (3 * 16 + 16 + 16 * 16 + 16 + 16 * 2 + 2)


def gaussian_log_likelihood(z, x, theta):
    """log N(x; z + theta, 1) per row, with its gradients in z and theta."""
    residual = x - z - theta
    ll = -0.5 * (residual**2).sum(axis=1) - math.log(2 * math.pi)
    return ll, residual, residual


def test_a_callback_decoder_learns_its_parameters():
    rng = np.random.default_rng(0)
    data = rng.normal(size=(2000, 2)) * 0.3 + np.array([2.0, -1.0])
    vae = swiftvi.VAE(hidden_sizes=[8], batch_size=200, encoder_scale=None, optim=swiftvi.optim.Adam(0.05),
                      log_likelihood=gaussian_log_likelihood, likelihood_params=[0.0, 0.0])
    losses = vae.fit(data, 300, seed=0)
    assert np.isfinite(losses).all() and losses[-20:].mean() < losses[:5].mean()
    # With a standard-normal prior and shrinking latents the shift theta takes up the data's mean.
    np.testing.assert_allclose(vae.params[-2:], [2.0, -1.0], atol=0.35)
    z, x = vae.sample(5)
    assert z.shape == (5, 2) and x is None
    with pytest.raises(swiftvi.SwiftVIError):
        vae.decode(z)


def test_a_failing_callback_raises_its_own_exception_and_keeps_the_state():
    def broken(z, x, theta):
        raise RuntimeError("decoder broke")

    data, _ = swiftvi.make_moons(100, noise=0.1, seed=0)
    vae = swiftvi.VAE(hidden_sizes=[4], log_likelihood=broken, likelihood_params=[1.0])
    vae.init(0)
    before = vae.params
    with pytest.raises(RuntimeError, match="decoder broke"):
        vae.fit(data, 3)
    np.testing.assert_array_equal(vae.params, before)
    assert vae.num_steps == 0

    def wrong_shape(z, x, theta):
        return np.zeros(len(z) + 1), np.zeros_like(z), np.zeros((len(z), 1))

    vae = swiftvi.VAE(hidden_sizes=[4], log_likelihood=wrong_shape, likelihood_params=[1.0])
    with pytest.raises(ValueError, match="log-likelihood has shape"):
        vae.fit(data, 1, seed=0)


def test_invalid_options_are_rejected_with_the_librarys_message():
    with pytest.raises(swiftvi.SwiftVIError, match="hidden sizes must be positive"):
        swiftvi.VAE(hidden_sizes=[0])
    with pytest.raises(swiftvi.SwiftVIError, match="decoder scale"):
        swiftvi.VAE(decoder_scale=-1.0)
    with pytest.raises(ValueError):
        swiftvi.VAE(activation="gelu")
    vae = swiftvi.VAE()
    with pytest.raises(ValueError):
        vae.fit(np.zeros((10, 3)), 1)
    with pytest.raises(swiftvi.SwiftVIError, match="finite"):
        vae.fit(np.full((10, 2), np.nan), 1)


def test_the_two_moons_example_runs_without_matplotlib_or_with_it(tmp_path):
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])))
    picture = tmp_path / "moons.png"
    completed = subprocess.run([sys.executable, str(root / "examples" / "vae_two_moons.py"), str(picture)],
                               capture_output=True, text=True, env=env, timeout=300)
    assert completed.returncode == 0, completed.stderr
    assert "step 90: loss" in completed.stdout and "IWAE bound (K = 50)" in completed.stdout
    assert picture.exists() or "matplotlib is not installed" in completed.stdout
