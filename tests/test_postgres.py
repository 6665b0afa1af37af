"""The gradebook on PostgreSQL (a real server, tests/support/postgres.py): the hostile corpus graded into it gives
the rows SQLite gets; two grading runs at once into one gradebook (on disjoint students, then on overlapping ones with
--force) and records racing for the same submission lose and double nothing (two runs at once also into
SQLite); export and report read it, with the URL given by --db or by nbgrader_config.py."""
from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from nbgrader.api import Grade, SubmittedAssignment

from autograder import grade, gradebook
from autograder.outcome import RESULT_FILE, Outcome
from support import postgres
from support.courses import FIXTURE
from support.grading import bwrap_problem
from support.hostile import CASES, CELL_TIMEOUT, submit
from support.ports import free_port

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("postgres")]
# The corpus is graded twice and the two gradebooks compared: its cases must end the same way however loaded the
# machine is, so not the 5 s this had, which prints_100mb's cell (about 4 s on two busy cores) came close to.
LIMITS = {"cell_timeout": CELL_TIMEOUT, "notebook_timeout": 60}
HONEST = {c.name: c for c in CASES if c.name in ("honest_solutions", "honest_blank", "honest_wrong")}
# The class of the concurrent runs: s00..s07 graded first, n00 and n01 handed in later.
KINDS = ["honest_solutions", "honest_blank", "honest_wrong"]
STUDENTS = {f"s{i:02d}": KINDS[i % 3] for i in range(8)} | {f"n{i:02d}": KINDS[(i + 1) % 3] for i in range(2)}


@pytest.fixture(scope="session")
def server():
    reason = postgres.missing()
    if reason:
        pytest.skip(reason)
    with postgres.server() as url:
        yield url


@pytest.fixture(scope="session")
def mode(tmp_path_factory):
    """bwrap where it works; elsewhere "auto" (unsandboxed), for the honest submissions only."""
    return "auto" if bwrap_problem(tmp_path_factory.mktemp("probe")) else "bwrap"


def rows(db_url: str, assignment: str = FIXTURE, only: bool = True) -> tuple[list, list]:
    """Every grade (student, notebook, grade id, auto_score, needs_manual_grade, flagged) and every submission
    (student, score, max_score) of ``assignment``, sorted; when it is the ``only`` one, the row counts of both
    tables must match them."""
    with gradebook.connect(db_url) as gb:
        subs = gb.find_assignment(assignment).submissions
        grades = sorted((s.student_id, nb.name, g.name, g.auto_score, g.needs_manual_grade, nb.flagged)
                        for s in subs for nb in s.notebooks for g in nb.grades)
        scores = sorted((s.student_id, s.score, s.max_score) for s in subs)
        assert len(scores) == len({s[0] for s in scores})
        if only:
            assert gb.db.query(SubmittedAssignment).count() == len(scores)
            assert gb.db.query(Grade).count() == len(grades)
    return grades, scores


