"""``python -m autograder similarity``: planted copies rank above every honest pair, on the real 05_batching_mlp;
short answers any correct solution shares make nobody look alike; starter code and the reference are compared with
nobody; the command's messages, its refusals and its page."""
from __future__ import annotations

import re

import nbformat
import pytest

from autograder import cells, fingerprints, similarity, similarity_page
from autograder.__main__ import main
from autograder.coursedir import Course
from support import lookalikes
from support.courses import REPO
from support.lab import browser_missing, chromium, offline_page

A = lookalikes.ASSIGNMENT


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """The planted class handed in, compared once: (course root, Comparison)."""
    root = lookalikes.make_course(tmp_path_factory.mktemp("planted") / "course")
    lookalikes.hand_in(root, lookalikes.planted_class())
    return root, _compare(root)


def _compare(root, common=None) -> similarity.Comparison:
    course = Course.at(root)
    found = similarity.answer_cells(course, A)
    answers, left_out = similarity.read_answers(course, A, found)
    return similarity.compare(A, found, answers, left_out, common)


def _pair(result, a, b):
    return next((p for p in result.pairs if {p.a, p.b} == {a, b}), None)


def test_every_copy_ranks_above_every_honest_pair(planted):
    _, result = planted
    copies = {frozenset((copier, whose)) for copier, (whose, _) in lookalikes.COPIES.items()}
    ranked = [frozenset((p.a, p.b)) for p in result.pairs]
    assert set(ranked[:len(copies)]) == copies, [(p.a, p.b, round(p.score, 2)) for p in result.pairs]
    lowest_copy = min(p.score for p in result.pairs if frozenset((p.a, p.b)) in copies)
    highest_honest = max(p.score for p in result.pairs if frozenset((p.a, p.b)) not in copies)
    assert lowest_copy > 0.6 and highest_honest < 0.2, (lowest_copy, highest_honest)
    # each disguise is seen in the long answers, the written ones included
    for copier, (whose, _) in lookalikes.COPIES.items():
        shared = _pair(result, copier, whose).shared
        long = {"softmax_cross_entropy", "MLP", "backprop_columns", "backprop_004", "sum_versus_mean"}
        assert long <= set(shared), copier


def test_honest_students_with_the_same_short_formula_share_it_but_do_not_look_alike(planted):
    """honest0 and honest3 both wrote the reference fc_backward (dZ @ W.T) and relu cells: shared, seen, low."""
    _, result = planted
    pair = _pair(result, "honest0", "honest3")
    assert "fc_backward" in pair.shared
    assert pair.score < 0.1


def test_one_line_cells_that_any_answer_shares_do_not_make_honest_students_alike(new_course, tmp_path):
    """Two honest students who differ in every long answer but wrote the same one-line answers (relu_forward,
    fc_forward, sgd_step): low score even when few share them; and when many do, those passages are common and
    count for nothing."""
    root = lookalikes.make_course(tmp_path / "course")
    one_line = {"fc_forward": "reference", "relu_forward": "reference", "sgd_step": "reference"}
    first = lookalikes.honest_answers({**lookalikes.HONEST["honest1"], **one_line})
    second = lookalikes.honest_answers({**lookalikes.HONEST["honest2"], **one_line})
    lookalikes.hand_in(root, {"first": first, "second": second})
    same = _pair(_compare(root), "first", "second")
    assert same is not None and {"fc_forward", "sgd_step"} <= set(same.shared)       # seen...
    own = {name: lookalikes.honest_answers(lookalikes.HONEST[whose])
           for name, whose in (("first", "honest1"), ("second", "honest2"))}
    lookalikes.hand_in(root, own)
    apart = _pair(_compare(root), "first", "second")
    assert same.score - apart.score < 0.05                  # ...and weighed as the few lines they are
    assert same.score < 0.15
    assert fingerprints.fingerprint("    return np.maximum(0, X), X\n").places == {}   # 11 tokens: below k
    # six students, all with those one-line answers: they are what any answer holds
    everyone = {f"student{i}": lookalikes.honest_answers({**lookalikes.HONEST[f"honest{i % 3}"], **one_line,
                                                          "MLP": None, "softmax_cross_entropy": None})
                for i in range(6)}
    lookalikes.hand_in(root, everyone)
    result = _compare(root)
    assert result.common == 3
    assert not any(label in p.shared for p in result.pairs for label in one_line)
    common = result.common_shared(similarity.Pair("student0", "student3"), "fc_forward")
    assert common, "shown as common on the page"


def test_starter_code_and_blank_answers_match_nobody(tmp_path):
    root = lookalikes.make_course(tmp_path / "course")
    lookalikes.hand_in(root, {"blank1": {}, "blank2": {}, "blank3": {}})
    result = _compare(root)
    assert result.pairs == []
    assert all(a.fp.size == 0 for mine in result.answers.values() for a in mine.values())


