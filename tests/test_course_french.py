"""The French edition of the course package's own messages (course/locale/fr/LC_MESSAGES/course.po).

A French student (``COURSE_LANGUAGE=fr``, or ``course.set_language("fr")`` in the French notebooks' setup cell)
meets the real failures of ``course.gradcheck`` (a wrong value, a wrong shape, a missing keepdims, a numeric gradient
passed off as a derivation), of ``course.dataflow`` (a wrong graph) and the widgets' titles, labels, buttons and
verdicts in French, with no English sentence left; the students' functions are the wrong-but-plausible variants the
hidden tests reject (tests/variants). The catalogue itself: every entry translated (no fuzzy, every plural form,
the same {fields}), up to date with the ``_()`` calls of the code, and ``course.mo`` compiled from it.
"""
from __future__ import annotations

import gettext
import html
import re
from pathlib import Path

import matplotlib.text
import numpy as np
import pytest

import course
from autograder import translate
from course import gradcheck, i18n
from course.dataflow import Graph, assert_graph
from course.graph import Variable
from course.widgets import GradientFlow, GraphDrawing, LayerGradients
from support.widget_variants import student

ROOT = Path(__file__).resolve().parents[1]
PO = translate.package_catalogue(ROOT, "course", "fr")
COMMAND = "PATH=$PWD/.venv/bin:$PATH .venv/bin/python -m autograder translations"

# Words of an English sentence that French never uses (code and identifiers are taken out first, see english()).
_ENGLISH = re.compile(r"\b(the|is|are|has|have|of|and|with|your|yours|not|but|expected|returned|raised|should|did|"
                      r"you|its|this|that|from|to|at|by|for|an|which|where|instead|times|once|twice|sample|layer|"
                      r"node|upstream|downstream|numeric|entries|entry|missing|wrong|check|checked|click|draw|draws|"
                      r"whole|shape|value|values|measured|computed|function|input|inputs|output|edge|size|cannot|"
                      r"unknown|got|class|names)\b", re.I)
# Code in a message: quoted, with an underscore or a digit, camelCase, dotted, a keyword argument, maths.
_CODE = re.compile(r"`[^`]*`|'[^']*'|\"[^\"]*\"|\b[\w.]*(?:_|\d)[\w.]*\b|\b[a-z]+[A-Z]\w*\b|\b[A-Z][a-z]+[A-Z]\w*\b"
                   r"|\b\w+\.\w[\w.]*\b|\b\w+=|∂\S+|\$[^$]*\$")


def english(text: str) -> list[str]:
    """The English words of ``text`` once its code (identifiers, quoted names, calls, maths) is taken out."""
    return _ENGLISH.findall(_CODE.sub(" ", text))


def assert_french(text: str, *expected: str) -> None:
    __tracebackhide__ = True
    assert text, "no message at all"
    assert not english(text), f"English left in {text!r}: {english(text)}"
    for piece in expected:
        assert piece in text, f"{piece!r} not in {text!r}"


@pytest.fixture
def french(monkeypatch):
    """The student's kernel of the French edition: COURSE_LANGUAGE=fr (as the grader sets it), nothing chosen by
    set_language; both undone after the test."""
    monkeypatch.setattr(i18n, "_chosen", None)
    monkeypatch.setenv("COURSE_LANGUAGE", "fr")


def failure(call, *args, **kwargs) -> str:
    """The message of the AssertionError (a GradientCheckError, a StudentCodeError) that ``call`` raises."""
    with pytest.raises(AssertionError) as caught:
        call(*args, **kwargs)
    return str(caught.value)


# ---------------------------------------------------------------------------
# The students' functions: the layer of notebooks 02 and 05, and the variants the hidden tests reject
# ---------------------------------------------------------------------------

def fc_forward(x, W, b):
    return x @ W + b, (x, W, b)


def fc_backward(dz, cache):
    x, W, b = cache
    return dz @ W.T, x.T @ dz, dz.sum(axis=0, keepdims=True)


def _batch(seed: int = 0, N: int = 4, D: int = 5, H: int = 3):
    rng = np.random.default_rng(seed)
    X, W, b = rng.normal(size=(N, D)), rng.normal(size=(D, H)), rng.normal(size=(1, H))
    return X, W, b, rng.normal(size=(N, H)) / N


# ---------------------------------------------------------------------------
# course.gradcheck: real failures in French
# ---------------------------------------------------------------------------

