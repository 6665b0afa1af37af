"""The autograder's record of one graded submission: ``autograded/<student>/<assignment>/autograder.json``.

``grade`` writes it (``save``) beside the graded notebooks; ``feedback`` (the student's page: failure messages,
flags) and ``report`` (the teacher's: messages, problems, grading time) read it back (``load``), and ``grade``
reads it again to skip a submission graded from the same content. A submission graded by plain nbgrader has none.

This module imports nothing heavy: the formgrader loads ``feedback``, which reads the record.
"""
from __future__ import annotations

import dataclasses
import json
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

RESULT_FILE = "autograder.json"


@dataclass
class NotebookOutcome:
    name: str
    scores: dict[str, float | None] = field(default_factory=dict)   # grade_id -> auto score (None: by hand)
    points: dict[str, float] = field(default_factory=dict)           # grade_id -> points of the cell
    messages: dict[str, str] = field(default_factory=dict)           # grade_id -> why the test failed
    unanswered: list[str] = field(default_factory=list)              # answer cells left as released
    written: list[str] = field(default_factory=list)                 # written answers: graded by hand (0 if blank)
    decoys: list[str | None] = field(default_factory=list)           # what each decoy got ("error" expected)
    language: str = "en"                                             # the edition graded ("fr": the French one)


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
    phases: dict[str, float] = field(default_factory=dict)   # seconds per step of grading (grade.PHASES)
    # When it was handed in, where that matters to the teacher: "late by 1 d 2 h, penalty 4 points", "timestamp.txt
    # is not a date". Shown in grade's summary; the penalty is known once recorded, so not in autograder.json.
    late: str = ""
    error: str | None = None             # the grader itself failed: nothing recorded, retried next run

    @property
    def score(self) -> float:
        """Autograded points (a written answer left blank scores 0, and adds nothing)."""
        return sum(s or 0 for nb in self.notebooks for k, s in nb.scores.items() if k not in nb.written)

    @property
    def max_score(self) -> float:
        """Points of the autograded cells: not the written answers, graded by hand, even the blank ones the grader
        gave 0 (every submission of an assignment has the same maximum)."""
        return sum(nb.points[k] for nb in self.notebooks for k, s in nb.scores.items()
                   if s is not None and k not in nb.written)

    @property
    def manual(self) -> int:
        """Cells left for the teacher to grade by hand."""
        return sum(1 for nb in self.notebooks for s in nb.scores.values() if s is None)

    @property
    def manual_points(self) -> float:
        """Points of the cells left for the teacher to grade by hand."""
        return sum(nb.points.get(k, 0) for nb in self.notebooks for k, s in nb.scores.items() if s is None)

    def to_grade_by_hand(self, graded: Collection[tuple[str, str]] = ()) -> str:
        """'3 written answers to grade (5 points)', or '' when there is none. ``graded``: the (notebook, grade id)
        of the answers the teacher has graded since, not counted (their manual scores in the gradebook:
        ``gradebook.graded_by_hand``)."""
        waiting = [nb.points.get(k, 0) for nb in self.notebooks for k, s in nb.scores.items()
                   if s is None and (nb.name, k) not in graded]
        if not waiting:
            return ""
        answers = "written answer" if len(waiting) == 1 else "written answers"
        points = "point" if sum(waiting) == 1 else "points"
        return f"{len(waiting)} {answers} to grade ({sum(waiting):g} {points})"

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Outcome:
        data = json.loads(text)
        data["notebooks"] = [NotebookOutcome(**nb) for nb in data["notebooks"]]
        return cls(**data)


def late_by(seconds: float) -> str:
    """How late, to the minute: '2 d 3 h 5 min', '40 min', 'under a minute'."""
    minutes = int(seconds // 60)
    parts = [(minutes // 1440, "d"), (minutes // 60 % 24, "h"), (minutes % 60, "min")]
    return " ".join(f"{n} {unit}" for n, unit in parts if n) or "under a minute"


def save(outcome: Outcome, folder: Path) -> None:
    """Write ``outcome`` as ``folder/autograder.json``."""
    (Path(folder) / RESULT_FILE).write_text(outcome.to_json())


def load(folder: Path) -> Outcome | None:
    """The record in ``folder`` (a submission's autograded folder), or None: graded by plain nbgrader, or
    unreadable."""
    try:
        return Outcome.from_json((Path(folder) / RESULT_FILE).read_text())
    except (OSError, ValueError, TypeError, KeyError):
        return None
