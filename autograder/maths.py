"""Maths that render with no internet: TeX turned into MathML when a page is written (``latex2mathml``), which
Chromium, Firefox and Safari draw themselves, with no script and no font to fetch.

- ``typeset(html)``: the TeX of an HTML page (``$...$``, ``$$...$$``, ``\\(...\\)``, ``\\[...\\]`` and
  ``\\begin{env}...\\end{env}``) as MathML. What stands in ``<code>``, ``<pre>``, ``<kbd>``, ``<samp>``,
  ``<script>``, ``<style>``, ``<textarea>``, ``<math>`` and ``<svg>`` is left alone, as are HTML comments and tag
  attributes, and an escaped dollar (``\\$``) is a dollar sign. A ``$`` opens a formula only when a non-blank
  follows it and closes one only when a non-blank precedes it and no digit follows it ("from $5 to $10" is text).
  A formula is looked for inside one run of text: it never spans a tag.
- ``markdown(source)``: a Markdown cell as HTML with its maths as MathML. Use it for Markdown rather than
  nbconvert's ``markdown2html`` followed by ``typeset``: ``markdown2html`` turns an escaped ``\\$`` into a bare
  ``$``, which ``typeset`` could then no longer tell from a delimiter. ``markdown_filter`` is the same as a Jinja
  filter of an nbconvert template (the feedback page's Markdown cells use it).

Bad TeX never raises: a formula that latex2mathml cannot convert, or converts leaving a command it does not know
(it writes an unknown ``\\foo`` out as the letters "\\foo"), is left as its TeX source, in a
``<code class="tex-error">`` whose title says why; ``errors(html)`` lists them. tests/test_maths.py converts
every formula of the course's notebooks.
"""
from __future__ import annotations

import html as _html
import re

from latex2mathml.converter import convert as _convert

SKIPPED = frozenset({"code", "pre", "kbd", "samp", "script", "style", "textarea", "math", "svg"})
ERROR_CLASS = "tex-error"
# One pass over a run of text: an escaped dollar first, then the delimiters, longest first.
_FORMULA = re.compile(
    r"(?P<escaped>\\\$)"
    r"|\$\$(?P<dollars2>.+?)\$\$"
    r"|\\\[(?P<brackets>.+?)\\\]"
    r"|\\\((?P<parens>.+?)\\\)"
    r"|(?P<env>\\begin\{(?P<name>[A-Za-z]+\*?)\}.*?\\end\{(?P=name)\})"
    r"|\$(?=[^\s$])(?P<dollar>(?:\\.|[^$\\])*?[^\s\\])\$(?!\d)",
    re.DOTALL)