def test_a_wrong_value_is_explained_in_french(french):
    X, W, b, dZ = _batch()
    times_n = student("05_batching_mlp", "fc_backward", "wrong_dW_times_N")
    _, dW, _ = times_n(dZ, fc_forward(X, W, b)[1])
    message = failure(gradcheck.check_backward, "dW", dW, lambda v: fc_forward(X, v, b)[0], W.copy(), dZ,
                      batch_size=len(X))
    assert_french(message, "dW vaut 4 fois le gradient numérique, soit un facteur N = 4 d'écart",
                  "la perte est-elle une moyenne sur le mini-batch")
    one_off = X.T @ dZ
    one_off[2, 1] += 1.0
    assert_french(failure(gradcheck.check_gradient, "dW", one_off, X.T @ dZ),
                  "dW[2, 1] = ", ", mais le gradient numérique vaut ", "1 coefficient sur 15 diffère.")


def test_a_wrong_shape_is_explained_in_french(french):
    X, W, b, dZ = _batch(N=1)
    transposed = student("02_fully_connected", "fc_backward", "wrong_dW_transposed")
    _, dW, _ = transposed(dZ, fc_forward(X, W, b)[1])
    message = failure(gradcheck.check_backward, "dW", dW, lambda v: fc_forward(X, v, b)[0], W.copy(), dZ)
    assert_french(message, "dW est de forme (3, 5) au lieu de (5, 3) ; sa transposée a la bonne forme",
                  "un .T oublié ?")


def test_a_missing_keepdims_is_explained_in_french(french):
    X, W, b, dZ = _batch()
    no_keepdims = student("05_batching_mlp", "fc_backward", "wrong_db_no_keepdims")
    _, _, db = no_keepdims(dZ, fc_forward(X, W, b)[1])
    message = failure(gradcheck.check_backward, "db", db, lambda v: fc_forward(X, W, v)[0], b.copy(), dZ)
    assert_french(message, "db est de forme (3,) au lieu de (1, 3)", "un axe de longueur 1 en moins",
                  "sans keepdims=True")


def test_a_numeric_gradient_passed_as_a_derivation_is_named_in_french(french):
    """The two checks of a derivation: derivation_guard (course.gradcheck's own numeric gradient, stopped at its
    first use) and check_derived (differences by hand: the precision of a finite difference, not of a formula)."""
    X, W, b, dZ = _batch()
    numeric = student("05_batching_mlp", "fc_backward", "wrong_numeric_gradcheck", fc_forward=fc_forward)
    cache = fc_forward(X, W, b)[1]

    def guarded():
        with gradcheck.derivation_guard("fc_backward", numeric.__globals__, forwards=("fc_forward",)):
            gradcheck.call_student(numeric, dZ, cache)

    assert_french(failure(guarded), "fc_backward a appelé numeric_gradient_array de course.gradcheck et a été "
                                    "arrêtée là : elle calcule un gradient numérique au lieu de la dérivée.",
                  "Un gradient numérique sert à juger votre dérivée, il n'en est pas une")
    b_far = b + 1e3          # check_derived's offsets: a derived formula does not feel them, a difference does
    by_hand = gradcheck.numeric_gradient_array(lambda v: fc_forward(X, v, b_far)[0], W.copy(), dZ)
    assert_french(failure(gradcheck.check_derived, "dW", by_hand, X.T @ dZ),
                  "dW ne coïncide avec le gradient exact qu'à", "la précision d'un gradient numérique "
                  "(différences finies), non celle d'une formule dérivée")


def test_an_unwritten_function_and_a_broken_forward_in_french(french):
    def fc_backward(dz, cache):
        raise NotImplementedError()

    assert_french(failure(gradcheck.call_student, fc_backward, np.ones((1, 3)), None),
                  "fc_backward(dz: (1, 3), cache: None) a levé NotImplementedError : elle n'est pas encore écrite.")
    returns_z_only = student("02_fully_connected", "fc_forward", "wrong_returns_z_only")
    X, W, b, dZ = _batch(N=1)
    message = failure(gradcheck.check_backward, "dW", X.T @ dZ, lambda v: returns_z_only(X, v, b)[0], W.copy(), dZ)
    assert_french(message, "fc_forward a renvoyé un tableau de forme (3,), mais le gradient amont est de forme "
                           "(1, 3)", "c'est la forme d'UN SEUL exemple", "corrigez d'abord fc_forward.")


def test_french_plurals_follow_the_count(french):
    entries = np.arange(15.0).reshape(3, 5)
    one = np.where(entries == 2, np.inf, entries)
    several = np.where(entries > 7, np.nan, entries)
    assert_french(failure(gradcheck.check_gradient, "dW", one, entries), "(1 coefficient sur 15 vaut nan ou inf)")
    assert_french(failure(gradcheck.check_gradient, "dW", several, entries),
                  "(7 coefficients sur 15 valent nan ou inf)")


