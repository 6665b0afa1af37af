"""Feedback on the real course: every assignment, handed in solved, blank and wrong, graded by the autograder, then
``python -m autograder feedback``. The fixture class of test_feedback.py never reached what broke here: the leak
guard deleted the pages of 04, 05 and 06 (lines of the hidden tests that also stand in the release or in the
student's own code, such as ``hints=_RELU_HINTS)`` or ``return d``, were taken for secrets).

Each page must exist, show every failure message of its submission and no hidden line, say "not graded yet" for
the written answers, and show the pictures of the widgets as the student last saw them."""
from __future__ import annotations

import ast
import json
import os
import re
import shutil

import nbformat
import pytest

from autograder import answers, cells, feedback, grade
from autograder.feedback import HideHiddenTests
from support import nbrun
from support.courses import ASSIGNMENTS, CONFIG

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("feedback_course")]
COURSE = [a for a in ASSIGNMENTS if a.root != ASSIGNMENTS[-1].root]     # the real assignments, not the fixture
STUDENTS = ("solved", "blank", "wrong")
# The same three handing in the French edition (release/<a>/<a>.fr.ipynb, the code of the same solutions)
FRENCH = {f"{kind}_fr": kind for kind in STUDENTS}


CHEATS = ("numeric", "check_disabled")       # variants that the scan flags: their outputs are withheld


def _wrong_variant(assignment):
    """The first wrong variant of the assignment that says which message the student must be shown (an honest
    mistake, not a cheat)."""
    for path in sorted(assignment.variants.glob("*/wrong_*.py")):
        if nbrun.headers(path.read_text(), "expect-message") and not any(c in path.stem for c in CHEATS):
            return path
    raise AssertionError(f"no wrong variant of {assignment} has an expect-message header")


def _submissions(assignment, language: str = "en") -> dict:
    """solved: the reference solutions, the written answers as a student who writes the model answer (its
    rubric, which stands beside it in the source, is no student's); blank: the release; wrong: solved with one
    honest mistake. ``language``: of the edition they start from (the code they write is the same)."""
    release, source = assignment.release(language), assignment.source()
    solved = nbrun.with_solutions(release, source)
    models = {cells.grade_id(c): answers.model_answer(c) for c in source.cells if cells.is_manual_answer(c)}
    for cell in solved.cells:
        if cells.is_manual_answer(cell):
            cell.source = models[cells.grade_id(cell)]
    path = _wrong_variant(assignment)
    reference = next(c.source for c in source.cells if cells.grade_id(c) == path.parent.name and cells.is_solution(c))
    wrong = nbrun.with_cell(solved, path.parent.name, nbrun.variant_source(reference, path.read_text()))
    return {"solved": solved, "blank": release, "wrong": wrong}


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("feedback-course") / "course"
    (root / "source").mkdir(parents=True)
    shutil.copy2(CONFIG, root / "nbgrader_config.py")
    for assignment in COURSE:
        shutil.copytree(assignment.root / "source" / assignment.name, root / "source" / assignment.name)
        shutil.copytree(assignment.root / "release" / assignment.name, root / "release" / assignment.name)
        for student, nb in _submissions(assignment).items():
            folder = root / "submitted" / student / assignment.name
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / f"{assignment.name}.ipynb")
        for kind, nb in _submissions(assignment, "fr").items():
            folder = root / "submitted" / f"{kind}_fr" / assignment.name
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / f"{assignment.name}.fr.ipynb")
    shutil.copytree(COURSE[0].root / "locale", root / "locale")
    run = grade.grade(root, workers=2, quiet=True)
    assert run.ok, [o.error for o in run.outcomes if o.error]
    lines = []
    report = feedback.generate(root, log=lines.append)
    return {"root": root, "report": report, "log": lines,
            "outcomes": {(o.student, o.assignment): o for o in run.outcomes}}


def _page(course, student, assignment) -> str:
    return (course["root"] / "feedback" / student / assignment / f"{assignment}.html").read_text(encoding="utf-8")


def _graded(course, student, assignment):
    return nbformat.read(course["root"] / "autograded" / student / assignment / f"{assignment}.ipynb", as_version=4)


