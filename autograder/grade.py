"""``python -m autograder grade``: autograde every submission, in parallel, each kernel in a sandbox.

The pipeline for one submission (``student/assignment``):

1. main thread -- ``submission.locate/load/prepare``: find and read the notebook, put back deleted graded
   cells, nbgrader's sanitizing preprocessors; ``scan``: flag hooks and monkeypatches in the student's cells;
   ``decoys.plant``: add decoy tests.
2. a worker thread -- ``execute_task``: run it in a fresh sandboxed kernel (``execute.execute_all``).
3. main thread -- ``finish``: take the decoys out, judge each test cell from the kernel's replies, write
   ``autograded/<student>/<assignment>/`` (the graded notebook and ``autograder.json``) and the gradebook, in an
   order that a run killed at any point and started again ends with the gradebook of a clean run.

A submission already graded with the same content (files, assignment source, grader version) is skipped unless
``force``. Every submission ends with a row: scores, or 0 and a one-line reason.
"""
from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import errno
import json
import os
import queue
import random
import shutil
import socket
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader import utils as nbutils

from . import decoys, gradebook, nbgrader_cli, scan, settings, submission
from .coursedir import Course
from .execute import NOT_RUN, execute_all
from .sandbox import Launcher, Mode, resolve
from .submission import Submission, Unreadable

RESULT_FILE = "autograder.json"
# Files of a submission that are not copied into its sandbox: they would be imported before the course's own.
PYTHON_FILES = (".py", ".pyc", ".pyd", ".so", ".pth")


@dataclass
class NotebookOutcome:
    name: str
    scores: dict[str, float | None] = field(default_factory=dict)   # grade_id -> auto score (None: by hand)
    points: dict[str, float] = field(default_factory=dict)           # grade_id -> points of the cell
    messages: dict[str, str] = field(default_factory=dict)           # grade_id -> why the test failed
    unanswered: list[str] = field(default_factory=list)              # answer cells left as released
    decoys: list[str | None] = field(default_factory=list)           # what each decoy got ("error" expected)


@dataclass
class Outcome:
    student: str
    assignment: str
    hash: str = ""
    timestamp: str | None = None
    notebooks: list[NotebookOutcome] = field(default_factory=list)
    reason: str | None = None            # one line, for the student and the teacher
    notes: list[str] = field(default_factory=list)   # shown to the student
    flags: list[str] = field(default_factory=list)   # for the teacher
    seconds: float = 0.0
    worker: str = ""                     # host:pid of the cluster worker that ran it ("" when run here)
    error: str | None = None             # the grader itself failed: nothing recorded, retried next run

    @property
    def score(self) -> float:
        return sum(s or 0 for nb in self.notebooks for s in nb.scores.values())

    @property
    def max_score(self) -> float:
        """Points of the autograded cells (the written answers are graded by hand)."""
        return sum(nb.points[k] for nb in self.notebooks for k, s in nb.scores.items() if s is not None)

    @property
    def manual(self) -> int:
        """Cells left for the teacher to grade by hand."""
        return sum(1 for nb in self.notebooks for s in nb.scores.values() if s is None)

    @property
    def manual_points(self) -> float:
        """Points of the cells left for the teacher to grade by hand."""
        return sum(nb.points.get(k, 0) for nb in self.notebooks for k, s in nb.scores.items() if s is None)

    def to_grade_by_hand(self) -> str:
        """'3 written answers to grade (5 points)', or '' when there is none."""
        if not self.manual:
            return ""
        answers = "written answer" if self.manual == 1 else "written answers"
        points = "point" if self.manual_points == 1 else "points"
        return f"{self.manual} {answers} to grade ({self.manual_points:g} {points})"

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Outcome":
        data = json.loads(text)
        data["notebooks"] = [NotebookOutcome(**nb) for nb in data["notebooks"]]
        return cls(**data)


@dataclass
class Task:
    """What a worker needs: the notebooks to run (None where the notebook could not be read)."""
    submission: Submission
    outcome: Outcome
    notebooks: list[dict]
    files: list[tuple[Path, str]] = field(default_factory=list)   # copied into the sandbox: (path, name)


# -- 1. preparing ----------------------------------------------------------------------------------------------
def _source_files(course: Course, assignment: str) -> list[tuple[Path, str]]:
    """The assignment's files besides its notebooks (nbgrader copies them over the student's, so do we)."""
    folder = course.source / assignment
    ignore = list(course.directory.ignore)
    return [(Path(p), os.path.relpath(p, folder)) for p in nbutils.find_all_files(str(folder), ignore + ["*.ipynb"])]


