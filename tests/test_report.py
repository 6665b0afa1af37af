"""The class report (autograder/report.py) on the small graded class of tests/support/classroom.py.

The numbers behind every table and plot are checked against values worked out from classroom's own tables
(CLASS, FAILURES, MANUAL, ROSTER); the CSV against those numbers and against the page; the pages are self-contained
and escape what students and their messages contain; a submission without an autograder record is reported, with
its messages and time unknown. Both pages are opened in headless chromium: every figure loads, nothing is fetched,
and screenshots go to build/browser-screenshots/report-<name>.png (or $BROWSER_SCREENSHOTS).
"""
from __future__ import annotations

import base64
import csv
import html
import json
import os
import re
import shutil
import statistics
import struct
from collections import Counter

import pytest

from autograder import gradebook, judge, maths, report
from autograder.outcome import RESULT_FILE, Outcome
from support import classroom
from support.classroom import ASSIGNMENTS, CLASS, FAILURES, FIRST, MANUAL, ROSTER, SECOND
from support.courses import REPO
from support.lab import browser_missing, chromium

# One worker runs the whole module: its fixture builds (and grades) a class once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("report")]
POINTS = {"double_values": 2.0, "answer_value": 1.0, "why_double": 1.0}   # the fixture's graded cells, in order
ANSWER = "why_double"
SHOTS = REPO / os.environ.get("BROWSER_SCREENSHOTS", "build/browser-screenshots")
# What a report must show as text and never as markup.
EVIL = '<script>alert("pwned")</script> & <img src=x onerror=alert(1)>'


# -- what the class must give, from classroom's tables ----------------------------------------------------------
def cell_score(assignment: str, student: str, cell: str) -> float | None:
    """A submission's score for one cell: a test's points unless it failed; an answer's points given by hand
    (None: still to grade by hand; 0: left blank)."""
    hand = CLASS[assignment][student]
    if cell == ANSWER:
        return MANUAL.get((assignment, student)) if ANSWER in hand.cells else 0.0
    return 0.0 if cell in FAILURES.get((assignment, student), {}) else POINTS[cell]


def totals(assignment: str) -> list[float]:
    return [classroom.expected_total(assignment, s) for s in sorted(CLASS[assignment])]


def term_totals() -> dict[str, float]:
    return {s: sum(classroom.expected_total(a, s) for a in ASSIGNMENTS) for s in ROSTER}


def counted(values, bins) -> list[int]:
    """How many of ``values`` fall in each bin (from low, high excluded except in the last bin)."""
    last = len(bins) - 1
    return [sum(b.low <= v < b.high or (i == last and v == b.high) for v in values) for i, b in enumerate(bins)]


def test_the_tables_agree():
    """The per-cell model above adds up to classroom's own totals (so the checks below test the report)."""
    for assignment, hands in CLASS.items():
        for student in hands:
            got = sum(cell_score(assignment, student, c) or 0.0 for c in POINTS)
            assert got == classroom.expected_total(assignment, student), (assignment, student)


# -- fixtures ---------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The graded class: (course root, the grading run)."""
    root = tmp_path_factory.mktemp("report") / "course"
    return root, classroom.build(root)


@pytest.fixture(scope="module")
def written(course):
    """The files ``report`` wrote into the course's reports/, and what it logged."""
    lines = []
    return report.report(course[0], log=lines.append), lines


@pytest.fixture(scope="module")
def stats(course):
    root = course[0]
    return {a: report.collect(root, gradebook.default_url(root), a) for a in ASSIGNMENTS}


def _csv(path) -> list[tuple]:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == report.CSV_HEADER
    return [tuple(r) for r in rows[1:]]


def _values(rows, section, cell="") -> dict[str, str]:
    return {key: value for s, _, c, key, value in rows if s == section and c == cell}


