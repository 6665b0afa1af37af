"""The page of ``similarity``: one self-contained HTML file per assignment (inline CSS, the histogram as a PNG
``data:`` URI, no script), every student's text escaped.

It says first that it is a place to look, never a verdict; then how the answers were compared, a histogram of
the scores of every pair, the ranked pairs, and each of the top pairs side by side, cell by cell: the counted
shared passages highlighted, the common ones (what many answers hold) underlined in grey, the starter code dimmed.
"""
from __future__ import annotations

import html

import numpy as np

from . import fingerprints
from .report import _figure, _image
from .similarity import Answer, Comparison, Pair

CSS = """
body{margin:0;background:#f4f5f7;color:#1f2328;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1280px;margin:0 auto;padding:20px 32px 40px;background:#fff;min-height:100vh}
h1{font-size:24px;margin:0 0 2px}h2{font-size:18px;margin:30px 0 8px;padding-bottom:3px;border-bottom:1px solid #d8dbe0}
h3{font-size:14px;margin:14px 0 4px;font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
p{margin:6px 0}.muted{color:#59636e;font-size:13px}
.verdict{border:2px solid #bf8700;background:#fff8c5;border-radius:6px;padding:10px 14px;margin:12px 0;font-size:15px}
table{border-collapse:collapse;margin:6px 0 10px;font-size:13px}
th,td{padding:3px 10px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
thead th{background:#f0f2f5}td.num{text-align:right;font-variant-numeric:tabular-nums}
.side{display:grid;grid-template-columns:1fr 1fr;gap:10px}
.side div b{display:block;font-size:12px;color:#59636e;margin-bottom:2px}
pre{margin:0;padding:8px;background:#f6f8fa;border:1px solid #e5e7eb;border-radius:4px;font-size:12px;
line-height:1.4;white-space:pre-wrap;overflow-wrap:anywhere}
mark{background:#ffb3b3;color:inherit;border-radius:2px}.common{text-decoration:underline dotted #8c959f 2px;
color:#57606a}.starter{color:#9aa1a9}
.legend span{margin-right:14px}details{margin:8px 0}summary{cursor:pointer;color:#59636e}
img{display:block;max-width:100%;height:auto;margin:8px 0}
"""

VERDICT = ("<div class='verdict'><b>A place to look, never a verdict.</b> A high score says that two submissions "
           "share long passages once names, numbers and comments are set aside. It does not say that anyone "
           "copied, nor who from whom: short answers, the notebook's hints and the usual idioms make honest "
           "students alike. Read each pair side by side, and hear the students, before concluding anything.</div>")


def _percent(value: float) -> str:
    return f"{100 * value:.0f}%"


def _marked(text: str, ranges: list[tuple[str, list[tuple[int, int]]]]) -> str:
    """``text`` escaped, each character in the span of the last of ``ranges`` (class, [(start, end)]) that covers
    it (later classes win), but of the indentation of each line."""
    classes = [""] * len(text)
    for css, spans in ranges:
        for start, end in spans:
            classes[start:end] = [css] * (min(end, len(text)) - start)
    line_start = True
    for i, char in enumerate(text):    # a line's indentation is never highlighted
        if char == "\n":
            line_start = True
        elif line_start and char in " \t":
            classes[i] = ""
        else:
            line_start = False
    out, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and classes[j] == classes[i]:
            j += 1
        piece = html.escape(text[i:j])
        css = classes[i]
        out.append(piece if not css else f"<mark>{piece}</mark>" if css == "shared"
                   else f"<span class='{css}'>{piece}</span>")
        i = j
    return "".join(out)


def _side(answer: Answer, counted: set[int], common: set[int]) -> str:
    if not answer.text.strip():
        return "<pre class='starter'>(empty)</pre>"
    return "<pre>" + _marked(answer.text, [("starter", answer.starter_lines),
                                           ("common", answer.fp.passages(common)),
                                           ("shared", answer.fp.passages(counted))]) + "</pre>"


def _pair(result: Comparison, rank: int, pair: Pair) -> list[str]:
    out = [f"<h2 id='pair-{rank}'>{rank}. {html.escape(pair.a)} and {html.escape(pair.b)}: "
           f"{'identical' if pair.identical else _percent(pair.score)}</h2>",
           *(["<p><b>Identical:</b> every answer cell of the two submissions is the same text, character for "
              "character (comments and spacing included), passages that many students share or not.</p>"]
             if pair.identical else []),
           f"<p class='muted'>{_percent(pair.share_a)} of {html.escape(pair.a)}'s own tokens and "
           f"{_percent(pair.share_b)} of {html.escape(pair.b)}'s lie in passages they share.</p>"]
    quiet = []
    for cell in result.cells:
        a, b = result.answers[pair.a][cell.label], result.answers[pair.b][cell.label]
        counted = pair.shared.get(cell.label, set())
        common = result.common_shared(pair, cell.label)
        if not counted and not common:
            if a.fp.size or b.fp.size:
                quiet.append((cell, a, b))
            continue
        size = a.fp.size + b.fp.size
        share = (len(a.fp.covered(counted)) + len(b.fp.covered(counted))) / size if size else 0.0
        kind = "written answer, on words" if cell.prose else "code"
        out += [f"<h3>{html.escape(cell.label)} <span class='muted'>({kind}; {_percent(share)} shared"
                f"{', common passages only' if not counted else ''})</span></h3>",
                "<div class='side'>",
                f"<div><b>{html.escape(pair.a)}</b>{_side(a, counted, common)}</div>",
                f"<div><b>{html.escape(pair.b)}</b>{_side(b, counted, common)}</div></div>"]
    if quiet:
        out.append(f"<details><summary>{len(quiet)} other cell(s) with nothing shared: "
                   f"{html.escape(', '.join(c.label for c, _, _ in quiet))}</summary>")
        for cell, a, b in quiet:
            out += [f"<h3>{html.escape(cell.label)}</h3><div class='side'>",
                    f"<div><b>{html.escape(pair.a)}</b>{_side(a, set(), set())}</div>",
                    f"<div><b>{html.escape(pair.b)}</b>{_side(b, set(), set())}</div></div>"]
        out.append("</details>")
    return out


