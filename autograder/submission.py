"""One submission, from the folder a student handed in to the notebook that will run.

``find`` lists ``submitted/<student>/<assignment>/`` folders (and refuses names that are none); ``timestamp``
reads when it was handed in; ``locate`` finds the file of each notebook (a missing one is "not handed in");
``load`` reads a notebook and says in one line what is wrong when it cannot (missing, misnamed, empty, not JSON,
not a notebook); ``prepare`` takes the grading metadata off cells that claim to be cells they are not (duplicated
or forged), restores graded cells the student deleted, then runs nbgrader's own sanitizing preprocessors as the
course configures them (``Course.sanitizers``: by default ClearOutput, DeduplicateIds, OverwriteKernelspec,
OverwriteCells, CheckCellMetadata -- locked cells get their source back from the gradebook), and reports every
duplicated, forged, deleted or edited graded cell.
"""
from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import nbformat
from nbgrader.preprocessors import ClearHiddenTests

from . import gradebook
from .coursedir import Course, refuse_unknown
from .i18n import _, ngettext

from . import cells, translate

# Changing how grades are computed must regrade everything: part of every submission's hash.
# 2: the record says which answers are written (outcome.NotebookOutcome.written), and when nothing was answered.
GRADER_VERSION = "2"


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


def locate(submission: Submission, notebook: str, notebooks: Iterable[str] = ()) -> tuple[Path, str | None]:
    """The file to grade as ``notebook``.ipynb (``notebooks``: every notebook of the assignment), and a note when
    it is not the expected name. Either edition is ``notebook`` (03_relu.ipynb, 03_relu.fr.ipynb); when both were
    handed in, the one with more answers written is graded (``both_editions``). A file named after a notebook of the
    assignment is that notebook and never graded as another; a misnamed file ("03_relu (1).ipynb") is graded as
    ``notebook`` when it cannot be another one: the only file named after none, and ``notebook`` the only one
    missing. Raises ``Unreadable`` otherwise ("not handed in"): plain nbgrader grades no misnamed file, and scores a
    missing notebook 0."""
    folder = submission.folder
    expected = folder / f"{notebook}.ipynb"
    present = [folder / translate.edition_file(notebook, language) for language in translate.LANGUAGES]
    present = [p for p in present if p.is_file()]
    if len(present) == 1:
        return present[0], None
    if present:
        return both_editions(present)
    names = {notebook, *notebooks}
    found = sorted(p for p in folder.glob("*.ipynb") if p.is_file())
    misnamed = [p for p in found if translate.split_edition(p.stem)[0] not in names]
    missing = sorted(n for n in names if not any((folder / translate.edition_file(n, language)).is_file()
                                                 for language in translate.LANGUAGES))
    if len(misnamed) == 1 and missing == [notebook]:
        return misnamed[0], _("the notebook was named {found}, expected {expected}; graded it anyway").format(
            found=misnamed[0].name, expected=expected.name)
    if len(missing) == 1 and misnamed:
        listed = ", ".join(p.name for p in misnamed)
        raise Unreadable(_("{expected} not handed in (found {found}; which one to grade is unclear)").format(
            expected=expected.name, found=listed))
    if misnamed:
        listed = ", ".join(p.name for p in misnamed)
        raise Unreadable(_("{expected} not handed in ({found} could be any of the {count} notebooks "
                           "missing: rename it)").format(expected=expected.name, found=listed, count=len(missing)))
    if found:
        raise Unreadable(_("{expected} not handed in (the submission has {found})").format(
            expected=expected.name, found=", ".join(p.name for p in found)))
    raise Unreadable(_("{expected} not handed in").format(expected=expected.name))


def both_editions(paths: list[Path]) -> tuple[Path, str]:
    """Of the editions of one notebook a student handed in, the one they worked on: the one with the most answer
    cells changed from the release, else the one saved last; and the note that says so."""
    counts = {}
    for path in paths:
        try:
            counts[path] = translate.answers_written(load(path))
        except Unreadable:
            counts[path] = -1
    chosen = max(paths, key=lambda p: (counts[p], p.stat().st_mtime_ns))

    def said(path):
        edition = _("the French edition") if translate.split_edition(path.stem)[1] == "fr" else _(
            "the English edition")
        n = counts[path]
        what = _("unreadable") if n < 0 else ngettext("{n} answer cell changed", "{n} answer cells changed",
                                                      n).format(n=n)
        return _("{file} ({edition}, {what})").format(file=path.name, edition=edition, what=what)

    others = ", ".join(said(p) for p in paths if p != chosen)
    return chosen, _("both editions were handed in: {chosen} was graded, not {others}; hand in only the one you "
                     "work on").format(chosen=said(chosen), others=others)