def test_set_language_after_import_changes_the_messages(monkeypatch):
    """The setup cell of the French edition runs course.set_language("fr") after the course was imported:
    messages are looked up when they are shown, not when the module was imported."""
    monkeypatch.setattr(i18n, "_chosen", None)
    monkeypatch.delenv("COURSE_LANGUAGE", raising=False)
    assert failure(gradcheck.check_gradient, "dW", None, np.ones(2)) == "dW is None: did you forget to return it?"
    course.set_language("fr")
    assert failure(gradcheck.check_gradient, "dW", None, np.ones(2)) == (
        "dW vaut None : avez-vous oublié de le renvoyer ?")
    course.set_language("en")
    assert failure(gradcheck.check_gradient, "dW", None, np.ones(2)) == "dW is None: did you forget to return it?"
    with pytest.raises(ValueError, match="the course exists in en and fr, not 'de'"):
        course.set_language("de")


# ---------------------------------------------------------------------------
# course.dataflow: a wrong graph
# ---------------------------------------------------------------------------

FC_REFERENCE = dict(forward=["z = FC(x, W, b)", "c = g(z)"],
                    backward=["dc/dz = g~(z)", "dc/dx, dc/dW, dc/db = FC~(dc/dz, x, W)"],
                    sizes={"x": "1 x D", "W": "D x H", "b": "1 x H", "z": "1 x H", "c": "1 x 1", "dc/dz": "1 x H",
                           "dc/dx": "1 x D", "dc/dW": "D x H", "dc/db": "1 x H"})


def test_a_wrong_graph_is_explained_in_french(french):
    without_x = student("02_fully_connected", "graph_fc", "wrong_fc_tilde_without_x", name="fc_graph")
    reference = Graph(**FC_REFERENCE)
    with pytest.raises(AssertionError) as caught:
        assert_graph(without_x, reference, part="edges", optional_inputs={"g~": ["1"]})
    assert_french(str(caught.value), "l'arc x → FC~ manque : la fonction arrière FC~ a besoin de x")
    transposed = student("02_fully_connected", "graph_fc", "wrong_dW_transposed", name="fc_graph")
    with pytest.raises(AssertionError) as caught:
        assert_graph(transposed, reference, part="sizes")
    assert_french(str(caught.value), "'dc/dW' est de taille H × D ; l'énoncé donne D × H")
    slips = Graph(forward=["z = FC(x, W, dc/dz)"], sizes={"x": "1 x D", "z": "1 x H"}).slips(["FC", "x", "W", "b"])
    assert slips
    for text, _nodes in slips:
        assert_french(text)
    assert "le Travail nomme 'b' : ce nœud n'est pas dans votre graphe" in [text for text, _ in slips]


# ---------------------------------------------------------------------------
# The widgets: titles, headings, labels, buttons, verdicts
# ---------------------------------------------------------------------------

def figure_texts(figure) -> list[str]:
    return [t.get_text() for t in figure.findobj(matplotlib.text.Text) if t.get_text().strip()]


def words(texts) -> list[str]:
    """The texts that hold words (not numbers alone, not a maths label)."""
    return [t for t in texts if re.search(r"[^\W\d_]{3,}", _CODE.sub(" ", t))]


def test_layer_gradients_in_french(french):
    transposed = student("02_fully_connected", "fc_backward", "wrong_dW_transposed")
    widget = LayerGradients(fc_forward, transposed,
                            sample=lambda r: (r.normal(size=(1, 4)), r.normal(size=(4, 3)), r.normal(size=(1, 3))),
                            names=("x", "W", "b"))
    assert widget.new_sample_button.description == "Nouveau tirage"
    assert_french(widget.new_sample_button.tooltip)
    texts = figure_texts(widget.draw())
    assert {"fc_forward et fc_backward", "gradient amont", "gradients aval", "attendu : 4 × 3"} <= set(texts)
    assert any(t.startswith("tirage 1 : entrées et gradient amont ∂c/∂z aléatoires") for t in texts)
    for text in words(texts) + [widget.state()["message"]]:
        assert_french(text)
    assert "✗ dW : dW est de forme (3, 4) au lieu de (4, 3) ; sa transposée a la bonne forme" in \
        widget.state()["message"]


def plain(markup: str) -> str:
    """The text of the widget's HTML panel: inline tags dropped, blocks separated by a space."""
    text = re.sub(r"</?(?:b|i|span)\b[^>]*>", "", markup)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))).strip()


def _document_001_graph():
    a, b = Variable("a"), Variable("b")
    e = ((a + b) * (b + 1)).named("e")
    e.evaluate(a=3, b=5)
    return e


