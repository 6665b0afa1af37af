"""The autograder speaks French to a French submission (autograder/i18n.py): the reasons and notes of a grade, the
failure summaries and the feedback page, from the catalogue autograder/locale/fr/LC_MESSAGES/autograder.po. What the
teacher reads stays English, and so does every text of an English submission.

The catalogue is checked as the release checks the notebooks' ones: every entry translated (no fuzzy), the same
``{fields}`` on both sides, the compiled .mo what the .po gives, and nothing in the code that the catalogue lacks.
"""
from __future__ import annotations

import html
import re
import string

import nbformat
import pytest

from autograder import cells, feedback, grade, gradebook, i18n, judge, nbgrader_cli, submission, translate
from autograder.coursedir import Course
from autograder.outcome import Outcome
from support import classroom, courses

REPO = courses.REPO
PO = translate.package_catalogue(REPO, "autograder", "fr")
MO = PO.with_suffix(".mo")
COMMAND = "python -m autograder translations"
FIXTURE = courses.FIXTURE


def _catalog():
    catalog = translate.read(PO, "fr")
    assert catalog is not None, f"{PO.relative_to(REPO)} is missing: run `{COMMAND}`"
    return catalog


def _pairs(message) -> list[tuple[str, str]]:
    """(English, French) of each form of ``message``: one pair, or the singular and every plural form."""
    if not message.pluralizable:
        return [(message.id, message.string)]
    singular, plural = message.id
    return [(singular if n == 0 else plural, french) for n, french in enumerate(message.string)]


def _fields(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


# -- the catalogue ---------------------------------------------------------------------------------------------

def test_every_entry_has_a_reviewed_french_with_the_same_fields():
    catalog = _catalog()
    entries = [m for m in catalog if m.id]
    assert len(entries) >= 60, "the catalogue lost its entries"
    for message in entries:
        assert not message.fuzzy, f"fuzzy (to review, then remove the flag): {message.id!r}"
        for english, french in _pairs(message):
            assert french and french.strip(), f"no French for {english!r}: translate it in {PO.relative_to(REPO)}"
            assert _fields(french) == _fields(english), (english, french)
            assert french.count("`") == english.count("`"), (english, french)


def test_the_mo_is_what_compiling_the_po_gives():
    assert MO.is_file(), f"{MO.relative_to(REPO)} is missing: run `{COMMAND}`"
    assert MO.read_bytes() == translate.compile_catalogue(_catalog()), \
        f"{MO.relative_to(REPO)} is stale (not compiled from the .po beside it): run `{COMMAND}`"


def test_the_catalogue_holds_every_message_of_the_code_and_no_other():
    extracted = {m.id for m in translate.extract_package(REPO, "autograder", "fr") if m.id}
    held = {m.id for m in _catalog() if m.id}
    assert not extracted - held, f"new messages, not in the catalogue: run `{COMMAND}`, then translate them: " \
                                 f"{sorted(map(str, extracted - held))}"
    assert not held - extracted, f"messages the code no longer has: run `{COMMAND}`: " \
                                 f"{sorted(map(str, held - extracted))}"


# -- reasons and notes of a grade ------------------------------------------------------------------------------

def _reasons(folder, course) -> dict[str, str]:
    """What the grader tells a student about a few broken submissions, in the current language."""
    said = {}
    sub = submission.Submission("eve", FIXTURE, folder)
    with pytest.raises(submission.Unreadable) as missing:
        submission.locate(sub, FIXTURE)
    said["missing"] = str(missing.value)
    path = folder / f"{FIXTURE}.ipynb"
    for name, data in (("empty", b""), ("json", b'{"cells": [')):
        path.write_bytes(data)
        with pytest.raises(submission.Unreadable) as unreadable:
            submission.load(path)
        said[name] = str(unreadable.value)
    path.unlink()
    (folder / "timestamp.txt").write_text("yesterday, I promise")
    said["timestamp"] = submission.timestamp(course, sub)[1]
    said["name"] = judge._real_cause("NameError: name 'relu_graph' is not defined", {"relu_graph": "graph"},
                                     {"graph": "NotImplementedError"})
    forged = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")] + [
        cells.new_graded_cell("code", "assert True", "bonus", 5, solution=False) for _ in range(2)])
    said["forged"] = submission._unclaim(forged, {}, FIXTURE)[0][0]
    said["banner"] = judge._banner(Outcome("eve", FIXTURE, reason=judge.unchanged_reason())).source
    said["summary"] = feedback.summary_line("a long message " * 40)
    return said


