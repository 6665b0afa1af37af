"""nbgrader's formgrader, in a real browser, on a class graded by our autograder (tests/support/classroom.py).

What a teacher does after `python -m autograder grade`: open JupyterLab on the course, Nbgrader menu -> Formgrader.
- Manage Assignments lists both assignments with their number of submissions (6 and 3);
- that number opens Manage Submissions: alice ... frank (not gina, who handed nothing in) with the scores our grader
  gave, alice's including the point given by hand for her written answer;
- alice's submission opens in the grading page (formgrade) with her written answer, its score and the teacher's
  comment;
- Manage Students lists the whole roster with each student's total (gina too), and frank's submission, which our
  grader flagged, shows the flag;
- a score and a comment typed for carol's written answer are saved (the page's own PUT requests), are still there
  after a reload, are in the gradebook, and change carol's total and status in Manage Submissions.
Every page must load without a failed formgrader request or a JavaScript error. The browser reaches only the
server: anything else is blocked, as on an offline lab machine, and nothing may be asked for (the grading page's
MathJax comes from the server), and the written answer's maths are typeset.

Screenshots: build/browser-screenshots/formgrader-<step>.png (or $BROWSER_SCREENSHOTS). Run alone with
`pytest tests/test_formgrader.py`; building the class takes about 20 s.
"""
from __future__ import annotations

import json
import os

import pytest

from autograder import gradebook
from autograder.outcome import RESULT_FILE
from support import classroom
from support.courses import REPO
from support.lab import Lab, browser_missing, chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("formgrader"),
              pytest.mark.skipif(browser_missing() is not None, reason=browser_missing() or "")]