def _histogram(result: Comparison) -> str:
    """Every pair's score (pairs sharing nothing at 0), counts on a log scale: copies stand apart on the right."""
    scores = np.zeros(result.compared)
    scores[:len(result.pairs)] = [p.score for p in result.pairs]
    figure, ax = _figure(2.4)
    ax.hist(100 * scores, bins=np.linspace(0, 100, 21), color="#4c72b0", edgecolor="white", log=True)
    ax.set(xlabel="score of a pair (%)", ylabel="pairs (log scale)", xlim=(0, 100))
    ax.tick_params(labelsize=8)
    ax.grid(axis="y", alpha=0.3)
    return _image(figure, "histogram of the scores of every pair")


def render(result: Comparison, top: int) -> str:
    """The assignment's page."""
    n, shown = len(result.answers), result.pairs[:top]
    body = [f"<h1>{html.escape(result.assignment)}: which submissions look alike</h1>", VERDICT,
            "<h2>How the answers were compared</h2>",
            f"<p>{n} submissions, {result.compared} pairs, {len(result.cells)} answer cells "
            f"({sum(not c.prose for c in result.cells)} code, {sum(c.prose for c in result.cells)} written). "
            "Each student's answer cells (nbgrader solution cells, by grade_id) are compared with the same cell of "
            "every other student; the starter code the release gave is left out, and the reference solution is "
            "compared with nobody.</p>",
            f"<p>Code is compared on tokens: every name (variable, argument, function, attribute) counts as one "
            f"name, every number as one number, every string as one string; comments and spacing are ignored. "
            f"Written answers are compared on words. A shared passage is at least {fingerprints.CODE_K} tokens "
            f"of code or {fingerprints.PROSE_K} words long (found by winnowing, as MOSS does). A passage found in "
            f"more than {result.common} of the {n} submissions is what any answer holds: it is "
            "<span class='common'>underlined in grey</span> and not counted.</p>",
            "<p>A pair's score is the share of the two students' own tokens, over all their answer cells, that lie "
            "in the passages they share: a one-line cell weighs as one line. The share is taken of at least twice the "
            "median size of a submission, so that two nearly blank submissions that share their few lines do not "
            "score high.</p>"]
    if result.left_out:
        body.append("<p class='muted'>Left out (a notebook could not be read): "
                    + html.escape("; ".join(f"{s}: {why}" for s, why in sorted(result.left_out.items()))) + "</p>")
    if result.markers:
        body.append("<h2>Answers holding the source notebook's markers</h2><p>These cells hold nbgrader's "
                    "<code>### BEGIN SOLUTION</code> / <code>### END SOLUTION</code> lines, which only the source "
                    "notebook (the teacher's, with the reference solution) has; a student never types them: did "
                    "the reference solution reach these students?</p><ul>" + "".join(
                        f"<li>{html.escape(s)}: {html.escape(', '.join(labels))}</li>"
                        for s, labels in result.markers.items()) + "</ul>")
    if n < 2:
        body.append("<p>Only one submission: nobody to compare it with.</p>")
        return _page(result, body)
    body += ["<h2>Scores of every pair</h2>", _histogram(result),
             f"<p class='muted'>{len(result.pairs)} of the {result.compared} pairs share at least one counted "
             "passage; the others score 0.</p>", "<h2>The pairs that look most alike</h2>"]
    if not shown:
        body.append("<p>No pair shares a passage that is not common.</p>")
        return _page(result, body)
    rows = "".join(
        f"<tr><td class='num'><a href='#pair-{rank}'>{rank}</a></td><td>{html.escape(p.a)}</td>"
        f"<td>{html.escape(p.b)}</td><td class='num'>{'identical' if p.identical else _percent(p.score)}</td>"
        f"<td class='num'>{_percent(p.share_a)}"
        f"</td><td class='num'>{_percent(p.share_b)}</td><td>{html.escape(', '.join(p.shared))}</td></tr>"
        for rank, p in enumerate(shown, start=1))
    body += [f"<p class='muted'>The {len(shown)} highest of {len(result.pairs)}. Share: of each student's own "
             "tokens, how many lie in shared passages.</p>",
             "<table><thead><tr><th>#</th><th>student</th><th>student</th><th>score</th><th>share of the first</th>"
             f"<th>share of the second</th><th>cells with a shared passage</th></tr></thead><tbody>{rows}"
             "</tbody></table>",
             "<p class='legend muted'><span><mark>shared passage (counted)</mark></span><span class='common'>"
             "common passage (not counted)</span> <span class='starter'>starter code (left out)</span></p>"]
    for rank, pair in enumerate(shown, start=1):
        body += _pair(result, rank, pair)
    return _page(result, body)


def _page(result: Comparison, body: list[str]) -> str:
    title = f"{result.assignment}: which submissions look alike"
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{CSS}</style></head>\n<body><main>\n" + "\n".join(body) + "\n</main></body></html>\n")
