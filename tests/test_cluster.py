"""Grading on a Dask cluster (``grade --scheduler``): a real ``distributed.LocalCluster`` with two worker processes
on 127.0.0.1 grades the honest and hostile corpus of tests/support/hostile.py, and the gradebook must be the one
a local run writes, score for score; a worker killed (by its pid) while it grades must not lose or double any
submission."""
from __future__ import annotations

import json
import os
import signal
import threading
import time

import pytest

from autograder import grade, sandbox, settings
from autograder.outcome import RESULT_FILE
from support.courses import FIXTURE
from support.grading import gradebook_rows, leftover_processes
from support.hostile import CASES, CELL_TIMEOUT, Case, submit

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cluster")]
# Local and cluster runs are compared outcome for outcome, so no outcome may depend on how loaded the machine is.
# With a 5 s cell timeout it did: prints_100mb's and writes_1gb_file's answer cells take about 4 s on two busy
# cores, and landed on either side of the timeout. The corpus's own CELL_TIMEOUT (15 s, as test_hostile and
# test_postgres grade it) is far from every cell of the corpus but infinite_loop, which never ends and so exceeds
# any timeout (it costs that much of one worker in each run).
LIMITS = {"workers": 2, "sandbox_mode": "bwrap", "cell_timeout": CELL_TIMEOUT, "notebook_timeout": 120, "quiet": True}


@pytest.fixture(scope="session")
def local_cluster():
    distributed = pytest.importorskip("distributed")
    # dashboard_address=None still binds 8787 (and warns when it is taken): ":0" takes a free port
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=":0", silence_logs=40) as cluster:
        yield cluster


@pytest.fixture(scope="session")
def bwrap(tmp_path_factory, new_course):
    _, sb = settings.load(new_course("probe"))
    problem = sandbox.probe(sb, tmp_path_factory.mktemp("probe-run"))
    if problem:
        pytest.skip(f"needs bubblewrap: {problem} (.ci/run installs it)")


def corpus(root):
    """``root`` with every case of the corpus handed in."""
    for case in CASES:
        submit(root, case.name, case, {"course": root, "port": 9, "secret_name": "AUTOGRADER_TEST_SECRET"})
    return root


def stored(root) -> dict:
    """What each submission's autograder.json says, but for its timing and content hash."""
    out = {}
    for path in sorted((root / "autograded").glob(f"*/{FIXTURE}/{RESULT_FILE}")):
        data = json.loads(path.read_text())
        out[path.parent.parent.name] = {k: v for k, v in data.items()
                                        if k not in ("seconds", "timestamp", "hash", "worker", "phases")}
    return out


@pytest.fixture(scope="session")
def both(new_course, local_cluster, bwrap):
    here = corpus(new_course("local"))
    there = corpus(new_course("cluster"))
    start = time.monotonic()
    local = grade.grade(here, **LIMITS)
    local_seconds = time.monotonic() - start
    start = time.monotonic()
    remote = grade.grade(there, scheduler=local_cluster.scheduler_address, **LIMITS)
    remote_seconds = time.monotonic() - start
    print(f"\n{len(CASES)} submissions: local (2 threads) {local_seconds:.1f} s, "
          f"LocalCluster (2 worker processes) {remote_seconds:.1f} s")
    return {"local": (here, local), "cluster": (there, remote)}


def test_the_cluster_grades_every_submission(both):
    _, run = both["cluster"]
    assert run.ok, [o.error for o in run.outcomes if o.error] + run.problems
    assert sorted(o.student for o in run.outcomes) == sorted(c.name for c in CASES)
    assert run.mode == "bwrap"


def test_same_gradebook_as_a_local_run(both):
    assert gradebook_rows(both["cluster"][0]) == gradebook_rows(both["local"][0])


def test_same_reasons_flags_and_notes_as_a_local_run(both):
    local, remote = stored(both["local"][0]), stored(both["cluster"][0])
    assert remote.keys() == local.keys()
    for student in local:
        if student == "reads_source_and_gradebook":      # it prints the course's path, which differs
            continue
        assert remote[student] == local[student], student


# -- a worker dies ------------------------------------------------------------------------------------------------
SLOW_DOUBLE = "import time\ntime.sleep(4)\ndef double(x):\n    return 2 * x\n"


def test_a_worker_killed_mid_task_loses_nothing(new_course, local_cluster, bwrap):
    from distributed import Client
    root = new_course()
    students = [f"s{i}" for i in range(6)]
    slow = Case("slow", 3, cells={"double": SLOW_DOUBLE})
    for student in students:
        submit(root, student, slow, {})
    result = {}
    grading = threading.Thread(target=lambda: result.update(run=grade.grade(
        root, scheduler=local_cluster.scheduler_address, **LIMITS)))
    with Client(local_cluster.scheduler_address, set_as_default=False) as client:
        pids = client.run(os.getpid)
        grading.start()
        victim, keys = None, []
        deadline = time.monotonic() + 60
        while victim is None and time.monotonic() < deadline:
            busy = {address: ks for address, ks in client.processing().items() if ks}
            if busy:
                victim, keys = next(iter(busy.items()))
            else:
                time.sleep(0.2)
        assert victim, "no task ever ran"
        time.sleep(1.0)                                  # inside its notebook (4 s of sleep)
        os.kill(pids[victim], signal.SIGKILL)
        grading.join(timeout=300)
    assert not grading.is_alive()
    # the kernels the dead worker had started died with it (bubblewrap's --die-with-parent)
    first_uid = settings.Isolation().uid_base + (pids[victim] % 100_000) * 64
    assert leftover_processes(pids[victim], range(first_uid, first_uid + 64)) == []
    run = result["run"]
    assert run.ok, [o.error for o in run.outcomes if o.error] + run.problems
    assert sorted(o.student for o in run.outcomes) == students      # each exactly once
    rows = gradebook_rows(root)
    assert sorted({r[0] for r in rows}) == students
    assert len(rows) == len(set(rows)) == len(students) * 3          # three grades each, none twice
    assert {r[0]: r for r in rows if r[1] == "double_values"} == {
        s: (s, "double_values", 2.0, False, False) for s in students}
    # the submissions the killed worker was running were graded again, by another worker process
    regraded = {k.split("-")[1] for k in keys}
    assert regraded and regraded <= set(students)
    by_student = {o.student: o for o in run.outcomes}
    assert all(by_student[s].worker and not by_student[s].worker.endswith(f":{pids[victim]}") for s in regraded)


def test_an_unreachable_scheduler_is_a_clear_error():
    import socket
    from autograder.cluster import ClusterRunner
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]      # nothing listens there once closed
    with pytest.raises(RuntimeError, match=f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}"):
        ClusterRunner(f"tcp://127.0.0.1:{port}", settings.Grading(), settings.Isolation(), timeout=2)
