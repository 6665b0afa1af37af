"""Speed of the reference convolution layer of notebook 06, beside a naive loop version and PyTorch.

    .venv/bin/python tests/benchmarks/conv_speed.py                                    # the document's shapes
    .venv/bin/python tests/benchmarks/conv_speed.py --torch-python /tmp/torchvenv/bin/python
    .venv/bin/python tests/benchmarks/conv_speed.py --n 2 --channels 2 --height 7 --width 6 --filters 3 --repeat 3

The reference ``conv_forward`` / ``conv_backward`` are the solution cells of ``source/06_cnn/06_cnn.ipynb`` (their
source is executed here; nothing is copied). One forward and one backward pass, on the shapes of document 000's
network by default: N = 32 grey images of 50 x 50 (the input that gives its 24 x 24 x 8 after the 2 x 2 max-pool),
8 filters 3 x 3, float64, one thread. Beside it:

- a naive version with nested Python loops over n, f, i, j, u, v (and c), the way eq. 14 and 16 read;
- ``torch.nn.functional.conv2d`` forward + backward in float64 on one thread, when PyTorch can be imported by the
  interpreter given with ``--torch-python`` (run as a subprocess, so the course's environment never needs torch), or
  by this one.

All versions get the same arrays; the script checks that they agree (forward output and the three gradients) and
prints the times (median and best of the runs) with their ratios to the reference. Exit status 1 if they disagree.
This file is not collected by pytest (tests/test_conv_benchmark.py runs it on tiny shapes).
"""
from __future__ import annotations

import os

if __name__ == "__main__":               # one thread, set before numpy is imported (not when imported by a test)
    for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_variable] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import nbformat  # noqa: E402
import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "source" / "06_cnn" / "06_cnn.ipynb"
TOLERANCE = 1e-9                         # relative to the largest entry of each array


def reference_layer(notebook: Path = NOTEBOOK):
    """conv_forward and conv_backward from the notebook's solution cells (grade_id = the function's name)."""
    nb = nbformat.read(notebook, as_version=4)
    namespace = {"np": np}
    for name in ("conv_forward", "conv_backward"):
        cells = [c for c in nb.cells if c.cell_type == "code"
                 and c.metadata.get("nbgrader", {}).get("grade_id") == name]
        if len(cells) != 1:
            raise SystemExit(f"{notebook}: {len(cells)} cells with grade_id {name!r}, expected 1")
        exec(compile(cells[0].source, f"{notebook.name}:{name}", "exec"), namespace)
    return namespace["conv_forward"], namespace["conv_backward"]


def naive_forward(x, w, b):
    """Eq. 14 with a bias, loop by loop."""
    N, C, H, W = x.shape
    F, _, k, _ = w.shape
    out = np.zeros((N, F, H - k + 1, W - k + 1))
    for n in range(N):
        for f in range(F):
            for i in range(H - k + 1):
                for j in range(W - k + 1):
                    total = b[f]
                    for u in range(k):
                        for v in range(k):
                            for c in range(C):
                                total += x[n, c, i + u, j + v] * w[f, c, u, v]
                    out[n, f, i, j] = total
    return out, (x, w, b)


def naive_backward(dout, cache):
    """Eq. 16 for dw, the input gradient and the bias gradient, loop by loop."""
    x, w, b = cache
    N, C, H, W = x.shape
    F, _, k, _ = w.shape
    dx, dw, db = np.zeros(x.shape), np.zeros(w.shape), np.zeros(F)
    for n in range(N):
        for f in range(F):
            for i in range(H - k + 1):
                for j in range(W - k + 1):
                    g = dout[n, f, i, j]
                    db[f] += g
                    for u in range(k):
                        for v in range(k):
                            for c in range(C):
                                dw[f, c, u, v] += g * x[n, c, i + u, j + v]
                                dx[n, c, i + u, j + v] += g * w[f, c, u, v]
    return dx, dw, db


def timed(forward, backward, arrays, repeat):
    """(seconds of each forward + backward run, (out, dx, dw, db) of the last run)."""
    x, w, b, dout = arrays
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out, cache = forward(x, w, b)
        dx, dw, db = backward(dout, cache)
        times.append(time.perf_counter() - start)
        result = (out, dx, dw, db)
    return times, result


TORCH_SERVER = r"""
import json, sys, time
import numpy as np
import torch
torch.set_num_threads(1)
data = np.load(sys.argv[1])
x = torch.tensor(data["x"], dtype=torch.float64, requires_grad=True)
w = torch.tensor(data["w"], dtype=torch.float64, requires_grad=True)
b = torch.tensor(data["b"], dtype=torch.float64, requires_grad=True)
dout = torch.tensor(data["dout"], dtype=torch.float64)
print("ready", flush=True)
for line in sys.stdin:
    command = line.split()
    if command[0] == "run":                       # run <count>: that many forward + backward passes, their times
        times = []
        for _ in range(int(command[1])):
            x.grad = w.grad = b.grad = None
            start = time.perf_counter()
            out = torch.nn.functional.conv2d(x, w, b)
            out.backward(dout)
            times.append(time.perf_counter() - start)
        print(json.dumps(times), flush=True)
    elif command[0] == "save":                    # save <path>: the last results, then stop
        np.savez(command[1], out=out.detach().numpy(), dx=x.grad.numpy(), dw=w.grad.numpy(), db=b.grad.numpy())
        print(json.dumps({"version": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
        break
"""


