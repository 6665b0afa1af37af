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
that matches wins. The defaults read a folder per student (``alice/03_relu.ipynb``, ``émilie/03_relu.ipynb``: any
letters, accented ones too), Moodle's "download all submissions" (``Alice Martin_1234_assignsubmission_file_/
03_relu.ipynb``, student id = the number) and Canvas's (``martinalice_1234_5678_03_relu.ipynb``, student id = the
first number). Paths are compared in Unicode's composed form (NFC), as a roster typed on a keyboard holds them.

A zip's member names are UTF-8 in today's tools, but many (Windows' own, several LMS's) write them without the
flag that says so, and Python's zipfile then reads them as CP437 (``├⌐milie`` for ``émilie``): such a name is
read back as UTF-8 when its bytes are valid UTF-8 (``_member_name``).

The command exits non-zero when a file was left uncollected (the teacher must look at it); a student collected who
is not on the roster (the gradebook's students) is warned about.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.plugins import FileNameCollectorPlugin
from traitlets import List, Unicode

from . import coursedir, gradebook, nbgrader_cli, translate
from .coursedir import Course

# A letter or digit of any script ([^\W_]: é, ç, ï ...), then those, "_", ".", "@", "-" and apostrophes (o'brien,
# d’arc): what an id, a login or an e-mail address holds, never a folder such as "__MACOSX" or ".hidden".
FOLDER_PER_STUDENT = r"(?P<student_id>[^\W_][\w.@'’-]*)/(?P<file_id>[^/]+)"
MOODLE = r"(?:.*/)?(?P<full_name>[^/]+?)_(?P<student_id>\d+)_assignsubmission_file_/?(?:.*/)?(?P<file_id>[^/]+)"
# Canvas's name part: the student's sortable name in lower case without spaces ("lefèvreémilie", "o'brienjames").
CANVAS = r"(?:.*/)?(?P<name>[^\W\d_](?:[^\W\d_]|['’-])*)(?:_late)?_(?P<student_id>\d+)_\d+_(?P<file_id>[^/]+)"
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
        rel = unicodedata.normalize("NFC", rel.replace(os.sep, "/"))
        info, kind, why = self._decide(rel)
        self._write({"file": rel, "collected": info is not None, "student": (info or {}).get("student_id"),
                     "kind": kind, "why": why})
        return info

    def _decide(self, rel: str) -> tuple[dict | None, str, str]:
        """(what nbgrader collects, or None; the kind of decision: collected, misnamed, unmatched, not a notebook,
        duplicate, or ``other:<assignment>``; why, for the teacher)."""
        assignment = self.parent.coursedir.assignment_id
        info = None
        if self.named_regexp:
            info = self._match(rel)
        else:
            match = next((m for m in (re.fullmatch(p, rel) for p in self.patterns) if m), None)
            info = match.groupdict() if match else None
        if not info or not info.get("student_id"):
            return None, "unmatched", "no student in its path (no pattern matched)"
        if Path(rel).suffix not in self.valid_ext:
            return None, "not a notebook", f"not a notebook ({Path(rel).suffix or 'no extension'})"
        notebook, _language = translate.split_edition(Path(info["file_id"]).stem)   # 03_relu.fr: 03_relu, French
        others = set(coursedir.assignments(self.parent.coursedir.root)) - {assignment}
        if notebook in others:
            return None, f"other:{notebook}", f"the notebook of another assignment ({notebook})"
        key = (info["student_id"], Path(info["file_id"]).stem)     # both editions of a notebook may be handed in
        taken = getattr(self, "_taken", {})
        if key in taken:
            return None, "duplicate", f"a second {key[1]}.ipynb of {info['student_id']} (kept {taken[key]})"
        taken[key] = rel
        self._taken = taken
        info = {"student_id": info["student_id"], "file_id": info["file_id"]}
        if notebook == assignment:
            return info, "collected", ""
        return info, "misnamed", (f"misnamed: {info['file_id']} (graded as {assignment}.ipynb, with a note to the "
                                  "student)")

    def _write(self, entry: dict) -> None:
        if self.report:
            with open(self.report, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry) + "\n")


