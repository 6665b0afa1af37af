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

import sys
import time
from dataclasses import dataclass
from pathlib import Path

from . import autograded, gradebook, i18n, judge, nbgrader_cli, settings, submission
from .coursedir import Course
from .execute import PHASES as PHASES_OF_EXECUTION
from .outcome import Outcome
from .runner import Runner, open_runner
from .sandbox import Mode
from .submission import Submission
from .task import Task, prepare_task


# Where one submission's grading time goes (``Outcome.phases``; ``bench`` prints the medians): preparing it in the
# main thread, each step of running its notebooks (``execute.PHASES``, summed over the notebooks), judging, and
# recording (``autograded/`` and the gradebook; known once the record is written, so not in autograder.json).
PHASES = ("prepare", *PHASES_OF_EXECUTION, "judge", "record")


def finish(course: Course, task: Task, executions: list) -> Outcome:
    """Judge ``task``'s executions and record them (``autograded/`` and the gradebook)."""
    phases = task.outcome.phases
    start = time.monotonic()
    for execution in executions:
        for phase, seconds in (execution.phases if execution else {}).items():
            phases[phase] = phases.get(phase, 0.0) + seconds
    with i18n.speaking(task.language):
        graded = judge.judge_all(course, task, executions)
    judged = time.monotonic()
    phases["judge"] = judged - start
    autograded.store(course, task.outcome, task.submission.folder, graded)
    phases["record"] = time.monotonic() - judged
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


def summary(outcomes: list[Outcome], skipped: list[Outcome], seconds: float, mode: Mode | str,
            graded_by_hand: dict[tuple[str, str], set[tuple[str, str]]] | None = None) -> str:
    """The teacher's table of a run. ``graded_by_hand``: (student, assignment) -> the (notebook, grade id) the
    gradebook has a manual score for (``gradebook.graded_by_hand``), not counted as still to grade."""
    by_hand = graded_by_hand or {}
    rows = [("student", "assignment", "autograded", "to grade by hand", "status", "time", "reason / flags")]
    for o in sorted(outcomes + skipped, key=lambda o: (o.assignment, o.student)):
        status = ("GRADER ERROR" if o.error else "skipped" if o in skipped else
                  "flagged" if o.flags else "problem" if o.reason else "graded")
        detail = o.error or "; ".join(([o.reason] if o.reason else []) + ([o.late] if o.late else []) + o.flags)
        rows.append((o.student, o.assignment, f"{o.score:g}/{o.max_score:g}",
                     o.to_grade_by_hand(by_hand.get((o.student, o.assignment), ())) or "-", status,
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


def _submissions(course: Course, assignments: list[str] | None, students: list[str] | None,
                 log) -> list[Submission]:
    """The submissions to grade: those of the course's assignments, but of the students
    ``c.CourseDirectory.student_id_exclude`` names, as nbgrader's autograde (the others are logged and left out)."""
    subs = submission.find(course, assignments, students)
    known = set(course.assignments)
    unknown = sorted({s.assignment for s in subs} - known)
    if unknown:
        log(f"skipping submissions of unknown assignments (not in source/): {', '.join(unknown)}")
    excluded = course.excluded_students
    for problem in course.exclusion_problems():
        log(f"warning: {problem}")
    left_out = sorted({s.student for s in subs} & excluded)
    if left_out:
        log(f"skipping the submissions of students excluded by c.CourseDirectory.student_id_exclude: "
            f"{', '.join(left_out)}")
    return [s for s in subs if s.assignment in known and s.student not in excluded]


def _unchanged(course: Course, subs: list[Submission],
               force: bool) -> tuple[list[Outcome], list[tuple[Submission, str]]]:
    """The records of the submissions already graded from the same content (none when ``force``), and the others
    with their content hash."""
    skipped, todo = [], []
    for sub in subs:
        digest = submission.content_hash(sub, course.source / sub.assignment)
        done = None if force else autograded.already_graded(course, sub, digest)
        if done:
            skipped.append(done)
        else:
            todo.append((sub, digest))
    return skipped, todo


def _grade_all(course: Course, todo: list[tuple[Submission, str]], runner: Runner, grading: settings.Grading,
               progress: Progress | None) -> list[Outcome]:
    """Prepare, run, judge and record each of ``todo``, keeping the runner busy (twice its capacity prepared)."""
    outcomes: list[Outcome] = []
    pending, running = list(todo), set()
    while pending or running:
        while pending and len(running) < 2 * runner.capacity:
            sub, digest = pending.pop(0)
            start = time.monotonic()
            try:
                task = prepare_task(course, sub, grading, digest)
                task.outcome.phases["prepare"] = time.monotonic() - start
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
    return outcomes


def grade(course: Course | Path, assignments: list[str] | None = None, students: list[str] | None = None,
          workers: int | None = None, sandbox_mode: Mode | str | None = None, force: bool = False,
          db_url: str | None = None, quiet: bool = False, scheduler: str | None = None, **overrides) -> Run:
    """Grade the submissions of ``assignments`` by ``students`` (default: all). ``course``: a ``Course``, or its
    root; ``db_url`` replaces its gradebook; ``workers``, ``sandbox_mode`` and ``overrides`` (``cell_timeout=5``)
    replace its settings."""
    start = time.monotonic()   # the whole run is counted, setting up the gradebook and the sandbox included
    course = Course.of(course, db_url)
    nbgrader_cli.put_interpreter_on_path()   # nbgrader runs `alembic` from PATH when it creates a gradebook
    grading, isolation = course.settings(workers=workers, mode=sandbox_mode, **overrides)
    log = (lambda *a, **k: None) if quiet else (lambda *a, **k: print(*a, file=sys.stderr, **k))
    subs = _submissions(course, assignments, students, log)
    if course.late_penalties is None:   # built now: a late-penalty plugin that cannot be loaded stops the run here
        log("late submissions get no penalty: c.Autograde.autograde_preprocessors leaves out AssignLatePenalties")
    gradebook.sync(course.root, course.db_url, sorted({s.assignment for s in subs}), course.config)
    autograded.remove_stale(course)
    skipped, todo = _unchanged(course, subs, force)
    with open_runner(scheduler, grading, isolation, log) as runner:
        log(f"grading {len(todo)} submission(s) on {runner.description}"
            + (f" ({len(skipped)} unchanged, skipped; --force regrades them)" if skipped else "")
            + f"; {time.monotonic() - start:.1f} s to set up the gradebook and the sandbox")
        progress = Progress(len(todo)) if not quiet else None
        outcomes = _grade_all(course, todo, runner, grading, progress)
        progress and progress.close()
        mode = runner.mode
    problems = gradebook.verify(course.db_url, [o for o in outcomes if not o.error])
    run = Run(outcomes, skipped, problems, time.monotonic() - start, mode)
    if not quiet:
        recorded = [o for o in outcomes + skipped if not o.error]
        print(summary(outcomes, skipped, run.seconds, mode, gradebook.graded_by_hand(course.db_url, recorded)))
        for problem in problems:
            print(f"GRADEBOOK MISMATCH: {problem}")
    return run
