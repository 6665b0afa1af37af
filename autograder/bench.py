"""``python -m autograder bench``: how fast ``grade`` is next to plain ``nbgrader autograde``, and whether the two
agree on the scores.

In a temporary copy of the course (``nbgrader_config.py``, ``source/``, ``release/``), N students hand in every
assignment; student i hands in the solutions when i % 3 == 0, the blank release when i % 3 == 1, and otherwise
the solutions with one answer cell replaced by a wrong-but-plausible variant (``<variants>/<assignment>/
<grade_id>/wrong_*.py``, chosen deterministically; the command line's default folder is the course's
``tests/variants``). The same submissions are then graded four times, each run with its own gradebook and its
own ``autograded/`` folder:

1. plain nbgrader: ``nbgrader autograde <assignment> --force``, one assignment after the other;
2. ours, 1 worker, sandboxed;
3. ours, one worker per core, sandboxed;
4. ours, one worker per core, no sandbox;
5. when the sandbox is bubblewrap: ours, one worker per core, sandboxed, every kernel started cold
   (``c.Isolation.warm_kernels = False``).

Runs 3 and 4 differ in two ways where warm kernels can run (bubblewrap as root): run 3 forks its kernels from a
warm zygote, run 4 starts each kernel cold (warm kernels exist only in the sandbox). So what the sandbox costs is
run 5 / run 4 (cold kernels both), and what warm kernels save is run 3 / run 5 (sandboxed both).

Setting up a gradebook (``generate_assignment`` for nbgrader, ``gradebook.sync`` for ours) is not timed. The
figures are informational: the bench fails only when something crashes.

``variants.py`` says how a variant file replaces its answer cell.
"""
from __future__ import annotations

import copy
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import nbformat
from nbgrader.api import MissingEntry

from . import cells, coursedir, gradebook, nbgrader_cli, outcome, sandbox, settings, variants

KINDS = ("solutions", "blank", "wrong")
TEMPLATE_DB = "gradebook-empty.db"
TARGET_PARALLEL = 0.25     # ours, one worker per core, sandboxed / plain nbgrader (issue 20)
TARGET_SANDBOX = 1.15      # sandboxed / not sandboxed, all workers, every kernel started cold
TARGET_OVERHEAD = 0.5      # seconds per notebook beyond the notebook's own cells, 1 worker, sandboxed (median)
# What each notebook's own cells may cost when it is graded (NBGRADER_EXECUTION set: short training, no timing
# loops), solved: CPU seconds, in a forked shell (tests/support/nbrun.py) on this 2-core machine, measured at 0.7 s
# (01) to 3 s (05); the budget is about 1.5 times that, and 05 with its full training takes 1.8 times its graded run.
# Most of it is the widgets' pictures (about 1 s each for LayerGradients, StackGradients, ConvGradients, 0.3 s a drawn
# graph), which the feedback page shows. Printed, not asserted: the same run's CPU time doubled here from one hour to
# the next on an idle machine. The bench prints, beside it, what the cells took in the graded kernels (wall seconds,
# which add the figures' PNGs and the kernel's messages).
BUDGETS = {"01_computational_graph": 1.2, "02_fully_connected": 2.0, "03_relu": 1.2, "04_loss": 1.5,
           "05_batching_mlp": 4.5, "06_cnn": 3.0}


# -- building the submissions -----------------------------------------------------------------------------------
def strip_solution_markers(source: str) -> str:
    """A solution cell's source without its ``### BEGIN SOLUTION`` / ``### END SOLUTION`` lines."""
    return "\n".join(line for line in source.split("\n")
                     if not (line.strip().startswith("#") and any(m in line for m in cells.SOLUTION)))


def solutions_notebook(release_nb, source_nb):
    """The release with every solution cell holding the reference answer of the source (markers removed)."""
    nb = copy.deepcopy(release_nb)
    answers = {cells.grade_id(c): c.source for c in source_nb.cells if cells.is_solution(c)}
    for cell in nb.cells:
        if cells.is_solution(cell):
            cell.source = strip_solution_markers(answers[cells.grade_id(cell)])
    return nb