def test_every_student_of_every_assignment_gets_a_page(course):
    report = course["report"]
    assert report.ok, "\n".join(report.refused + report.errors)
    written = sorted((p.parent.parent.name, p.parent.name) for p in report.written)
    assert written == sorted((s, a.name) for a in COURSE for s in (*STUDENTS, *FRENCH))


@pytest.mark.parametrize("assignment", COURSE, ids=str)
def test_no_page_shows_a_hidden_line(course, assignment):
    source, release = assignment.source(), assignment.release()
    for student in STUDENTS:
        text = feedback.html_text(_page(course, student, assignment.name))
        secret = feedback.secrets(source, release, _graded(course, student, assignment.name))
        assert secret, "the guard has nothing to guard: secrets() found no hidden line"
        assert not [line for line in secret if line in text], (student, assignment.name)
        assert "BEGIN HIDDEN TESTS" not in text and "END HIDDEN TESTS" not in text


@pytest.mark.parametrize("assignment", COURSE, ids=str)
def test_no_page_shows_a_rubric(course, assignment):
    """The answer key's rubrics stand in the source's SOLUTION blocks, beside the model answers: no feedback page
    shows a line of them, as written (TeX) or as a reader sees it (prose around MathML), even the page of the
    student who wrote the model answer itself."""
    source = assignment.source()
    lines = answers.rubric_lines(source)
    prose = answers.rubric_phrases(source)
    assert len(lines) >= 10 and len(prose) >= 10, "nothing to look for"
    for student in STUDENTS:
        page = _page(course, student, assignment.name)
        text = answers.normalised(feedback.html_text(page))
        assert not [line for line in lines if line in page or line in feedback.html_text(page)], student
        assert not [p for p in prose if p in text], student
        assert "**Rubric**" not in page and "Frequent wrong answers" not in text
    solved = answers.normalised(feedback.html_text(_page(course, "solved", assignment.name)))
    for cell in source.cells:          # the model answers are on the page: the prose looked for would be found
        if cells.is_manual_answer(cell):
            shown = answers.phrases(answers.model_answer(cell), least=8)
            assert shown and all(p in solved for p in shown), (cell.id, [p for p in shown if p not in solved])


@pytest.mark.parametrize("assignment", COURSE, ids=str)
def test_every_failure_message_is_on_the_page(course, assignment):
    for student in STUDENTS:
        text = feedback.html_text(_page(course, student, assignment.name))
        outcome = course["outcomes"][(student, assignment.name)]
        for notebook in outcome.notebooks:
            for grade_id, message in notebook.messages.items():
                first = message.strip().split("\n")[0]
                assert first in text, (student, assignment.name, grade_id, first)   # under the cell
                line = feedback.summary_line(message)                              # in the table on top
                assert " ".join(line.split(" … ")[0].split()) in " ".join(text.split()), (student, grade_id)
    wrong = feedback.html_text(_page(course, "wrong", assignment.name))
    for needle in nbrun.headers(_wrong_variant(assignment).read_text(), "expect-message"):
        assert needle in wrong, (assignment.name, needle)


@pytest.mark.parametrize("assignment", COURSE, ids=str)
def test_scores_blank_zero_solved_full(course, assignment):
    blank = course["outcomes"][("blank", assignment.name)]
    solved = course["outcomes"][("solved", assignment.name)]
    assert blank.score == 0 and solved.score == solved.max_score > 0
    total = solved.max_score + solved.manual_points       # the page counts the written answers in the maximum
    assert f"Score: {solved.max_score:g} / {total:g}" in feedback.html_text(_page(course, "solved", assignment.name))
    assert f"Score: 0 / {total:g}" in feedback.html_text(_page(course, "blank", assignment.name))


