"""``python -m autograder collect``: submissions into ``submitted/<student>/<assignment>/``, from nbgrader's
exchange or from files downloaded from an LMS.

- ``collect ASSIGNMENT``: nbgrader's ``collect`` (the JupyterHub flow: students fetch with ``nbgrader
  fetch_assignment`` or the Assignment List, and hand in with ``nbgrader submit``).
- ``collect ASSIGNMENT PATH``: PATH is a zip or a folder downloaded from an LMS. It is unpacked into
  ``downloaded/<assignment>/archive/`` and collected by nbgrader's ``zip_collect`` with the ``Collector`` plugin
  below, which reads the student from each file's path inside the download. Every file ends in the report:
  collected for whom (and whether its name is not the assignment's notebook, which grading then notes), or
  not collected and why (no student in its path, not a notebook, another assignment's notebook, a duplicate).

The patterns (``c.Collector.patterns`` in ``nbgrader_config.py``) are regular expressions matched against the
whole path of a file inside the download, with the named groups ``student_id`` and ``file_id``; the first
that matches wins. The defaults read a folder per student (``alice/03_relu.ipynb``), Moodle's "download all
submissions" (``Alice Martin_1234_assignsubmission_file_/03_relu.ipynb``, student id = the number) and
Canvas's (``martinalice_1234_5678_03_relu.ipynb``, student id = the first number).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.plugins import FileNameCollectorPlugin
from traitlets import List, Unicode

from . import coursedir, nbgrader_cli
from .coursedir import Course

FOLDER_PER_STUDENT = r"(?P<student_id>[A-Za-z0-9][\w.@-]*)/(?P<file_id>[^/]+)"
MOODLE = r"(?:.*/)?(?P<full_name>[^/]+?)_(?P<student_id>\d+)_assignsubmission_file_/?(?:.*/)?(?P<file_id>[^/]+)"
CANVAS = r"(?:.*/)?(?P<name>[a-z]+)(?:_late)?_(?P<student_id>\d+)_\d+_(?P<file_id>[^/]+)"
MAX_UNPACKED_MB = 2048


class Collector(FileNameCollectorPlugin):
    """nbgrader's file-name collector, matched against the path inside the download (not the absolute path,
    where a pattern would match the teacher's own folders), refusing another assignment's notebook and a
    student's second file of the same name, and writing what it decided about every file to ``report``."""

    patterns = List(Unicode(), default_value=[MOODLE, CANVAS, FOLDER_PER_STUDENT],
                    help="Regular expressions with the groups student_id and file_id, matched against the whole "
                         "path of a file inside the download; the first that matches wins.").tag(config=True)
    report = Unicode("", help="JSON file the decisions are written to (one entry per file).").tag(config=True)

    def collect(self, submitted_file: str):
        rel = os.path.relpath(submitted_file, self.parent._format_collect_path(self.parent.extracted_directory))
        info, why = self._decide(rel.replace(os.sep, "/"))
        self._write({"file": rel, "collected": info is not None, "student": (info or {}).get("student_id"),
                     "why": why})
        return info

    def _decide(self, rel: str) -> tuple[dict | None, str]:
        assignment = self.parent.coursedir.assignment_id
        info = None
        if self.named_regexp:
            info = self._match(rel)
        else:
            match = next((m for m in (re.fullmatch(p, rel) for p in self.patterns) if m), None)
            info = match.groupdict() if match else None
        if not info or not info.get("student_id"):
            return None, "no student in its path (no pattern matched)"
        if Path(rel).suffix not in self.valid_ext:
            return None, f"not a notebook ({Path(rel).suffix or 'no extension'})"
        notebook = Path(info["file_id"]).stem
        others = set(coursedir.assignments(self.parent.coursedir.root)) - {assignment}
        if notebook in others:
            return None, f"the notebook of another assignment ({notebook})"
        key = (info["student_id"], notebook)
        taken = getattr(self, "_taken", {})
        if key in taken:
            return None, f"a second {notebook}.ipynb of {info['student_id']} (kept {taken[key]})"
        taken[key] = rel
        self._taken = taken
        info = {"student_id": info["student_id"], "file_id": info["file_id"]}
        return info, ("" if notebook == assignment else
                      f"misnamed: {info['file_id']} (graded as {assignment}.ipynb, with a note to the student)")

    def _write(self, entry: dict) -> None:
        if self.report:
            with open(self.report, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry) + "\n")