def _files(course: Course, sub: Submission, outcome: "Outcome", limit_bytes: int) -> list[tuple[Path, str]]:
    """What goes into the sandbox's working folder: the submission's files (no links, no Python modules: they
    would be imported before the course's own; up to ``limit_bytes`` in all), then the assignment's
    non-notebook files over them, as nbgrader does."""
    mine = [(p, str(p.relative_to(sub.folder))) for p in sorted(sub.folder.rglob("*"))
            if p.is_file() and not p.is_symlink()]
    skipped = [rel for path, rel in mine if path.suffix in PYTHON_FILES]
    if skipped:
        outcome.notes.append("not copied into the grading folder (Python modules would replace the "
                             "course's own): " + ", ".join(skipped[:5]))
        outcome.flags.append("submitted Python files: " + ", ".join(skipped[:5]))
    kept, used, too_big = [], 0, []
    for path, rel in mine:
        if path.suffix in PYTHON_FILES:
            continue
        used += path.stat().st_size
        (too_big if used > limit_bytes else kept).append((path, rel))
    if too_big:
        outcome.notes.append(f"not copied into the grading folder (over {limit_bytes >> 20} MB in all): "
                             + ", ".join(rel for _, rel in too_big[:5]))
    return kept + _source_files(course, sub.assignment)


def prepare_task(course: Course, sub: Submission, grading: settings.Grading, digest: str) -> Task:
    source_folder = course.source / sub.assignment
    outcome = Outcome(sub.student, sub.assignment, hash=digest)
    stamp = course.directory.get_existing_timestamp(str(sub.folder))
    outcome.timestamp = stamp.isoformat() if stamp else None
    notebooks = []
    for path in sorted(source_folder.glob("*.ipynb")):
        name = path.stem
        entry = {"name": name, "nb": None, "decoys": [], "original_ids": []}
        try:
            located, note = submission.locate(sub, name)
            if note:
                outcome.notes.append(note)
            prepared = submission.prepare(submission.load(located), course, sub.assignment, name, sub.student)
        except Exception as problem:   # unreadable, or nbgrader refused it (broken metadata, duplicate ids...)
            outcome.reason = str(problem) if isinstance(problem, Unreadable) else (
                f"{name}.ipynb could not be prepared for grading: {str(problem).splitlines()[0][:200]}")
            entry["release"] = course.release / sub.assignment / f"{name}.ipynb"
            notebooks.append(entry)
            continue
        outcome.notes += prepared.notes
        outcome.flags += prepared.tampered
        outcome.flags += [str(f) for f in scan.scan(prepared.submitted)]
        rng = random.Random(f"{outcome.hash}:{name}")
        planted, where = decoys.plant(prepared.nb, rng, grading.decoys)
        entry.update(nb=planted, decoys=where, original_ids=[c.get("id") for c in prepared.nb.cells])
        notebooks.append(entry)
    return Task(sub, outcome, notebooks, _files(course, sub, outcome, grading.max_submission_mb << 20))


# -- 2. running (worker thread) ---------------------------------------------------------------------------------
def execute_task(task: Task, launcher: Launcher, slots: "queue.Queue[int]", grading: settings.Grading,
                 scratch: Path) -> tuple[Task, list]:
    slot = slots.get()
    start = time.monotonic()
    try:
        return task, execute_all([(entry["name"], entry["nb"]) for entry in task.notebooks], task.files, launcher,
                                 slot, grading, scratch, task.submission.student)
    except Exception as error:   # a failure of the grader, not of the submission
        task.outcome.error = f"{error.__class__.__name__}: {error}"
        return task, []
    finally:
        task.outcome.seconds = time.monotonic() - start
        slots.put(slot)


# -- 3. judging and recording (main thread) ---------------------------------------------------------------------
def _first_error(cell) -> str | None:
    for out in cell.get("outputs", []):
        if out.output_type == "error":
            text = f"{out.ename}: {out.evalue}".strip().rstrip(":")
            return text.splitlines()[0][:300] if text else out.ename
    return None


def _error_output(text: str):
    return nbformat.v4.new_output("error", ename="AutograderError", evalue=text, traceback=[text])


