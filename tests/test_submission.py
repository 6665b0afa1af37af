"""What ``submission`` makes of a submission folder before anything runs: which file is which notebook (a missing
notebook is "not handed in", never another notebook graded twice), when it was handed in (a ``timestamp.txt``
that is no date), and cells that claim to be graded cells they are not (a test cell's metadata copied onto a
``pass`` cell, or invented).

One class hands in an assignment of two notebooks (``90_peer``: ``90_peer.ipynb`` and ``p2.ipynb``, each a copy of
the fixture: tests ``double_values`` 2 points and ``answer_value`` 1 point, written answer ``why_double``). It is
graded once by ours and once by plain ``nbgrader autograde`` on a copy, and each case is compared with what
nbgrader does, or with why ours does better.
"""
from __future__ import annotations

import copy
import shutil
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder import cells, gradebook, grade, judge, nbgrader_cli, report
from support import courses
from support.grading import bwrap_problem

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("submission")]

ASSIGNMENT, SECOND = "90_peer", "p2"
NOTEBOOKS = (ASSIGNMENT, SECOND)
SOLVED = {"double": "def double(x):\n    return 2 * x\n", "answer": "answer = 42\n",
          "why_double": "Because $2x = x + x$."}
AUTOGRADED = 3.0        # per notebook: double_values 2 + answer_value 1
NOT_A_DATE = "yesterday, I promise"
# nbgrader's sanitizer stops its whole run on these (SchemaTooOldError): each is run on its own there.
STOPS_NBGRADER = ("duplicated_test", "duplicated_answer")
# Graded by ours only: what plain nbgrader makes of them is not the question.
OURS_ONLY = ("blank", "half_blank", "by_hand")


def _solved(root: Path):
    return courses.filled(root, ASSIGNMENT, SOLVED)


def _index(nb, grade_id: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if cells.grade_id(c) == grade_id)


def _copy_of(nb, grade_id: str, source: str, new_id: str):
    """A new cell carrying the whole metadata of the cell ``grade_id`` (as JupyterLab copies a cell), with
    ``source``."""
    cell = copy.deepcopy(nb.cells[_index(nb, grade_id)])
    cell.source, cell["id"] = source, new_id
    return cell


def _duplicated_test(root: Path):
    """The test ``answer_value`` copied just below itself, the copy emptied to ``pass``."""
    nb = _solved(root)
    nb.cells.insert(_index(nb, "answer_value") + 1, _copy_of(nb, "answer_value", "pass\n", "copied-test"))
    return nb


def _duplicated_answer(root: Path):
    """The written answer copied below itself, the copy left as released: nbgrader would keep the blank one."""
    nb = _solved(root)
    released = courses.filled(root, ASSIGNMENT, {})
    blank = released.cells[_index(released, "why_double")].source
    nb.cells.insert(_index(nb, "why_double") + 1, _copy_of(nb, "why_double", blank, "copied-answer"))
    return nb


def _forged(root: Path):
    """A test cell's metadata renamed to a cell the assignment has not, on a cell that rebinds numpy.allclose."""
    nb = _solved(root)
    cell = _copy_of(nb, "answer_value", "import numpy as np\nnp.allclose = lambda *a, **k: True\n", "forged")
    cell.metadata.nbgrader["grade_id"] = "bonus_points"
    nb.cells.append(cell)
    return nb


def _hand_in(root: Path) -> None:
    solved = _solved(root)
    both = {f"{n}.ipynb": solved for n in NOTEBOOKS}
    released = courses.filled(root, ASSIGNMENT, {})
    hands = {
        "blank": {f"{n}.ipynb": released for n in NOTEBOOKS},
        "half_blank": {f"{ASSIGNMENT}.ipynb": solved, f"{SECOND}.ipynb": released},
        "by_hand": both,
        "both": both,
        "only_first": {f"{ASSIGNMENT}.ipynb": solved},
        "misnamed_second": {f"{ASSIGNMENT}.ipynb": solved, f"{SECOND} (1).ipynb": solved},
        "only_misnamed": {"mine.ipynb": solved},
        "bad_timestamp": both,
        "duplicated_test": {f"{ASSIGNMENT}.ipynb": _duplicated_test(root), f"{SECOND}.ipynb": solved},
        "duplicated_answer": {f"{ASSIGNMENT}.ipynb": _duplicated_answer(root), f"{SECOND}.ipynb": solved},
        "forged": {f"{ASSIGNMENT}.ipynb": _forged(root), f"{SECOND}.ipynb": solved},
    }
    for student, files in hands.items():
        folder = root / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        for name, nb in files.items():
            nbformat.write(nb, folder / name)
        (folder / "timestamp.txt").write_text(NOT_A_DATE if student == "bad_timestamp"
                                              else "2026-11-02 10:00:00.000000 UTC")