def language_of(path: Path) -> str:
    """The language of the notebook file at ``path``: its metadata, else its name (English when unreadable)."""
    try:     # the metadata only: no need to parse the cells into a notebook and validate them (load does)
        raw = json.loads(path.read_bytes())
        metadata = raw.get("metadata") if isinstance(raw, dict) else None
        return translate.notebook_language(nbformat.from_dict({"metadata": metadata if isinstance(metadata, dict)
                                                                            else {}}), path.stem)
    except (ValueError, OSError):
        return translate.split_edition(path.stem)[1]


def timestamp(course: Course, submission: Submission) -> tuple[datetime | None, str | None]:
    """When ``submission`` was handed in, from its ``timestamp.txt`` as nbgrader's ``CourseDirectory`` reads it
    (None without the file, or with an empty one), and a note when the file holds no date. nbgrader's
    ``get_existing_timestamp`` then calls a ``fail`` that its ``CourseDirectory`` does not have: plain
    ``nbgrader autograde`` stops that student on an AttributeError, removes what it graded and records nothing.
    Here the submission is graded without a time, as nbgrader treats an empty file: not late, no penalty."""
    try:
        return course.directory.get_existing_timestamp(str(submission.folder)), None
    except Exception:   # nbgrader's missing ``fail`` (AttributeError), dateutil's OverflowError, undecodable bytes
        try:
            text = (submission.folder / "timestamp.txt").read_bytes().decode("utf-8", "replace").strip()
            shown = repr(text[:60]) + ("..." if len(text) > 60 else "")
        except OSError as error:
            shown = _("it cannot be read ({error})").format(error=error.strerror)
        return None, _("timestamp.txt is not a date: {shown}; the time it was handed in is unknown, so it was "
                       "graded as handed in on time (no late penalty)").format(shown=shown)


def load(path: Path):
    data = path.read_bytes()
    if not data.strip():
        raise Unreadable(_("{file} is empty").format(file=path.name))
    try:
        raw = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise Unreadable(_("{file} is not valid JSON ({error}); was it saved from Jupyter?").format(
            file=path.name, error=f"{error.__class__.__name__}: {str(error)[:80]}")) from error
    try:
        invalid = {}     # nbformat.reads validates once; it says here whether the notebook failed
        nb = nbformat.reads(json.dumps(raw), as_version=4, capture_validation_error=invalid)
        if invalid:
            raise invalid["ValidationError"]
    except Exception as error:
        raise Unreadable(_("{file} is not a Jupyter notebook ({error})").format(
            file=path.name, error=str(error).splitlines()[0][:100])) from error
    return nb


@dataclass
class Prepared:
    nb: object                                  # ready to run (hidden tests in, outputs cleared)
    submitted: object                           # as handed in, forged metadata off (for the scan)
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
    cell, _resources = ClearHiddenTests().preprocess_cell(cell, {}, 0)
    return "\n".join(line.rstrip() for line in cell.source.strip().splitlines())


def _claims(cell) -> bool:
    """Whether nbgrader takes ``cell`` for a cell of the assignment (a grade, solution or locked cell: the cells
    nbgrader's DeduplicateIds and CheckCellMetadata look at)."""
    return cells.is_graded(cell) or cells.is_solution(cell) or cells.is_locked(cell)


def _kept(copies: list[tuple[int, object]], original) -> tuple[int, object]:
    """Which of ``copies`` (index, cell), all carrying the metadata of the assignment's cell ``original`` (a source
    cell of the gradebook), is graded as it: for a locked cell the last that still holds the original, for an answer
    the last that is answered; else the last, as nbgrader's DeduplicateIds keeps."""
    def same(cell):
        if original.locked:
            return cell.cell_type == original.cell_type and _released(cell.source) == _released(original.source)
        return cell.source.strip() != (original.source or "").strip()
    return ([c for c in copies if same(c[1])] or copies)[-1]