@pytest.mark.parametrize("assignment", COURSE, ids=str)
def test_written_answers_say_not_graded_yet_everywhere(course, assignment):
    written = [c for c in assignment.source().cells if cells.is_manual_answer(c)]
    if not written:
        pytest.skip("no written answer in this assignment")
    text = feedback.html_text(_page(course, "solved", assignment.name))
    n = len(written)
    total = sum(cells.points(c) for c in written)
    assert (f"{n} written answer{'s' if n > 1 else ''} ({total:g} point{'' if total == 1 else 's'})"
            " not graded yet") in text
    for cell in written:
        points = cells.points(cell)
        assert f"{cells.grade_id(cell)} (not graded yet, {points:g} point{'' if points == 1 else 's'})" in text
    assert "Written response (Score: 0" not in text


@pytest.mark.parametrize("assignment", COURSE, ids=str)
def test_widgets_show_their_last_picture(course, assignment):
    for student in ("solved", "wrong"):
        assert not course["outcomes"][(student, assignment.name)].flags, "a flagged submission shows no output"
        graded = _graded(course, student, assignment.name)
        views = [o for c in graded.cells for o in c.get("outputs", []) if feedback.WIDGET_VIEW in o.get("data", {})]
        page = _page(course, student, assignment.name)
        assert views, "the notebook shows no widget"
        assert page.count('class="widget-picture"') == len(views)
        assert page.count("data:image/png;base64,") >= len(views)
        assert "children=(Button(" not in page      # the widget's text repr is not what the student saw


def test_the_summary_of_a_grading_run_counts_written_answers_and_their_points(course):
    outcome = course["outcomes"][("solved", "02_fully_connected")]
    written = [c for c in next(a for a in COURSE if a.name == "02_fully_connected").source().cells
               if cells.is_manual_answer(c)]
    expected = f"{len(written)} written answers to grade ({sum(cells.points(c) for c in written):g} points)"
    assert outcome.to_grade_by_hand() == expected
    assert expected in grade.summary([outcome], [], 1.0, "bwrap")


def test_a_page_showing_a_real_hidden_line_is_refused_with_what_to_do(course, monkeypatch):
    """Without HideHiddenTests the page is plain nbgrader's, which shows the hidden tests: the guard, on the
    real course, deletes it and tells the teacher which line, why it is secret and what to do."""
    root = course["root"]
    monkeypatch.setattr(HideHiddenTests, "preprocess", lambda self, nb, resources: (nb, resources))
    lines = []
    report = feedback.generate(root, ["03_relu"], ["wrong"], log=lines.append)
    assert not report.ok and report.written == []
    page = root / "feedback" / "wrong" / "03_relu" / "03_relu.html"
    assert not page.exists()
    refusal = report.refused[0]
    assert "stands only in the hidden tests of source/03_relu/" in refusal and "cell relu_" in refusal
    assert "python -m autograder feedback 03_relu --student wrong" in refusal
    assert any("REFUSED (deleted)" in line for line in lines)
    monkeypatch.undo()
    assert feedback.generate(root, ["03_relu"], ["wrong"], log=lambda *a: None).ok and page.exists()


def test_autograder_json_of_each_submission_is_read_by_the_page(course):
    """The table on top comes from the grader's record: one row per graded cell of the notebook."""
    for assignment in COURSE:
        data = json.loads((course["root"] / "autograded" / "wrong" / assignment.name / "autograder.json").read_text())
        text = feedback.html_text(_page(course, "wrong", assignment.name))
        for grade_id in data["notebooks"][0]["points"]:
            assert grade_id in text


@pytest.mark.parametrize("assignment", COURSE, ids=str)
def test_a_name_an_answer_cell_did_not_define_is_blamed_on_that_cell(course, assignment):
    """A test cell fails with "NameError: name 'relu_graph' is not defined" when the answer cell that binds it
    stopped on an error (a GraphError, or the release's NotImplementedError): the message names that cell and its
    error, never the bare NameError (a simulated teacher's student was told about relu_graph, not the GraphError)."""
    bound = {name for c in assignment.source().cells if cells.is_solution(c) and c.cell_type == "code"
             for name in cells.defined_names(c.source)}
    for student in STUDENTS:
        outcome = course["outcomes"][(student, assignment.name)]
        for notebook in outcome.notebooks:
            for grade_id, message in notebook.messages.items():
                name = re.match(r"NameError: name '([^']+)' is not defined", message)
                assert not (name and name[1] in bound), (student, grade_id, message)
    blank = [m for n in course["outcomes"][("blank", assignment.name)].notebooks for m in n.messages.values()]
    top_level = [c for c in assignment.release().cells if cells.is_solution(c) and c.cell_type == "code"
                 and any(isinstance(node, ast.Raise) for node in ast.parse(c.source).body)]
    if top_level:      # a blank answer cell that raises as it runs (a graph to declare): its test says so
        assert any("is not written yet (it raises NotImplementedError)" in m for m in blank), blank