def _rows(db_url: str, student: str) -> list[tuple]:
    """(notebook, grade id, auto_score, needs_manual_grade) of every grade of ``student``, sorted."""
    with Gradebook(db_url) as gb:
        sub = gb.find_submission(ASSIGNMENT, student)
        return sorted((nb.name, g.name, g.auto_score, g.needs_manual_grade) for nb in sub.notebooks for g in nb.grades)


@pytest.fixture(scope="session")
def peer(new_course, tmp_path_factory):
    problem = bwrap_problem(tmp_path_factory.mktemp("probe"))
    root = new_course("peer", [ASSIGNMENT])
    for kind in ("source", "release"):
        shutil.copy2(root / kind / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", root / kind / ASSIGNMENT / f"{SECOND}.ipynb")
    _hand_in(root)

    # plain nbgrader, on a copy
    plain = tmp_path_factory.mktemp("plain") / "course"
    shutil.copytree(root, plain)
    plain_db = gradebook.default_url(plain)
    gradebook.sync(plain, plain_db, [ASSIGNMENT])
    runs = {"others": nbgrader_cli.call(["autograde", ASSIGNMENT, "--force", "--CourseDirectory.student_id_exclude="
                                         + ",".join(STOPS_NBGRADER + OURS_ONLY)], plain, check=False)}
    for student in STOPS_NBGRADER:
        runs[student] = nbgrader_cli.call(["autograde", ASSIGNMENT, "--force", f"--student={student}"], plain,
                                          check=False)

    run = grade.grade(root, workers=2, sandbox_mode="bwrap" if problem is None else "auto", quiet=True)
    assert not [o.error for o in run.outcomes if o.error] and run.problems == []
    return {"root": root, "db": gradebook.default_url(root), "run": run, "plain": plain, "plain_db": plain_db,
            "plain_runs": runs, "outcomes": {o.student: o for o in run.outcomes}}


def _scores(outcome) -> dict[str, float]:
    return {nb.name: sum(s or 0 for s in nb.scores.values()) for nb in outcome.notebooks}


def test_a_notebook_handed_in_is_never_graded_again_as_the_missing_one(peer):
    """The bug: p2.ipynb missing, 90_peer.ipynb was graded a second time as p2 ("graded it anyway"). Now p2 scores
    0 with "not handed in", and the gradebook holds what nbgrader's own autograde writes for a missing notebook
    (auto_score 0, no manual grading)."""
    outcome = peer["outcomes"]["only_first"]
    assert _scores(outcome) == {ASSIGNMENT: AUTOGRADED, SECOND: 0.0}
    assert outcome.reason == f"{SECOND}.ipynb not handed in (the submission has {ASSIGNMENT}.ipynb)"
    assert not any("graded it anyway" in note for note in outcome.notes), outcome.notes
    assert _rows(peer["db"], "only_first") == _rows(peer["plain_db"], "only_first")


def test_a_lone_misnamed_file_is_graded_only_as_the_one_notebook_it_can_be(peer):
    """``p2 (1).ipynb`` beside ``90_peer.ipynb`` can only be p2: graded as it, with a note (plain nbgrader skips a
    file that is no notebook of the assignment, and p2 gets 0). ``mine.ipynb`` alone could be either notebook: both
    get 0 and the reason says to rename it (plain nbgrader finds "No notebooks" and leaves every grade unscored,
    waiting for manual grading)."""
    misnamed = peer["outcomes"]["misnamed_second"]
    assert _scores(misnamed) == {ASSIGNMENT: AUTOGRADED, SECOND: AUTOGRADED}
    assert f"the notebook was named {SECOND} (1).ipynb, expected {SECOND}.ipynb; graded it anyway" in misnamed.notes
    assert misnamed.reason is None
    plain = {(nb, g): score for nb, g, score, _ in _rows(peer["plain_db"], "misnamed_second")}
    assert plain[(SECOND, "double_values")] == 0 and plain[(ASSIGNMENT, "double_values")] == 2

    lone = peer["outcomes"]["only_misnamed"]
    assert _scores(lone) == {ASSIGNMENT: 0.0, SECOND: 0.0}
    assert lone.reason.count("mine.ipynb could be any of the 2 notebooks missing: rename it") == 2, lone.reason
    assert {(score, manual) for *_, score, manual in _rows(peer["db"], "only_misnamed")} == {(0.0, False)}
    assert {(score, manual) for *_, score, manual in _rows(peer["plain_db"], "only_misnamed")} == {(None, True)}
    assert "No notebooks found" in peer["plain_runs"]["others"].stdout + peer["plain_runs"]["others"].stderr


def test_a_timestamp_that_is_no_date_is_graded_as_on_time_and_said(peer):
    """Plain nbgrader's get_existing_timestamp calls a ``fail`` its CourseDirectory has not: that student is not
    graded at all (and ours crashed the same way, so the submission was retried forever). Ours grades it without
    a time, as nbgrader treats an empty timestamp.txt (no late penalty), tells the student, and shows the teacher
    (the report's notes); graded again, it is unchanged and skipped."""
    plain = peer["plain_runs"]["others"]
    assert plain.returncode != 0
    assert "'CourseDirectory' object has no attribute 'fail'" in plain.stdout + plain.stderr
    assert not (peer["plain"] / "autograded" / "bad_timestamp" / ASSIGNMENT).exists()

    outcome = peer["outcomes"]["bad_timestamp"]
    assert _scores(outcome) == {ASSIGNMENT: AUTOGRADED, SECOND: AUTOGRADED}
    assert outcome.timestamp is None and outcome.reason is None
    # the teacher's summary table says it too, on the student's row
    row = next(line for line in grade.summary([outcome], [], 1.0, "none").splitlines() if "bad_timestamp" in line)
    assert row.endswith("timestamp.txt is not a date (graded as on time)"), row
    assert [n for n in outcome.notes if n.startswith("timestamp.txt is not a date")] == [
        f"timestamp.txt is not a date: {NOT_A_DATE!r}; the time it was handed in is unknown, so it was graded as "
        "handed in on time (no late penalty)"]
    with Gradebook(peer["db"]) as gb:
        assert gb.find_submission(ASSIGNMENT, "bad_timestamp").timestamp is None
        assert gb.find_submission(ASSIGNMENT, "both").timestamp is not None
    banner = nbformat.read(peer["root"] / "autograded" / "bad_timestamp" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    assert "timestamp.txt is not a date" in banner.cells[0].source
    page = report.render_assignment(report.collect(peer["root"], peer["db"], ASSIGNMENT))
    assert "timestamp.txt is not a date" in page

    again = grade.grade(peer["root"], students=["bad_timestamp"], sandbox_mode="none", quiet=True)
    assert again.outcomes == [] and [o.student for o in again.skipped] == ["bad_timestamp"]


def test_a_test_cell_copied_onto_a_pass_cell_is_said_and_flagged(peer):
    """Plain nbgrader empties the copy's metadata (DeduplicateIds) then refuses it ("Outdated schema version: 0"):
    its whole run stops with advice to run `nbgrader update`, and ours gave 0 with that message. Now the real test
    is graded (full marks here), the copy runs as an ordinary cell, the student is told and the teacher flagged."""
    plain = peer["plain_runs"]["duplicated_test"]
    assert plain.returncode != 0 and "old version" in plain.stdout + plain.stderr
    assert not (peer["plain"] / "autograded" / "duplicated_test" / ASSIGNMENT).exists()

    outcome = peer["outcomes"]["duplicated_test"]
    assert _scores(outcome) == {ASSIGNMENT: AUTOGRADED, SECOND: AUTOGRADED}, (outcome.reason, outcome.notes)
    assert outcome.reason is None
    index = _index(_solved(peer["root"]), "answer_value")
    assert outcome.notes == [f"{ASSIGNMENT}.ipynb: the cell `answer_value` was duplicated with its grading metadata: "
                             f"cell {index + 1} is graded as `answer_value`, the other copies (cell {index + 2}) "
                             "were run as ordinary cells"]
    assert outcome.flags == [f"duplicated the graded cell `answer_value` of {ASSIGNMENT}.ipynb (2 cells carry its "
                             "metadata)"]
    with Gradebook(peer["db"]) as gb:
        assert gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, "duplicated_test").flagged
    graded = nbformat.read(peer["root"] / "autograded" / "duplicated_test" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    assert [c.source for c in graded.cells if cells.grade_id(c) == "answer_value"] != ["pass\n"]
    assert sum(1 for c in graded.cells if cells.grade_id(c) == "answer_value") == 1


def test_a_copied_answer_keeps_the_answered_copy(peer):
    """A written answer copied with its metadata, the copy left blank: nbgrader would keep the last (blank) one and
    stop; ours grades the answered one (left to grade by hand), and says so."""
    plain = peer["plain_runs"]["duplicated_answer"]
    assert plain.returncode != 0 and "old version" in plain.stdout + plain.stderr
    outcome = peer["outcomes"]["duplicated_answer"]
    first = next(nb for nb in outcome.notebooks if nb.name == ASSIGNMENT)
    assert first.scores["why_double"] is None and "why_double" not in first.unanswered
    assert any("the cell `why_double` was duplicated" in n for n in outcome.notes), outcome.notes
    assert any("duplicated the graded cell `why_double`" in f for f in outcome.flags), outcome.flags


def test_metadata_of_a_cell_the_assignment_has_not_is_forged(peer):
    """A cell claiming to be the graded cell ``bonus_points``: nbgrader deletes its grade_id, then refuses the
    notebook ("does not have a grade_id"); ours runs it as the student's own cell, scans it as such (it rebinds
    numpy.allclose), tells the student and flags it."""
    plain = peer["plain_runs"]["others"]
    assert "nbgrader cell does not have a grade_id" in plain.stdout + plain.stderr
    assert not (peer["plain"] / "autograded" / "forged" / ASSIGNMENT).exists()
    outcome = peer["outcomes"]["forged"]
    assert outcome.reason is None
    assert f"forged a graded cell `bonus_points` in {ASSIGNMENT}.ipynb: no such cell in the assignment" in outcome.flags
    assert any("rebinds numpy.allclose" in f for f in outcome.flags), outcome.flags
    assert any("carries grading metadata of a cell `bonus_points`" in n for n in outcome.notes), outcome.notes
    assert _scores(outcome)[SECOND] == AUTOGRADED


def test_the_honest_student_is_graded_as_nbgrader_grades_them(peer):
    outcome = peer["outcomes"]["both"]
    assert (outcome.reason, outcome.notes, outcome.flags) == (None, [], [])
    assert _rows(peer["db"], "both") == _rows(peer["plain_db"], "both")


def test_a_submission_handed_in_as_released_says_so(peer):
    """Both notebooks handed in unchanged from the release: 0 points, and the reason says why (it used to be a bare
    0/8 'graded' row, a feedback page and a report without a word). One notebook answered is no blank hand-in. The
    summary counts autograded points only, /6 like every other row (the blank written answers are not autograded)."""
    blank, half, both = (peer["outcomes"][s] for s in ("blank", "half_blank", "both"))
    assert judge.UNCHANGED == "handed in unchanged: no answer cell differs from the release"
    assert blank.reason == judge.UNCHANGED and _scores(blank) == {ASSIGNMENT: 0.0, SECOND: 0.0}
    assert half.reason is None and _scores(half) == {ASSIGNMENT: AUTOGRADED, SECOND: 0.0}
    assert blank.max_score == half.max_score == both.max_score == 2 * AUTOGRADED
    table = grade.summary([blank, half, both], [], 1.0, "none").splitlines()
    row = next(line for line in table if line.startswith("blank "))
    most = f"{2 * AUTOGRADED:g}"
    assert row.split()[2:5] == [f"0/{most}", "-", "problem"] and row.endswith(judge.UNCHANGED), row
    assert next(line for line in table if line.startswith("both ")).split()[2] == f"{most}/{most}"
    graded = nbformat.read(peer["root"] / "autograded" / "blank" / ASSIGNMENT / f"{SECOND}.ipynb", 4)
    assert graded.cells[0].source == f"**Autograder:** {judge.UNCHANGED}."     # what the feedback page opens with
    page = report.render_assignment(report.collect(peer["root"], peer["db"], ASSIGNMENT))
    problems = page[page.index("Submissions with a problem"):page.index("Late submissions")]
    assert "blank" in problems and judge.UNCHANGED in problems and "half_blank" not in problems


def test_the_summary_counts_only_written_answers_not_graded_by_hand_yet(peer, capsys):
    """After the teacher graded one of the two written answers in the formgrader, grading again (nothing changed:
    skipped) said "2 written answers to grade (2 points)" still; it counts those without a manual score."""
    def row() -> str:
        grade.grade(peer["root"], students=["by_hand"], sandbox_mode="none")
        return next(line for line in capsys.readouterr().out.splitlines() if line.startswith("by_hand "))

    assert "2 written answers to grade (2 points)" in row()
    with Gradebook(peer["db"]) as gb:                 # as the formgrader saves a score
        g = gb.find_grade("why_double", SECOND, ASSIGNMENT, "by_hand")
        g.manual_score, g.needs_manual_grade = 1.0, False
        gb.db.commit()
    again = row()
    assert "1 written answer to grade (1 point)" in again and "skipped" in again, again
    with Gradebook(peer["db"]) as gb:
        g = gb.find_grade("why_double", ASSIGNMENT, ASSIGNMENT, "by_hand")
        g.manual_score, g.needs_manual_grade = 0.5, False
        gb.db.commit()
    assert row().split()[3] == "-"
