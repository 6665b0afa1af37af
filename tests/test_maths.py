"""autograder/maths.py: TeX to MathML when a page is written, so that maths render with no internet."""
from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import pytest

from autograder import maths

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(ROOT.glob("source/*/*.ipynb"))


def text_outside_code(page: str) -> str:
    """What a reader sees of ``page`` outside code and maths (tags out, entities decoded)."""
    page = re.sub(r"<(code|pre|math|script|style)\b.*?</\1>", "", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def count_math(page: str) -> int:
    return page.count("<math ")


# -- typeset: delimiters -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("written, display", [
    (r"$x_1 + y$", "inline"), (r"\(x_1 + y\)", "inline"),
    (r"$$x_1 + y$$", "block"), (r"\[x_1 + y\]", "block"),
    (r"\begin{aligned} x_1 + y \end{aligned}", "block"),
])
def test_each_delimiter_becomes_math(written, display):
    page = maths.typeset(f"<p>so {written}.</p>")
    assert count_math(page) == 1
    assert f'display="{display}"' in page
    assert "<msub><mi>x</mi><mn>1</mn></msub>" in page
    assert text_outside_code(page).strip() == "so ."


def test_entities_in_a_formula_are_decoded_before_conversion():
    page = maths.typeset("<p>$a &lt; b$ and $a &amp; b$</p>")
    assert "<mo>&#x0003C;</mo>" in page
    assert "&amp;lt;" not in page and count_math(page) == 2


def test_code_pre_script_style_textarea_and_attributes_are_left_alone():
    page = ('<p title="$t$">$a$</p><code>$b$</code><pre>x = "$c$"\n<span>$d$</span></pre>'
            '<script>s = "$e$";</script><style>/* $f$ */</style><textarea>$g$</textarea><!-- $h$ -->')
    out = maths.typeset(page)
    assert count_math(out) == 1
    assert out == page.replace("$a$", maths.formula("a"))


def test_dollars_that_are_not_maths():
    assert maths.typeset("<p>from $5 to $10</p>") == "<p>from $5 to $10</p>"
    assert maths.typeset("<p>a $ b $ c</p>") == "<p>a $ b $ c</p>"      # blanks inside the dollars: no formula
    escaped = maths.typeset(r"<p>costs \$3, \$x\$ and $y$</p>")
    assert count_math(escaped) == 1
    assert text_outside_code(escaped) == "costs $3, $x$ and "


def test_typeset_is_idempotent_and_leaves_math_alone():
    once = maths.typeset(r"<p>$\frac{\partial c}{\partial \mathbf{W}}$, \$2, $\nosuchcommand$</p>")
    assert maths.typeset(once) == once


@pytest.mark.parametrize("bad", [r"\frac{a}{b", r"\nosuchcommand x", r"a^", r"\left( x", r"\sqrt", r"x_{"])
def test_bad_tex_is_left_as_marked_text_and_never_raises(bad):
    page = maths.typeset(f"<p>before ${bad}$ after</p>")
    found = maths.errors(page)
    assert len(found) == 1 and found[0].startswith(f"${bad}$ (not typeset: ")
    assert f'<code class="{maths.ERROR_CLASS}"' in page
    assert text_outside_code(page) == "before  after"


def test_a_formula_never_spans_a_tag():
    assert count_math(maths.typeset("<p>$a <b>bold</b> c$</p>")) == 0


# -- markdown ------------------------------------------------------------------------------------------------------
def test_markdown_keeps_escaped_dollars_and_code_spans():
    page = maths.markdown(r"price \$5, `$x$`, and $a < b$ *here*")
    assert count_math(page) == 1
    assert "<code>$x$</code>" in page and "<em>here</em>" in page
    assert "price $5," in html.unescape(page)


def test_markdown_display_maths_over_several_lines():
    page = maths.markdown("Then\n\n$$\n\\frac{\\partial c}{\\partial x} =\n\\sum_i x_i\n$$\n\nend")
    assert count_math(page) == 1 and 'display="block"' in page and "<mfrac>" in page