# -- the numbers ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_summary(stats, assignment):
    s, hands = stats[assignment], CLASS[assignment]
    assert s.roster == sorted(ROSTER)
    assert [h.student for h in s.handins] == sorted(hands)
    assert s.missing == sorted(set(ROSTER) - set(hands))
    assert s.max_score == sum(POINTS.values())
    want = totals(assignment)
    assert [h.score for h in s.handins] == want
    assert s.totals.n == len(want)
    assert s.totals.mean == pytest.approx(statistics.mean(want))
    assert s.totals.median == pytest.approx(statistics.median(want))
    assert s.totals.std == pytest.approx(statistics.pstdev(want))
    assert (s.totals.low, s.totals.high) == (min(want), max(want))
    assert [h.student for h in s.pending] == sorted(st for st in hands if cell_score(assignment, st, ANSWER) is None)
    assert [h.student for h in s.flagged] == sorted(st for st, h in hands.items() if h.flagged)
    assert all(any("numpy.allclose" in f for f in h.flags) for h in s.flagged)
    # a submission handed in as released is a problem the page names (bob's first: it used to say "None.")
    blank = sorted(st for st, h in hands.items() if not h.cells)
    assert [(h.student, h.outcome.reason) for h in s.problems] == [(st, judge.UNCHANGED) for st in blank]
    assert len(s.graded) == len(hands)


def test_who_is_missing(stats):
    assert stats[FIRST].missing == ["gina"]
    assert stats[SECOND].missing == ["dave", "erin", "frank", "gina"]
    assert [h.student for h in stats[FIRST].flagged] == ["frank"] and stats[SECOND].flagged == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_score_histogram(stats, assignment):
    bins = stats[assignment].histogram
    assert bins[0].low == 0 and bins[-1].high == stats[assignment].max_score
    assert all(a.high == b.low for a, b in zip(bins, bins[1:]))
    assert all(0 < b.high - b.low <= 1 for b in bins)            # max 4: bins no wider than a point
    assert [b.count for b in bins] == counted(totals(assignment), bins)
    assert sum(b.count for b in bins) == len(CLASS[assignment])


def test_score_histogram_of_the_first(stats):
    """Totals 4, 0, 1, 0, 1, 3: full marks stand apart from 3."""
    assert {b.label: b.count for b in stats[FIRST].histogram if b.count} == {"0-0.5": 2, "1-1.5": 2, "3-3.5": 1,
                                                                             "3.5-4": 1}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_cells(stats, assignment):
    cells = stats[assignment].cells
    assert [(c.label, c.points) for c in cells] == list(POINTS.items())
    assert [c.kind for c in cells] == [report.TEST, report.TEST, report.BY_HAND]
    for c in cells:
        got = [cell_score(assignment, st, c.label) for st in sorted(CLASS[assignment])]
        graded = [g for g in got if g is not None]
        assert sorted(c.scores) == sorted(graded), c.label
        assert c.pending == got.count(None)
        if graded:
            assert c.summary.mean == pytest.approx(statistics.mean(graded))
            assert c.summary.std == pytest.approx(statistics.pstdev(graded))
            assert c.full == pytest.approx(100 * sum(g == c.points for g in graded) / len(graded))
            assert c.zero == pytest.approx(100 * sum(g == 0 for g in graded) / len(graded))
        else:
            assert c.summary.mean is None and c.full is None


def test_hand_graded_answers(stats):
    """alice's answer was graded by hand (1 point), bob and dave left it blank, the rest wait for the teacher."""
    first, second = stats[FIRST].cells[2], stats[SECOND].cells[2]
    assert (sorted(first.scores), first.pending) == ([0.0, 0.0, 1.0], 3)
    assert (second.scores, second.pending) == ([], 3)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_failures(stats, assignment):
    n = len(CLASS[assignment])
    for c in stats[assignment].cells:
        want = Counter(f[c.label] for (a, _), f in FAILURES.items() if a == assignment and c.label in f)
        assert {f.example: f.count for f in c.failures} == dict(want), c.label
        assert [f.count for f in c.failures] == sorted(want.values(), reverse=True)
        assert all(f.share == pytest.approx(100 * f.count / n) for f in c.failures)


def test_the_most_frequent_failure(stats):
    top = stats[FIRST].cells[0].failures[0]
    assert top.example.startswith("GradientCheckError: double(x)[0, 3]")
    assert (top.count, round(top.share, 2)) == (2, 33.33)       # dave and erin: 2 of 6 submissions