# -- the French edition, graded the same ------------------------------------------------------------------------

@pytest.mark.parametrize("assignment", COURSE, ids=str)
def test_the_french_edition_is_graded_the_same(course, assignment):
    """The same code handed in in either edition gets the same score for every graded cell, and the record says
    which edition it was; the blank French release scores 0 and the solved one full marks."""
    outcomes = course["outcomes"]
    for french, kind in FRENCH.items():
        en, fr = outcomes[(kind, assignment.name)], outcomes[(french, assignment.name)]
        assert [nb.scores for nb in fr.notebooks] == [nb.scores for nb in en.notebooks], (french, assignment.name)
        assert fr.max_score == en.max_score and fr.score == en.score
        assert [nb.language for nb in fr.notebooks] == ["fr"] and [nb.language for nb in en.notebooks] == ["en"]
        assert not fr.flags, fr.flags
        # no note the English submission has not: no "misnamed", no "locked cell edited" for the French file
        assert len(fr.notes) == len(en.notes), (fr.notes, en.notes)
        assert bool(fr.reason) == bool(en.reason), (fr.reason, en.reason)
    assert outcomes[("blank_fr", assignment.name)].score == 0
    solved = outcomes[("solved_fr", assignment.name)]
    assert solved.score == solved.max_score > 0


@pytest.mark.parametrize("assignment", COURSE, ids=str)
def test_a_french_student_is_told_why_in_french(course, assignment):
    """The wrong French submission fails the cells the English one fails, each with a message; every message
    that the French catalogue translates comes out translated, and the French page shows no English message."""
    en = {k: v for nb in course["outcomes"][("wrong", assignment.name)].notebooks for k, v in nb.messages.items()}
    fr = {k: v for nb in course["outcomes"][("wrong_fr", assignment.name)].notebooks for k, v in nb.messages.items()}
    assert en and set(fr) == set(en)
    page = feedback.html_text(_page(course, "wrong_fr", assignment.name))
    # the student's own cells are on the page as written (the wrong variant's English comments among them)
    for cell in _graded(course, "wrong_fr", assignment.name).cells:
        if cells.is_solution(cell):
            for line in cell.source.splitlines():
                if len(line.strip()) > 10:
                    page = page.replace(line.strip(), "")
    different = [k for k in en if en[k] != fr[k]]
    assert different, f"every failure message of the French submission is the English one: {fr}"
    for grade_id in different:
        # what the English says after the part both share (a call such as "cnn_loss(params: {...}) raised" starts
        # both messages the same)
        english, french = en[grade_id].splitlines()[0], fr[grade_id].splitlines()[0]
        common = len(os.path.commonprefix([english, french]))
        tail = english[common:].strip()[:60]
        assert not tail or tail not in page, f"{grade_id}: the French page shows the English message {english!r}"


@pytest.mark.parametrize("assignment", COURSE, ids=str)
def test_no_french_page_shows_a_hidden_line(course, assignment):
    """Neither the English hidden lines nor their French (the hidden tests' messages are translated)."""
    source = assignment.source()
    for student in FRENCH:
        graded = _graded(course, student, assignment.name)
        text = feedback.html_text(_page(course, student, assignment.name))
        secret = feedback.edition_secrets(course["root"], assignment.name, source, graded)
        english = feedback.secrets(source, assignment.release(), graded)
        assert set(english) < set(secret), "the French hidden lines are not guarded"
        assert not [line for line in secret if line in text], (student, assignment.name)
        assert "BEGIN HIDDEN TESTS" not in text and "END HIDDEN TESTS" not in text