SHOTS = REPO / os.environ.get("BROWSER_SCREENSHOTS", "build/browser-screenshots")
FIRST, SECOND = classroom.FIRST, classroom.SECOND
FRAME = ".jp-IFrame iframe"            # the panel that Nbgrader -> Formgrader opens holds /formgrader in an iframe
CAROL_SCORE, CAROL_COMMENT = "0.5", "Half a point: say why (1 + 1)x = x + x."


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("class") / "course"
    classroom.build(root)
    exchange = root.parent / "exchange"        # else the formgrader looks for /usr/local/share/nbgrader/exchange
    exchange.mkdir()
    exchange.chmod(0o777)
    with open(root / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.Exchange.root = {str(exchange)!r}\n")
    return root


@pytest.fixture(scope="module")
def lab(course, tmp_path_factory):
    server = Lab(course, tmp_path_factory.mktemp("lab-home"), teacher=True)      # as `make teacher-lab`
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


class Watch:
    """What went wrong in the pages of a browser context: formgrader requests that failed, JavaScript errors, and
    requests for anything but the server (blocked, as on a lab machine without internet). None is allowed: the
    grading page's MathJax comes from the server (jupyter-server-mathjax; nbgrader's page loads it from cdnjs,
    autograder/templates/autograder_formgrade), so its maths are typeset offline and formgrade.js runs to its
    end (without MathJax it stopped at ``MathJax is not defined``, before its keyboard shortcuts)."""

    def __init__(self, context, lab: Lab):
        self.context, self.failed, self.errors, self.blocked = context, [], [], []
        server = f"http://127.0.0.1:{lab.port}/"

        def outside(route):
            self.blocked.append(route.request.url)
            route.abort()
        context.route(lambda url: not url.startswith(server), outside)
        context.on("response", lambda r: self.failed.append(f"{r.status} {r.request.method} {r.url}")
                   if ("/formgrader" in r.url or "mathjax" in r.url.lower()) and r.status >= 400 else None)

    def page(self):
        page = self.context.new_page()
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        return page

    def check(self) -> None:
        assert not self.failed, f"formgrader requests failed: {self.failed}"
        assert not self.blocked, f"the formgrader asked for more than the server: {self.blocked}"
        assert not self.errors, f"JavaScript errors: {self.errors}"


@pytest.fixture
def watch(browser, lab):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    watch = Watch(context, lab)
    yield watch
    context.close()


def _shot(page, step: str, full_page: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    if full_page:      # the grading page's navigation bar is fixed: scrolled to the top, it is drawn at the top
        page.mouse.move(0, 0)
        page.evaluate("() => { if (window.jQuery) { jQuery('body, html').stop(true); jQuery('.tooltip').remove(); }"
                      " window.scrollTo(0, 0); }")
    page.screenshot(path=str(SHOTS / f"formgrader-{step}.png"), full_page=full_page)


def _table(frame, key: str, *columns: str) -> dict:
    """The rows of a formgrader table (filled by JavaScript): {text of column ``key``: (texts of ``columns``)}."""
    frame.locator(f"tbody#main-table td.{key}").first.wait_for(timeout=30_000)
    rows = frame.locator("tbody#main-table tr")
    return {rows.nth(i).locator(f"td.{key}").inner_text().strip():
            tuple(rows.nth(i).locator(f"td.{c}").inner_text().strip() for c in columns)
            for i in range(rows.count())}


def _submissions(frame) -> dict:
    """Manage Submissions of an assignment: {student id: (score, status)}."""
    return _table(frame, "student-id", "score", "status")


def _expected_scores(assignment: str) -> dict:
    """What Manage Submissions must show: autograded points plus points given by hand, out of 4."""
    return {student: f"{classroom.expected_total(assignment, student):g} / 4"
            for student in classroom.CLASS[assignment]}


def _open_formgrade(page, lab: Lab, student: str) -> None:
    """Manage Submissions -> the student's name -> the notebook: the grading page of the submission."""
    lab.login(page)
    page.goto(lab.url(f"formgrader/manage_submissions/{FIRST}"))
    first, last = classroom.ROSTER[student]
    page.locator(f"td.student-name a:text-is('{last}, {first}')").click()
    page.locator(f"tbody#main-table td.name a:text-is('{FIRST}')").click()
    page.wait_for_url("**/formgrader/submissions/*/")
    _wait_loaded(page)
    page.locator("span.glyphicon-eye-open.name-hidden").click()          # the page hides the student's name
    page.locator(".live-notebook a.name-shown").wait_for()
    assert page.locator(".live-notebook a.name-shown").inner_text().strip() == f"{last}, {first}"


def _wait_loaded(page) -> None:
    """The grading page has fetched the scores and comments and bound them to its boxes (before that, the boxes
    are empty and typing in them saves nothing). Not ``formgrader.loaded``, which stays false when MathJax is
    missing: ``_wait_typeset`` checks that one."""
    page.wait_for_function("() => window.formgrader && formgrader.grades && formgrader.grades.loaded"
                           " && formgrader.comments && formgrader.comments.loaded")


def _wait_typeset(page) -> None:
    """MathJax (the server's) has typeset the page and formgrade.js has run to its end: their own flags
    (``MathJax.loaded`` is formgrade.js's, set at MathJax's "End" signal)."""
    page.wait_for_function("() => window.MathJax && MathJax.loaded && window.formgrader && formgrader.loaded",
                           timeout=30_000)


def _written_answer(page):
    """The cell of the written answer ``why_double`` in the grading page."""
    return page.locator(".nbgrader_cell:has(input.score#why_double)")


def test_formgrader_from_the_nbgrader_menu_lists_assignments_and_submissions(lab, watch):
    page = watch.page()
    page.goto(lab.url("lab", reset=True))
    page.locator("#jp-menu-panel .lm-MenuBar-item:has-text('Nbgrader')").click(timeout=60_000)
    page.locator(".lm-Menu [data-command='nbgrader:open-formgrader']").click()
    frame = page.frame_locator(FRAME)
    assignments = _table(frame, "name", "num-submissions", "status")
    _shot(page, "1-assignments")
    assert assignments == {FIRST: ("6", "draft"), SECOND: ("3", "draft")}, assignments
    # Without c.Exchange.root: "The exchange directory at /usr/local/share/nbgrader/exchange does not exist ..."
    warnings = frame.locator(".alert-warning")
    assert warnings.count() == 0, warnings.all_inner_texts()

    frame.locator(f"tbody#main-table tr:has(td.name[data-order='{FIRST}']) td.num-submissions a").click()
    frame.locator(f".breadcrumb li.active:text-is('{FIRST}')").wait_for()
    submissions = _submissions(frame)
    _shot(page, "2-submissions")
    assert {student: score for student, (score, _) in submissions.items()} == _expected_scores(FIRST), submissions
    assert submissions["alice"][0] == "4 / 4" and submissions["bob"][0] == "0 / 4"
    # bob and dave left the written answer as released: nbgrader gives it 0 by itself, nothing to grade by hand.
    assert submissions["bob"][1] == submissions["dave"][1] == "graded", submissions
    assert submissions["carol"][1] == "needs manual grading", submissions
    watch.check()


def test_alice_s_submission_shows_her_written_answer_its_score_and_the_comment(lab, watch):
    page = watch.page()
    _open_formgrade(page, lab, "alice")
    cell = _written_answer(page)
    _wait_typeset(page)
    answer = cell.locator(".panel-body")
    assert answer.inner_text().startswith("Because ") and "$" not in answer.inner_text()
    assert answer.locator("script[type='math/tex']").text_content() == "2x = (1 + 1)x = x + x"
    assert answer.locator(".MathJax").count() == 1                           # typeset, by the server's MathJax
    assert answer.locator(".MathJax").bounding_box()["width"] > 50
    assert cell.locator("input.score").input_value() == "1"
    assert cell.locator("textarea.comment").input_value() == classroom.TEACHER_COMMENT
    code = page.locator(".nbgrader_cell:has(textarea.comment):has-text('def double')")
    assert "return 2 * x" in code.locator(".panel-body").inner_text()
    _shot(page, "3-alice", full_page=True)
    watch.check()


def test_manage_students_shows_the_roster_and_the_flag_our_grader_raised(lab, watch):
    page = watch.page()
    lab.login(page)
    page.goto(lab.url("formgrader/manage_students"))
    students = _table(page, "id", "score")
    _shot(page, "4-students")
    total = 4 * len(classroom.ASSIGNMENTS)
    assert students == {s: (f"{sum(classroom.expected_total(a, s) for a in classroom.ASSIGNMENTS):g} / {total}",)
                        for s in classroom.ROSTER}, students                  # gina too, with nothing handed in

    flagged = {}
    for student in ("frank", "alice"):          # frank rebinds numpy.allclose: flagged by our grader, for the teacher
        page.goto(lab.url(f"formgrader/manage_students/{student}/{FIRST}"))
        row = page.locator(f"tbody#main-table tr:has(td.name[data-order='{FIRST}'])")
        row.wait_for()
        flagged[student] = (row.locator("td.flagged .glyphicon-flag").count(), row.locator("td.score").inner_text())
        if student == "frank":
            _shot(page, "5-frank-flagged")
    assert flagged == {"frank": (1, "3 / 4"), "alice": (0, "4 / 4")}, flagged
    watch.check()


def test_the_autograde_button_grades_with_our_grader_in_its_sandbox(lab, course, watch):
    """Manage Submissions' ⚡ button runs `python -m autograder grade` (autograder/formgrader.py), not plain
    nbgrader autograde: erin's score (1 of the 4 points), spoiled in the gradebook beforehand, is back as our
    grader gives it, her record (autograder.json, which plain nbgrader never writes) is written anew, and the
    window shows our grader's log, sandbox included."""
    record = course / "autograded" / "erin" / FIRST / RESULT_FILE
    assert record.is_file()
    record.unlink()
    with gradebook.connect(gradebook.default_url(course)) as gb:
        for grade in gb.find_submission_notebook(FIRST, FIRST, "erin").grades:
            grade.auto_score = 0.0
        gb.db.commit()
    page = watch.page()
    lab.login(page)
    page.goto(lab.url(f"formgrader/manage_submissions/{FIRST}"))
    before = _submissions(page)
    assert before["erin"][0] == "0 / 4" != _expected_scores(FIRST)["erin"], before

    page.locator("tbody#main-table tr:has(td.student-id:text-is('erin')) td.autograde a").click()
    window = page.locator("#success-modal")
    window.wait_for(timeout=180_000)
    _shot(page, "8-autograde-button")
    text = window.inner_text()
    assert f"Successfully autograded '{FIRST}' for student 'erin'." in text, text
    assert f"python -m autograder grade {FIRST} --student erin --force" in text
    assert "sandbox: " in text and "1 graded" in text, text
    window.locator("button:has-text('OK'), button.close").first.click()
    page.wait_for_function("() => [...document.querySelectorAll('tbody#main-table tr')].some(r =>"
                           " r.innerText.includes('erin') && !r.innerText.includes('Please wait'))")
    page.reload()
    after = _submissions(page)
    assert after["erin"][0] == _expected_scores(FIRST)["erin"], after
    assert record.is_file()                              # our grader's record: plain nbgrader deletes the folder
    assert json.loads(record.read_text())["student"] == "erin"
    watch.check()


def test_a_score_typed_in_the_formgrader_goes_to_the_gradebook(lab, course, watch):
    """Last in this file: it changes carol's score, which the tests above check as our grader left it."""
    page = watch.page()
    _open_formgrade(page, lab, "carol")
    cell = _written_answer(page)
    assert cell.locator("input.score").input_value() == ""                   # nobody has graded it yet
    assert "needs_manual_grade" in cell.locator("input.score").get_attribute("class")

    with page.expect_response(lambda r: "/formgrader/api/grade/" in r.url and r.request.method == "PUT") as saved:
        cell.locator("input.score").fill(CAROL_SCORE)
        cell.locator("input.score").press("Tab")                           # the page saves on change
    assert saved.value.ok, saved.value.status
    with page.expect_response(lambda r: "/formgrader/api/comment/" in r.url and r.request.method == "PUT") as saved:
        cell.locator("textarea.comment").fill(CAROL_COMMENT)
        cell.locator("textarea.comment").press("Tab")
    assert saved.value.ok, saved.value.status
    _shot(page, "6-carol-graded", full_page=True)

    page.reload()
    _wait_loaded(page)
    assert cell.locator("input.score").input_value() == CAROL_SCORE
    assert cell.locator("textarea.comment").input_value() == CAROL_COMMENT
    assert "needs_manual_grade" not in cell.locator("input.score").get_attribute("class")

    with gradebook.connect(gradebook.default_url(course)) as gb:
        grade = gb.find_grade("why_double", FIRST, FIRST, "carol")
        comment = gb.find_comment("why_double", FIRST, FIRST, "carol")
        assert (grade.manual_score, grade.needs_manual_grade) == (float(CAROL_SCORE), False)
        assert comment.manual_comment == CAROL_COMMENT
        assert gb.find_submission(FIRST, "carol").score == classroom.CLASS[FIRST]["carol"].score + float(CAROL_SCORE)

    page.goto(lab.url(f"formgrader/manage_submissions/{FIRST}"))
    submissions = _submissions(page)
    _shot(page, "7-submissions-after")
    assert submissions["carol"] == ("1.5 / 4", "graded"), submissions
    watch.check()