def test_messages_differing_only_in_numbers_group_together():
    messages = ["x[0, 3] = -0.3 but 2.5 expected; 12 of 12 differ", "x[1, 2] = 1e-05 but 7 expected; 3 of 12 differ",
                "x[0, 3] = -0.3 but 2.5 expected; 12 of 12 differ", "dtype float32, expected float64",
                "dtype float16, expected float64"]
    found = report.failures(messages, graded=10)
    assert [(f.example, f.count, f.share) for f in found] == [
        (messages[0], 3, 30.0), ("dtype float16, expected float64", 1, 10.0),
        ("dtype float32, expected float64", 1, 10.0)]
    assert report.normalise("answer is 41.") == "answer is #."


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_timing(stats, course, assignment):
    seconds = {o.student: o.seconds for o in course[1].outcomes if o.assignment == assignment}
    times = stats[assignment].times
    assert times.n == len(CLASS[assignment]) == len(seconds)
    assert times.total == pytest.approx(sum(seconds.values()))
    assert times.high == pytest.approx(max(seconds.values()))
    assert times.median == pytest.approx(statistics.median(seconds.values()))
    assert [h.student for h in stats[assignment].slowest] == sorted(seconds, key=lambda s: -seconds[s])[:5]
    assert [b.count for b in stats[assignment].time_histogram] == counted(seconds.values(),
                                                                          stats[assignment].time_histogram)


def test_term(stats):
    term = report.term_stats([stats[a] for a in ASSIGNMENTS])
    want = term_totals()
    assert term.totals == want
    assert term.max_score == 8
    assert term.summary.n == len(ROSTER)                          # over the roster: gina counts 0
    assert term.summary.mean == pytest.approx(statistics.mean(want.values()))
    assert term.summary.std == pytest.approx(statistics.pstdev(want.values()))
    assert [b.count for b in term.histogram] == counted(want.values(), term.histogram)
    assert term.histogram[0].low == 0 and term.histogram[-1].high == 8


# -- the files --------------------------------------------------------------------------------------------------
def test_files_written(course, written):
    files, lines = written
    out = course[0] / "reports"
    assert files == [out / f"{name}.{ext}" for name in (*ASSIGNMENTS, "term") for ext in ("html", "csv")]
    assert all(f.is_file() for f in files)
    assert len(lines) == 3 and "6 of 7 submitted, 1 flagged" in lines[0]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_assignment_csv(course, written, stats, assignment):
    rows = _csv(course[0] / "reports" / f"{assignment}.csv")
    assert rows == report.assignment_rows(stats[assignment])
    assert all(r[1] == assignment for r in rows)
    summary = _values(rows, "summary")
    want = totals(assignment)
    assert summary["submitted"] == str(len(want))
    assert summary["not_submitted"] == str(len(ROSTER) - len(want))
    assert float(summary["mean"]) == pytest.approx(statistics.mean(want), abs=0.005)
    assert float(summary["std"]) == pytest.approx(statistics.pstdev(want), abs=0.005)
    assert sorted(_values(rows, "not_submitted")) == stats[assignment].missing
    assert [int(v) for v in _values(rows, "histogram").values()] == counted(want, stats[assignment].histogram)
    for c in POINTS:
        graded = [g for g in (cell_score(assignment, s, c) for s in CLASS[assignment]) if g is not None]
        cell = _values(rows, "cell", c)
        assert cell["n"] == str(len(graded))
        if graded:
            assert float(cell["mean"]) == pytest.approx(statistics.mean(graded), abs=0.005)
        want_failures = Counter(f[c] for (a, _), f in FAILURES.items() if a == assignment and c in f)
        assert {k: int(v) for k, v in _values(rows, "failure", c).items()} == dict(want_failures)
        assert {k: float(v) for k, v in _values(rows, "failure_share", c).items()} == pytest.approx(
            {k: 100 * v / len(CLASS[assignment]) for k, v in want_failures.items()}, abs=0.005)
    assert list(_values(rows, "flagged")) == [s for s, h in sorted(CLASS[assignment].items()) if h.flagged]


def test_term_csv(course, written, stats):
    rows = _csv(course[0] / "reports" / "term.csv")
    term = report.term_stats([stats[a] for a in ASSIGNMENTS])
    assert rows == report.term_rows(term)
    for assignment in ASSIGNMENTS:
        values = {k: v for s, a, _, k, v in rows if s == "assignment" and a == assignment}
        assert values["submitted"] == str(len(CLASS[assignment]))
        assert values["flagged"] == str(sum(h.flagged for h in CLASS[assignment].values()))
        assert float(values["median"]) == pytest.approx(statistics.median(totals(assignment)), abs=0.005)
    assert [int(v) for v in _values(rows, "histogram").values()] == counted(term_totals().values(), term.histogram)
    assert _values(rows, "summary")["roster"] == str(len(ROSTER))