def judge(course: Course, entry: dict, execution, outcome: Outcome) -> tuple[object, NotebookOutcome]:
    """The graded notebook (decoys out, every failed test showing why, then nbgrader's autograde preprocessors
    that ours keeps: ``Course.after_execution``) and its scores."""
    result = NotebookOutcome(entry["name"])
    if execution is None:
        nb = submission.blank(entry.get("release"))
        status = [NOT_RUN if c.cell_type == "code" else None for c in nb.cells]
        why = outcome.reason or "not graded"
    else:
        nb, status, result.decoys = decoys.remove(execution.notebook, entry["decoys"], execution.status)
        for cell, cell_id in zip(nb.cells, entry["original_ids"]):
            if cell_id:
                cell["id"] = cell_id
        why = execution.reason
        if execution.reason and not outcome.reason:
            outcome.reason = execution.reason
        if execution.killed:
            outcome.notes.append(f"{len(execution.killed)} process(es) still running after the notebook were stopped")
    forged = any(v == "ok" for v in result.decoys)
    if forged:
        outcome.flags.append("a decoy test passed: the kernel did not report failing tests honestly "
                             "(no autograded points)")
        outcome.notes.append("Your notebook changed how the tests run or report failures, so no test result "
                             "from it can be trusted: no autograded points. Your teacher will look at it.")
    for index, cell in enumerate(nb.cells):
        if nbutils.is_solution(cell) and cell.metadata.nbgrader.get("checksum") == nbutils.compute_checksum(cell):
            result.unanswered.append(cell.metadata.nbgrader["grade_id"])   # nbgrader's "No response."
        if not nbutils.is_grade(cell):
            continue
        grade_id, points = cell.metadata.nbgrader["grade_id"], float(cell.metadata.nbgrader["points"])
        result.points[grade_id] = points
        if nbutils.is_solution(cell):   # an answer cell with points: 0 when left blank, else graded by hand
            blank = grade_id in result.unanswered or execution is None
            result.scores[grade_id] = 0.0 if blank else (
                None if cell.cell_type == "markdown" else nbutils.determine_grade(cell)[0])
            continue
        if cell.cell_type != "code":
            continue
        message = _first_error(cell)
        if status[index] == NOT_RUN:
            message = f"not run: {why}"
            cell.outputs = [_error_output(message)]
        elif status[index] != "ok" and message is None:
            message = "the cell failed, but no error was shown (the error display was changed)"
            cell.outputs.append(_error_output(message))
        passed = status[index] == "ok" and message is None and not forged
        result.scores[grade_id] = points if passed else 0.0
        if not passed:
            result.messages[grade_id] = message or "no autograded points: a decoy test passed"
    for preprocessor in course.after_execution:   # called, not .preprocess: one configured off is skipped
        nb, _ = preprocessor(nb, {})
    return nb, result


def _banner(outcome: Outcome):
    lines = ([f"**Autograder:** {outcome.reason}."] if outcome.reason else []) + [f"- {n}" for n in outcome.notes]
    cell = nbformat.v4.new_markdown_cell("\n".join(lines))
    cell.metadata["autograder"] = {"reason": outcome.reason, "notes": outcome.notes}
    return cell


# This run's own suffix of the folders it writes beside autograded/<student>/<assignment>: another run (sharing the
# gradebook) may be finishing the same submission at the same moment.
RUN_TAG = f"{socket.gethostname()}.{os.getpid()}"


def _stale(folder: Path) -> bool:
    """Whether ``folder`` (``.<assignment>.partial.<host>.<pid>`` or ``.old.``) was left by a run of this host
    that is gone (killed half-way); another host's, or a running one's, is not."""
    name = folder.name
    host, _, pid = name.split(".partial." if ".partial." in name else ".old.", 1)[1].rpartition(".")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass
    return False


def finish(course: Course, task: Task, executions: list) -> Outcome:
    outcome = task.outcome
    final = course.autograded / outcome.student / outcome.assignment
    partial = final.parent / f".{outcome.assignment}.partial.{RUN_TAG}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    for path in sorted(task.submission.folder.rglob("*")):
        if path.is_file() and not path.is_symlink() and path.suffix != ".ipynb":
            (partial / path.relative_to(task.submission.folder)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, partial / path.relative_to(task.submission.folder))
    graded = []
    for entry, execution in zip(task.notebooks, executions or [None] * len(task.notebooks)):
        nb, result = judge(course, entry, execution, outcome)
        outcome.notebooks.append(result)
        graded.append((entry["name"], nb))
    for name, nb in graded:
        if outcome.reason or outcome.notes:
            nb.cells.insert(0, _banner(outcome))
        nbformat.write(nb, partial / f"{name}.ipynb")
    (partial / RESULT_FILE).write_text(outcome.to_json())
    gradebook.record(course.db_url, outcome)
    old = final.parent / f".{outcome.assignment}.old.{RUN_TAG}"
    for attempt in range(10):   # another run may swap its folder in meanwhile: the last one in wins, whole
        shutil.rmtree(old, ignore_errors=True)
        try:
            os.replace(final, old)
        except FileNotFoundError:   # graded for the first time, or another run is between its two renames
            pass
        try:
            os.replace(partial, final)
            break
        except OSError as error:
            if error.errno not in (errno.ENOTEMPTY, errno.EEXIST) or attempt == 9:
                raise
    shutil.rmtree(old, ignore_errors=True)
    return outcome