def environment() -> dict:
    return dict(os.environ, PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")


def cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder", *args], cwd=root, env=environment(),
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def corpus(server, mode, new_course):
    """The corpus graded twice: into the course's SQLite gradebook, and into a PostgreSQL database. Never without
    bubblewrap: unsandboxed, its hostile students would write into this checkout."""
    if mode != "bwrap":
        pytest.skip("the hostile corpus needs bubblewrap (.ci/run installs it)")
    cases = CASES
    out = {"cases": cases}
    for kind in ("sqlite", "postgres"):
        root = new_course(kind)
        for case in cases:
            submit(root, case.name, case, {"course": root, "port": 9, "secret_name": "AUTOGRADER_TEST_SECRET"})
        url = gradebook.default_url(root) if kind == "sqlite" else postgres.database(server, "corpus")
        run = grade.grade(root, workers=2, sandbox_mode=mode, db_url=url, quiet=True, **LIMITS)
        out[kind] = {"root": root, "url": url, "run": run}
    return out


def test_the_corpus_graded_into_postgres_has_the_rows_of_sqlite(corpus):
    cases = corpus["cases"]
    for kind in ("sqlite", "postgres"):
        run = corpus[kind]["run"]
        assert run.ok and [o.error for o in run.outcomes if o.error] == [], (kind, run.problems)
        assert len(run.outcomes) == len(cases)
    grades, scores = rows(corpus["postgres"]["url"])
    assert (grades, scores) == rows(corpus["sqlite"]["url"])
    assert len(scores) == len(cases) and len(grades) == 3 * len(cases)
    autograded = {}   # the corpus's own expectations (test_hostile.py), in the PostgreSQL gradebook
    for student, _, name, score, *_ in grades:
        if name in ("double_values", "answer_value"):
            autograded[student] = autograded.get(student, 0) + (score or 0)
    assert autograded == {c.name: c.score for c in cases}


@pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")   # nbgrader's, from threads (see gradebook.record)
def test_records_racing_for_the_same_student_lose_nothing(corpus, server, new_course):
    """Each outcome of the corpus recorded at the same instant, into a new database, by two threads (both create
    the student and the submission: nbgrader looks them up, then inserts them, and a unique constraint fails) and
    by a third one that records it as the student's submission of a second assignment (it creates the student
    too, and nobody else writes that submission: a write lost on a clash shows)."""
    other = "01_fixture_again"
    root = new_course("racing", (FIXTURE, other))
    url = postgres.database(server, "racing")
    gradebook.sync(root, url, [FIXTURE, other])
    errors = []

    def write(outcome, barrier):
        barrier.wait()
        try:
            gradebook.record(url, outcome)
        except Exception as error:   # noqa: BLE001 -- reported below
            errors.append(f"{outcome.student}: {error.__class__.__name__}: {str(error)[:300]}")

    outcomes = corpus["postgres"]["run"].outcomes
    seconds = [dataclasses.replace(o, assignment=other, notebooks=[dataclasses.replace(nb, name=other)
                                                                    for nb in o.notebooks]) for o in outcomes]
    for first, second in zip(outcomes, seconds):
        barrier = threading.Barrier(3)
        threads = [threading.Thread(target=write, args=(o, barrier)) for o in (first, first, second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert gradebook.verify(url, outcomes + seconds) == []
    expected = rows(corpus["postgres"]["url"])
    assert rows(url, FIXTURE, only=False) == expected
    grades, scores = rows(url, other, only=False)
    assert ([(s, FIXTURE, *rest) for s, _, *rest in grades], scores) == expected


def _runs_at_once(root: Path, url: str, groups: list[list[str]], mode: str, *extra: str) -> list:
    """``python -m autograder grade`` once per group of students, all started at the same time."""
    procs = []
    for students in groups:
        args = ["grade", "--db", url, "--workers", "1", "--sandbox", mode, *extra]
        args += [a for s in students for a in ("--student", s)]
        procs.append(subprocess.Popen([sys.executable, "-m", "autograder", *args], cwd=root, env=environment(),
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    return [(p.wait(timeout=600), *p.communicate()) for p in procs]


def _graded(stdout: str) -> int:
    return int(re.search(r"^(\d+) graded \(", stdout, re.M).group(1))


@pytest.fixture(scope="session", params=["postgres", "sqlite"])
def concurrent(request, mode, new_course):
    """A class graded by two runs at once into a new database (s00-s03 and s04-s07), then regraded by two runs at
    once with --force on overlapping students (s00-s05 and s02-s07), both also grading n00 and n01 (new); into
    PostgreSQL, and into the course's SQLite file (one machine: a teacher starting a second run by mistake)."""
    root = new_course(f"concurrent-{request.param}")
    for student, kind in STUDENTS.items():
        submit(root, student, HONEST[kind], {})
    if request.param == "postgres":
        url = postgres.database(request.getfixturevalue("server"), "concurrent")
    else:
        url = gradebook.default_url(root)
    s = sorted(n for n in STUDENTS if n.startswith("s"))
    disjoint = _runs_at_once(root, url, [s[:4], s[4:]], mode)
    after_disjoint = rows(url)
    overlapping = _runs_at_once(root, url, [s[:6] + ["n00", "n01"], s[2:] + ["n00", "n01"]], mode, "--force")
    return {"root": root, "url": url, "disjoint": disjoint, "after_disjoint": after_disjoint,
            "overlapping": overlapping, "after_overlapping": rows(url)}


def _expected(students) -> list:
    return sorted((s, HONEST[STUDENTS[s]].score, 4.0) for s in students)


def _check_runs(results, graded: list[int]):
    for (code, stdout, stderr), n in zip(results, graded):
        assert code == 0, stdout + stderr
        assert "GRADER ERROR" not in stdout and "GRADEBOOK MISMATCH" not in stdout, stdout
        assert _graded(stdout) == n, stdout


def test_two_runs_at_once_on_disjoint_students(concurrent):
    _check_runs(concurrent["disjoint"], [4, 4])
    grades, scores = concurrent["after_disjoint"]
    assert scores == _expected([s for s in STUDENTS if s.startswith("s")])
    assert len(grades) == 3 * len(scores)


def test_two_runs_at_once_on_overlapping_students_with_force(concurrent):
    _check_runs(concurrent["overlapping"], [8, 8])
    grades, scores = concurrent["after_overlapping"]
    assert scores == _expected(STUDENTS)
    assert len(grades) == 3 * len(scores)
    before = {r[0] for r in concurrent["after_disjoint"][0]}
    assert sorted(r for r in grades if r[0] in before) == concurrent["after_disjoint"][0]
    for student in STUDENTS:   # each submission's own record agrees with the gradebook
        stored = Outcome.from_json(
            (concurrent["root"] / "autograded" / student / FIXTURE / RESULT_FILE).read_text())
        assert stored.score == HONEST[STUDENTS[student]].score, student


def test_export_and_report_read_postgres(corpus, tmp_path):
    sqlite, pg = corpus["sqlite"], corpus["postgres"]
    exported = cli(pg["root"], "export", "--db", pg["url"], "--out", str(tmp_path / "pg"))
    assert exported.returncode == 0, exported.stdout + exported.stderr
    assert cli(sqlite["root"], "export", "--out", str(tmp_path / "sqlite")).returncode == 0
    for name in (f"{FIXTURE}.csv", "term.csv"):
        assert (tmp_path / "pg" / name).read_text() == (tmp_path / "sqlite" / name).read_text()
    assert len((tmp_path / "pg" / f"{FIXTURE}.csv").read_text().splitlines()) == len(corpus["cases"]) + 1

    # the URL in nbgrader_config.py is the default of every command (report here, without --db)
    config = pg["root"] / "nbgrader_config.py"
    original = config.read_text()
    config.write_text(original + f"\nc.CourseDirectory.db_url = {pg['url']!r}\n")
    try:
        assert gradebook.default_url(pg["root"]) == pg["url"]
        reported = cli(pg["root"], "report", "--out", str(tmp_path / "report"))
    finally:
        config.write_text(original)
    assert reported.returncode == 0, reported.stdout + reported.stderr
    assert f"{len(corpus['cases'])} of {len(corpus['cases'])} submitted" in reported.stdout
    assert (tmp_path / "report" / f"{FIXTURE}.html").is_file()


def test_an_unreachable_gradebook_is_one_clear_line(new_course):
    root = new_course()
    port = free_port()     # nothing listens there
    done = cli(root, "export", "--db", f"postgresql+psycopg2://grader:s3cret@127.0.0.1:{port}/gradebook")
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith("error: cannot use the gradebook (connection to server at"), done.stderr
    assert "Traceback" not in done.stderr and "s3cret" not in done.stderr
