"""The French edition of every real assignment: its catalogue is complete and current, the French release runs the
same code as the English one, and nothing of the hidden tests reaches a released file in either language."""
from __future__ import annotations

import io
import re
import tokenize

import nbformat
import pytest

from autograder import cells, translate
from support.courses import ASSIGNMENTS, REPO

COURSE = [a for a in ASSIGNMENTS if a.root == REPO]
FIELD = re.compile(r"(?<!\{)\{[^{}]*\}(?!\})")


def _catalog(assignment):
    catalog = translate.read(translate.catalogue_path(REPO, assignment.name, "fr"), "fr")
    assert catalog is not None, f"locale/fr/{assignment.name}.po is missing: run `python -m autograder release`"
    return catalog


@pytest.mark.parametrize("assignment", COURSE, ids=str)
def test_every_unit_has_its_french(assignment):
    todo = translate.untranslated(_catalog(assignment))
    shown = "\n".join(f"  {'fuzzy' if m.fuzzy else 'missing'}: {m.id[:100]!r} ({m.locations[0][0]})"
                      for m in todo[:30])
    assert not todo, (f"locale/fr/{assignment.name}.po: {len(todo)} unit(s) without French (or fuzzy, to "
                      f"review):\n{shown}")


@pytest.mark.parametrize("assignment", COURSE, ids=str)
def test_the_catalogue_is_current(assignment):
    """Its units are exactly those of the source and the English release now: `release` rewrites it."""
    template = translate.extract([(assignment.name, assignment.source())], [assignment.release()], "fr",
                                 assignment.name)
    wanted, there = {m.id for m in template if m.id}, {m.id for m in _catalog(assignment) if m.id}
    assert wanted == there, (f"locale/fr/{assignment.name}.po is not current: new {sorted(wanted - there)[:5]}, "
                             f"gone {sorted(there - wanted)[:5]}; run `python -m autograder release "
                             f"{assignment.name}`")


@pytest.mark.parametrize("assignment", COURSE, ids=str)
def test_french_keeps_every_field_and_formula(assignment):
    """An f-string's fields ({x.shape}) and a paragraph's maths are the English ones, or the code breaks."""
    problems = []
    template = translate.extract([(assignment.name, assignment.source())], [assignment.release()], "fr",
                                 assignment.name)
    fstrings = {m.id for m in template if m.id and "python-brace-format" in m.flags}   # Babel guesses on reading
    for m in _catalog(assignment):
        if not m.id or not m.string or m.string.strip() == translate.OMIT:
            continue
        if m.id in fstrings and sorted(FIELD.findall(m.id)) != sorted(FIELD.findall(m.string)):
            problems.append(f"fields {sorted(FIELD.findall(m.id))} became {sorted(FIELD.findall(m.string))}: "
                            f"{m.id[:60]!r}")
        # display maths as it is, but the words of its \text{...} ("if" -> "si", "(003 eq. 4)" -> "(003 éq. 4)")
        words = lambda x: re.sub(r"\\text\{[^{}]*\}", r"\\text{}", x)
        maths = re.findall(r"\$\$.*?\$\$", words(m.id), re.S)
        lost = [x for x in maths if x not in words(m.string)]
        if lost:
            problems.append(f"display maths changed: {lost[0][:60]!r} in {m.id[:60]!r}")
    assert not problems, "\n".join(problems[:20])


def _code_tokens(source: str):
    """The code of a cell without its comments and strings (what the edition may change)."""
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
            continue
        out.append("STRING" if tok.type == tokenize.STRING else tok.string)
    return out


