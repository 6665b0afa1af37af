"""The real nbgrader, end to end, on a temporary copy of the course: generate the assignment, three students
hand in (the solutions, the blank release, one wrong answer), autograde, feedback, export. A fourth hands in the
wrong answer in the French edition, graded by ours into the same gradebook (test_feedback_course grades the
French solved and blank releases too, with ours)."""
from __future__ import annotations

import csv
import shutil

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder import cells, grade, nbgrader_cli, release
from support import nbrun
from support.courses import ASSIGNMENTS, CONFIG

pytestmark = pytest.mark.slow


def _first_wrong_variant(assignment, source_nb):
    found = sorted(assignment.variants.glob("*/wrong_*.py"))
    assert found, f"no wrong variant under {assignment.variants}"
    name = found[0].parent.name
    reference = next(c.source for c in source_nb.cells if cells.grade_id(c) == name and cells.is_solution(c))
    return name, nbrun.variant_source(reference, found[0].read_text())


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=str)
def test_nbgrader_end_to_end(assignment, tmp_path):
    name = assignment.name
    root = tmp_path / "course"
    (root / "source").mkdir(parents=True)
    shutil.copy2(CONFIG, root / "nbgrader_config.py")
    shutil.copytree(assignment.root / "source" / name, root / "source" / name)
    nbgrader_cli.call(["generate_assignment", name, "--force"], root)
    if (assignment.root / "locale").is_dir():
        shutil.copytree(assignment.root / "locale", root / "locale")
    release.write_editions(root, name, root / "release" / name, update_catalogues=False, log=None)

    source_nb = assignment.source()
    wrong_name, wrong_text = _first_wrong_variant(assignment, source_nb)
    french = {"frank": "carol"}     # carol's mistake, in the French edition: cells that pass and cells that fail
    for edition, students in (("", ("alice", "bob", "carol")), (".fr", (None, None, "frank"))):
        release_nb = nbformat.read(root / "release" / name / f"{name}{edition}.ipynb", as_version=4)
        solved = nbrun.with_solutions(release_nb, source_nb)
        wrong = nbrun.with_cell(solved, wrong_name, wrong_text)
        for student, nb in zip(students, (solved, release_nb, wrong)):
            if student is None:
                continue
            folder = root / "submitted" / student / name
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / f"{name}{edition}.ipynb")

    # plain nbgrader grades the English edition; the French one (03_relu.fr.ipynb is no notebook it knows) is
    # graded by ours, into the same gradebook
    nbgrader_cli.call(["autograde", name, "--force", f"--CourseDirectory.student_id_exclude={','.join(french)}"],
                      root)
    run = grade.grade(root, [name], list(french), workers=2, quiet=True)
    assert run.ok, [o.error or o.reason for o in run.outcomes]

    auto_points = sum(cells.points(c) for c in source_nb.cells if cells.is_autograded_test(c))
    # what the fast runner used by the variant tests predicts for carol: nbgrader must agree
    expected_carol = nbrun.run(nbrun.with_solutions(source_nb, wrong), assignment.source_path.parent).score()
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        scores = {s: gb.find_submission(name, s).score for s in ("alice", "bob", "carol")}
        assert gb.find_assignment(name).max_score == pytest.approx(
            auto_points + sum(cells.points(c) for c in source_nb.cells if cells.is_manual_answer(c)))
    assert scores["alice"] == pytest.approx(auto_points), scores
    assert scores["bob"] == 0, scores
    assert scores["carol"] < auto_points, scores
    assert scores["carol"] == pytest.approx(expected_carol), scores
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for fr, en in french.items():
            assert gb.find_submission(name, fr).score == pytest.approx(scores[en]), (fr, en)
            by_cell = lambda s: {g.name: g.score for n in gb.find_submission(name, s).notebooks for g in n.grades}
            assert by_cell(fr) == pytest.approx(by_cell(en)), (fr, en)
            scores[fr] = gb.find_submission(name, fr).score

    # nbgrader's own feedback, for the two whose pages show failures (test_feedback_course reads every page of
    # ours; test_autograder_french compares nbgrader's French page with ours)
    nbgrader_cli.call(["generate_feedback", name, "--force", "--CourseDirectory.student_id_exclude=alice,bob"], root)
    for student in ("carol", "frank"):
        assert (root / "feedback" / student / name / f"{name}.html").is_file()

    nbgrader_cli.call(["export", "--to", str(tmp_path / "grades.csv")], root)
    with open(tmp_path / "grades.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["assignment"] == name]
    assert sorted(r["student_id"] for r in rows) == sorted(scores)
    assert {r["student_id"]: float(r["raw_score"]) for r in rows} == pytest.approx(scores)
