"""``python -m autograder grade``: autograde every submission, in parallel, each kernel in a sandbox.

The pipeline for one submission (``student/assignment``):

1. main thread -- ``task.prepare_task``: find, read and sanitize each notebook, flag hooks and monkeypatches in the
   student's cells, plant decoy tests.
2. a runner (``runner``: worker threads here, or a Dask cluster) -- ``execute.run_submission``: run each notebook
   in a fresh sandboxed kernel.
3. main thread -- ``judge.judge_all``: take the decoys out, judge each test cell from the kernel's replies;
   ``autograded.store``: write ``autograded/<student>/<assignment>/`` (the graded notebooks and
   ``autograder.json``) and the gradebook, in an order that a run killed at any point and started again ends with
   the gradebook of a clean run.

A submission already graded with the same content (files, assignment source, grader version) is skipped unless
``force`` (``autograded.already_graded``). Every submission ends with a row: scores, or 0 and a one-line reason.
This module holds the loop and the summary.
"""
from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from . import autograded, coursedir, gradebook, judge, nbgrader_cli, settings, submission
from .outcome import Outcome
from .runner import Runner, open_runner
from .submission import Submission
from .task import Task, prepare_task


def finish(root: Path, db_url: str, task: Task, runs: list) -> Outcome:
    """Judge ``task``'s runs and record them (``autograded/`` and the gradebook)."""
    graded = judge.judge_all(task, runs)
    autograded.store(root, db_url, task.outcome, task.submission.folder, graded)
    return task.outcome


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


def summary(outcomes: list[Outcome], skipped: list[Outcome], seconds: float, mode: str) -> str:
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
    mode: str

    @property
    def ok(self) -> bool:
        return not self.problems and not any(o.error for o in self.outcomes)


def _submissions(root: Path, assignments: list[str] | None, students: list[str] | None, log) -> list[Submission]:
    """The submissions to grade: those of the course's assignments (the others are logged and left out)."""
    subs = submission.find(root, assignments, students)
    known = set(coursedir.assignments(root))
    unknown = sorted({s.assignment for s in subs} - known)
    if unknown:
        log(f"skipping submissions of unknown assignments (not in source/): {', '.join(unknown)}")
    return [s for s in subs if s.assignment in known]


def _unchanged(root: Path, db_url: str, subs: list[Submission],
               force: bool) -> tuple[list[Outcome], list[tuple[Submission, str]]]:
    """The records of the submissions already graded from the same content (none when ``force``), and the others
    with their content hash."""
    skipped, todo = [], []
    for sub in subs:
        digest = submission.content_hash(sub, root / "source" / sub.assignment)
        done = None if force else autograded.already_graded(root, db_url, sub, digest)
        if done:
            skipped.append(done)
        else:
            todo.append((sub, digest))
    return skipped, todo


def _grade_all(root: Path, db_url: str, todo: list[tuple[Submission, str]], runner: Runner,
               grading: settings.Grading, progress: Progress | None) -> list[Outcome]:
    """Prepare, run, judge and record each of ``todo``, keeping the runner busy (twice its capacity prepared)."""
    outcomes: list[Outcome] = []
    pending, running = list(todo), set()
    while pending or running:
        while pending and len(running) < 2 * runner.capacity:
            sub, digest = pending.pop(0)
            try:
                task = prepare_task(root, db_url, sub, grading, digest)
            except Exception as error:
                outcome = Outcome(sub.student, sub.assignment, error=f"{error.__class__.__name__}: {error}")
                outcomes.append(outcome)
                progress and progress.step(outcome)
                continue
            running.add(runner.submit(task))
        done, running = runner.wait(running)
        for future in done:
            task, runs = runner.result(future)
            outcome = task.outcome
            if not outcome.error:
                try:
                    finish(root, db_url, task, runs)
                except Exception as error:
                    outcome.error = f"recording failed: {error.__class__.__name__}: {error}"
            outcomes.append(outcome)
            progress and progress.step(outcome)
    return outcomes


def grade(root: Path, assignments: list[str] | None = None, students: list[str] | None = None,
          workers: int | None = None, sandbox: str | None = None, force: bool = False, db_url: str | None = None,
          quiet: bool = False, scheduler: str | None = None, **overrides) -> Run:
    root = Path(root).resolve()
    # nbgrader runs `alembic` from PATH when it creates a gradebook.
    os.environ["PATH"] = nbgrader_cli.environment()["PATH"]
    grading, sandbox_settings = settings.load(root, workers=workers, mode=sandbox, **overrides)
    db_url = db_url or gradebook.default_url(root)
    log = (lambda *a, **k: None) if quiet else (lambda *a, **k: print(*a, file=sys.stderr, **k))
    subs = _submissions(root, assignments, students, log)
    gradebook.sync(root, db_url, sorted({s.assignment for s in subs}))
    autograded.remove_stale(root)
    start = time.monotonic()
    skipped, todo = _unchanged(root, db_url, subs, force)
    with open_runner(scheduler, grading, sandbox_settings, log) as runner:
        log(f"grading {len(todo)} submission(s) on {runner.description}"
            + (f" ({len(skipped)} unchanged, skipped; --force regrades them)" if skipped else ""))
        progress = Progress(len(todo)) if not quiet else None
        outcomes = _grade_all(root, db_url, todo, runner, grading, progress)
        progress and progress.close()
        mode = runner.mode
    problems = gradebook.verify(db_url, [o for o in outcomes if not o.error])
    run = Run(outcomes, skipped, problems, time.monotonic() - start, mode)
    if not quiet:
        print(summary(outcomes, skipped, run.seconds, mode))
        for problem in problems:
            print(f"GRADEBOOK MISMATCH: {problem}")
    return run