@dataclass
class Collected:
    collected: dict[str, list[str]] = field(default_factory=dict)    # student -> files collected
    misnamed: list[str] = field(default_factory=list)                  # "file: why"
    skipped: list[str] = field(default_factory=list)                   # "file: why"

    def lines(self) -> list[str]:
        out = [f"collected {len(self.collected)} student(s): "
               + ", ".join(f"{s} ({len(f)} file{'s' * (len(f) > 1)})" for s, f in sorted(self.collected.items()))]
        out += [f"  {m}" for m in self.misnamed]
        if self.skipped:
            out.append(f"NOT COLLECTED ({len(self.skipped)} file(s) not matched to a student of this assignment):")
            out += [f"  {s}" for s in self.skipped]
        return out


def unpack(path: Path, dest: Path) -> None:
    """Copy a folder, or unzip a zip, into ``dest``; refuse members that would land outside it or a zip that
    unpacks to more than MAX_UNPACKED_MB. A zip holding one folder and nothing else is unwrapped (a zipped
    download folder)."""
    if path.is_dir():
        shutil.copytree(path, dest, dirs_exist_ok=True)
        return
    _unzip(path, dest)
    inside = list(dest.iterdir())
    if len(inside) == 1 and inside[0].is_dir():
        wrapper = inside[0].rename(dest.parent / f".{dest.name}-unwrap")
        dest.rmdir()
        wrapper.rename(dest)


def _unzip(path: Path, dest: Path) -> None:
    if not zipfile.is_zipfile(path):
        raise ValueError(f"{path} is neither a folder nor a zip file")
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        if sum(m.file_size for m in members) > MAX_UNPACKED_MB << 20:
            raise ValueError(f"{path} unpacks to more than {MAX_UNPACKED_MB} MB")
        for member in members:
            target = (dest / member.filename).resolve()
            if not target.is_relative_to(dest.resolve()):
                raise ValueError(f"{path}: member {member.filename!r} would be written outside {dest}")
        archive.extractall(dest)


def from_lms(course: Course | Path, assignment: str, path: Path, log=print) -> Collected:
    """Collect ``assignment`` from an LMS download (zip or folder) through nbgrader's zip_collect. ``course``: a
    ``Course`` or its root."""
    course = Course.of(course)
    root = course.root
    course.check_assignments([assignment])
    if not (course.release / assignment).is_dir():
        raise ValueError(f"release/{assignment} is missing: run `python -m autograder release {assignment}` first")
    work = root / "downloaded" / assignment
    shutil.rmtree(work, ignore_errors=True)
    unpack(Path(path), work / "archive")
    report = work / "collect-report.jsonl"
    nbgrader_cli.call(["zip_collect", assignment, "--force", "--collector=autograder.collect.Collector",
                      f"--Collector.report={report}"], root)
    result = Collected()
    for line in report.read_text(encoding="utf-8").splitlines() if report.exists() else []:
        entry = json.loads(line)
        if entry["collected"]:
            result.collected.setdefault(entry["student"], []).append(entry["file"])
            if entry["why"]:
                result.misnamed.append(f"{entry['file']}: {entry['why']}")
        else:
            result.skipped.append(f"{entry['file']}: {entry['why']}")
    for line in result.lines():
        log(line)
    return result


def from_exchange(course: Course | Path, assignment: str, log=print) -> list[str]:
    """nbgrader's collect from the exchange; returns the students whose submission is now in submitted/.
    ``course``: a ``Course`` or its root."""
    course = Course.of(course)
    course.check_assignments([assignment])
    nbgrader_cli.call(["collect", assignment, "--update"], course.root)
    students = sorted(p.parent.name for p in course.submitted.glob(f"*/{assignment}") if p.is_dir())
    log(f"collected {assignment} from the exchange: {len(students)} submission(s) in submitted/: "
        + ", ".join(students))
    return students
