"""tests/benchmarks/conv_speed.py, the speed benchmark of notebook 06's convolution, on tiny shapes: it runs, prints
its figures, and its naive loops agree with the reference layer it takes from the source notebook. No timing is
asserted (the machine's load decides those)."""
from __future__ import annotations

import importlib.util
import re
import subprocess
import sys

import numpy as np
import pytest

from support.courses import REPO

BENCHMARK = REPO / "tests" / "benchmarks" / "conv_speed.py"
TINY = ["--n", "2", "--channels", "2", "--height", "7", "--width", "6", "--filters", "3", "--repeat", "3"]


def _module():
    spec = importlib.util.spec_from_file_location("conv_speed", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(*args):
    return subprocess.run([sys.executable, str(BENCHMARK), *TINY, *args], capture_output=True, text=True,
                          timeout=300, cwd=REPO)


def test_the_benchmark_prints_its_figures_on_tiny_shapes():
    done = _run()
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "N=2, C=2, 7x6 input, F=3 filters 3x3 -> 5x4 (float64, one thread)" in out
    assert re.search(r"reference \(06_cnn solution cells\) +\d+\.\d\d ms \(best \d+\.\d\d, 3 runs\)", out), out
    assert re.search(r"naive loops n, f, i, j, u, v, c +\d+\.\d\d ms \(best .*\)  = \d+ x the reference", out), out
    assert "torch.nn.functional.conv2d" in out
    assert re.search(r"agreement: naive vs reference \d\.\de-\d\d \(agree\)", out), out


def test_without_torch_the_benchmark_says_so_and_still_runs():
    done = _run("--torch-python", sys.executable)       # the course's environment has no torch
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"torch\.nn\.functional\.conv2d +not measured: .*could not run torch", done.stdout), done.stdout


@pytest.mark.parametrize("shape", [(2, 3, 8, 7, 4, 3), (3, 2, 5, 7, 3, 2)])
def test_naive_loops_and_the_notebook_s_reference_agree(shape):
    bench = _module()
    forward, backward = bench.reference_layer()
    assert forward.__code__.co_filename == "06_cnn.ipynb:conv_forward"      # executed from the solution cell
    N, C, H, W, F, k = shape
    rng = np.random.default_rng(1)
    arrays = (rng.normal(size=(N, C, H, W)), rng.normal(size=(F, C, k, k)), rng.normal(size=F),
              rng.normal(size=(N, F, H - k + 1, W - k + 1)))
    _, reference = bench.timed(forward, backward, arrays, 1)
    _, naive = bench.timed(bench.naive_forward, bench.naive_backward, arrays, 1)
    for name, a, b in zip(("out", "dx", "dw", "db"), naive, reference):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12, err_msg=name)
    assert bench.difference(naive, reference) < bench.TOLERANCE
