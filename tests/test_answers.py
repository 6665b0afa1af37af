"""The graders' answer key (``python -m autograder answers``, autograder/answers.py), on the real course: every
written answer has a rubric that adds up to its points, each assignment gets a self-contained page with every
written answer in order, and neither a model answer nor a rubric ever reaches release/ (the feedback pages are
checked in tests/test_feedback_course.py, which grades a class)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder import answers, cells, feedback, maths
from autograder.__main__ import main
from support.courses import ASSIGNMENTS, REPO
from support.lab import browser_missing, chromium, offline_page

COURSE = [a for a in ASSIGNMENTS if a.root == REPO]           # the real assignments, not the fixture
WRITTEN = [(a, answer) for a in COURSE for answer in answers.written_answers(a.source())]
SCREENSHOTS = REPO / "build" / "answers-screenshots"


def test_every_assignment_has_written_answers_to_check():
    """The parametrized tests below check something: each assignment of the course asks for written answers, and
    ``written_answers`` finds every manually graded Markdown cell of its source."""
    for assignment in COURSE:
        graded = [cells.grade_id(c) for c in assignment.source().cells if cells.is_manual_answer(c)]
        found = [a.grade_id for a in answers.written_answers(assignment.source())]
        assert graded and found == graded, assignment.name


@pytest.mark.parametrize(("assignment", "answer"), WRITTEN, ids=[a.grade_id for _, a in WRITTEN])
def test_each_written_answer_has_a_complete_rubric(assignment, answer):
    rubric = answer.rubric
    assert rubric is not None, f"{assignment}: {answer.grade_id} has no `**Rubric**` in its SOLUTION block"
    assert answer.problems() == []
    assert rubric.declared == answer.points and len(rubric.items) >= 2
    assert sum(item.points for item in rubric.items) == answer.points, [item.points for item in rubric.items]
    assert all(item.points > 0 and item.text for item in rubric.items)
    assert len(rubric.full_credit.split()) >= 8, "what full credit requires, in a sentence or more"
    assert len(rubric.wrong) >= 2 and all(0 <= item.points < answer.points for item in rubric.wrong)
    assert rubric.french.startswith("answers in French are accepted")
    assert len(answer.model.split()) >= 20 and "Rubric" not in answer.model


@pytest.mark.parametrize(("assignment", "answer"), WRITTEN, ids=[a.grade_id for _, a in WRITTEN])
def test_each_question_is_the_markdown_that_asks_it(assignment, answer):
    """The question shown is the Markdown just before the answer cell, and it does ask: "Question" or "Travail",
    never the previous written answer (02's three derivations follow one another)."""
    assert re.search(r"\*\*(?:Question|Travail)\b", answer.question), answer.question[:200]
    assert "BEGIN SOLUTION" not in answer.question and "Rubric" not in answer.question


def test_the_rubric_shape_is_checked():
    """A rubric whose items do not add up, that says nothing of French or lets a wrong answer earn full marks is
    named; so is a written answer without a rubric."""
    model = "### BEGIN SOLUTION\nThe model answer, long enough.\n\n"
    bad = answers.written_answers(_notebook(model + "**Rubric** (2 points)\n\n- (1 pt) one\n- (0.5 pt) two\n  goes on\n"
                                            "\n**Full credit:** both.\n\n**Frequent wrong answers:**\n\n"
                                            "- (earns 2 pts) everything\n\nsomething else\n### END SOLUTION"))[0]
    assert bad.rubric.items[1] == answers.Item(0.5, "two goes on")
    problems = bad.problems()
    assert "q: its items add up to 1.5 points; the cell has 2" in problems
    assert any("earns 2 of 2 points" in p for p in problems)
    assert any("French" in p for p in problems) and any("not understood: something else" in p for p in problems)
    none = answers.written_answers(_notebook(model + "### END SOLUTION"))[0]
    assert none.rubric is None and none.model == "The model answer, long enough." and "no rubric" in none.problems()[0]


def _notebook(answer: str):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("**Question.** Why?"),
                cells.new_graded_cell("markdown", answer, "q", 2, solution=True)]
    return nb