def test_the_reasons_and_notes_of_a_grade_are_french_for_a_french_submission(tmp_path, new_course):
    course = Course.of(new_course("french-reasons"))
    with i18n.speaking("fr"):
        french = _reasons(tmp_path, course)
    assert french == {
        "missing": f"{FIXTURE}.ipynb non rendu",
        "empty": f"{FIXTURE}.ipynb est vide",
        "json": french["json"],
        "timestamp": "timestamp.txt ne contient pas de date : 'yesterday, I promise' ; l'heure du rendu est inconnue, "
                     "il a donc été corrigé comme rendu à temps (sans pénalité de retard)",
        "name": "relu_graph n'est pas défini : sa cellule (graph) n'est pas encore écrite (elle lève "
                "NotImplementedError)",
        "forged": f"{FIXTURE}.ipynb : les cellules 2, 3 portent les métadonnées de notation d'une cellule `bonus` que "
                  "ce notebook n'a pas (ont-elles été copiées d'ailleurs ?) ; elles ont été exécutées comme des "
                  "cellules ordinaires",
        "banner": "**Correcteur automatique :** rendu tel quel (aucune cellule de réponse ne diffère du notebook "
                  "distribué).",
        "summary": french["summary"],
    }
    assert re.fullmatch(rf"{FIXTURE}\.ipynb n'est pas un JSON valide \(JSONDecodeError: .+\) ; a-t-il bien été "
                        r"enregistré depuis Jupyter \?", french["json"]), french["json"]
    assert french["summary"].endswith(" … (le message complet figure sous la cellule)")

    english = _reasons(tmp_path, course)            # outside any speaking: English, as before
    assert english["missing"] == f"{FIXTURE}.ipynb not handed in"
    assert english["name"] == ("relu_graph is not defined: its cell (graph) is not written yet (it raises "
                               "NotImplementedError)")
    assert english["forged"].startswith(f"{FIXTURE}.ipynb: cells 2, 3 carry grading metadata of a cell `bonus`")
    assert english["banner"] == f"**Autograder:** {judge.UNCHANGED}."
    assert english["summary"].endswith(" … (the whole message is under the cell)")
    with i18n.speaking("en"):
        assert judge.unchanged_reason() == judge.UNCHANGED        # the constant report and tests compare
        assert feedback._removed() == feedback.REMOVED


def test_the_flags_for_the_teacher_stay_english():
    forged = nbformat.v4.new_notebook(cells=[cells.new_graded_cell("code", "assert True", "bonus", 5,
                                                                   solution=False)])
    with i18n.speaking("fr"):
        notes, flags = submission._unclaim(forged, {}, FIXTURE)
    assert notes[0].startswith(f"{FIXTURE}.ipynb : la cellule 1 porte")
    assert flags == [f"forged a graded cell `bonus` in {FIXTURE}.ipynb: no such cell in the assignment"]


# -- the feedback page -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pages(new_course):
    """Two students of the fixture assignment graded, then their feedback: eve handed in the French edition
    (``metadata.course.language`` "fr"), her double failing its visible check, her written answer waiting for the
    teacher; ed the English one, solved."""
    root = new_course("french-feedback")
    gradebook.sync(root, gradebook.default_url(root), [FIXTURE])
    hands = {"eve": ({**classroom.SOLVED, "double": classroom.PLUS_TWO}, "fr"), "ed": (classroom.SOLVED, None)}
    for student, (replaced, language) in hands.items():
        nb = courses.filled(root, FIXTURE, replaced)
        if language:
            translate.set_language(nb, language)
        folder = root / "submitted" / student / FIXTURE
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{FIXTURE}.ipynb")
    run = grade.grade(root, workers=2, quiet=True)
    assert run.ok, [o.error for o in run.outcomes]
    graded = nbformat.read(root / "autograded" / "eve" / FIXTURE / f"{FIXTURE}.ipynb", as_version=4)
    assert graded.metadata.course.language == "fr"        # what the page's language is read from
    report = feedback.generate(root, log=lambda *a: None)
    assert report.ok, (report.refused, report.errors)
    return root