class TorchServer:
    """torch.nn.functional.conv2d forward + backward in another interpreter, kept running so that its runs can be
    interleaved with the reference's (both then see the same load on the machine)."""

    def __init__(self, python: str, arrays, folder: Path):
        self.folder = folder
        data = folder / "data.npz"
        np.savez(data, **dict(zip(("x", "w", "b", "dout"), arrays)))
        env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        self.process = subprocess.Popen([python, "-c", TORCH_SERVER, str(data)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        first = self.process.stdout.readline().strip()
        if first != "ready":
            self.process.wait(timeout=60)
            last = (self.process.stderr.read().strip().splitlines() or ["no error message"])[-1]
            raise RuntimeError(f"{python} could not run torch ({last})")

    def run(self, count: int) -> list[float]:
        self.process.stdin.write(f"run {count}\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def finish(self):
        """((out, dx, dw, db) of the last run, "2.13.0, 1 thread")."""
        path = self.folder / "results.npz"
        self.process.stdin.write(f"save {path}\n")
        self.process.stdin.flush()
        report = json.loads(self.process.stdout.readline())
        self.process.wait(timeout=60)
        with np.load(path) as saved:
            values = tuple(saved[k] for k in ("out", "dx", "dw", "db"))
        return values, f"{report['version']}, {report['threads']} thread"

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def difference(a, b) -> float:
    """The largest |a - b| over the four arrays, relative to the largest entry of each."""
    return max(float(np.max(np.abs(p - q)) / max(1.0, float(np.max(np.abs(q))))) for p, q in zip(a, b))


def milliseconds(times) -> str:
    runs = f"{len(times)} run{'s' * (len(times) > 1)}"
    return f"{1000 * statistics.median(times):9.2f} ms (best {1000 * min(times):.2f}, {runs})"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=32, help="images in the batch (default 32)")
    parser.add_argument("--channels", type=int, default=1, help="channels of the images (default 1)")
    parser.add_argument("--height", type=int, default=50, help="image height (default 50)")
    parser.add_argument("--width", type=int, default=50, help="image width (default 50)")
    parser.add_argument("--filters", type=int, default=8, help="filters (default 8)")
    parser.add_argument("--k", type=int, default=3, help="filter size k x k (default 3)")
    parser.add_argument("--repeat", type=int, default=50, help="runs of the reference and of torch (default 50)")
    parser.add_argument("--naive-repeat", type=int, default=1, help="runs of the naive loops (default 1)")
    parser.add_argument("--torch-python", help="a Python interpreter that can import torch (default: this one, "
                                               "if it can)")
    parser.add_argument("--notebook", type=Path, default=NOTEBOOK, help="the source notebook (default: 06_cnn)")
    args = parser.parse_args(argv)

    forward, backward = reference_layer(args.notebook)
    rng = np.random.default_rng(0)
    shape = (args.n, args.channels, args.height, args.width)
    Ho, Wo = args.height - args.k + 1, args.width - args.k + 1
    arrays = (rng.normal(size=shape), rng.normal(size=(args.filters, args.channels, args.k, args.k)),
              rng.normal(size=args.filters), rng.normal(size=(args.n, args.filters, Ho, Wo)))

    print(f"conv forward + backward: N={args.n}, C={args.channels}, {args.height}x{args.width} input, "
          f"F={args.filters} filters {args.k}x{args.k} -> {Ho}x{Wo} (float64, one thread)")
    python = args.torch_python
    if python is None:
        try:
            import torch  # noqa: F401
            python = sys.executable
        except ImportError:
            python = None
    with tempfile.TemporaryDirectory() as folder:
        server, why = None, "torch is not importable here (give --torch-python PATH)"
        if python is not None:
            try:
                server = TorchServer(python, arrays, Path(folder))
            except (OSError, RuntimeError) as error:
                why = str(error)
        try:
            timed(forward, backward, arrays, 2)                       # warm up: allocations, caches
            if server is not None:
                server.run(2)
            # the runs of the reference and of torch alternate, in rounds, so that both see the same load
            ref_times, torch_times = [], []
            rounds = min(10, args.repeat)
            for r in range(rounds):
                count = args.repeat // rounds + (r < args.repeat % rounds)
                times, ref = timed(forward, backward, arrays, count)
                ref_times += times
                if server is not None:
                    torch_times += server.run(count)
            torch_result, about = server.finish() if server is not None else (None, why)
        finally:
            if server is not None:
                server.stop()
    ref_median = statistics.median(ref_times)
    print(f"  reference (06_cnn solution cells)   {milliseconds(ref_times)}")
    naive_times, naive = timed(naive_forward, naive_backward, arrays, args.naive_repeat)
    print(f"  naive loops n, f, i, j, u, v, c     {milliseconds(naive_times)}  "
          f"= {statistics.median(naive_times) / ref_median:.0f} x the reference")
    if torch_result is None:
        print(f"  torch.nn.functional.conv2d          not measured: {about}")
    else:
        ratio = ref_median / statistics.median(torch_times)
        best = min(ref_times) / min(torch_times)
        print(f"  torch.nn.functional.conv2d          {milliseconds(torch_times)}  ({about})")
        print(f"  reference / torch: {ratio:.2f} (medians), {best:.2f} (bests), runs interleaved; "
              + ("the reference is not slower" if ratio <= 1 else "the reference is SLOWER than torch"))

    agree = True
    gap = difference(naive, ref)
    agree &= gap <= TOLERANCE
    line = f"agreement: naive vs reference {gap:.1e} ({'agree' if gap <= TOLERANCE else 'DISAGREE'})"
    if torch_result is not None:
        gap = difference(torch_result, ref)
        agree &= gap <= TOLERANCE
        line += f", torch vs reference {gap:.1e} ({'agree' if gap <= TOLERANCE else 'DISAGREE'})"
    print(line + " — out, dx, dw and db, largest difference relative to the largest entry")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
