"""examples/fit_mixture.py runs and prints a fit that matches the SciPy reverse-KL optimum."""

import os
import subprocess
import sys
from pathlib import Path

import reference

PACKAGE_ROOT = Path(__file__).resolve().parents[1]


def test_fit_mixture_example():
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")])))
    completed = subprocess.run(
        [sys.executable, str(PACKAGE_ROOT / "examples" / "fit_mixture.py")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    rows = {line.split()[0]: [float(v) for v in line.split()[1:]] for line in completed.stdout.splitlines()[1:]}
    best = reference.reverse_kl_optimum()
    for fitted, expected in zip(rows["swiftvi"], best):
        assert abs(fitted - expected) < 0.02
    for printed, expected in zip(rows["scipy"], best):
        assert abs(printed - expected) < 1e-3
