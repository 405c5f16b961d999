#!/usr/bin/env python3
"""SwiftVI beside NumPyro on the benchmark cases, in one run.

    python3 bench/numpyro_side_by_side.py --install   # once: .venv-bench with numpyro and jax[cpu]
    python3 bench/numpyro_side_by_side.py             # build, run both, print the table

Both libraries fit the same data files (written by the Swift harness,
Benchmarks/), with the same model, guide, optimizer (Adam), learning rate,
number of particles, subsample size and step count. NumPyro runs jitted in
float64 (jax_enable_x64); its compile time is excluded: the scan of
`svi.update` that `svi.run(progress_bar=False)` builds is jitted once, run
once to compile, then timed over three runs (median). Each NumPyro case runs
in a process of its own so that its peak resident memory is its own.

The last case is the seed-002 linear regression written in Python as a
batched NumPy callback and fitted through the swiftvi package; its cost is
compared with the raw ctypes round trip of that callback (the same C function
object called once through ctypes with the same buffers, doing the same NumPy
work), which bounds how fast any library driving it could step.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, ".venv-bench")
HARNESS = os.path.join(ROOT, "Benchmarks", ".build", "release", "swiftvi-bench")
DATA = os.path.join(ROOT, "Benchmarks", "data")

#: NumPyro µs/step measured on this machine when the targets were set, and SwiftVI's target.
TARGETS = {
    "linreg_autonormal": 0.4,
    "linreg_automvn": 0.3,
    "logreg_1k_autonormal": 3.0,
    "logreg_100k_autonormal": 1600.0,
    "logreg_100k_8particles": 4000.0,
    "logreg_100k_minibatch1000": 60.0,
}


def read_dataset(path):
    """The features (rows × columns) and responses of a harness data file."""
    import numpy as np

    with open(path, "rb") as f:
        header = f.read(24)
    if header[:8] != b"SVIBDATA":
        raise ValueError(f"{path} is not a data file")
    rows, columns = np.frombuffer(header[8:], dtype="<u8")
    values = np.fromfile(path, dtype="<f8", offset=24)
    return values[: rows * columns].reshape(int(rows), int(columns)), values[rows * columns :]


def install():
    """Creates .venv-bench and installs numpyro and jax[cpu] into it."""
    if not os.path.exists(VENV):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    pip = os.path.join(VENV, "bin", "pip")
    subprocess.run([pip, "install", "-q", "numpyro", "jax[cpu]", "numpy"], check=True)


def in_venv_or_reexec():
    """Re-runs this script under .venv-bench's Python unless numpyro imports here."""
    try:
        import numpyro  # noqa: F401
    except ImportError:
        python = os.path.join(VENV, "bin", "python")
        if not os.path.exists(python):
            sys.exit("numpyro is not installed: run with --install first")
        os.execv(python, [python, *sys.argv])