# -- the pages -----------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    out = tmp_path_factory.mktemp("answers")
    done = subprocess.run([sys.executable, "-m", "autograder", "answers", "--out", str(out)], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return {"out": out, "stdout": done.stdout}


def test_answers_writes_one_page_per_assignment_and_says_so(pages):
    assert sorted(p.name for p in pages["out"].iterdir()) == sorted(f"{a.name}.html" for a in COURSE)
    for assignment in COURSE:
        page = pages["out"] / f"{assignment.name}.html"
        assert f"{assignment.name}: " in pages["stdout"] and f"-> {page}" in pages["stdout"]
    assert "INCOMPLETE" not in pages["stdout"]


@pytest.mark.parametrize("assignment", COURSE, ids=str)
def test_a_page_holds_every_written_answer_in_order_with_its_model_answer_and_rubric(pages, assignment):
    page = (pages["out"] / f"{assignment.name}.html").read_text(encoding="utf-8")
    written = answers.written_answers(assignment.source())
    assert re.findall(r"<section id='([^']+)'>", page) == [a.grade_id for a in written]
    sections = re.split(r"<section id='[^']+'>", page)[1:]
    for answer, section in zip(written, sections, strict=True):
        text = answers.normalised(feedback.html_text(section))
        assert text.startswith(f"{answer.grade_id}{answer.points:g} point"), text[:80]
        for part in (answer.question, answer.model, answer.rubric.source):
            shown = answers.phrases(part, least=8)
            assert shown and all(p in text for p in shown), [p for p in shown if p not in text]
        for item in answer.rubric.items + answer.rubric.wrong:
            assert f"{item.points:g} pt" in text
    assert "Answers in French are accepted" in page


@pytest.mark.parametrize("assignment", COURSE, ids=str)
def test_a_page_is_self_contained_with_its_maths_as_mathml(pages, assignment):
    page = (pages["out"] / f"{assignment.name}.html").read_text(encoding="utf-8")
    assert "$" not in feedback.html_text(page), "raw TeX left on the page"
    assert maths.errors(page) == [] and page.count("<math") >= 10
    assert "ns0:" not in page and "xmlns:" not in page, "MathML written with a namespace prefix (a heading's)"
    assert not re.search(r"<(?:script|link|iframe|img)\b", page)
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", page)


def test_an_unknown_assignment_is_refused_and_nothing_is_written(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(REPO)
    status = main(["answers", "03_relu", "91_absent", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 2 and "error: unknown assignment 91_absent: source/ has 01_computational_graph" in err, err
    assert not (tmp_path / "out").exists()


def test_a_written_answer_without_a_rubric_is_named_and_the_page_still_written(new_course, capsys):
    """The fixture assignment's written answer has no rubric: the grader still gets the model answer, the teacher
    is told what to add, and the command exits 1."""
    root = new_course("no-rubric")
    written = answers.write(root, log=print)
    assert not written.ok and written.problems == [
        "00_fixture: why_double: no rubric: add `**Rubric** (1 points)` and its items after the model answer, inside "
        "the SOLUTION block"]
    page = (root / "answers" / "00_fixture.html").read_text(encoding="utf-8")
    assert "This answer key is incomplete" in page and "No rubric yet." in page and "<section id='why_double'>" in page
    assert "  INCOMPLETE why_double: no rubric" in capsys.readouterr().out


def test_the_command_has_its_help(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0 and "the graders' answer key" in " ".join(capsys.readouterr().out.split())
    with pytest.raises(SystemExit) as done:
        main(["answers", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert done.value.code == 0 and "--out OUT" in out and "default: <course>/answers" in out


# -- never released ------------------------------------------------------------------------------------------------
def _secret_lines(nb) -> set[str]:
    """The stripped lines of every model answer and rubric of ``nb`` that no public line of the notebook shows."""
    public = set().union(*(cells.public_lines(c) for c in nb.cells))
    return {line.strip() for a in answers.written_answers(nb) for line in (a.model + "\n" + a.rubric.source).split("\n")
            if len(line.strip()) >= 12 and line.strip() not in public}


def _release_text(path: Path) -> str:
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        return "\n".join([c.source for c in nb.cells] + [str(o) for c in nb.cells for o in c.get("outputs", [])])
    return path.read_text(encoding="utf-8", errors="replace")


@pytest.mark.parametrize("assignment", COURSE, ids=str)
def test_no_model_answer_or_rubric_line_reaches_the_release(assignment):
    source = assignment.source()
    secret, prose = _secret_lines(source), answers.rubric_phrases(source)
    assert len(secret) >= 10 and len(prose) >= 10, "nothing to look for"
    source_text = _release_text(assignment.source_path)
    assert all(line in source_text for line in secret)       # what is looked for is how the notebook writes it
    files = [p for p in (assignment.root / "release" / assignment.name).rglob("*") if p.is_file()]
    assert files
    for path in files:
        text = _release_text(path)
        flat = answers.normalised(text.replace("**", "").replace("`", ""))
        assert not [line for line in secret if line in text], path
        assert not [p for p in prose if p in flat], path
        assert "**Rubric**" not in text and "Frequent wrong answers" not in text


# -- in a browser --------------------------------------------------------------------------------------------------
@pytest.mark.skipif(browser_missing() is not None, reason=browser_missing() or "")
def test_two_pages_in_chromium_with_the_network_blocked(pages):
    """Typeset by the browser itself, offline: every formula a MathML element with a size, no dollar in what the
    reader sees, every written answer a section; the screenshots are kept in build/answers-screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    outside = []
    with chromium() as browser:
        page = offline_page(browser, outside, viewport={"width": 1100, "height": 1400})
        for name in ("01_computational_graph", "04_loss"):
            source = next(a for a in COURSE if a.name == name).source()
            page.goto((pages["out"] / f"{name}.html").as_uri())
            assert "$" not in page.inner_text("body")
            assert page.locator("section").count() == len(answers.written_answers(source))
            sizes = page.evaluate("""() => [...document.querySelectorAll('math')].map(m => [
                m.namespaceURI, m.getBoundingClientRect().width, m.getBoundingClientRect().height])""")
            assert len(sizes) >= 10
            assert all(ns == "http://www.w3.org/1998/Math/MathML" and w > 0 and h > 0 for ns, w, h in sizes)
            assert page.evaluate("() => [...document.querySelectorAll('*')].filter(e => e.tagName.includes(':'))"
                                 ".length") == 0
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 1100, "the page scrolls sideways"
            page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    assert outside == []
