"""Feedback for students (autograder/feedback.py) on the graded class of tests/support/classroom.py, plus two
students whose code tries to carry hidden tests into their feedback: what every page shows, what none may show, and the
last guard (a page that still holds a hidden line is deleted, not handed out)."""
from __future__ import annotations

import html
import re

import nbformat
import pytest

from autograder import feedback, grade, judge, maths, nbgrader_cli
from autograder.feedback import HideHiddenTests
from support import classroom, courses

# One worker runs the whole module: its fixture builds (and grades) a class once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("feedback")]
FIRST = classroom.FIRST
# The stack seen from inside double() holds the hidden line that called it; a later cell prints it. Nothing a
# scan would flag: plain Python.
STASH = ("import traceback\n_seen = []\n"
         "def double(x):\n    _seen.append(''.join(traceback.format_stack()))\n    return 2 * x\n")
PRINT_STASH = "answer = 42\nprint('\\n'.join(_seen))\n"
# An IPython hook that prints the source of every cell it runs: flagged by the scan.
HOOK = ("def _show(result):\n    print(result.info.raw_cell)\n"
        "get_ipython().events.register('post_run_cell', _show)\n" + classroom.SOLVED["double"])
EXTRA = {"mallory": {**classroom.SOLVED, "double": STASH, "answer": PRINT_STASH},
         "oscar": {**classroom.SOLVED, "double": HOOK}}


def page(root, student, assignment=FIRST) -> str:
    return feedback.html_text((root / "feedback" / student / assignment / f"{assignment}.html").read_text())


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("feedback") / "course"
    classroom.build(root)
    for student, cells in EXTRA.items():
        folder = root / "submitted" / student / FIRST
        folder.mkdir(parents=True)
        nbformat.write(courses.filled(root, FIRST, cells), folder / f"{FIRST}.ipynb")
    run = grade.grade(root, students=list(EXTRA), workers=2, quiet=True)
    assert run.ok
    report = feedback.generate(root, log=lambda *a: None)
    return {"root": root, "report": report, "outcomes": {o.student: o for o in run.outcomes}}


def test_maths_are_mathml_and_no_page_loads_mathjax(course):
    """The pages are read where there may be no internet: their maths are MathML, written with the page, and no
    page loads MathJax (nbgrader's feedback page loads it from a CDN)."""
    def same(page: str) -> str:       # nbconvert writes the page out again: attributes reordered, entities decoded
        return html.unescape(re.sub(r"<math[^>]*>", "<math>", page))

    alice = (course["root"] / "feedback" / "alice" / FIRST / f"{FIRST}.html").read_text()
    # her written answer: "Because $2x = (1 + 1)x = x + x$."
    assert "Because " + same(maths.formula("2x = (1 + 1)x = x + x")) in same(alice)
    for path in course["report"].written:
        raw = path.read_text()
        assert "mathjax" not in raw.lower() and "cdnjs" not in raw, path
        assert not maths.errors(raw), path
        assert raw.count("<math ") >= 1, path                   # the notebook's own Markdown has maths


def test_every_graded_submission_gets_a_page(course):
    assert course["report"].ok, (course["report"].refused, course["report"].errors)
    pages = sorted((p.parent.parent.name, p.parent.name) for p in course["report"].written)
    expected = sorted([(s, a) for a, hands in classroom.CLASS.items() for s in hands] + [(s, FIRST) for s in EXTRA])
    assert pages == expected


def test_no_page_shows_a_hidden_line(course):
    for path in course["report"].written:
        text = feedback.html_text(path.read_text())
        assert not [line for line in classroom.HIDDEN_LINES if line in text], path
        assert "BEGIN HIDDEN TESTS" not in text and "END HIDDEN TESTS" not in text, path


def test_the_failure_message_of_each_failing_test_is_shown(course):
    for (assignment, student), failures in classroom.FAILURES.items():
        text = page(course["root"], student, assignment)
        for grade_id, message in failures.items():
            assert message in text, (student, grade_id)


def test_where_the_test_failed(course):
    carol = page(course["root"], "carol")   # her double fails the visible assert: she may see that line
    assert ('This visible check of the test cell failed:\n'
            '    assert double(1.0) == 2.0, "double(1.0) should be 2.0"') in carol
    dave = page(course["root"], "dave")     # his fails a hidden check
    assert "A hidden check of the test cell failed (its code is not shown)" in dave
    assert "gradcheck.py" not in dave       # no frame of the checking library either