# -- the course's formulas -----------------------------------------------------------------------------------------
def course_formulas() -> list[tuple[str, str, bool]]:
    """(notebook, TeX, display) of every formula of the source notebooks' Markdown, as nbconvert's Markdown
    parser (the feedback page's) finds them."""
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    found = []

    class Collect(IPythonRenderer):
        def block_math(self, body):
            found.append((name, body, True))
            return ""

        def inline_math(self, body):
            found.append((name, body, False))
            return ""

        def latex_environment(self, env, body):
            found.append((name, f"\\begin{{{env}}}{body}\\end{{{env}}}", True))
            return ""

    for path in NOTEBOOKS:
        name = path.stem
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                MarkdownWithMath(renderer=Collect(escape=False)).render(cell.source)
    return found


def test_every_formula_of_the_course_converts():
    formulas = course_formulas()
    assert len(NOTEBOOKS) == 6
    assert {n for n, _, _ in formulas} == {p.stem for p in NOTEBOOKS}      # every notebook has maths
    assert len(formulas) > 500
    failed = [f"{name}: {tex} ({maths.errors(maths.formula(tex, display))})"
              for name, tex, display in sorted(set(formulas)) if maths.errors(maths.formula(tex, display))]
    assert not failed, "latex2mathml cannot convert:\n" + "\n".join(failed)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_markdown_cell_of_the_course_leaves_no_raw_dollar(path):
    formulas = 0
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "markdown":
            continue
        page = maths.markdown(cell.source)
        formulas += count_math(page)
        assert not maths.errors(page), (cell.id, maths.errors(page))
        shown = text_outside_code(page)
        assert "$" not in shown and "\\(" not in shown and "\\[" not in shown, (cell.id, shown[:300])
    assert formulas > 20


def test_unknown_commands_are_errors_not_letters():
    """latex2mathml writes a command it does not know as its letters: that is an error here, not a formula."""
    assert "\\foo" not in maths.formula(r"\foo x").split('">', 1)[-1].replace(r"$\foo x$", "")
    assert maths.errors(maths.formula(r"\foo x"))
    assert not maths.errors(maths.formula(r"\mathbf{W}^\top \odot \widetilde{\mathrm{FC}}"))


def test_an_arrow_with_a_label_is_an_arrow_under_its_label():
    """\\xrightarrow{FC} (02's x -FC-> z): latex2mathml's own layout puts the label over the next symbol in
    Chromium; it is written as \\overset{FC}{\\longrightarrow}, with no mpadded."""
    mathml = maths.formula(r"\mathbf{x} \xrightarrow{\text{FC}^{(1)}} \mathbf{z}")
    assert "mpadded" not in mathml and "&#x027F6;" in mathml and "<mtext>FC</mtext>" in mathml
    assert "<mover>" in mathml and "xrightarrow" not in mathml


def test_a_wide_tilde_over_a_word_is_scaled_to_it():
    """003's backward functions (FC~, ReLU~): Chromium does not stretch an accent over text, so a word's tilde is a
    wide ∼ scaled to the word; a one-letter base (g~) keeps the font's own tilde."""
    relu, g = maths.formula(r"\widetilde{\text{ReLU}}(\mathbf{x})"), maths.formula(r"\widetilde{g}")
    assert "&#x0223C;" in relu and "scaleX(3.2)" in relu and "<mtext>ReLU</mtext>" in relu
    assert "&#x0007E;" in g and "scaleX" not in g


def test_a_heading_with_maths_keeps_its_mathml_in_the_html_namespace():
    """nbconvert adds a heading's anchor link through ElementTree, which wrote the formula as <ns0:math
    xmlns:ns0=...>: a browser showed "∂c∂s" instead of the fraction (04's Step 4 on the answers and feedback pages)."""
    page = maths.markdown(r"## Step 4 — together: $\frac{\partial c}{\partial \mathbf{s}} = \mathbf{p} - \mathbf{d}$")
    assert page.startswith("<h2 id=") and "<math display=\"inline\"><mrow><mfrac>" in page, page
    assert "ns0" not in page and "xmlns:" not in page and 'class="anchor-link"' in page
