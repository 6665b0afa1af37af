"""A small graded class on a temporary course, for the tests of what a teacher does after grading (feedback,
export, report, the formgrader).

The course (``courses.make_course``) has two copies of the fixture assignment (``00_fixture`` and
``01_fixture_again``: tests ``double_values`` 2 points and ``answer_value`` 1 point, the written answer
``why_double`` 1 point). The roster
has seven students; ``gina`` never hands anything in, several hand in only the first assignment. ``CLASS`` says
what each submission is and the autograded score it must get; ``FAILURES`` the message each failing test shows;
frank's submission is flagged (it rebinds ``numpy.allclose``).
The teacher has graded alice's written answer of ``00_fixture`` by hand (1 point) and left a comment.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from autograder import grade, gradebook
from support import courses

FIRST, SECOND = courses.FIXTURE, "01_fixture_again"
ASSIGNMENTS = (FIRST, SECOND)
ROSTER = {   # student id -> (first name, last name)
    "alice": ("Alice", "Martin"), "bob": ("Bob", "Bernard"), "carol": ("Carol", "Dubois"),
    "dave": ("Dave", "Thomas"), "erin": ("Erin", "Robert"), "frank": ("Frank", "Petit"), "gina": ("Gina", "Durand"),
}
SOLVED = {"double": "def double(x):\n    return 2 * x\n", "answer": "answer = 42\n",
          "why_double": "Because $2x = (1 + 1)x = x + x$."}
PLUS_ONE = "def double(x):\n    return x + 1\n"        # passes the visible assert, fails the hidden check
PLUS_TWO = "def double(x):\n    return x + 2\n"        # fails the visible assert
CHEAT = ("import numpy as np\nnp.allclose = lambda *a, **k: True\n" + SOLVED["double"])
TEACHER_COMMENT = "Right: distributivity. Say which axiom you use."


@dataclass(frozen=True)
class Hand:
    """One submission: cells replaced in the release (grade_id -> source), and the autograded score it gets."""
    cells: dict
    score: float
    flagged: bool = False


CLASS = {
    FIRST: {
        "alice": Hand(SOLVED, 3),
        "bob": Hand({}, 0),                                           # the blank release
        "carol": Hand({**SOLVED, "double": PLUS_TWO}, 1),
        "dave": Hand({"double": PLUS_ONE, "answer": "answer = 41\n"}, 0),
        "erin": Hand({**SOLVED, "double": PLUS_ONE}, 1),
        "frank": Hand({**SOLVED, "double": CHEAT}, 3, flagged=True),
    },
    SECOND: {
        "alice": Hand(SOLVED, 3),
        "bob": Hand({**SOLVED, "double": PLUS_ONE}, 1),
        "carol": Hand(SOLVED, 3),
    },
}
MANUAL = {(FIRST, "alice"): 1.0}   # written answers graded by hand
# What each failing test of a submission shows (the first line of the message its check raised).
FAILURES = {
    (FIRST, "bob"): {"double_values": "NotImplementedError",
                    "answer_value": "answer is not defined: its cell (answer) is not written yet (it raises "
                                    "NotImplementedError)"},
    (FIRST, "carol"): {"double_values": "AssertionError: double(1.0) should be 2.0"},
    (FIRST, "dave"): {"double_values": "GradientCheckError: double(x)[0, 3] = -0.3032 but the expected value is "
                                       "-2.606; 12 of 12 entries differ.",
                      "answer_value": "AssertionError: answer is 41, not the ultimate one"},
    (FIRST, "erin"): {"double_values": "GradientCheckError: double(x)[0, 3] = -0.3032 but the expected value is "
                                       "-2.606; 12 of 12 entries differ."},
    (SECOND, "bob"): {"double_values": "GradientCheckError: double(x)[0, 3] = -0.3032 but the expected value is "
                                       "-2.606; 12 of 12 entries differ."},
}
# Hidden-test lines of the fixture: no feedback may show them.
HIDDEN_LINES = ["_x = np.random.default_rng(1).normal(size=(3, 4))", 'check_value("double(x)", double(_x), _x + _x)',
                'assert answer == 6 * 7, f"answer is {answer}, not the ultimate one"']


def hand_in(root: Path) -> None:
    for assignment, hands in CLASS.items():
        for student, hand in hands.items():
            folder = root / "submitted" / student / assignment
            folder.mkdir(parents=True)
            nbformat.write(courses.filled(root, assignment, hand.cells), folder / f"{assignment}.ipynb")
            (folder / "timestamp.txt").write_text("2026-11-02 10:00:00.000000 UTC")


def add_roster(db_url: str) -> None:
    with Gradebook(db_url) as gb:
        for student, (first, last) in ROSTER.items():
            gb.update_or_create_student(student, first_name=first, last_name=last)


def grade_by_hand(db_url: str) -> None:
    """What the teacher does in the formgrader: score alice's written answer, and comment on it."""
    with Gradebook(db_url) as gb:
        for (assignment, student), score in MANUAL.items():
            g = gb.find_grade("why_double", assignment, assignment, student)
            g.manual_score = score
            g.needs_manual_grade = False       # as the formgrader does when it saves a score
            c = gb.find_comment("why_double", assignment, assignment, student)
            c.manual_comment = TEACHER_COMMENT
        gb.db.commit()


def build(root: Path, sandbox: str = "auto") -> grade.Run:
    """Make the course, add the roster, hand in, grade everything (2 workers), grade alice's answer by hand."""
    courses.make_course(root, ASSIGNMENTS)
    db_url = gradebook.default_url(root)
    gradebook.sync(root, db_url, list(ASSIGNMENTS))
    add_roster(db_url)
    hand_in(root)
    run = grade.grade(root, workers=2, sandbox_mode=sandbox, quiet=True)
    assert run.ok and not [o for o in run.outcomes if o.error], [o.error for o in run.outcomes]
    grade_by_hand(db_url)
    return run


def expected_total(assignment: str, student: str) -> float:
    """Score of a submission: autograded points plus points given by hand (0 for no submission)."""
    hand = CLASS[assignment].get(student)
    return 0.0 if hand is None else hand.score + MANUAL.get((assignment, student), 0.0)