_TOKEN = re.compile(r"<!--.*?-->|<![^>]*>|<\?[^>]*>|<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^>]*?(/?)>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
# Pre-pass: TeX that latex2mathml does not know, rewritten as TeX it does. Of LaTeX's operator names (\log,
# \max ...) it lacks only \arg (003 eq. 5 writes \arg\min): upright and followed by a thin space, as in LaTeX.
# \xrightarrow{FC} (02: x -FC-> z): latex2mathml lays its label out with an mpadded that Chromium draws over the next
# symbol; \overset{FC}{\longrightarrow} is the same arrow with its label above, and renders.
_ARG = r"\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}"      # a braced argument, braces nested two deep
_REWRITES = [(re.compile(r"\\arg(?![A-Za-z])"), r"\\mathrm{arg}\\,"),
             (re.compile(r"\\xrightarrow\s*" + _ARG), r"\\overset{\1}{\\longrightarrow}"),
             (re.compile(r"\\xleftarrow\s*" + _ARG), r"\\overset{\1}{\\longleftarrow}")]
# \widetilde over a word (003's backward functions FC~, ReLU~): Chromium does not stretch an accent over text, so
# the tilde of a base of two letters or more is a wide ∼ (U+223C), scaled to about the word's width.
_WIDE_TILDE = re.compile(r"<mover>(<mrow>(?:(?!</?mover>).)*?</mrow>|<mi>[^<]*</mi>|<mtext>[^<]*</mtext>)"
                         r"<mo>&#x0007E;</mo></mover>", re.DOTALL)


def _wide_tilde(match: re.Match) -> str:
    letters = len(_html.unescape(_TAG.sub("", match[1])).strip())
    if letters < 2:
        return match[0]
    return (f'<mover accent="true">{match[1]}<mo stretchy="false" style="transform:scaleX({0.8 * letters:.1f})">'
            "&#x0223C;</mo></mover>")


def formula(tex: str, display: bool = False, source: str | None = None) -> str:
    """The MathML of ``tex`` (plain text, not HTML-escaped); for TeX that does not convert, ``source`` (the
    formula as it was written, delimiters included; default ``tex`` in dollars) as a marked ``<code>``."""
    for pattern, replacement in _REWRITES:
        tex = pattern.sub(replacement, tex)
    braces = re.sub(r"\\.", "", tex)
    try:
        if braces.count("{") != braces.count("}"):      # latex2mathml closes what is left open, silently
            raise ValueError("unbalanced braces")
        mathml = _convert(tex.strip(), display="block" if display else "inline")
    except Exception as error:     # latex2mathml raises many kinds (its own, IndexError, KeyError ...)
        reason = f"{type(error).__name__}: {error}".strip(": ")
    else:
        leftover = re.findall(r"\\[A-Za-z]+", _html.unescape(_TAG.sub(" ", mathml)))
        if not leftover:
            return _WIDE_TILDE.sub(_wide_tilde, mathml)
        reason = "unknown command " + ", ".join(dict.fromkeys(leftover))
    shown = source if source is not None else (f"$${tex}$$" if display else f"${tex}$")
    return (f'<code class="{ERROR_CLASS}" title="{_html.escape("not typeset: " + reason)}">'
            f"{_html.escape(shown, quote=False)}</code>")


def _typeset_text(text: str) -> str:
    """A run of HTML text (entities and all) with its formulas as MathML."""
    def replace(match: re.Match) -> str:
        if match["escaped"]:
            return "&#36;"
        kind = next(k for k in ("dollars2", "brackets", "parens", "env", "dollar") if match[k] is not None)
        tex = _html.unescape(match[kind])
        return formula(tex, display=kind in ("dollars2", "brackets", "env"), source=_html.unescape(match[0]))
    return _FORMULA.sub(replace, text)


def typeset(html: str) -> str:
    """``html`` with its TeX as MathML (see the module's docstring for what is and is not converted)."""
    out, depth, last = [], {}, 0
    for token in _TOKEN.finditer(html):
        text = html[last:token.start()]
        out.append(text if any(depth.values()) else _typeset_text(text))
        out.append(token[0])
        last = token.end()
        name = (token[2] or "").lower()
        if name in SKIPPED and not token[3]:
            depth[name] = max(0, depth.get(name, 0) + (-1 if token[1] else 1))
    tail = html[last:]
    out.append(tail if any(depth.values()) else _typeset_text(tail))
    return "".join(out)


def errors(html: str) -> list[str]:
    """The formulas of a typeset page that could not be converted, each with why."""
    return [f"{_html.unescape(m[2])} ({_html.unescape(m[1])})" for m in
            re.finditer(rf'<code class="{ERROR_CLASS}" title="([^"]*)">(.*?)</code>', html, re.DOTALL)]


# -- Markdown ------------------------------------------------------------------------------------------------------
def _renderer_class():
    from nbconvert.filters.markdown_mistune import IPythonRenderer

    class MathMLRenderer(IPythonRenderer):
        """nbconvert's Markdown renderer, writing its maths as MathML instead of leaving them to MathJax."""

        def block_math(self, body: str) -> str:
            return formula(body, display=True, source=f"$${body}$$")

        def inline_math(self, body: str) -> str:
            return formula(body, display=False, source=f"${body}$")

        def latex_environment(self, name: str, body: str) -> str:
            tex = f"\\begin{{{name}}}{body}\\end{{{name}}}"
            return formula(tex, display=True, source=tex)

        def heading(self, text: str, level: int, **attrs) -> str:
            # nbconvert adds the anchor link through ElementTree, which writes MathML's namespace as a prefix
            # (<ns0:math xmlns:ns0=...>): an HTML page then shows the formula's letters, not the formula.
            return _MATHML_PREFIX.sub(r"<\1", _MATHML_XMLNS.sub("", super().heading(text, level, **attrs)))

    return MathMLRenderer


_MATHML_XMLNS = re.compile(r'\s+xmlns:(ns\d+)="http://www\.w3\.org/1998/Math/MathML"')
_MATHML_PREFIX = re.compile(r"<(/?)ns\d+:")


def markdown(source: str, attachments: dict | None = None, path: str = "") -> str:
    """A Markdown cell's ``source`` as HTML (nbconvert's Markdown, as in JupyterLab), its maths as MathML."""
    from nbconvert.filters.markdown_mistune import MarkdownWithMath

    renderer = _renderer_class()(escape=False, attachments=attachments or {}, path=path)
    return MarkdownWithMath(renderer=renderer).render(source)


def _pass_context(function):
    from jinja2 import pass_context
    return pass_context(function)


@_pass_context
def markdown_filter(context, source: str) -> str:
    """``markdown`` as a Jinja filter of an nbconvert template (the cell's attachments and the notebook's folder
    taken from the template's context, as nbconvert's own ``markdown2html`` filter takes them)."""
    cell = context.get("cell", {}) or {}
    path = (context.get("resources", {}) or {}).get("metadata", {}).get("path", "")
    return markdown(source, attachments=cell.get("attachments", {}), path=path)


# nbgrader's page announces the macro, which writes the script, its configuration and two comments.
_MATHJAX = re.compile(r"(?:<!-- Loading mathjax macro -->\s*)?[ \t]*<!-- Load mathjax -->.*?"
                      r"<!-- End of mathjax configuration -->\n?", re.DOTALL)


def without_mathjax(page: str) -> str:
    """``page`` without what nbconvert's ``mathjax()`` macro writes (the CDN's MathJax and its configuration): a
    page typeset here needs neither. A Jinja filter of the feedback page."""
    from markupsafe import Markup
    return Markup(_MATHJAX.sub("", str(page)))
