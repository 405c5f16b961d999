"""Seed 001's two-moons VAE from Python: trains it and saves the data beside reconstructions.

Run with the library on SWIFTVI_LIBRARY (or built in the repository):
    python3 bindings/python/examples/vae_two_moons.py [output.png]
The picture needs matplotlib; without it the script says so and only prints.
"""

import sys

import swiftvi


def main(path="vae_two_moons.png"):
    train, _ = swiftvi.make_moons(10_000, noise=0.1, seed=0)
    test, _ = swiftvi.make_moons(3_000, noise=0.1, seed=1)
    vae = swiftvi.VAE(data_dim=2, latent_dim=2, hidden_sizes=[32], activation="relu", decoder_scale=1.0,
                      encoder_scale=0.01, batch_size=300, optim=swiftvi.optim.Adam(1e-2))
    losses = vae.fit(train, 100, seed=0)
    for step in range(0, 100, 10):
        print(f"step {step}: loss {losses[step]:.4f}")
    elbo, iwae = vae.evaluate(test, num_particles=50, seed=2)
    print(f"held-out ELBO per point {elbo:.4f}; IWAE bound (K = 50) {iwae:.4f}")
    reconstructions = vae.reconstruct(test, seed=3)
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no picture saved")
        return
    figure, axes = plt.subplots(1, 3, figsize=(15, 4))
    axes[0].plot(-losses)
    axes[0].set_title("ELBO per point")
    axes[1].scatter(*test.T, alpha=0.1)
    axes[1].set_title("Test data")
    axes[2].scatter(*reconstructions.T, alpha=0.1)
    axes[2].set_title("Reconstructions")
    figure.savefig(path, dpi=100)
    print(f"saved {path}")


if __name__ == "__main__":
    main(*sys.argv[1:])