def wrong_notebook(solved_nb, source_nb, variant: Path):
    """``solved_nb`` with one answer cell replaced by ``variant``; and a short description of it."""
    name = variant.parent.name
    reference = next(c.source for c in source_nb.cells if cells.is_autograded_solution(c) and cells.grade_id(c) == name)
    new_source = strip_solution_markers(variants.variant_source(reference, variant.read_text()))
    return variants.with_cell(solved_nb, name, new_source), f"{name}/{variant.stem}"


@dataclass(frozen=True)
class Planned:
    student: str
    assignment: str
    kind: str            # solutions, blank, wrong
    detail: str = ""     # the wrong variant


def default_config(course_root: Path) -> Path:
    """The course's ``nbgrader_config.py``; for a course without one (a fixture), the repository's."""
    candidates = [course_root / "nbgrader_config.py"]
    for start in (Path.cwd(), Path(__file__).resolve().parent):
        try:
            candidates.append(coursedir.find_root(start) / "nbgrader_config.py")
        except FileNotFoundError:
            pass
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no nbgrader_config.py for {course_root}")


def build_course(course_root: Path, dest: Path, assignments: list[str], students: int,
                 variants_folder: Path | None, config: Path) -> list[Planned]:
    """Copy the course into ``dest`` and write every student's submissions into ``dest/submitted``."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(config, dest / "nbgrader_config.py")
    for folder in ("source", "release"):
        for assignment in assignments:
            shutil.copytree(course_root / folder / assignment, dest / folder / assignment)
    plan = []
    width = max(2, len(str(students - 1)))
    for assignment in assignments:
        source_nb = nbformat.read(coursedir.source_notebook(course_root, assignment), as_version=4)
        release_nb = nbformat.read(coursedir.release_notebook(course_root, assignment), as_version=4)
        solved = solutions_notebook(release_nb, source_nb)
        # shuffled once per assignment: successive "wrong" students get different variants while there are any
        wrongs = variants.wrong_variants(variants_folder, assignment, source_nb)
        random.Random(f"bench:{assignment}").shuffle(wrongs)
        for i in range(students):
            student = f"student{i:0{width}d}"
            kind = KINDS[i % 3]
            detail = ""
            if kind == "solutions":
                nb = solved
            elif kind == "blank":
                nb = release_nb
            else:
                chosen = wrongs[(i // 3) % len(wrongs)] if wrongs else None
                if chosen is None:
                    nb = copy.deepcopy(solved)
                    first = next(c for c in nb.cells if cells.is_autograded_solution(c))
                    first.source = next(c.source for c in release_nb.cells
                                        if cells.grade_id(c) == cells.grade_id(first))
                    detail = "(no variant: first answer left as released)"
                else:
                    nb, detail = wrong_notebook(solved, source_nb, chosen)
            folder = dest / "submitted" / student / assignment
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / f"{assignment}.ipynb")
            plan.append(Planned(student, assignment, kind, detail))
    return plan


# -- running -------------------------------------------------------------------------------------------------------
@dataclass
class Measured:
    label: str
    seconds: float
    scores: dict[tuple[str, str], dict[str, float | None]]   # (student, assignment) -> test grade_id -> score
    per_assignment: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    results: Path | None = None          # where its autograded/ folder was moved
    short: str = ""                      # column header
    outcomes: list = field(default_factory=list)   # ours: each submission's Outcome (its phases)


def _test_cells(root: Path, assignment: str) -> dict[str, float]:
    return gradebook.autograded_cells(nbformat.read(coursedir.source_notebook(root, assignment), as_version=4))


def _stash(root: Path, label: str) -> Path:
    """Move ``root/autograded`` away (under ``root/runs/<label>``) so the next run starts without it."""
    target = root / "runs" / label
    target.mkdir(parents=True, exist_ok=True)
    if (root / "autograded").exists():
        shutil.move(str(root / "autograded"), str(target / "autograded"))
    return target / "autograded"


def warm_up() -> None:
    """Load what every kernel imports once, untimed, so the first configuration does not pay for a cold cache."""
    subprocess.run([sys.executable, "-c", "import numpy, matplotlib.pyplot, ipykernel, nbclient, nbgrader; "
                    "import course"], capture_output=True, env=nbgrader_cli.environment())


def run_plain(root: Path, assignments: list[str], plan: list[Planned], log) -> Measured:
    db_url = f"sqlite:///{root / 'gradebook-plain.db'}"
    for assignment in assignments:   # not timed
        nbgrader_cli.call(["generate_assignment", assignment, "--force", "--log-level=WARN",
                          f"--CourseDirectory.db_url={db_url}"], root)
    # A gradebook that knows the assignments and no student: each of our runs starts from a copy of it.
    shutil.copy2(root / "gradebook-plain.db", root / TEMPLATE_DB)
    log("  plain nbgrader: generate_assignment done (not timed)")
    per_assignment = {}
    start = time.monotonic()
    for assignment in assignments:
        t0 = time.monotonic()
        nbgrader_cli.call(["autograde", assignment, "--force", f"--CourseDirectory.db_url={db_url}"], root)
        per_assignment[assignment] = time.monotonic() - t0
        log(f"  plain nbgrader: {assignment} {per_assignment[assignment]:.1f} s")
    seconds = time.monotonic() - start
    scores, errors = {}, []
    tests = {a: _test_cells(root, a) for a in assignments}
    with gradebook.connect(db_url) as gb:
        for p in plan:
            try:
                sn = gb.find_submission_notebook(p.assignment, p.assignment, p.student)
            except MissingEntry:
                errors.append(f"{p.student}/{p.assignment}: not in nbgrader's gradebook")
                continue
            scores[(p.student, p.assignment)] = {g.name: g.auto_score for g in sn.grades
                                                 if g.name in tests[p.assignment]}
    return Measured("plain nbgrader", seconds, scores, per_assignment, errors, _stash(root, "plain"), "plain")


def run_ours(root: Path, assignments: list[str], workers: int, mode: sandbox.Mode, label: str, tag: str,
             log, **overrides) -> Measured:
    """One run of ours on the course copy; ``overrides`` are settings (``warm_kernels=False``)."""
    from . import grade   # imports nbclient, jupyter_client...: only when grading
    db = root / f"gradebook-{tag}.db"
    if (root / TEMPLATE_DB).is_file():
        shutil.copy2(root / TEMPLATE_DB, db)
    db_url = f"sqlite:///{db}"
    gradebook.sync(root, db_url, assignments)   # not timed (and nothing to do when the template is current)
    shutil.rmtree(root / "autograded", ignore_errors=True)
    start = time.monotonic()
    run = grade.grade(root, assignments, workers=workers, sandbox_mode=mode, force=True, db_url=db_url, quiet=True,
                      **overrides)
    seconds = time.monotonic() - start
    tests = {a: _test_cells(root, a) for a in assignments}
    scores, errors, per_assignment = {}, [], {}
    for o in run.outcomes:
        if o.error:
            errors.append(f"{o.student}/{o.assignment}: GRADER ERROR {o.error}")
            continue
        per_assignment[o.assignment] = per_assignment.get(o.assignment, 0.0) + o.seconds
        scores[(o.student, o.assignment)] = {k: v for nb in o.notebooks for k, v in nb.scores.items()
                                             if k in tests[o.assignment]}
    errors += [f"gradebook: {p}" for p in run.problems]
    cold = overrides.get("warm_kernels") is False
    label = f"{label}, sandbox {run.mode}" + (", cold kernels" if cold else "")
    log(f"  {label}: {seconds:.1f} s")
    short = f"ours {workers}w {run.mode}" + (" cold" if cold else "")
    return Measured(label, seconds, scores, per_assignment, errors, _stash(root, tag), short, run.outcomes)


# -- comparing -------------------------------------------------------------------------------------------------------
@dataclass
class Difference:
    planned: Planned
    config: str
    plain: float
    ours: float
    cells: list[str]     # one line per differing cell, with the likely why

    def __str__(self) -> str:
        p = self.planned
        what = p.kind + (f" {p.detail}" if p.detail else "")
        lines = [f"  {p.student}/{p.assignment} ({what}): plain nbgrader {self.plain:g}, {self.config} {self.ours:g}"]
        return "\n".join(lines + [f"      {c}" for c in self.cells])


def _cell_outputs(autograded: Path | None, p: Planned) -> dict[str, list]:
    if autograded is None:
        return {}
    path = autograded / p.student / p.assignment / f"{p.assignment}.ipynb"
    if not path.is_file():
        return {}
    nb = nbformat.read(path, as_version=4)
    return {cells.grade_id(c): c.get("outputs", []) for c in nb.cells if cells.grade_id(c)}


def _ours_message(autograded: Path | None, p: Planned, grade_id: str) -> str | None:
    if autograded is None:
        return None
    record = outcome.load(autograded / p.student / p.assignment)
    if record is None:
        return None
    for nb in record.notebooks:
        if grade_id in nb.messages:
            return nb.messages[grade_id]
    return record.reason


def explain(plain_outputs: list, plain: float | None, ours: float | None, ours_message: str | None) -> str:
    """Why nbgrader and ours disagree on one test cell, as far as the graded notebooks tell."""
    errors = [o for o in plain_outputs if o.get("output_type") == "error"]
    stderr = [o for o in plain_outputs if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    results = [o for o in plain_outputs if o.get("output_type") == "execute_result"]
    if (plain or 0) < (ours or 0):
        if errors:
            return f"nbgrader's kernel raised {errors[0].get('ename')}: {str(errors[0].get('evalue'))[:120]}"
        if stderr:
            first = "".join(stderr[0].get("text", "")).strip().splitlines()
            return ("nbgrader counts any output on stderr as a failure; the cell wrote: "
                    + (first[-1][:120] if first else "(empty)"))
        if results:
            return ("nbgrader gives partial credit for a number the cell displays: "
                    + str(results[0].get("data", {}).get("text/plain", ""))[:80])
        return "nbgrader gave fewer points (no error in its output)"
    why = ours_message or "no message"
    if results:
        return f"nbgrader took the number the cell displays as the score; ours: {why}"
    return f"ours failed the cell: {why}"


def compare(plan: list[Planned], plain: Measured, ours: Measured) -> list[Difference]:
    differences = []
    for p in plan:
        key = (p.student, p.assignment)
        a, b = plain.scores.get(key), ours.scores.get(key)
        if a is None or b is None:
            continue   # reported among the errors
        total_a, total_b = sum(v or 0 for v in a.values()), sum(v or 0 for v in b.values())
        differing = sorted(k for k in set(a) | set(b) if abs((a.get(k) or 0) - (b.get(k) or 0)) > 1e-9)
        if not differing:
            continue
        outputs = _cell_outputs(plain.results, p)
        lines = [f"{k}: plain {a.get(k)}, ours {b.get(k)} -- "
                 f"{explain(outputs.get(k, []), a.get(k), b.get(k), _ours_message(ours.results, p, k))}"
                 for k in differing]
        differences.append(Difference(p, ours.label, total_a, total_b, lines))
    return differences


# -- the bench -----------------------------------------------------------------------------------------------------
@dataclass
class BenchResult:
    plan: list[Planned]
    runs: list[Measured]
    differences: list[Difference]
    parallel_ratio: float
    sandbox_ratio: float
    warm_ratio: float | None
    text: str
    root: Path


def _table(runs: list[Measured], n: int) -> list[str]:
    plain = runs[0].seconds
    rows = [("configuration", "wall s", "s/submission", "vs plain")]
    for r in runs:
        rows.append((r.label, f"{r.seconds:.1f}", f"{r.seconds / max(n, 1):.2f}", f"{r.seconds / plain:.2f}"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [rows[0][0].ljust(widths[0]) + "  " + "  ".join(c.rjust(w) for c, w in zip(rows[0][1:], widths[1:]))]
    lines.append("-" * len(lines[0]))
    for row in rows[1:]:
        lines.append(row[0].ljust(widths[0]) + "  " + "  ".join(c.rjust(w) for c, w in zip(row[1:], widths[1:])))
    return lines


def sandbox_mode(root: Path) -> sandbox.Mode:
    """``bwrap`` when bubblewrap can run a kernel here, else ``auto`` (rlimits only)."""
    _, isolation = settings.load(root)
    scratch = Path(tempfile.mkdtemp(prefix="bench-probe-"))
    os.chmod(scratch, 0o711)
    try:
        return sandbox.Mode.BWRAP if sandbox.probe(isolation, scratch) is None else sandbox.Mode.AUTO
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _checked_assignments(course_root: Path, assignments: list[str] | None, students: int) -> list[str]:
    """``assignments`` (default: all of the course's), after checking that the course has them."""
    known = coursedir.assignments(course_root)
    coursedir.refuse_unknown("assignment", assignments, known, str(course_root / "source"))
    assignments = assignments or known
    if students < 1:
        raise ValueError("--students must be at least 1")
    return assignments


@contextmanager
def _workspace(keep: Path | str | None) -> Iterator[Path]:
    """The folder the bench builds its course copy in: ``keep`` (new or empty, kept afterwards), else a temporary
    one."""
    if not keep:
        with tempfile.TemporaryDirectory(prefix="autograder-bench-") as tmp:
            yield Path(tmp)
        return
    base = Path(keep).resolve()
    if base.exists() and any(base.iterdir()):
        raise FileExistsError(f"--keep {base}: the folder must be new or empty")
    base.mkdir(parents=True, exist_ok=True)
    yield base


def _measure(root: Path, assignments: list[str], plan: list[Planned], workers: int, mode: sandbox.Mode,
             progress) -> list[Measured]:
    """The runs, in the order of the module's docstring (the fifth only when the sandbox is bubblewrap: elsewhere
    every kernel starts cold already)."""
    runs = [run_plain(root, assignments, plan, progress),
            run_ours(root, assignments, 1, mode, "ours, 1 worker", "ours-1-sandbox", progress),
            run_ours(root, assignments, workers, mode, f"ours, {workers} workers", f"ours-{workers}-sandbox",
                     progress),
            run_ours(root, assignments, workers, sandbox.Mode.NONE, f"ours, {workers} workers", f"ours-{workers}-none",
                     progress)]
    if mode == sandbox.Mode.BWRAP:
        runs.append(run_ours(root, assignments, workers, mode, f"ours, {workers} workers", f"ours-{workers}-cold",
                             progress, warm_kernels=False))
    return runs


def ratios(runs: list[Measured]) -> tuple[float, float, float | None]:
    """(ours with every worker, sandboxed / plain nbgrader; the sandbox's cost: sandboxed / not, kernels started
    cold both; what warm kernels save: warm / cold, sandboxed both, None without the fifth run)."""
    parallel = runs[2].seconds / runs[0].seconds
    if len(runs) > 4:
        return parallel, runs[4].seconds / runs[3].seconds, runs[2].seconds / runs[4].seconds
    return parallel, runs[2].seconds / runs[3].seconds, None


def _speed(runs: list[Measured], n: int, workers: int, assignments: list[str]) -> list[str]:
    """The times: the table, the ratios, and each assignment's time in each run."""
    parallel_ratio, sandbox_ratio, warm_ratio = ratios(runs)
    lines = _table(runs, n) + [""]
    lines.append(f"ours {workers} workers sandbox / plain nbgrader = {parallel_ratio:.2f} "
                 f"(target <= {TARGET_PARALLEL})")
    cold = "kernels started cold both" if warm_ratio is not None else "every kernel started cold"
    lines.append(f"sandbox / no sandbox (all workers, {cold}) = {sandbox_ratio:.2f} (target <= {TARGET_SANDBOX})")
    if warm_ratio is not None:
        lines.append(f"warm kernels / cold kernels (all workers, sandboxed both) = {warm_ratio:.2f}")
    lines.append("")
    lines.append("per assignment (plain: wall of `nbgrader autograde`; ours: sum of the submissions' times):")
    first = max(len(a) for a in assignments) + 4
    lines.append("  assignment".ljust(first) + "".join(f"{r.short:>16}" for r in runs))
    for a in assignments:
        lines.append(f"  {a}".ljust(first) + "".join(f"{r.per_assignment.get(a, float('nan')):>15.1f}s"
                                                    for r in runs))
    return lines + [""]


def overhead(o) -> float:
    """What grading a submission cost beyond its notebooks' own cells (``grade.PHASES``: everything but "cells",
    the code cells after the first, as the kernel ran them), per notebook."""
    return (sum(o.phases.values()) - o.phases.get("cells", 0.0)) / max(1, len(o.notebooks))


def _breakdown(run: Measured) -> list[str]:
    """Where one run's time went, per notebook: the median of each step, and the overhead."""
    from .grade import PHASES
    graded = [o for o in run.outcomes if not o.error and o.phases]
    if not graded:
        return []
    lines = [f"where the time goes, {run.label} (median per notebook over {len(graded)} submissions, seconds):"]
    for phase in PHASES:
        values = [o.phases.get(phase, 0.0) / max(1, len(o.notebooks)) for o in graded]
        lines.append(f"  {phase:<14}{statistics.median(values):7.2f}   (max {max(values):.2f})")
    median = statistics.median(overhead(o) for o in graded)
    lines.append(f"  overhead per notebook (all but its cells): {median:.2f} s (target <= {TARGET_OVERHEAD})")
    notebooks = sum(max(1, len(o.notebooks)) for o in graded)
    cells = sum(o.phases.get("cells", 0.0) for o in graded)
    lines.append(f"  on the run's clock: (wall {run.seconds:.1f} s - their cells {cells:.1f} s) / {notebooks} notebooks"
                 f" = {(run.seconds - cells) / notebooks:.2f} s per notebook (mean; the wall counts the run's fixed "
                 "costs, and not the steps done in the main thread while the worker runs another submission: "
                 "preparing, judging, recording)")
    lines.append("the notebooks' own cells (median per notebook, seconds; budget: bench.BUDGETS, CPU seconds of the "
                 "solved notebook in a forked shell):")
    for assignment in sorted({o.assignment for o in graded}):
        mine = [(o.phases.get("cells", 0.0) + o.phases.get("imports", 0.0)) / max(1, len(o.notebooks))
                for o in graded if o.assignment == assignment]
        budget = BUDGETS.get(assignment)
        lines.append(f"  {assignment:<26}{statistics.median(mine):6.2f}   (max {max(mine):.2f})"
                     + (f"   budget {budget:g}" if budget is not None else ""))
    return lines + [""]


def _submissions(plan: list[Planned], assignments: list[str]) -> list[str]:
    """Who handed in what, per assignment."""
    lines = ["submissions:"]
    for a in assignments:
        wrongs = [f"{p.student}={p.detail}" for p in plan if p.assignment == a and p.kind == "wrong"]
        lines.append(f"  {a}: " + ", ".join(f"{p.student}={p.kind}" for p in plan
                                             if p.assignment == a and p.kind != "wrong")
                     + ("; wrong: " + ", ".join(wrongs) if wrongs else ""))
    return lines + [""]


def _errors(runs: list[Measured]) -> list[str]:
    errors = [f"{r.label}: {e}" for r in runs for e in r.errors]
    return ["ERRORS:", *(f"  {e}" for e in errors), ""] if errors else []


def _scores(plan: list[Planned], runs: list[Measured], root: Path) -> tuple[list[str], list[Difference]]:
    """Each of our runs' scores next to plain nbgrader's, and plain nbgrader's totals by kind of submission."""
    plain, differences = runs[0], []
    lines = ["scores (autograded test cells), plain nbgrader vs ours:"]
    for ours in runs[1:]:
        found = compare(plan, plain, ours)
        differences += found
        compared = sum(1 for p in plan if (p.student, p.assignment) in plain.scores
                       and (p.student, p.assignment) in ours.scores)
        lines.append(f"  {ours.label}: {compared} submissions compared, {len(found)} differ")
        lines += [str(d) for d in found]
    totals = {}
    for p in plan:
        s = plain.scores.get((p.student, p.assignment))
        if s is not None:
            got, of = totals.get(p.kind, (0.0, 0.0))
            totals[p.kind] = (got + sum(v or 0 for v in s.values()),
                              of + sum(_test_cells(root, p.assignment).values()))
    lines.append("  plain nbgrader's totals by kind: " + ", ".join(
        f"{k} {got:g}/{of:g}" for k, (got, of) in totals.items()))
    return lines, differences


def bench(course_root: Path | str | None = None, students: int = 6, assignments: list[str] | None = None,
          keep: Path | str | None = None, variants: Path | str | None = None, config: Path | str | None = None,
          workers: int | None = None, out: TextIO | None = None, log: TextIO | None = None) -> BenchResult:
    """Build the submissions (the wrong ones from the variant files in ``variants``; without it, each wrong
    submission leaves its first answer as released), grade them with plain nbgrader and with ours (three ways),
    print the comparison to ``out`` (default stdout; progress goes to ``log``, default stderr) and return it."""
    out = out or sys.stdout
    nbgrader_cli.put_interpreter_on_path()   # nbgrader runs `alembic` from PATH (gradebook.sync)
    began = time.monotonic()

    def progress(text: str) -> None:
        print(f"[{time.monotonic() - began:6.1f}s] {text}", file=log or sys.stderr, flush=True)

    course_root = Path(course_root or coursedir.find_root()).resolve()
    assignments = _checked_assignments(course_root, assignments, students)
    config = Path(config) if config else default_config(course_root)
    workers = workers or os.cpu_count() or 1
    with _workspace(keep) as base:
        root = base / "course"
        plan = build_course(course_root, root, assignments, students, Path(variants) if variants else None, config)
        n = len(plan)
        counts = {k: sum(1 for p in plan if p.kind == k) for k in KINDS}
        progress(f"bench: {students} student(s) x {len(assignments)} assignment(s) = {n} submissions in {root}")
        load_before = os.getloadavg()[0]
        mode = sandbox_mode(root)
        warm_up()
        progress(f"sandbox: {mode}; warmed up")
        runs = _measure(root, assignments, plan, workers, mode, progress)
        parallel_ratio, sandbox_ratio, warm_ratio = ratios(runs)
        scores, differences = _scores(plan, runs, root)
        lines = [f"bench of {course_root}: {students} student(s) x {len(assignments)} assignment(s) = {n} "
                 f"submissions ({', '.join(f'{counts[k]} {k}' for k in KINDS)}); {os.cpu_count()} cores; "
                 f"sandbox requested: {mode}",
                 f"load average before the bench (1 min): {load_before:.2f} (other work on the machine skews the "
                 "times)",
                 "",
                 *_speed(runs, n, workers, assignments),
                 *_breakdown(runs[1]),
                 *_submissions(plan, assignments),
                 *_errors(runs),
                 *scores]
        if keep:
            lines += ["", f"kept in {root} (runs/<configuration>/autograded, gradebook-<configuration>.db)"]
        text = "\n".join(lines)
        print(text, file=out, flush=True)
        return BenchResult(plan, runs, differences, parallel_ratio, sandbox_ratio, warm_ratio, text, root)