def _unclaim(nb, sources: dict, notebook: str) -> tuple[list[str], list[str]]:
    """Take the grading metadata off the cells of ``nb`` that claim an assignment's cell they are not: a grade_id
    the notebook has not (forged, or copied from another notebook), or one that several cells carry (a graded
    cell copied with its metadata; ``_kept`` says which one stays). Those cells then run as the student's own.
    Returns (notes for the student, flags for the teacher), which name ``notebook``.

    nbgrader's DeduplicateIds would empty the metadata of all but the last copy, which its CheckCellMetadata then
    refuses ("Outdated schema version: 0"): the whole notebook would get 0, and plain nbgrader stops grading."""
    notes, flags = [], []
    by_id: dict[str, list[tuple[int, object]]] = {}
    for index, cell in enumerate(nb.cells):
        if "nbgrader" in cell.metadata and not cell.metadata.nbgrader:   # empty: says nothing, and fails validation
            del cell.metadata["nbgrader"]
        elif _claims(cell):
            by_id.setdefault(cells.grade_id(cell), []).append((index, cell))
    for name, claimed in by_id.items():
        if name not in sources:
            where = ", ".join(str(index + 1) for index, _ in claimed)
            if name:
                notes.append(ngettext("{notebook}.ipynb: cell {where} carries grading metadata of a cell `{name}` "
                                      "that this notebook does not have (was it copied from elsewhere?); it was run "
                                      "as an ordinary cell",
                                      "{notebook}.ipynb: cells {where} carry grading metadata of a cell `{name}` "
                                      "that this notebook does not have (were they copied from elsewhere?); they "
                                      "were run as ordinary cells", len(claimed)).format(
                                          notebook=notebook, where=where, name=name))
            else:
                notes.append(ngettext("{notebook}.ipynb: cell {where} carries grading metadata without a cell name "
                                      "(was it copied from elsewhere?); it was run as an ordinary cell",
                                      "{notebook}.ipynb: cells {where} carry grading metadata without a cell name "
                                      "(were they copied from elsewhere?); they were run as ordinary cells",
                                      len(claimed)).format(notebook=notebook, where=where))
            flags.append(f"forged a graded cell `{name}` in {notebook}.ipynb: no such cell in the assignment" if name
                         else f"forged a graded cell without a name in {notebook}.ipynb")
        elif len(claimed) > 1:
            kept = _kept(claimed, sources[name])
            claimed = [c for c in claimed if c is not kept]
            where = ", ".join(str(index + 1) for index, _ in claimed)
            notes.append(ngettext("{notebook}.ipynb: the cell `{name}` was duplicated with its grading metadata: cell "
                                  "{kept} is graded as `{name}`, the other copies (cell {where}) were run as ordinary "
                                  "cells",
                                  "{notebook}.ipynb: the cell `{name}` was duplicated with its grading metadata: cell "
                                  "{kept} is graded as `{name}`, the other copies (cells {where}) were run as ordinary "
                                  "cells", len(claimed)).format(notebook=notebook, name=name, kept=kept[0] + 1,
                                                                 where=where))
            if cells.is_graded(kept[1]):
                flags.append(f"duplicated the graded cell `{name}` of {notebook}.ipynb ({len(claimed) + 1} cells carry "
                             "its metadata)")
        else:
            continue
        for _index, cell in claimed:
            del cell.metadata["nbgrader"]
    return notes, flags


def prepare(nb, course: Course, assignment: str, notebook: str, student: str, language: str = "en") -> Prepared:
    """Sanitize ``nb`` the way ``nbgrader autograde`` does, after taking the grading metadata off the cells that
    claim to be cells they are not (``_unclaim``) and putting back deleted graded cells. ``language``: the edition
    ``nb`` is (its locked cells are compared with that edition's, and given back in it after nbgrader's
    OverwriteCells put the English back: ``translate.translate_graded``)."""
    prepared = Prepared(nb=None, submitted=None)
    catalogue = translate.catalogue(course.root, assignment, language) if language != translate.ENGLISH else None
    with gradebook.connect(course.db_url) as gb:
        stored = gb.find_notebook(notebook, assignment)
        sources = {c.name: SimpleNamespace(name=c.name, cell_type=c.cell_type, locked=c.locked, source=c.source,
                                           checksum=c.checksum) for c in stored.source_cells}
        # the cells as this edition has them (the same as sources in English)
        edition = {name: c if catalogue is None or not c.locked else SimpleNamespace(
                       **{**vars(c), "source": translate.translated_source(c, catalogue, setup=name == "setup")})
                   for name, c in sources.items()}
        prepared.notes, prepared.tampered = _unclaim(nb, edition, notebook)
        prepared.submitted = copy.deepcopy(nb)   # the scan reads the cells unclaimed above as the student's
        restored = _restore_deleted(nb, stored)
        for name in restored:
            prepared.notes.append((_("the graded test cell `{name}` was deleted from the notebook; it was put back "
                                     "from the assignment") if sources[name].locked else
                                   _("the graded answer cell `{name}` was deleted from the notebook; it was put back "
                                     "empty (0 points)")).format(name=name))
            prepared.tampered.append(f"deleted the graded cell `{name}`")
        for cell in nb.cells:
            name = cells.grade_id(cell)
            if name in sources and sources[name].locked and name not in restored:
                original = sources[name]
                if _released(cell.source) != _released(edition[name].source) or cell.cell_type != original.cell_type:
                    prepared.notes.append(_("the locked cell `{name}` was edited; the original was put back").format(
                        name=name))
                    prepared.tampered.append(f"edited the locked cell `{name}`")
    resources = {"nbgrader": {"assignment": assignment, "notebook": notebook, "student": student,
                              "db_url": course.db_url}}
    for preprocessor in course.sanitizers:   # called, not .preprocess: a preprocessor configured off is skipped
        nb, resources = preprocessor(nb, resources)
    if catalogue is not None:
        translate.translate_graded(nb, catalogue, sources)
    prepared.nb = nb
    return prepared


def blank(release: Path | None):
    """What to show for a notebook that could not be read: the released notebook, else an empty one."""
    if release is not None and release.is_file():
        return nbformat.read(release, as_version=4)
    return nbformat.v4.new_notebook()