# Sections whose keys are data (bins, students, messages), shown on the page like the values.
DATA_KEYS = {"not_submitted", "histogram", "failure", "failure_share", "flagged", "problem", "note", "timing_histogram",
             "slowest"}


@pytest.mark.parametrize("name", [*ASSIGNMENTS, "term"])
def test_every_csv_number_is_on_the_page(course, written, name):
    page = (course[0] / "reports" / f"{name}.html").read_text()
    for section, _, cell, key, value in _csv(course[0] / "reports" / f"{name}.csv"):
        for text in (value, cell) + ((key,) if section in DATA_KEYS else ()):
            assert html.escape(text) in page, (section, cell, key, value)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("name", [*ASSIGNMENTS, "term"])
def test_pages_are_self_contained(course, written, name):
    path = course[0] / "reports" / f"{name}.html"
    page = path.read_text()
    assert "<link" not in page and "<script" not in page and "@import" not in page and "url(" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)
    images = re.findall(r'<img src="([^"]*)" width="(\d+)" height="(\d+)"', page)
    assert len(images) == page.count("<img") >= (2 if name == "term" else 3)
    for src, width, height in images:
        assert src.startswith("data:image/png;base64,")
        size = _png_size(base64.b64decode(src.split(",", 1)[1]))
        assert size == (int(width), int(height)) and size[0] <= 800 and size[1] <= 600
    assert path.stat().st_size < 300_000


# -- hostile text, and a submission graded by plain nbgrader -----------------------------------------------------
@pytest.fixture(scope="module")
def tampered(course, tmp_path_factory):
    """A copy of the course where carol's messages, reason and notes and frank's flag carry markup, a student id
    on the roster is markup, and erin's autograder record is gone (as if graded by plain nbgrader)."""
    root = shutil.copytree(course[0], tmp_path_factory.mktemp("tampered") / "course", copy_function=shutil.copyfile)
    shutil.rmtree(root / "reports")
    graded = root / "autograded"
    carol = json.loads((graded / "carol" / FIRST / RESULT_FILE).read_text())
    carol["notebooks"][0]["messages"]["double_values"] = EVIL
    carol["reason"], carol["notes"] = f"reason {EVIL}", [f"note {EVIL}"]
    (graded / "carol" / FIRST / RESULT_FILE).write_text(json.dumps(carol))
    frank = json.loads((graded / "frank" / FIRST / RESULT_FILE).read_text())
    frank["flags"] = [f"flag {EVIL}"]
    (graded / "frank" / FIRST / RESULT_FILE).write_text(json.dumps(frank))
    (graded / "erin" / FIRST / RESULT_FILE).unlink()
    with gradebook.connect(gradebook.default_url(root)) as gb:
        gb.update_or_create_student("<b>mallory</b>")
    report.report(root, [FIRST], out=root / "out", log=lambda *a: None)
    return root


def test_markup_from_students_is_escaped(tampered):
    page = (tampered / "out" / f"{FIRST}.html").read_text()
    assert "<script" not in page and "<img src=x" not in page and "<b>mallory" not in page
    for text in (EVIL, f"reason {EVIL}", f"note {EVIL}", f"flag {EVIL}", "<b>mallory</b>"):
        assert html.escape(text) in page, text
    rows = _csv(tampered / "out" / f"{FIRST}.csv")
    assert _values(rows, "failure", "double_values")[EVIL] == "1"
    assert _values(rows, "problem") == {"bob": judge.UNCHANGED, "carol": f"reason {EVIL}"}
    assert _values(rows, "flagged") == {"frank": f"flag {EVIL}"}
    assert "<b>mallory</b>" in _values(rows, "not_submitted")


def test_a_submission_without_autograder_record(tampered):
    """erin's score still counts; her messages and time are unknown, so shares are of the 5 records left."""
    s = report.collect(tampered, gradebook.default_url(tampered), FIRST)
    erin = next(h for h in s.handins if h.student == "erin")
    assert erin.outcome is None and erin.score == classroom.expected_total(FIRST, "erin")
    assert len(s.graded) == s.times.n == 5
    top = {f.example: (f.count, f.share) for f in s.cells[0].failures}
    assert top[FAILURES[(FIRST, "dave")]["double_values"]] == (1, 20.0)
    assert "erin" not in [h.student for h in s.slowest]