def test_scores_comments_and_written_answers(course):
    alice = page(course["root"], "alice")
    assert "Score: 4 / 4" in alice
    assert classroom.TEACHER_COMMENT in alice
    assert "Because 2x=(1+1)x=x+x." in alice          # her written answer, its formula typeset (below)
    carol = page(course["root"], "carol")
    assert "Score: 1 / 4" in carol and "not graded yet: your teacher grades it by hand" in carol
    assert "no answer" in page(course["root"], "dave")


def test_hidden_lines_printed_by_student_code_are_removed(course):
    graded = nbformat.read(course["root"] / "autograded" / "mallory" / FIRST / f"{FIRST}.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in graded.cells for o in c.get("outputs", []))
    assert classroom.HIDDEN_LINES[1] in printed             # the trick works in the kernel...
    text = page(course["root"], "mallory")
    assert course["outcomes"]["mallory"].flags == []       # nothing for the scan to see...
    assert feedback.REMOVED in text                        # ...but the printed stack lost its hidden line
    assert "in double" in text                             # and kept the rest


def test_a_flagged_submission_shows_no_output_of_its_own_cells(course):
    assert course["outcomes"]["oscar"].flags
    graded = nbformat.read(course["root"] / "autograded" / "oscar" / FIRST / f"{FIRST}.ipynb", as_version=4)
    assert classroom.HIDDEN_LINES[0] in "".join(o.get("text", "") for c in graded.cells for o in c.get("outputs", []))
    text = page(course["root"], "oscar")
    assert "The outputs of your cells are not shown here" in text
    assert course["outcomes"]["oscar"].flags[0] in text     # and what was found, so the student knows why
    assert "Score: 3 / 4" in text


def test_nbgrader_generate_feedback_and_the_formgrader_use_the_same_preprocessor(course):
    """``nbgrader generate_feedback`` reads nbgrader_config.py, which puts HideHiddenTests in (so does the
    formgrader's button, which runs the same converter)."""
    root = course["root"]
    nbgrader_cli.call(["generate_feedback", FIRST, "--student=dave", "--force"], root)
    text = page(root, "dave")
    assert "A hidden check of the test cell failed" in text
    assert not [line for line in classroom.HIDDEN_LINES if line in text]
    nbgrader_cli.call(["generate_feedback", FIRST, "--student=carol", "--force"], root)
    assert "why_double (not graded yet, 1 point)" in page(root, "carol")     # and the same page template


def test_a_page_that_still_shows_a_hidden_line_is_deleted(course, monkeypatch):
    """Without HideHiddenTests the page is plain nbgrader's, which shows the hidden test (upstream #917,
    #1363): generate must refuse it."""
    monkeypatch.setattr(HideHiddenTests, "preprocess", lambda self, nb, resources: (nb, resources))
    report = feedback.generate(course["root"], [FIRST], ["dave"], log=lambda *a: None)
    assert not report.ok and report.written == []
    assert report.refused and "00_fixture.html" in report.refused[0]
    assert not (course["root"] / "feedback" / "dave" / FIRST / f"{FIRST}.html").exists()
    monkeypatch.undo()
    assert feedback.generate(course["root"], [FIRST], ["dave"], log=lambda *a: None).ok


def test_a_student_not_graded_yet_is_reported(course):
    report = feedback.generate(course["root"], [FIRST], ["gina"], log=lambda *a: None)
    assert report.errors == [f"gina/{FIRST}: not graded yet (run `python -m autograder grade`)"]


def test_a_submission_handed_in_as_released_says_so_on_its_page(course):
    """bob handed the first assignment in as released: his page said nothing but 0 points. dave answered the tests'
    cells, not the written answer: his page does not say it."""
    root = course["root"]
    assert not classroom.CLASS[FIRST]["bob"].cells and classroom.CLASS[FIRST]["dave"].cells
    assert f"Autograder: {judge.UNCHANGED}." in page(root, "bob")
    assert judge.UNCHANGED not in page(root, "dave") and judge.UNCHANGED not in page(root, "bob", classroom.SECOND)