def test_gradient_flow_in_french(french):
    def local_gradients(op, *x):           # the rule of + right, the rule of × swapped
        return (1.0, 1.0) if op == "add" else (x[0], x[1])

    widget = GradientFlow(_document_001_graph(), local_gradients=local_gradients)
    assert (widget.prev_button.description, widget.next_button.description) == ("◀ Précédent", "Suivant ▶")
    assert widget.picker.description == "nœud"
    assert_french(widget.prev_button.tooltip)
    assert_french(widget.next_button.tooltip)
    texts = figure_texts(widget.draw())
    assert "Rétropropagation, étape 1 sur 5 : nœud e" in texts
    for text in words(texts):
        assert_french(text)
    message = widget.state()["message"]
    assert_french(message, "Votre local_gradients diffère de la dérivée numérique sur 2 arcs (en rouge)",
                  "(l'entrée 0 de mul) : le vôtre 8, numériquement 6 ; ")
    panel = plain(widget.panel.value)
    assert_french(panel, "Gradient amont reçu par e", "Gradients locaux de e", "mais numériquement il vaut 6")
    widget.select("b")
    panel = plain(widget.panel.value)
    assert_french(panel, "variable libre", "il additionne donc les gradients aval qu'il reçoit")


def test_graph_drawing_in_french(french):
    graph = Graph(forward=["z = FC(x, W, b)", "c = g(z)"], backward=["dc/dz = g~(z)"],
                  sizes={"x": "1 x D", "W": "D x H", "z": "1 x H", "c": "1 x 1", "dc/dz": "1 x H"})
    widget = GraphDrawing(graph, names=["c", "g", "z", "FC", "x", "W", "b", "FC~"])
    texts = figure_texts(widget.draw())
    assert {"Graphe de calcul", "passe avant", "passe arrière", "taille ?"} <= set(texts)
    for text in words(texts):
        assert_french(text)
    lines = [html.unescape(re.sub(r"<[^>]+>", "", line)) for line in widget.message.value.split("</div>")]
    lines = [line for line in lines if line.strip()]
    for line in lines:
        assert_french(line)
    assert "✗ le Travail nomme 'FC~' : ce nœud n'est pas dans votre graphe" in lines


# ---------------------------------------------------------------------------
# The catalogue
# ---------------------------------------------------------------------------

def _catalog():
    catalog = translate.read(PO, "fr")
    assert catalog is not None, f"{PO.relative_to(ROOT)} is missing: run `{COMMAND}`"
    return catalog


_FIELD = re.compile(r"\{[^{}]*\}")


def _fields(text: str) -> list[str]:
    return sorted(_FIELD.findall(text.replace("{{", "").replace("}}", "")))


def test_every_entry_is_translated_with_its_fields():
    catalog = _catalog()
    problems = []
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        if message.pluralizable:
            forms = list(message.string) if isinstance(message.string, (tuple, list)) else [message.string]
            if len(forms) != catalog.num_plurals or not all(forms):
                problems.append(f"plural forms missing: {message.id!r} -> {forms!r}")
                continue
            pairs = [(message.id[0], forms[0])] + [(message.id[1], form) for form in forms[1:]]
        else:
            if not message.string:
                problems.append(f"untranslated: {message.id!r}")
                continue
            pairs = [(message.id, message.string)]
        for english_text, form in pairs:
            if _fields(english_text) != _fields(form):
                problems.append(f"fields differ: {english_text!r} {_fields(english_text)} / {form!r} {_fields(form)}")
    assert not problems, "\n".join(problems)


def test_the_catalogue_is_up_to_date_with_the_code():
    in_code = {m.id if isinstance(m.id, str) else m.id[0] for m in translate.extract_package(ROOT, "course", "fr")
               if m.id}
    in_po = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog() if m.id}
    missing, stale = sorted(in_code - in_po), sorted(in_po - in_code)
    assert not missing and not stale, (f"course.po is not up to date with the _() calls of course/: run `{COMMAND}` "
                                       f"and translate the new entries.\nmissing: {missing}\nno longer in the code: "
                                       f"{stale}")


def test_course_mo_is_compiled_from_course_po():
    mo = PO.with_suffix(".mo")
    assert mo.is_file(), f"{mo.relative_to(ROOT)} is missing: run `{COMMAND}`"
    assert mo.read_bytes() == translate.compile_catalogue(_catalog()), (
        f"{mo.relative_to(ROOT)} is stale (not what {PO.name} compiles to): run `{COMMAND}`")


def test_the_installed_catalogue_is_the_one_read(french):
    """The .mo gettext reads is the one of the package (course/locale), with French plural forms."""
    catalogue = i18n.translations("fr")
    assert i18n.LOCALE_DIR == PO.parents[2]
    assert isinstance(catalogue, gettext.GNUTranslations), "no French catalogue found: gettext fell back to English"
    assert catalogue.gettext("New sample") == "Nouveau tirage"
    assert catalogue.ngettext("once", "{n} times", 1) == "une fois"
    assert catalogue.ngettext("once", "{n} times", 3).format(n=3) == "3 fois"
