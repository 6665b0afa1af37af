"""The notebooks' prose, read as a teacher of the documents would (issue 22 §3, §4, §7): every equation reference
says whose it is, every slip of a document is taught in one visible callout, and the instructions are short.

Read from the source notebooks: the release is generated from them (tests/test_release.py) and holds the same
markdown."""
import re
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p.name for p in (REPO / "source").iterdir() if (p / f"{p.name}.ipynb").exists())

# "eq. 12", "eqs. 10-12", "Eq. 14", "equation 7", with or without a parenthesis before the number
EQUATION = re.compile(r"\b(?:[Ee]qs?\.|[Ee]quations?)\s*\(?(?!00[0-4]\b)\d")
# ... preceded by its document: "003 eq. 12", "000's eq. 3", "(004, eq. 2)", "document 002 eq. 5"
OWNED = re.compile(r"\b00[0-4](?:'s|,)?\s+$")

# (notebook, document, what the callout must mention): the slips issue 22 §4 and seeds/README.md list
SLIPS = [
    ("01_computational_graph", "004", r"for \$?f,\s*g\b"),          # "(g o f)' for g, h" mixes the names
    ("02_fully_connected", "003", r"twice"),                           # 003 eq. 2 is printed twice
    ("02_fully_connected", "003", r"\\mathbf\{W\}"),                    # 003 §3.1 writes dc/dw for dc/dW
    ("02_fully_connected", "000", r"W\^\\top"),                         # 000 eq. 11-12: dT/dinput = W, as numbers
    ("04_loss", "000", r"exp\(t_c\)|e\^\{?t_c"),                       # 000 §2: dSum/dt_c "est nulle, sauf ..."
    ("04_loss", "000", r"\\hat\{y\}_c|ŷ_c|y\^_c"),                      # 000 eq. 3: -1/y_i for -1/ŷ_c
    ("04_loss", "004", r"d_k \\log y_k"),                                # 004's caption l = sum_k d_k y_k
    ("05_batching_mlp", "004", r"zero_grad"),                          # torch.zero_grad() does not exist
    ("05_batching_mlp", "004", r"k = 0, \\dots, L"),                    # "for k = 0, ..., L": the layers are 1, ..., L
    ("05_batching_mlp", "002", r"W\^\{?\(0\)"),                         # dW^(0) = dL^(k+1) x^T for dL^(1) x^T
    ("05_batching_mlp", "002", r"g'\(u\)|g'\(\\mathbf\{u\}\)"),         # diag(g'(u)) for diag(g'(z^(k)))
    ("05_batching_mlp", "002", r"s_\{?k\s*\+\s*1"),                     # b^(k) in R^{s_(k+1)}; dB(k) over s_(k+1)
    ("06_cnn", "000", r"0\s*(?:\\ldots|\.\.|…|to)\s*2"),               # 000 eq. 14 sums 0..3 for a 3x3 filter
    ("06_cnn", "000", r"= ?1"),                                         # 000 §3 "dL/dinput = 1"
    ("06_cnn", "000", r"\\hat\{y\}_c"),                                  # 000 eq. 3 again, in the softmax layer
    ("06_cnn", "000", r"par rapport aux dérivées de"),                 # 000 §3: the 2 x 2 matrix of dL/d"inputs"
    ("06_cnn", "000", r"\\partial out\(i, j\)\}\{\\partial Filtre"),     # 000 eq. 15 without the entries on the left
]
CALLOUT = re.compile(r"^> ?(?:\*\*)?⚠ ?(?:\*\*)? ?Document (00[0-4])", re.M)


def _markdown(name: str) -> list:
    nb = nbformat.read(REPO / "source" / name / f"{name}.ipynb", as_version=4)
    return [c for c in nb.cells if c.cell_type == "markdown"]


def _callouts(name: str) -> list[tuple[str, str]]:
    """(document, text) of each "> ⚠ Document 00X writes ..." blockquote of the notebook."""
    found = []
    for cell in _markdown(name):
        for m in CALLOUT.finditer(cell.source):
            quote = re.match(r"(?:^>.*(?:\n|$))+", cell.source[m.start():], re.M).group(0)
            found.append((m.group(1), quote))
    return found


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_equation_reference_names_its_document(name):
    """The documents' numbers collide (003 eq. 10-12 and 000 eq. 10-12 are both in 02): "(003 eq. 12)", never
    "(eq. 12)". Numbers typeset inside a displayed formula, "(10)", are the document's own tags and not checked."""
    unowned = []
    for cell in _markdown(name):
        text = re.sub(r"\$\$.*?\$\$", "", cell.source, flags=re.S)
        for m in EQUATION.finditer(text):
            if not OWNED.search(text[max(0, m.start() - 16):m.start()]):
                unowned.append(f"{cell.id}: …{text[max(0, m.start() - 30):m.end() + 10]}…".replace("\n", " "))
    assert not unowned, f"{name}: equation references that do not say whose they are:\n" + "\n".join(unowned)


# ... or followed by it: "(eq. 4 of document 003)"
OWNED_AFTER = re.compile(r"^\(?\d+(?:\s*(?:[-–,]|and|to)\s*\d+)*\)?\s+of document 00[0-4]\b")


def _unowned(text: str, where: str) -> list[str]:
    found = []
    for m in EQUATION.finditer(text):
        if OWNED.search(text[max(0, m.start() - 16):m.start()]) or OWNED_AFTER.match(text[m.end() - 1:]):
            continue
        found.append(f"{where}: …{text[max(0, m.start() - 40):m.end() + 10]}…".replace("\n", " "))
    return found


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_code_cells_name_the_document_of_their_equations(name):
    """What a student reads in a code cell (a docstring, a comment, a visible check's message, a hidden test's hint
    on the feedback page) says whose equation it means, as the markdown does."""
    nb = nbformat.read(REPO / "source" / name / f"{name}.ipynb", as_version=4)
    unowned = [u for c in nb.cells if c.cell_type == "code" for u in _unowned(c.source, c.id)]
    assert not unowned, f"{name}: equation references that do not say whose they are:\n" + "\n".join(unowned)


def test_course_package_names_the_document_of_its_equations():
    """The widgets' titles, legends and messages and course.gradcheck's diagnoses, which students read too."""
    unowned = [u for path in sorted((REPO / "course").rglob("*.py"))
               for u in _unowned(path.read_text(encoding="utf-8"), str(path.relative_to(REPO)))]
    assert not unowned, "equation references that do not say whose they are:\n" + "\n".join(unowned)


@pytest.mark.parametrize(("name", "document", "mention"), [
    pytest.param(*row, id=f"{row[0]}-{row[1]}-{i}")
    for i, row in enumerate(SLIPS)])
def test_each_slip_is_taught_in_a_visible_callout(name, document, mention):
    """Each slip a document makes is corrected in a "> ⚠ Document 00X writes ...; the correct form is ..." callout,
    never silently."""
    callouts = [text for doc, text in _callouts(name) if doc == document]
    assert any(re.search(mention, text) for text in callouts), (
        f"{name}: no '> ⚠ Document {document} ...' callout mentions /{mention}/; callouts of {document}: "
        f"{[t[:80] for t in callouts]}")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_a_callout_holds_no_instruction(name):
    """The corrections of the documents stay apart from what the student is asked to do."""
    mixed = [text[:80] for _, text in _callouts(name) if "To do" in text]
    assert not mixed, f"{name}: callouts that also give an instruction: {mixed}"