def numpyro_case(settings):
    """Times one case in NumPyro; returns its result as a dict."""
    import jax

    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    import numpyro
    import numpyro.distributions as dist
    from numpyro.infer import SVI, Trace_ELBO
    from numpyro.infer.autoguide import AutoMultivariateNormal, AutoNormal

    x, y = read_dataset(os.path.join(DATA, settings["data"]))
    x, y = jnp.asarray(x), jnp.asarray(y)
    n, d = x.shape
    subsample = settings["subsample"]

    if settings["family"] == "linear":
        xs = x[:, 0]

        def model():
            w = numpyro.sample("w", dist.Normal(0.0, 10.0))
            b = numpyro.sample("b", dist.Normal(0.0, 10.0))
            s = numpyro.sample("s", dist.HalfCauchy(10.0))
            with numpyro.plate("data", n):
                numpyro.sample("y", dist.Normal(w * xs + b, s), obs=y)

    else:

        def model():
            w = numpyro.sample("w", dist.Normal(jnp.zeros(d), 1.0).to_event(1))
            b = numpyro.sample("b", dist.Normal(0.0, 1.0))
            with numpyro.plate("data", n, subsample_size=subsample) as idx:
                rows, obs = (x, y) if subsample is None else (x[idx], y[idx])
                numpyro.sample("y", dist.Bernoulli(logits=rows @ w + b), obs=obs)

    guide = (AutoNormal if settings["guide"] == "AutoNormal" else AutoMultivariateNormal)(model)
    svi = SVI(model, guide, numpyro.optim.Adam(settings["learning_rate"]),
              Trace_ELBO(num_particles=settings["particles"]))
    steps = settings["steps"]

    @jax.jit
    def run(state):
        return jax.lax.scan(lambda s, _: svi.update(s), state, None, length=steps)

    init = svi.init(jax.random.PRNGKey(0))
    jax.block_until_ready(run(init))  # compiles
    times, cpu_times, losses = [], [], None
    for _ in range(settings["repeats"]):
        start, cpu_start = time.perf_counter(), time.process_time()
        _, losses = jax.block_until_ready(run(init))
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
    tail = losses[-max(steps // 10, 1):]
    return {
        "name": settings["name"],
        "us_per_step": statistics.median(times) / steps * 1e6,
        "cpu_us_per_step": statistics.median(cpu_times) / steps * 1e6,
        "final_loss": float(tail.mean()),
        "peak_rss_mb": peak_resident_mb(),
    }


def callback_case(steps=20000, repeats=3):
    """Seed 002's regression as a NumPy callback through the swiftvi package,
    and the raw ctypes round trip of that callback."""
    import ctypes

    import numpy as np

    os.environ.setdefault("SWIFTVI_LIBRARY", os.path.join(ROOT, ".build", "release", "libswiftvi.so"))
    sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))
    import swiftvi

    x, y = read_dataset(os.path.join(DATA, "linreg_10.bin"))
    x = x[:, 0]
    half_log_2pi = 0.5 * np.log(2 * np.pi)

    def log_joint(z):
        """log p(w, b, s, y) at S points (w, b, s) and its gradient."""
        w, b, s = z[:, 0:1], z[:, 1:2], z[:, 2:3]
        r = (y - w * x - b) / s
        ll = (-0.5 * r * r - np.log(s) - half_log_2pi).sum(axis=1)
        prior = (-0.5 * (z[:, 0] ** 2 + z[:, 1] ** 2) / 100 - 2 * (np.log(10) + half_log_2pi)
                 + np.log(2 / (np.pi * 10)) - np.log1p((z[:, 2] / 10) ** 2))
        grad = np.empty_like(z)
        grad[:, 0] = (r / s * x).sum(axis=1) - z[:, 0] / 100
        grad[:, 1] = (r / s).sum(axis=1) - z[:, 1] / 100
        grad[:, 2] = ((r * r - 1) / s).sum(axis=1) - 2 * z[:, 2] / (100 + z[:, 2] ** 2)
        return ll + prior, grad

    model = swiftvi.LogDensityModel(log_joint, latents={"w": 1, "b": 1, "s": (1, swiftvi.constraints.positive)})
    svi = swiftvi.SVI(model, swiftvi.AutoNormal(model), swiftvi.optim.Adam(0.01), swiftvi.Trace_ELBO(num_particles=1))
    svi.run(steps // 10, seed=0)
    times, cpu_times, result = [], [], None
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        result = svi.run(steps, seed=0)
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)

    point = np.array([[0.5, -0.7, 1.0]])
    out, grad = np.zeros(1), np.zeros((1, 3))
    args = (None, 1, 3, point.ctypes.data_as(ctypes.POINTER(ctypes.c_double)),
            out.ctypes.data_as(ctypes.POINTER(ctypes.c_double)), grad.ctypes.data_as(ctypes.POINTER(ctypes.c_double)))
    function = model._c_function
    for _ in range(1000):
        function(*args)
    round_trips, cpu_round_trips = [], []
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        for _ in range(steps):
            function(*args)
        round_trips.append(time.perf_counter() - start)
        cpu_round_trips.append(time.process_time() - cpu_start)
    losses = np.asarray(result.losses)
    return {
        "us_per_step": statistics.median(times) / steps * 1e6,
        "cpu_us_per_step": statistics.median(cpu_times) / steps * 1e6,
        "round_trip_us": statistics.median(round_trips) / steps * 1e6,
        "cpu_round_trip_us": statistics.median(cpu_round_trips) / steps * 1e6,
        "final_loss": float(losses[-steps // 10:].mean()),
    }


def peak_resident_mb():
    """This process's peak resident set (VmHWM) in MB; ru_maxrss would carry the parent's peak across exec."""
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 1024


def build():
    """Builds the harness, the release library, and writes the data files."""
    subprocess.run(["swift", "build", "-c", "release", "--package-path", os.path.join(ROOT, "Benchmarks")], check=True)
    subprocess.run(["swift", "build", "-c", "release", "--package-path", ROOT, "--product", "swiftvi"], check=True)
    subprocess.run([HARNESS, "generate", "--data", DATA], check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--install", action="store_true", help="create .venv-bench with numpyro and jax[cpu]")
    parser.add_argument("--no-build", action="store_true", help="use the harness and library as built")
    parser.add_argument("--only", help="run only the cases whose name contains this")
    parser.add_argument("--numpyro-case", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.install:
        install()
    in_venv_or_reexec()
    if args.numpyro_case:
        print(json.dumps(numpyro_case(json.loads(args.numpyro_case))))
        return
    if not args.no_build:
        build()
    cases = [json.loads(line) for line in subprocess.run([HARNESS, "cases"], check=True, capture_output=True,
                                                         text=True).stdout.splitlines()]
    cases = [c for c in cases if args.only is None or args.only in c["name"]]
    print(f"machine: {os.cpu_count()} cores, {platform_summary()}; load average {os.getloadavg()[0]:.1f}")
    print("µs per step, wall clock (process CPU time in brackets); ratio = NumPyro / SwiftVI by wall clock")
    print(f"{'case':27} {'NumPyro':>17} {'SwiftVI':>17} {'ratio':>6} {'target':>7} {'met':>4} "
          f"{'NumPyro loss':>13} {'SwiftVI loss':>13} {'MB':>6} {'NumPyro MB':>10} {'allocs':>7}  api")
    for settings in cases:
        theirs = json.loads(subprocess.run([sys.executable, __file__, "--numpyro-case", json.dumps(settings)],
                                           check=True, capture_output=True, text=True).stdout.splitlines()[-1])
        run = subprocess.run([HARNESS, "run", settings["name"], "--data", DATA], capture_output=True, text=True)
        if run.returncode != 0:
            print(f"{settings['name']:27} {theirs['us_per_step']:9.2f}  SwiftVI failed: {run.stderr.strip()}")
            continue
        ours = json.loads(run.stdout.splitlines()[-1])
        target = TARGETS[settings["name"]]
        print(f"{settings['name']:27} {both(theirs):>17} {both(ours):>17} "
              f"{theirs['us_per_step'] / ours['us_per_step']:6.1f} {target:7.1f} "
              f"{'yes' if ours['us_per_step'] <= target else 'no':>4} {theirs['final_loss']:13.4f} "
              f"{ours['final_loss']:13.4f} {ours['peak_rss_mb']:6.1f} {theirs['peak_rss_mb']:10.1f} "
              f"{ours['allocations_per_step']:7.3f}  {ours['api']}")
    if args.only is None or "callback" in args.only:
        result = callback_case()
        bound = 1.3 * result["round_trip_us"]
        print(f"{'linreg_python_callback':27} {'(Pyro ≈ 800)':>17} {both(result):>17} {'':>6} {bound:7.1f} "
              f"{'yes' if result['us_per_step'] <= bound else 'no':>4} {'':>13} {result['final_loss']:13.4f}"
              f"  one ctypes round trip {result['round_trip_us']:.2f} ({result['cpu_round_trip_us']:.2f}) µs;"
              f" a step costs {result['us_per_step'] / result['round_trip_us']:.2f}× it")


def both(result):
    """Wall-clock µs per step with the CPU µs in brackets."""
    return f"{result['us_per_step']:.2f} ({result['cpu_us_per_step']:.2f})"


def platform_summary():
    try:
        with open("/proc/cpuinfo") as f:
            model = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        model = "unknown CPU"
    return model


if __name__ == "__main__":
    main()