@dataclass
class Collected:
    assignment: str = ""
    download: str = ""                                                 # the zip or folder, as the teacher named it
    collected: dict[str, list[str]] = field(default_factory=dict)    # student -> files collected
    misnamed: list[str] = field(default_factory=list)                  # "file: why"
    skipped: list[str] = field(default_factory=list)                   # "file: why"
    unmatched: list[str] = field(default_factory=list)                 # files no pattern read a student from
    others: dict[str, int] = field(default_factory=dict)               # another assignment -> its notebooks here
    strangers: list[str] | None = None                                 # collected, not on the roster (None: no roster)

    @property
    def ok(self) -> bool:
        """Whether nothing needs the teacher: something collected, nothing left out."""
        return bool(self.collected) and not self.skipped

    def lines(self) -> list[str]:
        a = self.assignment
        if self.collected:
            out = [f"collected {len(self.collected)} student(s): " + ", ".join(
                f"{s} ({len(f)} file{'s' * (len(f) > 1)})" for s, f in sorted(self.collected.items()))]
        else:
            others = sorted(self.others)
            why = ([f"none of the notebooks in {self.download} is {a}'s"] if not self.unmatched else [])
            why += ([f"{sum(self.others.values())} notebook(s) there are {' and '.join(others)}'s (to collect them: "
                     f"`python -m autograder collect {others[0]} {self.download}`)"] if others else [])
            why += ([f"no student could be read from the path of {len(self.unmatched)} file(s) of {self.download} "
                     "(see below)"] if self.unmatched else [])
            out = [f"collected nothing for {a}: " + "; ".join(why)]
        out += [f"  {m}" for m in self.misnamed]
        if self.skipped:
            out.append(f"NOT COLLECTED ({len(self.skipped)} file(s) not matched to a student of this assignment):")
            out += [f"  {s}" for s in self.skipped]
            out.append(f"Look at the files above (in downloaded/{a}/extracted/): nothing was graded from them.")
        if self.unmatched:
            out.append("To collect a file whose path no pattern matched, set c.Collector.patterns in "
                       "nbgrader_config.py: regular expressions with the groups student_id and file_id, matched "
                       "against the whole path of the file inside the download, as shown above "
                       f"(`{self.unmatched[0]}`); then collect again.")
        if self.strangers is None and self.collected:
            out.append("note: the gradebook has no roster yet, so the ids collected were not checked against one "
                       "(`python -m autograder roster roster.csv`)")
        for student in self.strangers or []:
            out.append(f"warning: {student} is not on the roster (the gradebook's students): check the id its "
                       "files are named with, or add the student with `python -m autograder roster`")
        return out


def unpack(path: Path, dest: Path) -> None:
    """Copy a folder, or unzip a zip, into ``dest``; refuse members that would land outside it or a zip that
    unpacks to more than MAX_UNPACKED_MB. A zip holding one folder and nothing else, itself holding folders, is
    unwrapped (a zipped download folder); one student's folder (``émilie/03_relu.ipynb``) is not."""
    check_download(path)
    if path.is_dir():
        shutil.copytree(path, dest, dirs_exist_ok=True)
        return
    _unzip(path, dest)
    inside = list(dest.iterdir())
    if len(inside) == 1 and inside[0].is_dir() and any(p.is_dir() for p in inside[0].iterdir()):
        wrapper = inside[0].rename(dest.parent / f".{dest.name}-unwrap")
        dest.rmdir()
        wrapper.rename(dest)


def check_download(path: Path) -> None:
    """Raise when ``path`` is no folder and no zip file, saying whether it exists and where it was looked for."""
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist (looked for {Path(path).resolve()})")
    if not path.is_dir() and not zipfile.is_zipfile(path):
        raise ValueError(f"{path} is neither a folder nor a zip file")


def _member_name(member: zipfile.ZipInfo) -> str:
    """A zip member's name as its writer meant it. Without the UTF-8 flag (bit 11) zipfile decodes a name as CP437;
    most tools that leave the flag out wrote UTF-8 all the same, so the name is read back as UTF-8 when its bytes
    are valid UTF-8 (a real CP437 name with accents almost never is). In composed form (NFC) either way."""
    name = member.filename
    if not member.flag_bits & 0x800:
        try:
            name = name.encode("cp437").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return unicodedata.normalize("NFC", name)


def _unzip(path: Path, dest: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        if sum(m.file_size for m in members) > MAX_UNPACKED_MB << 20:
            raise ValueError(f"{path} unpacks to more than {MAX_UNPACKED_MB} MB")
        for member in members:
            member.filename = _member_name(member)   # what extracting names the file (the header keeps its own)
            target = (dest / member.filename).resolve()
            if not target.is_relative_to(dest.resolve()):
                raise ValueError(f"{path}: member {member.filename!r} would be written outside {dest}")
        archive.extractall(dest, members)


def _roster(course: Course) -> set[str] | None:
    """The students of the gradebook (None when it has none: no roster imported)."""
    with gradebook.connect(course.db_url) as gb:
        return {s.id for s in gb.students} or None


def from_lms(course: Course | Path, assignment: str, path: Path, log=print) -> Collected:
    """Collect ``assignment`` from an LMS download (zip or folder) through nbgrader's zip_collect. ``course``: a
    ``Course`` or its root."""
    course = Course.of(course)
    root = course.root
    course.check_assignments([assignment])
    if not (course.release / assignment).is_dir():
        raise ValueError(f"release/{assignment} is missing: run `python -m autograder release {assignment}` first")
    path = Path(path)
    check_download(path)          # before the previous download of this assignment is removed
    work = root / "downloaded" / assignment
    shutil.rmtree(work, ignore_errors=True)
    unpack(path, work / "archive")
    report = work / "collect-report.jsonl"
    nbgrader_cli.call(["zip_collect", assignment, "--force", "--collector=autograder.collect.Collector",
                      f"--Collector.report={report}"], root)
    result = Collected(assignment, str(path))
    for line in report.read_text(encoding="utf-8").splitlines() if report.exists() else []:
        entry = json.loads(line)
        if entry["collected"]:
            result.collected.setdefault(entry["student"], []).append(entry["file"])
            if entry["why"]:
                result.misnamed.append(f"{entry['file']}: {entry['why']}")
            continue
        result.skipped.append(f"{entry['file']}: {entry['why']}")
        kind = entry.get("kind", "")
        if kind == "unmatched":
            result.unmatched.append(entry["file"])
        elif kind.startswith("other:"):
            result.others[kind[len("other:"):]] = result.others.get(kind[len("other:"):], 0) + 1
    roster = _roster(course) if result.collected else None
    if roster is not None:
        result.strangers = sorted(set(result.collected) - roster)
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