def test_identical_submissions_are_said_identical_even_when_every_passage_is_common(tmp_path):
    """A class that all handed in the reference answers (a leaked solution): every passage is common, so no pair
    shares a counted one; two byte-identical notebooks are still the first pair, at 100 %, said identical. A
    student who answered the same cells but in their own words is identical to nobody."""
    root = lookalikes.make_course(tmp_path / "course")
    reference = lookalikes.reference_answers()
    own = {**reference, **{g: lookalikes.OWN_WORDS[g][0] for g in lookalikes.WRITTEN}}
    other = {**reference, **{g: lookalikes.OWN_WORDS[g][1] for g in lookalikes.WRITTEN}}
    lookalikes.hand_in(root, {"alice": reference, "farid": reference, "chloe": own, "david": other, "emile": {}})
    result = _compare(root)
    first = result.pairs[0]
    assert {first.a, first.b} == {"alice", "farid"} and first.identical and first.score == 1.0
    assert [p for p in result.pairs if p.identical] == [first]
    page = similarity_page.render(result, 25)
    assert "alice</td><td>farid</td><td class='num'>identical" in page and "<b>Identical:</b>" in page


def test_short_identical_answers_are_not_called_identical(tmp_path):
    """Two students who only wrote the same one-line answers (``np.maximum(0, X)``) typed what anyone would."""
    root = lookalikes.make_course(tmp_path / "course")
    short = {g: a for g, a in lookalikes.reference_answers().items() if g == "relu_forward"}
    assert sum(1 for line in short["relu_forward"].splitlines() if "maximum" in line) == 1
    lookalikes.hand_in(root, {"one": short, "two": short, "three": {}})
    assert not any(p.identical for p in _compare(root).pairs)


def test_an_answer_holding_the_solution_markers_is_named(tmp_path, capsys):
    """nbgrader's ### BEGIN SOLUTION lines are in the source notebook only: a submission holding them got the
    reference solution (the command and the page say so)."""
    root = lookalikes.make_course(tmp_path / "course")
    source = nbformat.read(REPO / "source" / A / f"{A}.ipynb", as_version=4)
    leaked = {cells.grade_id(c): c.source for c in source.cells if cells.grade_id(c) == "relu_forward"}
    lookalikes.hand_in(root, {"leak": leaked, "honest": {}, "other": {}})
    result = _compare(root)
    assert result.markers == {"leak": ["relu_forward"]}
    assert "Answers holding the source notebook's markers" in similarity_page.render(result, 25)
    similarity.similarity(root, [A])
    assert "leak's relu_forward hold nbgrader's '### BEGIN SOLUTION' markers" in capsys.readouterr().out


def test_the_reference_solution_is_compared_with_nobody(planted):
    _, result = planted
    assert set(result.students) == set(lookalikes.HONEST) | set(lookalikes.COPIES)


def test_fingerprints_ignore_names_literals_comments_and_spacing():
    one = "def f(x, W):\n    z = x @ W + 1.5  # affine\n    return np.maximum(0, z), 'cache'\n"
    two = "def g(inp, M):\n    # the layer\n    out =  inp@M + 2\n    return np.maximum(0, out), \"c\"\n"
    assert fingerprints.code_tokens(one)[0] == fingerprints.code_tokens(two)[0]
    assert "np" not in fingerprints.code_tokens(one)[0] and "maximum" not in fingerprints.code_tokens(one)[0]
    assert "len" in fingerprints.code_tokens("n = len(x)")[0]                    # builtins stay
    broken = "def f(x):\n    return (x +\n"                                       # cannot be tokenized
    assert fingerprints.code_tokens(broken)[0][:6] == ["def", "N", "(", "N", ")", ":"]
    words = fingerprints.prose_tokens("Since $\\frac{\\partial c}{\\partial b} = 3$, the Sum")[0]
    assert words == ["since", "\\frac", "\\partial", "c", "\\partial", "b", "#", "the", "sum"]


def test_a_passage_shorter_than_k_tokens_matches_nothing():
    short = fingerprints.fingerprint("dx = dz @ W.T\n")
    assert short.size == 7 and not short.places


def test_the_command_writes_the_page_and_names_the_top_pairs(planted, capsys, monkeypatch):
    root, _ = planted
    monkeypatch.chdir(root)
    assert main(["similarity", A]) == 0
    out = capsys.readouterr().out
    page = root / "reports" / f"similarity-{A}.html"
    assert f"-> {page}" in out
    assert re.search(r"1\. (honest1 and verbatim|verbatim and honest1): identical \(every answer cell", out), out
    assert re.search(r"2\. (honest2 and renamed|renamed and honest2): \d+% alike", out), out
    assert "not a verdict" in out
    text = page.read_text()
    assert "A place to look, never a verdict." in text
    assert "<script" not in text and "http://" not in text.replace("http://www.w3.org", "")
    assert "https://" not in text
    assert text.count("<mark>") > 50 and "class='common'" in text and "class='starter'" in text
    assert text.index("honest1 and verbatim") < text.index("honest2 and renamed") < text.index("honest0 and reordered")


