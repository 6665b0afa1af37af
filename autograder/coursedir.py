"""The course: where it is, its configuration, its gradebook, its folders and assignments.

``Course`` is built once per command (``Course.find`` from the command line, ``Course.at(root)`` otherwise) and
handed to it: ``nbgrader_config.py`` is parsed there and nowhere else, the gradebook's URL is resolved there
(``--db``, else ``c.CourseDirectory.db_url``, else ``sqlite:///<course>/gradebook.db``), and nbgrader's classes
(its ``CourseDirectory``, the preprocessors of its autograde step) are built there, with that configuration.

An assignment is a folder ``source/NN_topic/`` holding ``NN_topic.ipynb`` (nbgrader's assignment name is the
folder name, and the notebook has the same name).
"""
from __future__ import annotations

import copy
import dataclasses
import difflib
import os
import re
import sys
from collections.abc import Iterable
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

from traitlets import TraitError
from traitlets.config import Config
from traitlets.utils.importstring import import_item

from . import metadata_schema, settings

ASSIGNMENT_NAME = re.compile(r"^\d\d_[a-z0-9_]+$")


def find_root(start: Path | str | None = None) -> Path:
    """The course root: the nearest folder at or above ``start`` (default: cwd) with ``nbgrader_config.py``
    and ``source/``."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "nbgrader_config.py").is_file() and (folder / "source").is_dir():
            return folder
    raise FileNotFoundError(
        f"no course found at or above {here}: expected a folder with nbgrader_config.py and source/")


def assignments(root: Path | str) -> list[str]:
    """Names of the assignments in ``root/source``, in course order (by their number)."""
    source = Path(root) / "source"
    return sorted(d.name for d in source.iterdir()
                  if d.is_dir() and ASSIGNMENT_NAME.match(d.name) and (d / f"{d.name}.ipynb").is_file())


def refuse_unknown(kind: str, asked: Iterable[str] | None, known: Iterable[str], where: str) -> None:
    """Raise ``ValueError`` when a name of ``asked`` (given on the command line) is not one of ``known``, naming
    those that are: a mistyped name must stop the command, not let it grade, export or report nothing and succeed.
    ``kind``: "assignment", "student"; ``where``: what holds ``known`` ("source/", "submitted/")."""
    known = list(known)
    unknown = [name for name in dict.fromkeys(asked or ()) if name not in known]
    if not unknown:
        return
    named = []
    for name in unknown:
        close = difflib.get_close_matches(name, known, n=1)
        named.append(f"{name} (did you mean {close[0]}?)" if close else name)
    shown = ", ".join(known[:20]) + (f", ... ({len(known)} in all)" if len(known) > 20 else "")
    raise ValueError(f"unknown {kind}{'s' if len(unknown) > 1 else ''} {', '.join(named)}: "
                     f"{where} has {shown or 'none'}")


def refuse_ungraded(asked: Iterable[str] | None, graded: Iterable[str]) -> None:
    """Raise ``ValueError`` when an assignment of ``asked`` (all of source/) is not one of ``graded`` (those the
    gradebook knows): there is nothing to export or report for it yet."""
    graded = list(graded)
    never = [name for name in dict.fromkeys(asked or ()) if name not in graded]
    if never:
        raise ValueError(f"never graded: {', '.join(never)} (the gradebook has {', '.join(graded) or 'none'}); "
                         f"run `python -m autograder grade {' '.join(never)}` first")


def source_notebook(root: Path | str, assignment: str) -> Path:
    return Path(root) / "source" / assignment / f"{assignment}.ipynb"


def release_notebook(root: Path | str, assignment: str) -> Path:
    return Path(root) / "release" / assignment / f"{assignment}.ipynb"


def _replaced() -> dict[type, str]:
    """The preprocessors of nbgrader's autograde step (``Autograde.autograde_preprocessors``) that ours replaces,
    and by what. Every other one runs, configured, on the graded notebook (``Course.after_execution``)."""
    from nbgrader.preprocessors import AssignLatePenalties, Execute, SaveAutoGrades
    return {
        # The notebook runs in a sandboxed kernel, with hard timeouts and a cap on its output.
        Execute: "execute.execute",
        # The test cells are scored from the kernel's replies and the decoys (the kernel is not trusted to report
        # its own failures), then written with the flags in one transaction.
        SaveAutoGrades: "judge.judge, gradebook.record",
        # Its plugin (``Course.late_penalties``) computes the penalty in the transaction that writes the scores.
        AssignLatePenalties: "gradebook.record",
    }


@contextmanager
def _importable(root: Path):
    """``root`` first on ``sys.path`` meanwhile: nbgrader puts the course folder there (its NbGrader app adds the
    working directory), so a plugin or preprocessor the config names can live in a module beside
    nbgrader_config.py (``c.AssignLatePenalties.plugin_class = "late.SubMarks"`` with ``late.py``)."""
    sys.path.insert(0, str(root))
    try:
        yield
    finally:
        sys.path.remove(str(root))


def _folder(name: str) -> property:
    """The folder ``<root>/name`` of a course, as a property."""
    return property(lambda course: course.root / name, doc=f"``<root>/{name}``")


@dataclasses.dataclass(frozen=True)
class Course:
    root: Path
    config: Config          # nbgrader_config.py, parsed once
    db_url: str             # the gradebook

    @classmethod
    def at(cls, root: Path | str, db_url: str | None = None) -> Course:
        """The course at ``root``, its gradebook at ``db_url``, else ``c.CourseDirectory.db_url`` of its config
        (nbgrader and the formgrader use it too), else ``sqlite:///<root>/gradebook.db`` (nbgrader's default)."""
        root = Path(root).resolve()
        config = settings.load_config(root)
        return cls(root, config, db_url or config.CourseDirectory.get("db_url") or f"sqlite:///{root / 'gradebook.db'}")

    @classmethod
    def find(cls, start: Path | str | None = None, db_url: str | None = None) -> Course:
        """The course at or above ``start`` (default: cwd)."""
        return cls.at(find_root(start), db_url)

    @classmethod
    def of(cls, course: Course | Path | str, db_url: str | None = None) -> Course:
        """``course`` when it is one (with the gradebook at ``db_url`` when given), else the course at that root."""
        if not isinstance(course, Course):
            return cls.at(course, db_url)
        return course if not db_url or db_url == course.db_url else dataclasses.replace(course, db_url=db_url)

    # -- folders and assignments -------------------------------------------------------------------------------
    source = _folder("source")
    release = _folder("release")
    submitted = _folder("submitted")
    autograded = _folder("autograded")
    feedback = _folder("feedback")
    answers = _folder("answers")        # the graders' answer key (python -m autograder answers): never released

    @property
    def assignments(self) -> list[str]:
        return assignments(self.root)

    @property
    def excluded_students(self) -> frozenset[str]:
        """The students ``c.CourseDirectory.student_id_exclude`` names, split on "," as nbgrader splits it (a space
        after a comma stays part of the name: ``exclusion_problems`` says so). Grading, feedback, the exports and
        the report leave them out."""
        listed = self.directory.student_id_exclude
        return frozenset(listed.split(",")) if listed else frozenset()

    def exclusion_problems(self) -> list[str]:
        """What in ``c.CourseDirectory.student_id_exclude`` excludes nobody as the teacher meant."""
        names = sorted(self.excluded_students)
        meant = ",".join(n.strip() for n in names)
        return [f"c.CourseDirectory.student_id_exclude names {name!r}, spaces included (nbgrader splits the list "
                f"on ',' only): write the ids without spaces, {meant!r}" for name in names if name != name.strip()][:1]

    def check_assignments(self, names: Iterable[str] | None) -> None:
        """Raise ``ValueError`` (``refuse_unknown``) when one of ``names`` is not an assignment of source/."""
        refuse_unknown("assignment", names, self.assignments, "source/")

    def source_notebook(self, assignment: str) -> Path:
        return source_notebook(self.root, assignment)

    def release_notebook(self, assignment: str) -> Path:
        return release_notebook(self.root, assignment)

    # -- configuration ------------------------------------------------------------------------------------------
    def settings(self, **overrides) -> tuple[settings.Grading, settings.Isolation]:
        """The grading settings and the sandbox's (``settings.load``); ``overrides`` win over the file."""
        return settings.load(self.config, **overrides)

    def nbgrader_config(self) -> Config:
        """A copy of the config to hand to one of nbgrader's applications, with the root and gradebook of this
        course (a copy: nbgrader's converters change the config they are given)."""
        config = copy.deepcopy(self.config)
        config.CourseDirectory.root = str(self.root)
        config.CourseDirectory.db_url = self.db_url
        return config

    @cached_property
    def directory(self):
        """nbgrader's ``CourseDirectory`` of the course (its file patterns, timestamps, folder layout)."""
        from nbgrader.coursedir import CourseDirectory
        return CourseDirectory(config=self.nbgrader_config())

    @cached_property
    def sanitizers(self) -> list:
        """nbgrader's sanitizing preprocessors (``c.Autograde.sanitize_preprocessors``), built with the config;
        all of them run, after ``submission.prepare`` put back the graded cells a student deleted."""
        return self._preprocessors("sanitize_preprocessors")

    @cached_property
    def after_execution(self) -> list:
        """The preprocessors of nbgrader's autograde step (``c.Autograde.autograde_preprocessors``) that ours
        keeps, built with the config: all but those ``_replaced`` lists (by default ``LimitOutput``,
        ``CheckCellMetadata``, and ``IgnorePattern`` and ``ClearMetadataPreprocessor``, disabled unless
        configured). They run on each graded notebook."""
        replaced = tuple(_replaced())
        return [p for p in self._preprocessors("autograde_preprocessors") if not isinstance(p, replaced)]

    @cached_property
    def autograde(self):
        """nbgrader's ``Autograde`` converter, built with the config: its lists of preprocessors, the file
        permissions it writes (``c.Autograde.permissions``: 444, 664 with ``c.CourseDirectory.groupshared``) and the
        files it does not overwrite (``c.Autograde.exclude_overwriting``)."""
        from nbgrader.converters import Autograde
        return Autograde(coursedir=self.directory, config=self.nbgrader_config())

    @cached_property
    def late_penalties(self):
        """nbgrader's ``AssignLatePenalties`` as the course configures it (``c.AssignLatePenalties.plugin_class``,
        and the plugin's own settings: ``c.LateSubmissionPlugin.penalty_method``, "none" by default), or None when
        ``c.Autograde.autograde_preprocessors`` leaves it out or it is disabled (nbgrader then assigns no penalty).
        ``gradebook.record`` asks its plugin for each late submission's penalty. Built (and its plugin once) when
        first asked, so a plugin that cannot be imported or refuses its settings fails there."""
        from nbgrader.preprocessors import AssignLatePenalties
        try:
            found = [p for p in self._preprocessors("autograde_preprocessors")
                     if isinstance(p, AssignLatePenalties) and p.enabled]
            if not found:
                return None
            with _importable(self.root):
                found[0].init_plugin()
        except (TraitError, ImportError) as error:
            raise ValueError(f"{self.root / 'nbgrader_config.py'}: nbgrader's autograde preprocessors (late "
                             f"penalties included) cannot be built as configured: {error}") from error
        return found[0]

    def source_files(self, assignment: str) -> list[tuple[Path, str]]:
        """``(path, name in the folder)`` of the files of the assignment's source folder that nbgrader's autograde
        copies over a submission: all but the notebooks, what ``c.CourseDirectory.ignore`` matches and what
        ``c.Autograde.exclude_overwriting`` names for the assignment (the student's copy is kept)."""
        kept = set(self.autograde.exclude_overwriting.get(assignment, []))
        return [(path, rel) for path, rel in self.files(self.source / assignment, ["*.ipynb"]) if rel not in kept]

    def files(self, folder: Path, ignore: Iterable[str] = ()) -> list[tuple[Path, str]]:
        """``(path, name in the folder)`` of the files under ``folder`` that nbgrader's ``find_all_files`` lists:
        all but what ``c.CourseDirectory.ignore`` and ``ignore`` match; in order of path."""
        from nbgrader import utils as nbutils   # nbgrader's package imports its Jupyter server extensions: 2 s
        found = nbutils.find_all_files(str(folder), list(self.directory.ignore) + list(ignore))
        return sorted((Path(p), os.path.relpath(p, folder)) for p in found)

    def _preprocessors(self, trait: str) -> list:
        metadata_schema.install()      # their metadata checks compile nbgrader's schema once, not once per cell
        config = self.nbgrader_config()
        built = []
        with _importable(self.root):
            for item in getattr(self.autograde, trait):   # classes, import strings or instances, as nbconvert's
                item = import_item(item) if isinstance(item, str) else item   # register_preprocessor takes
                built.append(item(config=config) if isinstance(item, type) else item)
        return built
