"""``python -m autograder bench`` on the fixture course: every configuration is timed, the two target ratios are
printed, and plain nbgrader and ours give the same autograded scores to the same submissions."""
from __future__ import annotations

import io
import re

import pytest

from autograder import bench
from support.courses import CONFIG, FIXTURE_ROOT

pytestmark = pytest.mark.slow


def test_bench_on_the_fixture_course(tmp_path):
    out, log = io.StringIO(), io.StringIO()
    result = bench.bench(FIXTURE_ROOT, students=3, keep=tmp_path / "bench", variants=FIXTURE_ROOT / "variants",
                         config=CONFIG, out=out, log=log)
    text = out.getvalue()
    assert text == result.text + "\n"

    assert [p.kind for p in result.plan] == ["solutions", "blank", "wrong"]
    assert result.plan[2].detail.startswith("double/wrong_"), result.plan[2]
    labels = [r.label for r in result.runs]
    bwrap = result.runs[1].label.endswith("sandbox bwrap")
    assert len(labels) == (5 if bwrap else 4) and labels[0] == "plain nbgrader", labels
    assert labels[1].startswith("ours, 1 worker, sandbox "), labels
    assert labels[2].startswith("ours, ") and "workers, sandbox " in labels[2] and not labels[2].endswith("none")
    assert labels[3].endswith("workers, sandbox none"), labels
    if bwrap:   # the sandbox's cost with cold kernels both, and what warm kernels save
        assert labels[4].endswith("workers, sandbox bwrap, cold kernels"), labels
        assert result.warm_ratio == result.runs[2].seconds / result.runs[4].seconds
        assert result.sandbox_ratio == result.runs[4].seconds / result.runs[3].seconds
        assert "warm kernels / cold kernels (all workers, sandboxed both) = " in text
    table = text.split("\n\n")[1]
    for label in labels:
        assert label in table, f"{label!r} missing from the table:\n{table}"
    assert "ours " in text and " workers sandbox / plain nbgrader = " in text and "(target <= 0.25)" in text
    assert "sandbox / no sandbox (all workers, " in text and "(target <= 1.15)" in text
    assert all(r.seconds > 0 for r in result.runs)
    # where the time of the 1-worker run went, step by step, and the overhead beyond the notebook's own cells
    breakdown = text.split("where the time goes, ours, 1 worker")[1].split("\n\n")[0]
    for phase in ("prepare", "kernel start", "imports", "cells", "shutdown", "judge", "record"):
        assert f"\n  {phase} " in breakdown, breakdown
    assert "overhead per notebook (all but its cells): " in breakdown and "(target <= 0.5)" in breakdown
    clock = re.search(r"on the run's clock: \(wall ([\d.]+) s - their cells ([\d.]+) s\) / (\d+) notebooks = "
                      r"([\d.]+) s per notebook", breakdown)
    assert clock, breakdown
    wall, cells, notebooks, per_notebook = (float(g) for g in clock.groups())
    assert wall == pytest.approx(result.runs[1].seconds, abs=0.05) and 0 < cells < wall and notebooks == 3
    assert per_notebook == pytest.approx((wall - cells) / notebooks, abs=0.1 / notebooks + 0.005)   # printed to 0.1 s
    one_worker = result.runs[1].outcomes
    assert len(one_worker) == 3 and all(o.phases["kernel start"] > 0 and o.phases["record"] > 0 for o in one_worker)
    assert all(0 < bench.overhead(o) < o.seconds + o.phases["prepare"] + o.phases["record"] for o in one_worker)

    assert not [r.errors for r in result.runs if r.errors], text
    assert not result.differences, text
    for run in result.runs:
        scores = {p.kind: sum(v or 0 for v in run.scores[(p.student, p.assignment)].values()) for p in result.plan}
        assert scores == {"solutions": 3.0, "blank": 0.0, "wrong": 1.0}, (run.label, scores)
    for run in result.runs[1:]:
        assert f"{run.label}: 3 submissions compared, 0 differ" in text