@pytest.mark.parametrize("assignment", COURSE, ids=str)
def test_the_french_release_runs_the_same_code(assignment):
    """Same cells, ids, grading metadata and code; only prose, comments and strings differ; both editions say
    their language; every French code cell compiles."""
    english, french = assignment.release(), assignment.release("fr")
    assert english.metadata["course"]["language"] == "en" and french.metadata["course"]["language"] == "fr"
    assert [c.get("id") for c in english.cells] == [c.get("id") for c in french.cells]
    for en, fr in zip(english.cells, french.cells):
        assert en.cell_type == fr.cell_type
        strip = lambda m: {k: v for k, v in m.get("nbgrader", {}).items() if k != "checksum"}
        assert strip(en.metadata) == strip(fr.metadata), en.get("id")
        if en.cell_type != "code":
            continue
        code = fr.source
        if cells.grade_id(fr) == "setup":
            line = translate.SET_LANGUAGE.format(language="fr")
            assert code.startswith(line + "\n"), "the French setup cell does not set the course's language"
            code = code[len(line) + 1:]
        compile(code, f"{assignment.name}.fr.ipynb#{fr.get('id')}", "exec")
        assert _code_tokens(code) == _code_tokens(en.source), f"{fr.get('id')}: the French cell's code differs"


@pytest.mark.parametrize("assignment", COURSE, ids=str)
def test_no_french_of_a_hidden_test_is_released(assignment):
    """The catalogue holds the hidden tests' messages in French: none of them is in a released file."""
    catalogue = translate.Translations.load(REPO, assignment.name, "fr")
    public = {m.string for m in catalogue.catalog if m.id and translate.HIDDEN not in m.auto_comments}
    hidden = [s for i, s in catalogue.hidden().items() if s and s != i and len(s) > 20 and s not in public]
    assert hidden or assignment.name == "01_computational_graph", "no hidden message to look for"
    released = ""
    for path in sorted((REPO / "release" / assignment.name).rglob("*")):
        if path.is_file():
            released += (
                "\n".join(c.source for c in nbformat.read(path, as_version=4).cells) if path.suffix == ".ipynb"
                else path.read_text(encoding="utf-8", errors="replace"))
    # a hidden message may be part of a public one ("z = x W + b a la forme (1, H) ..." and the visible "... (003
    # éq. 10)"): only a hidden message that no public text contains is a leak
    assert not [s for s in hidden if s in released and not any(s in p for p in public)]
    assert not list((REPO / "release" / assignment.name).glob("*.po")), "a catalogue was released"


def test_course_is_all_in_french_editions():
    """Every assignment has both editions released, and a catalogue."""
    for assignment in COURSE:
        folder = REPO / "release" / assignment.name
        assert sorted(p.name for p in folder.glob("*.ipynb")) == sorted(
            [f"{assignment.name}.ipynb", f"{assignment.name}.fr.ipynb"])
        assert translate.catalogue_path(REPO, assignment.name, "fr").is_file()


def test_a_changed_paragraph_is_fuzzy_and_the_file_stays_a_valid_catalogue(tmp_path):
    """A teacher edits a translated paragraph: `release` keeps the old French marked fuzzy, writes a file that reads
    back the same (no broken "#|" comment: Babel wraps those inside their strings), and keeps a removed unit's French
    at the end ("#~") rather than losing it."""
    def notebook(*paragraphs):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_markdown_cell("\n\n".join(paragraphs), id="cell-00")]
        return nb

    first = notebook("The **local** part of the layer is its mask, as the upstream gradient passes through it.",
                     "A second paragraph that will be removed later on.")
    path = tmp_path / "locale" / "fr" / "x.po"
    catalog = translate.merge(translate.extract([("x", first)], [first], "fr", "x"), None)
    for m in catalog:
        if m.id:
            m.string = "Le français de : " + m.id
    translate.write(catalog, path)
    edited = notebook("The **local** part of the layer is its mask, as the upstream gradient passes through it "
                      "where the input is positive.")
    for _ in range(2):
        merged = translate.merge(translate.extract([("x", edited)], [edited], "fr", "x"), translate.read(path, "fr"))
        translate.write(merged, path)
    text = path.read_text(encoding="utf-8")
    again = translate.read(path, "fr")
    [entry] = [m for m in again if m.id]
    assert entry.fuzzy and entry.string.startswith("Le français de : The **local** part")
    assert not [c for m in again for c in m.user_comments if c.lstrip().startswith("|")]
    assert "#|" not in text and "# |" not in text
    assert "#~ msgstr \"Le français de : A second paragraph" in text, "the removed unit's French was lost"
    translate.write(again, path)
    assert path.read_text(encoding="utf-8") == text, "reading and writing the catalogue changes it"