def test_unknown_assignment_and_missing_gradebook(course, tmp_path):
    with pytest.raises(ValueError, match="nope"):
        report.report(course[0], ["nope"], out=tmp_path / "out", log=lambda *a: None)
    with pytest.raises(FileNotFoundError):
        report.report(course[0], db_url=f"sqlite:///{tmp_path / 'none.db'}", out=tmp_path / "out")
    assert not (tmp_path / "none.db").exists() and not (tmp_path / "out").exists()


def test_renderer_on_made_up_numbers():
    """Seven kinds of message (top 5 shown, the rest summed), markup everywhere, an answer nobody has been graded
    on, a submission without autograder record; and an assignment nobody handed in."""
    messages = [f"<b>{word}</b> failed" for n, word in enumerate("abcdefg") for _ in range(7 - n)]
    test = report.CellStats("t", report.TEST, 1.0, [1.0, 0.0], 0, report.failures(messages, graded=28))
    answer = report.CellStats("a", report.BY_HAND, 1.0, [], 2, [])
    eve = Outcome("<i>eve</i>", "00_x", flags=["<u>flag</u>"], reason="<s>why</s>", notes=["<q>note</q>"], seconds=2.0)
    handins = [report.Handin("<i>eve</i>", 1.0, True, 0, eve), report.Handin("zed", 0.0, False, 1, None)]
    stats = report.AssignmentStats("00_x", 2.0, ["<em>nobody</em>", "<i>eve</i>", "zed"], handins, [test, answer])
    page, rows = report.render_assignment(stats), report.assignment_rows(stats)
    for markup in ("<b>a</b>", "<i>eve</i>", "<u>flag", "<s>why", "<q>note", "<em>nobody"):
        assert markup not in page
    assert "&lt;b&gt;a&lt;/b&gt; failed" in page and "&lt;em&gt;nobody&lt;/em&gt;" in page
    assert [int(v) for v in _values(rows, "failure", "t").values()] == [7, 6, 5, 4, 3]
    assert _values(rows, "failure_others", "t") == {"messages": "2", "submissions": "3"}
    assert "and 2 other message(s), in 3 submission(s)" in page
    assert _values(rows, "cell", "a")["mean"] == "" and _values(rows, "cell", "a")["to_grade_by_hand"] == "2"
    assert _values(rows, "timing")["n"] == "1" and _values(rows, "flagged") == {"<i>eve</i>": "<u>flag</u>"}
    nobody = report.AssignmentStats("01_y", 4.0, ["zed"], [], [answer])
    assert "No submission." in report.render_assignment(nobody)
    term = report.term_stats([stats, nobody])
    assert term.totals == {"<em>nobody</em>": 0.0, "<i>eve</i>": 1.0, "zed": 0.0}
    assert "Term report" in report.render_term(term) and term.max_score == 6


def test_maths_in_messages_are_mathml():
    """A check's message that quotes a formula shows it typeset (MathML: the page is read offline), markup of the
    message still escaped, and a dollar that is no formula left as it is."""
    messages = [r"dz is wrong: $\frac{\partial c}{\partial \mathbf{z}} = \mathbf{W}^\top \delta$ <b>x</b>"] * 2
    messages += ["it costs $5 and $10"]
    test = report.CellStats("t", report.TEST, 1.0, [0.0, 0.0, 0.0], 0, report.failures(messages, graded=3))
    stats = report.AssignmentStats("00_x", 1.0, ["a", "b", "c"], [report.Handin(s, 0.0, False, 0, None)
                                                                   for s in "abc"], [test])
    page = report.render_assignment(stats)
    assert page.count("<math ") == 1 and "<mfrac>" in page and not maths.errors(page)
    assert "\\frac" not in page and "&lt;b&gt;x&lt;/b&gt;" in page and "it costs $5 and $10" in page


# -- in a browser -----------------------------------------------------------------------------------------------
@pytest.mark.browser
@pytest.mark.skipif(browser_missing() is not None, reason=browser_missing() or "")
def test_pages_in_chromium(course, written):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        fetched = []
        page.on("request", lambda r: fetched.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
        for name in ("term", FIRST):
            page.goto((course[0] / "reports" / f"{name}.html").as_uri(), wait_until="load")
            widths = page.evaluate("[...document.images].map(i => i.complete ? i.naturalWidth : 0)")
            assert widths and all(w > 0 for w in widths), (name, widths)
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= 1100, f"{name}: the page scrolls sideways ({wide} px)"
            page.screenshot(path=str(SHOTS / f"report-{name}.png"), full_page=True)
        assert fetched == []