def already_graded(course: Course, sub: Submission, digest: str) -> Outcome | None:
    """The stored result of ``sub`` if it was graded from the same content (``digest``) and the gradebook has it."""
    path = course.autograded / sub.student / sub.assignment / RESULT_FILE
    try:
        outcome = Outcome.from_json(path.read_text())
    except (OSError, ValueError, TypeError):
        return None
    if outcome.hash != digest or gradebook.verify(course.db_url, [outcome]):
        return None
    return outcome


# -- the run ----------------------------------------------------------------------------------------------------
class LocalRunner:
    """Runs prepared submissions on this machine, ``capacity`` at once, each kernel in its own sandbox; hands back
    ``(task, executions)`` as they end (``cluster.ClusterRunner`` does the same on a Dask cluster)."""

    def __init__(self, grading: settings.Grading, isolation: settings.Isolation, log=print):
        self.capacity = grading.workers or os.cpu_count() or 1
        self.grading = grading
        self.scratch = Path(tempfile.mkdtemp(prefix="autograder-"))
        os.chmod(self.scratch, 0o711)
        try:
            self.launcher = resolve(isolation, self.scratch, log=log)
        except BaseException:
            shutil.rmtree(self.scratch, ignore_errors=True)
            raise
        self.mode = self.launcher.mode
        self.description = f"this machine with {self.capacity} worker(s), sandbox: {self.mode}"
        self.slots: queue.Queue[int] = queue.Queue()
        for slot in range(self.capacity):
            self.slots.put(slot)
        self.pool = cf.ThreadPoolExecutor(max_workers=self.capacity)

    def submit(self, task):
        return self.pool.submit(execute_task, task, self.launcher, self.slots, self.grading, self.scratch)

    def wait(self, futures):
        return cf.wait(futures, return_when=cf.FIRST_COMPLETED)

    def result(self, future):
        return future.result()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.pool.shutdown(wait=True)
        shutil.rmtree(self.scratch, ignore_errors=True)


def _runner(scheduler: str | None, grading: settings.Grading, isolation: settings.Isolation, log):
    if scheduler:
        from .cluster import ClusterRunner
        return ClusterRunner(scheduler, grading, isolation, log=log)
    return LocalRunner(grading, isolation, log=log)


class Progress:
    def __init__(self, total: int, stream=sys.stderr):
        self.total, self.done, self.stream = total, 0, stream
        self.start = time.monotonic()
        self.tty = stream.isatty()

    def step(self, outcome: Outcome):
        self.done += 1
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        state = "error" if outcome.error else ("FLAGGED" if outcome.flags else ("problem" if outcome.reason else "ok"))
        line = (f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} "
                f"{time.monotonic() - self.start:6.1f}s  {outcome.student}/{outcome.assignment}: {state}")
        print(("\r\033[K" if self.tty else "") + line, end="" if self.tty else "\n", file=self.stream, flush=True)

    def close(self):
        if self.tty:
            print(file=self.stream)


def summary(outcomes: list[Outcome], skipped: list[Outcome], seconds: float, mode: Mode | str) -> str:
    rows = [("student", "assignment", "autograded", "to grade by hand", "status", "time", "reason / flags")]
    for o in sorted(outcomes + skipped, key=lambda o: (o.assignment, o.student)):
        status = ("GRADER ERROR" if o.error else "skipped" if o in skipped else
                  "flagged" if o.flags else "problem" if o.reason else "graded")
        detail = o.error or "; ".join(([o.reason] if o.reason else []) + o.flags)
        rows.append((o.student, o.assignment, f"{o.score:g}/{o.max_score:g}", o.to_grade_by_hand() or "-", status,
                     f"{o.seconds:.1f}s", detail[:160]))
    widths = [max(len(r[i]) for r in rows) for i in range(6)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r[:6], widths)) + "  " + r[6] for r in rows]
    lines.insert(1, "-" * min(sum(widths) + 30, 140))
    graded = [o for o in outcomes if not o.error]
    lines.append("")
    lines.append(f"{len(graded)} graded ({sum(1 for o in graded if o.reason)} with a problem, "
                 f"{sum(1 for o in graded if o.flags)} flagged), {len(skipped)} unchanged and skipped, "
                 f"{sum(1 for o in outcomes if o.error)} grader errors; sandbox: {mode}; "
                 f"{seconds:.1f} s wall" + (f", {seconds / len(outcomes):.2f} s per submission" if outcomes else ""))
    return "\n".join(lines)