def test_a_students_text_is_escaped(tmp_path):
    root = lookalikes.make_course(tmp_path / "course")
    evil = lookalikes.honest_answers({})
    evil["sgd_step"] = "def sgd_step(params, grads, alpha):\n    s = '</pre><script>alert(1)</script>'\n" * 3
    lookalikes.hand_in(root, {"a": evil, "b": evil})
    similarity.similarity(root, [A], log=lambda *a: None)
    text = (root / "reports" / f"similarity-{A}.html").read_text()
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_unknown_assignment_exits_2_with_did_you_mean(planted, capsys, monkeypatch):
    monkeypatch.chdir(planted[0])
    assert main(["similarity", "05_batching_mpl"]) == 2
    assert "did you mean 05_batching_mlp?" in capsys.readouterr().err


def test_an_assignment_nobody_submitted_says_so(tmp_path, capsys, monkeypatch):
    root = lookalikes.make_course(tmp_path / "course")
    monkeypatch.chdir(root)
    assert main(["similarity", A]) == 1
    assert f"{A}: nobody handed it in" in capsys.readouterr().out
    assert not (root / "reports").exists()
    assert main(["similarity"]) == 2                    # nothing handed in at all
    assert "nothing handed in yet" in capsys.readouterr().err


def test_excluded_and_unreadable_students_are_left_out(tmp_path, capsys):
    root = lookalikes.make_course(tmp_path / "course")
    students = lookalikes.planted_class()
    lookalikes.hand_in(root, {k: students[k] for k in ("honest1", "verbatim", "honest2")})
    (root / "submitted" / "honest2" / A / f"{A}.ipynb").write_text("{not json")
    with open(root / "nbgrader_config.py", "a") as f:
        f.write("\nc.CourseDirectory.student_id_exclude = 'verbatim'\n")
    similarity.similarity(root, [A])
    out = capsys.readouterr().out
    assert "left out honest2: " in out and "not valid JSON" in out
    assert "1 submissions" in out and "only one submission" in out
    text = (root / "reports" / f"similarity-{A}.html").read_text()
    assert "verbatim" not in text and "Only one submission" in text


def test_a_deleted_answer_cell_is_an_empty_answer(tmp_path):
    root = lookalikes.make_course(tmp_path / "course")
    lookalikes.hand_in(root, {"a": lookalikes.honest_answers({}), "b": lookalikes.honest_answers({})})
    path = root / "submitted" / "b" / A / f"{A}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "MLP"]
    nbformat.write(nb, path)
    result = _compare(root)
    assert result.answers["b"]["MLP"].text == "" and "MLP" not in _pair(result, "a", "b").shared


@pytest.mark.skipif(browser_missing() is not None, reason=browser_missing() or "")
def test_the_page_in_chromium_with_the_network_blocked(planted, tmp_path):
    """The page needs nothing from outside; the verdict warning, the ranked table and the highlighted pairs show."""
    root, _ = planted
    similarity.similarity(root, [A], log=lambda *a: None)
    page_file = root / "reports" / f"similarity-{A}.html"
    outside = []
    with chromium() as browser:
        page = offline_page(browser, outside, viewport={"width": 1300, "height": 900})
        page.goto(page_file.as_uri())
        assert page.locator(".verdict").inner_text().startswith("A place to look, never a verdict.")
        assert page.locator("table tbody tr").count() >= 3
        assert page.locator("img").evaluate("img => img.naturalWidth") > 0          # the histogram, inline
        first = page.locator("#pair-1")
        first.scroll_into_view_if_needed()
        assert "honest1 and verbatim" in first.inner_text() or "verbatim and honest1" in first.inner_text()
        colour = page.locator("mark").first.evaluate("m => getComputedStyle(m).backgroundColor")
        assert colour == "rgb(255, 179, 179)"
        page.screenshot(path=tmp_path / "similarity.png")
    assert outside == []


def test_a_drawn_graph_declared_alike_by_every_student_is_shown_not_counted():
    """course.dataflow's declarations hold their answer in strings, which fingerprints normalise away: any two
    correct ones look alike, so those cells are never counted (every drawn graph of the course is one)."""
    course = Course.of(REPO)
    declared = {a: [c.grade_id for c in similarity.answer_cells(course, a) if c.declared] for a in course.assignments}
    assert declared == {"01_computational_graph": [], "02_fully_connected": ["graph_mlp", "graph_fc"],
                        "03_relu": ["graph_relu"], "04_loss": ["graph_loss"], "05_batching_mlp": ["graph_batch"],
                        "06_cnn": []}
