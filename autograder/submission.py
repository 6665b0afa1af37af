"""One submission, from the folder a student handed in to the notebook that will run.

``find`` lists ``submitted/<student>/<assignment>/`` folders; ``load`` reads a notebook and says in one line
what is wrong when it cannot (missing, misnamed, empty, not JSON, not a notebook); ``prepare`` restores graded
cells the student deleted, then runs nbgrader's own sanitizing preprocessors as the course configures them
(``Course.sanitizers``: by default ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells,
CheckCellMetadata -- locked cells get their source back from the gradebook), and reports every deleted or
edited graded cell.
"""
from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.preprocessors import ClearHiddenTests

from . import gradebook
from .coursedir import Course, refuse_unknown

from . import cells

# Changing how grades are computed must regrade everything: part of every submission's hash.
GRADER_VERSION = "1"


@dataclass(frozen=True)
class Submission:
    """What one student handed in for one assignment: the folder ``submitted/<student>/<assignment>/``."""
    student: str
    assignment: str
    folder: Path


class Unreadable(Exception):
    """The notebook cannot be graded at all; the message is the one-line reason."""


def find(course: Course, assignments: list[str] | None = None,
         students: list[str] | None = None) -> list[Submission]:
    """The submissions of ``assignments`` by ``students`` (default: all). A name of ``assignments`` that is no
    assignment of source/, a name of ``students`` without a folder in submitted/, or a student who handed in none
    of ``assignments``, raises ``ValueError`` naming those there are: a mistyped name is no empty run."""
    course.check_assignments(assignments)
    submitted = course.submitted
    folders = sorted(p for p in submitted.iterdir() if p.is_dir() and not p.name.startswith(".")) \
        if submitted.is_dir() else []
    refuse_unknown("student", students, [p.name for p in folders], "submitted/")
    out = []
    for student in folders:
        if students and student.name not in students:
            continue
        for folder in sorted(p for p in student.iterdir() if p.is_dir() and not p.name.startswith(".")):
            if assignments and folder.name not in assignments:
                continue
            out.append(Submission(student.name, folder.name, folder))
    idle = [name for name in dict.fromkeys(students or ()) if not any(s.student == name for s in out)]
    if idle:
        handed = {name: sorted(p.name for p in (submitted / name).iterdir() if p.is_dir()) for name in idle}
        raise ValueError("nothing to grade: " + "; ".join(
            f"{name} handed in {', '.join(handed[name]) or 'nothing'}, not {', '.join(assignments or ())}"
            for name in idle))
    return out


