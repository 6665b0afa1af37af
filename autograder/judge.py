"""Step 3 of grading a submission, in the main thread: each notebook judged from what its kernel answered.

The decoys are taken out (one that passed means the kernel forged its results: no autograded points), every test
cell that failed shows why (a message of its own when the kernel showed no error, or when the cell did not run),
and the scores go into the submission's ``Outcome``. The kernel's replies are only trusted as far as the decoys
allow: see ``decoys``.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

import nbformat
from nbgrader import utils as nbutils

from . import cells, decoys, submission
from .coursedir import Course
from .execute import NOT_RUN, Execution
from .i18n import _, ngettext
from .outcome import NotebookOutcome, Outcome
from .task import PreparedNotebook, Task

# The English of the reason, which the report and the tests compare; the student reads it in their language
# (``unchanged_reason``: the same words, given to the catalogue there).
UNCHANGED = "handed in unchanged: no answer cell differs from the release"
_UNDEFINED = re.compile(r"^NameError: name '([^']+)' is not defined")


def _real_cause(message: str | None, binds: dict[str, str], stopped: dict[str, str]) -> str | None:
    """A test's "NameError: name 'relu_graph' is not defined" said as what it is: the answer cell that binds the
    name (``binds``: name -> grade_id, from the reference and from the student's own cell) stopped on an error
    before it did (``stopped``: grade_id -> that error)."""
    match = _UNDEFINED.match(message or "")
    grade_id = binds.get(match[1]) if match else None
    if grade_id not in stopped:
        return message
    error = stopped[grade_id]
    if error.startswith("NotImplementedError"):
        return _("{name} is not defined: its cell ({cell}) is not written yet (it raises NotImplementedError)").format(
            name=match[1], cell=grade_id)
    return _("{name} is not defined: its cell ({cell}) stopped on an error before defining it, {error}. "
             "Fix that cell first").format(name=match[1], cell=grade_id, error=error)


def unchanged_reason() -> str:
    """``UNCHANGED`` in the language of the submission."""
    return _("handed in unchanged: no answer cell differs from the release")


@functools.lru_cache(maxsize=64)
def _reference_binds(path: Path, mtime: float) -> dict[str, str]:
    """name -> grade_id of the answer cells of the source notebook at ``path`` (what each reference binds)."""
    try:
        nb = nbformat.read(path, as_version=4)
    except (OSError, ValueError):
        return {}
    return {name: cells.grade_id(c) for c in nb.cells if cells.is_solution(c) and c.cell_type == "code"
            and cells.grade_id(c) for name in cells.defined_names(c.source)}


def reference_binds(course: Course, assignment: str, notebook: str) -> dict[str, str]:
    path = course.source / assignment / f"{notebook}.ipynb"
    try:
        return _reference_binds(path, path.stat().st_mtime)
    except OSError:
        return {}


def _first_error(cell) -> str | None:
    for out in cell.get("outputs", []):
        if out.output_type == "error":
            text = f"{out.ename}: {out.evalue}".strip().rstrip(":")
            return text.splitlines()[0][:300] if text else out.ename
    return None


def _error_output(text: str):
    return nbformat.v4.new_output("error", ename="AutograderError", evalue=text, traceback=[text])


def _ran(prepared: PreparedNotebook, execution: Execution | None, outcome: Outcome, result: NotebookOutcome):
    """The notebook as it ran (decoys out, cell ids back), each cell's status, and why cells did not execution."""
    if execution is None:
        nb = submission.blank(prepared.release)
        return nb, [NOT_RUN if c.cell_type == "code" else None for c in nb.cells], outcome.reason or _("not graded")
    nb, status, result.decoys = decoys.remove(execution.notebook, prepared.decoys, execution.status)
    for cell, cell_id in zip(nb.cells, prepared.original_ids):
        if cell_id:
            cell["id"] = cell_id
    if execution.reason and not outcome.reason:
        outcome.reason = execution.reason
    if execution.killed:
        outcome.notes.append(ngettext("{count} process still running after the notebook was stopped",
                                      "{count} processes still running after the notebook were stopped",
                                      len(execution.killed)).format(count=len(execution.killed)))
    return nb, status, execution.reason


def judge(course: Course, prepared: PreparedNotebook, execution: Execution | None,
          outcome: Outcome, binds: dict[str, str] | None = None) -> tuple[object, NotebookOutcome]:
    """The graded notebook (decoys out, every failed test showing why, then the nbgrader autograde preprocessors
    that ours keeps: ``Course.after_execution``) and its scores."""
    result = NotebookOutcome(prepared.name, language=prepared.language)
    nb, status, why = _ran(prepared, execution, outcome, result)
    forged = any(v == "ok" for v in result.decoys)
    if forged:
        outcome.flags.append("a decoy test passed: the kernel did not report failing tests honestly "
                             "(no autograded points)")
        outcome.notes.append(_("Your notebook changed how the tests run or report failures, so no test result "
                               "from it can be trusted: no autograded points. Your teacher will look at it."))
    binds = dict(binds or {})                 # name -> the answer cell (grade_id) that binds it
    stopped: dict[str, str] = {}             # grade_id -> the error its answer cell stopped on
    for index, cell in enumerate(nb.cells):
        if cells.is_solution(cell) and cell.cell_type == "code" and cells.grade_id(cell):
            for name in cells.defined_names(cell.source):
                binds.setdefault(name, cells.grade_id(cell))
            error = _first_error(cell)
            if error:
                stopped[cells.grade_id(cell)] = error
        if cells.is_solution(cell) and cells.meta(cell).get("checksum") == nbutils.compute_checksum(cell):
            result.unanswered.append(cells.grade_id(cell))   # nbgrader's "No response."
        if not cells.is_graded(cell):
            continue
        grade_id, points = cells.grade_id(cell), cells.points(cell)
        result.points[grade_id] = points
        if cells.is_solution(cell):   # an answer cell with points: 0 when left blank, else graded by hand
            if cell.cell_type == "markdown":
                result.written.append(grade_id)
            blank = grade_id in result.unanswered or execution is None
            result.scores[grade_id] = 0.0 if blank else (
                None if cell.cell_type == "markdown" else nbutils.determine_grade(cell)[0])
            continue
        if cell.cell_type != "code":
            continue
        message = _first_error(cell)
        cause = _real_cause(message, binds, stopped)
        if cause != message:                   # said under the cell too, after the NameError it explains
            message = cause
            cell.outputs.append(_error_output(message))
        if status[index] == NOT_RUN:
            message = _("not run: {why}").format(why=why)
            cell.outputs = [_error_output(message)]
        elif status[index] != "ok" and message is None:
            message = _("the cell failed, but no error was shown (the error display was changed)")
            cell.outputs.append(_error_output(message))
        passed = status[index] == "ok" and message is None and not forged
        result.scores[grade_id] = points if passed else 0.0
        if not passed:
            result.messages[grade_id] = message or _("no autograded points: a decoy test passed")
    for preprocessor in course.after_execution:   # called, not .preprocess: one configured off is skipped
        nb, _resources = preprocessor(nb, {})
    return nb, result


def _unchanged(graded: list[tuple[str, object]], results: list[NotebookOutcome]) -> bool:
    """Whether every answer cell of every notebook is as released (and there is one): a blank hand-in."""
    answers = [(cells.grade_id(c), r) for (_, nb), r in zip(graded, results) for c in nb.cells if cells.is_solution(c)]
    return bool(answers) and all(grade_id in r.unanswered for grade_id, r in answers)


def _banner(outcome: Outcome):
    lines = ([_("**Autograder:** {reason}.").format(reason=outcome.reason)] if outcome.reason else []) + [
        f"- {n}" for n in outcome.notes]
    cell = nbformat.v4.new_markdown_cell("\n".join(lines))
    cell.metadata["autograder"] = {"reason": outcome.reason, "notes": outcome.notes}
    return cell


def judge_all(course: Course, task: Task, executions: list[Execution | None]) -> list[tuple[str, object]]:
    """``(name, graded notebook)`` of each notebook of ``task`` (``executions``: empty when nothing ran), each
    opened by the banner of the submission's reason and notes when it has any; the scores go into
    ``task.outcome``."""
    outcome = task.outcome
    graded = []
    for prepared, execution in zip(task.notebooks, executions or [None] * len(task.notebooks)):
        nb, result = judge(course, prepared, execution, outcome,
                           reference_binds(course, task.submission.assignment, prepared.name))
        outcome.notebooks.append(result)
        graded.append((prepared.name, nb))
    # Every notebook read and run, and not one answer written: say so, or a 0 looks like a grader's fault.
    if executions and all(e is not None for e in executions) and _unchanged(graded, outcome.notebooks):
        unchanged = unchanged_reason()
        outcome.reason = f"{outcome.reason}; {unchanged}" if outcome.reason else unchanged
    if outcome.reason or outcome.notes:
        for _name, nb in graded:
            nb.cells.insert(0, _banner(outcome))
    return graded