@dataclass
class Run:
    outcomes: list[Outcome]
    skipped: list[Outcome]
    problems: list[str]
    seconds: float
    mode: str                            # the sandbox's (a sandbox.Mode; "+"-joined when cluster workers differ)

    @property
    def ok(self) -> bool:
        return not self.problems and not any(o.error for o in self.outcomes)


def grade(course: Course | Path, assignments: list[str] | None = None, students: list[str] | None = None,
          workers: int | None = None, sandbox_mode: Mode | str | None = None, force: bool = False,
          db_url: str | None = None, quiet: bool = False, scheduler: str | None = None, **overrides) -> Run:
    """Grade the submissions of ``assignments`` by ``students`` (default: all). ``course``: a ``Course``, or its
    root; ``db_url`` replaces its gradebook; ``workers``, ``sandbox_mode`` and ``overrides`` (``cell_timeout=5``)
    replace its settings."""
    course = Course.of(course, db_url)
    # nbgrader runs `alembic` from PATH when it creates a gradebook.
    os.environ["PATH"] = nbgrader_cli.environment()["PATH"]
    grading, isolation = course.settings(workers=workers, mode=sandbox_mode, **overrides)
    log = (lambda *a, **k: None) if quiet else (lambda *a, **k: print(*a, file=sys.stderr, **k))
    subs = submission.find(course, assignments, students)
    known = set(course.assignments)
    unknown = sorted({s.assignment for s in subs} - known)
    if unknown:
        log(f"skipping submissions of unknown assignments (not in source/): {', '.join(unknown)}")
    subs = [s for s in subs if s.assignment in known]
    gradebook.sync(course.root, course.db_url, sorted({s.assignment for s in subs}))
    for leftover in [*course.autograded.glob("*/.*.partial.*"), *course.autograded.glob("*/.*.old.*")]:
        if _stale(leftover):
            shutil.rmtree(leftover, ignore_errors=True)
    start = time.monotonic()
    skipped, todo = [], []
    for sub in subs:
        digest = submission.content_hash(sub, course.source / sub.assignment)
        done = None if force else already_graded(course, sub, digest)
        if done:
            skipped.append(done)
        else:
            todo.append((sub, digest))
    outcomes: list[Outcome] = []
    with _runner(scheduler, grading, isolation, log) as runner:
        log(f"grading {len(todo)} submission(s) on {runner.description}"
            + (f" ({len(skipped)} unchanged, skipped; --force regrades them)" if skipped else ""))
        progress = Progress(len(todo)) if not quiet else None
        pending, running = list(todo), set()
        while pending or running:
            while pending and len(running) < 2 * runner.capacity:
                sub, digest = pending.pop(0)
                try:
                    task = prepare_task(course, sub, grading, digest)
                except Exception as error:
                    outcome = Outcome(sub.student, sub.assignment, error=f"{error.__class__.__name__}: {error}")
                    outcomes.append(outcome)
                    progress and progress.step(outcome)
                    continue
                running.add(runner.submit(task))
            done, running = runner.wait(running)
            for future in done:
                task, executions = runner.result(future)
                outcome = task.outcome
                if not outcome.error:
                    try:
                        finish(course, task, executions)
                    except Exception as error:
                        outcome.error = f"recording failed: {error.__class__.__name__}: {error}"
                outcomes.append(outcome)
                progress and progress.step(outcome)
        progress and progress.close()
        mode = runner.mode
    problems = gradebook.verify(course.db_url, [o for o in outcomes if not o.error])
    run = Run(outcomes, skipped, problems, time.monotonic() - start, mode)
    if not quiet:
        print(summary(outcomes, skipped, run.seconds, mode))
        for problem in problems:
            print(f"GRADEBOOK MISMATCH: {problem}")
    return run