def _page(root, student) -> str:
    return (root / "feedback" / student / FIXTURE / f"{FIXTURE}.html").read_text(encoding="utf-8")


def _words(page: str) -> str:
    """What a reader of ``page`` reads (not its style sheets: pygments' has a "/* Comment */"), one space between
    two words whatever the tags between them."""
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _template_english() -> list[str]:
    """The English pieces of the page's own texts (feedback.py's messages, the template's among them) that the
    French does not share: each text cut at its {fields}, the pieces with a word in them."""
    pieces = set()
    for message in _catalog():
        if not message.id or not any(path == "autograder/feedback.py" for path, _ in message.locations):
            continue
        for english, french in _pairs(message):
            if english == french:                   # "test", "points": the same word in French
                continue
            for piece in re.split(r"\{[^{}]*\}", english):
                piece = " ".join(piece.split()).strip(" ;.…")
                if re.search(r"[A-Za-z]{2}", piece) and not _said(piece, french):
                    pieces.add(piece)
    return sorted(pieces)


def _said(piece: str, text: str) -> bool:
    """Whether ``piece`` stands in ``text`` as words ("Comment" not in "Commentaire")."""
    return re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", text) is not None


@pytest.mark.slow
def test_a_french_submission_gets_a_french_page(pages):
    page = _page(pages, "eve")
    text = _words(page)
    assert "<html lang=\"fr\">" in page
    for french in [
        f"{FIXTURE} (note : 1 / 4 ; 1 réponse rédigée (1 point) en attente de correction : 1 / 3 sur la partie "
        "déjà notée)",                                                         # the heading
        "Cellule de test double_values (Note : 0 / 2)",                        # the table of contents
        "Réponse rédigée why_double (en attente de correction, 1 point)",
        "Cellule notée : double_values Note : 0 / 2 (Haut de page)",           # a test cell's heading
        "Votre réponse",
        "cellule notée points ce qui ne va pas",                               # the summary table on top
        "why_double (réponse rédigée) – / 1 en attente de correction : votre enseignant corrige cette réponse à la "
        "main",
        "Un test qui échoue affiche le message produit par sa vérification ; le code des vérifications cachées "
        "n'est pas montré.",
        "Cette vérification visible de la cellule de test a échoué : assert double(1.0) == 2.0",   # under the cell
    ]:
        assert french in text, french
    english = _template_english()
    assert len(english) >= 30, english
    left = [piece for piece in english if _said(piece, text)]
    assert not left, f"English of the page's template on a French page: {left}"


@pytest.mark.slow
def test_an_english_submission_keeps_its_english_page(pages):
    page = _page(pages, "ed")
    text = _words(page)
    assert "<html>" in page and "lang=" not in page.split("<head>")[0]
    for english in [f"{FIXTURE} (Score: 3 / 4; 1 written answer (1 point) not graded yet: 3 / 3 of what is graded)",
                    "Test cell double_values (Score: 2 / 2)", "Student's answer",
                    "graded cell points what went wrong"]:
        assert english in text, english
    assert "Cellule" not in text and "note :" not in text


@pytest.mark.slow
def test_nbgrader_generate_feedback_makes_the_same_french_page(pages):
    """The formgrader's button and ``nbgrader generate_feedback`` run no code of ours around the converter: the
    language comes from the graded notebook itself."""
    before = _page(pages, "eve")
    nbgrader_cli.call(["generate_feedback", FIXTURE, "--student=eve", "--force"], pages)
    assert _page(pages, "eve") == before