def content_hash(submission: Submission, source_folder: Path) -> str:
    """Hash of everything that decides the grade: the submitted files, the assignment's source, the grader."""
    digest = hashlib.sha256(GRADER_VERSION.encode())
    for folder, tag in ((submission.folder, b"submitted"), (source_folder, b"source")):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and ".ipynb_checkpoints" not in p.parts):
            digest.update(tag + b"\0" + str(path.relative_to(folder)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def locate(submission: Submission, notebook: str) -> tuple[Path | None, str | None]:
    """The file to grade as ``notebook``.ipynb, and a note when it is not the expected name."""
    expected = submission.folder / f"{notebook}.ipynb"
    if expected.is_file():
        return expected, None
    others = sorted(p for p in submission.folder.glob("*.ipynb") if p.is_file())
    if len(others) == 1:
        return others[0], f"the notebook was named {others[0].name}, expected {expected.name}; graded it anyway"
    if others:
        names = ", ".join(p.name for p in others)
        raise Unreadable(f"no {expected.name} in the submission (found {names}; which one to grade is unclear)")
    raise Unreadable(f"no {expected.name} in the submission")


def load(path: Path):
    data = path.read_bytes()
    if not data.strip():
        raise Unreadable(f"{path.name} is empty")
    try:
        raw = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise Unreadable(f"{path.name} is not valid JSON ({error.__class__.__name__}: {str(error)[:80]}); "
                         "was it saved from Jupyter?") from error
    try:
        nb = nbformat.reads(json.dumps(raw), as_version=4)
        nbformat.validate(nb)
    except Exception as error:
        raise Unreadable(f"{path.name} is not a Jupyter notebook ({str(error).splitlines()[0][:100]})") from error
    return nb


@dataclass
class Prepared:
    nb: object                                  # ready to run (hidden tests in, outputs cleared)
    submitted: object                           # as handed in (for the scan)
    notes: list[str] = field(default_factory=list)      # told to the student
    tampered: list[str] = field(default_factory=list)   # flags for the teacher


def _restore_deleted(nb, source) -> list[str]:
    """Put back the graded cells (tests and answers) missing from ``nb``, where ``source`` (the gradebook's
    notebook) has them."""
    rows = {cell.name: cell for cell in source.source_cells}
    order = list(rows)
    graded = {cell.name: cell for cell in source.grade_cells}
    solutions = {cell.name for cell in source.solution_cells}
    present = {cells.grade_id(cell) for cell in nb.cells}
    restored = []
    for name in order:
        if name in present or name not in graded:
            continue
        cell_row = rows[name]
        if name in solutions:
            new = cells.new_graded_cell(cell_row.cell_type, "", name, graded[name].max_score, solution=True)
        else:
            new = cells.new_graded_cell(cell_row.cell_type, cell_row.source, name, graded[name].max_score,
                                        solution=False, checksum=cell_row.checksum)
        # after the nearest earlier cell of the source that the submission has
        earlier = order[:order.index(name)]
        at = 0
        for index, cell in enumerate(nb.cells):
            if cells.grade_id(cell) in earlier:
                at = index + 1
        nb.cells.insert(at, new)
        present.add(name)
        restored.append(name)
    return restored


def _released(source: str) -> str:
    """A locked cell's source as the release shows it: hidden tests taken out, as nbgrader does."""
    cell = cells.new_graded_cell("code", source, "x", 0, solution=False)
    cell, _ = ClearHiddenTests().preprocess_cell(cell, {}, 0)
    return "\n".join(line.rstrip() for line in cell.source.strip().splitlines())


def prepare(nb, course: Course, assignment: str, notebook: str, student: str) -> Prepared:
    """Sanitize ``nb`` the way ``nbgrader autograde`` does, after putting back deleted graded cells."""
    prepared = Prepared(nb=None, submitted=copy.deepcopy(nb))
    with gradebook.connect(course.db_url) as gb:
        stored = gb.find_notebook(notebook, assignment)
        restored = _restore_deleted(nb, stored)
        sources = {c.name: c for c in stored.source_cells}
        for name in restored:
            kind = "test" if sources[name].locked else "answer"
            prepared.notes.append(f"the graded {kind} cell `{name}` was deleted from the notebook; it was put back "
                                  + ("empty (0 points)" if not sources[name].locked else "from the assignment"))
            prepared.tampered.append(f"deleted the graded cell `{name}`")
        for cell in nb.cells:
            name = cells.grade_id(cell)
            if name in sources and sources[name].locked and name not in restored:
                original = sources[name]
                if _released(cell.source) != _released(original.source) or cell.cell_type != original.cell_type:
                    prepared.notes.append(f"the locked cell `{name}` was edited; the original was put back")
                    prepared.tampered.append(f"edited the locked cell `{name}`")
    resources = {"nbgrader": {"assignment": assignment, "notebook": notebook, "student": student,
                              "db_url": course.db_url}}
    for preprocessor in course.sanitizers:   # called, not .preprocess: a preprocessor configured off is skipped
        nb, resources = preprocessor(nb, resources)
    prepared.nb = nb
    return prepared


def blank(release: Path | None):
    """What to show for a notebook that could not be read: the released notebook, else an empty one."""
    if release is not None and release.is_file():
        return nbformat.read(release, as_version=4)
    return nbformat.v4.new_notebook()
