"""``python -m autograder answers``: the graders' answer key, ``answers/<assignment>.html``, never released.

Each written answer of a source notebook (a manually graded Markdown cell, ``solution`` and ``grade`` true) holds,
inside its ``### BEGIN SOLUTION`` / ``### END SOLUTION`` block (so nbgrader strips it from the release), the model
answer and then its rubric, in this shape::

    ### BEGIN SOLUTION
    <the model answer>

    **Rubric** (2 points)
    - (1 pt) what earns this point
    - (1 pt) what earns that one; a long item goes on
      on lines indented by two spaces

    **Full credit:** what a complete answer must hold.

    **Frequent wrong answers:**
    - (earns 1 pt) a wrong answer met in practice, and why it earns that
    - (earns 0 pts) ...

    **French:** accepted, ...
    ### END SOLUTION

The rubric starts at the first line that begins with ``**Rubric**``; everything before it is the model answer.
Its items (``- (P pt)`` or ``- (P pts)``) add up to the cell's points, and so does the ``(N points)`` of its first
line; each frequent wrong answer says what it earns (``- (earns P pt)``), less than the cell's points. Every
rubric says whether answers in French are accepted (they are). ``Rubric.problems`` names what is missing or does
not add up; ``answers`` still writes the page then (a grader needs it), says what is wrong and exits 1.

The page of an assignment takes the written answers in notebook order, each named by its ``grade_id`` (the name the
formgrader shows above the answer), with its points, its question (the Markdown cells just before the answer cell,
back to the previous code or graded cell: where the notebook asks it), the model answer and the rubric. It is one
self-contained file: inline CSS, maths as MathML (``maths.markdown``), no script, nothing fetched.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from . import cells, maths
from .coursedir import Course

RUBRIC = "**Rubric**"
FULL_CREDIT, WRONG, FRENCH = "**Full credit:**", "**Frequent wrong answers:**", "**French:**"
SECTIONS = (FULL_CREDIT, WRONG, FRENCH)
_DECLARED = re.compile(r"^\*\*Rubric\*\*\s*\((?P<points>\d+(?:\.\d+)?) points?\)\s*$")
_ITEM = re.compile(r"^- \((?P<points>\d+(?:\.\d+)?) pts?\)\s+(?P<text>\S.*)$")
_WRONG_ITEM = re.compile(r"^- \(earns (?P<points>\d+(?:\.\d+)?) pts?\)\s+(?P<text>\S.*)$")
_MATH = re.compile(r"\$\$.+?\$\$|\$[^$]+\$", re.S)
PHRASE_CHARS = 24          # a rubric's prose run at least this long is looked for on pages that must not show it


@dataclass(frozen=True)
class Item:
    points: float
    text: str              # Markdown


@dataclass(frozen=True)
class Rubric:
    declared: float | None                 # the "(N points)" of its first line
    items: tuple[Item, ...]
    full_credit: str                       # Markdown
    wrong: tuple[Item, ...]                # each frequent wrong answer and what it earns
    french: str
    source: str                            # the rubric as written in the notebook
    unread: tuple[str, ...] = ()           # lines that fit none of the shapes above

    @property
    def total(self) -> float:
        return sum(item.points for item in self.items)

    def problems(self, points: float) -> list[str]:
        """What is missing or does not add up, for a cell worth ``points``."""
        found = []
        if self.declared is None:
            found.append(f"its first line is not `{RUBRIC} ({points:g} points)`")
        elif self.declared != points:
            found.append(f"`{RUBRIC}` says {self.declared:g} points; the cell has {points:g}")
        if not self.items:
            found.append("no item `- (1 pt) ...`")
        elif abs(self.total - points) > 1e-9:
            found.append(f"its items add up to {self.total:g} points; the cell has {points:g}")
        if not self.full_credit:
            found.append(f"no `{FULL_CREDIT}` paragraph")
        if not self.wrong:
            found.append(f"no `{WRONG}` list (`- (earns 0 pts) ...`)")
        for item in self.wrong:
            if item.points >= points:
                found.append(f"a frequent wrong answer earns {item.points:g} of {points:g} points: "
                             f"{item.text[:60]}")
        if "french" not in self.french.lower() or "accepted" not in self.french.lower():
            found.append(f"no `{FRENCH}` paragraph saying whether answers in French are accepted")
        found += [f"line not understood: {line[:70]}" for line in self.unread]
        return found


@dataclass(frozen=True)
class WrittenAnswer:
    grade_id: str
    cell_id: str
    points: float
    question: str                          # Markdown: the cells that ask it
    model: str                             # Markdown
    rubric: Rubric | None

    def problems(self) -> list[str]:
        found = [] if self.question.strip() else ["no question: no Markdown cell just before the answer cell"]
        if not self.model.strip():
            found.append("no model answer before the rubric")
        if self.rubric is None:
            found.append(f"no rubric: add `{RUBRIC} ({self.points:g} points)` and its items after the model answer, "
                         "inside the SOLUTION block")
        else:
            found += self.rubric.problems(self.points)
        return [f"{self.grade_id}: {problem}" for problem in found]


# -- reading a source notebook -------------------------------------------------------------------------------------
def solution_text(cell) -> str:
    """What stands inside the cell's SOLUTION block (the whole cell when it has none: nbgrader then replaces it
    whole)."""
    return "\n".join(line for _, line in cells.secret_lines(cell, (cells.SOLUTION,))) if any(
        cells.SOLUTION[0] in line for line in cell.source.split("\n")) else cell.source


def split(text: str) -> tuple[str, str | None]:
    """(model answer, rubric or None) of the inside of a SOLUTION block."""
    lines = text.split("\n")
    at = next((n for n, line in enumerate(lines) if line.startswith(RUBRIC)), None)
    if at is None:
        return text.strip(), None
    return "\n".join(lines[:at]).strip(), "\n".join(lines[at:]).strip()


def model_answer(cell) -> str:
    """The model answer of a written-answer cell: what a student who answers perfectly writes (no rubric)."""
    return split(solution_text(cell))[0]


def parse(rubric: str) -> Rubric:
    """A rubric written in the shape of the module's docstring."""
    lines = rubric.split("\n")
    declared = _DECLARED.match(lines[0].strip())
    items, wrong, paragraphs, unread = [], [], {FULL_CREDIT: [], FRENCH: []}, []
    section, current = None, None            # current: the list an indented line continues
    for line in lines[1:]:
        stripped = line.strip()
        if not stripped:
            current = None if section in paragraphs else current
            continue
        header = next((s for s in SECTIONS if stripped.startswith(s)), None)
        if header:
            section, current = header, None
            if header in paragraphs:
                paragraphs[header].append(stripped[len(header):].strip())
            continue
        item = (_WRONG_ITEM if section == WRONG else _ITEM).match(stripped) if section in (None, WRONG) else None
        if item:
            current = wrong if section == WRONG else items
            current.append([float(item["points"]), item["text"]])
        elif line.startswith("  ") and current:
            current[-1][1] += " " + stripped
        elif section in paragraphs:
            paragraphs[section].append(stripped)
        else:
            unread.append(stripped)
    return Rubric(declared=float(declared["points"]) if declared else None,
                  items=tuple(Item(p, t) for p, t in items), full_credit=" ".join(paragraphs[FULL_CREDIT]).strip(),
                  wrong=tuple(Item(p, t) for p, t in wrong), french=" ".join(paragraphs[FRENCH]).strip(),
                  source=rubric, unread=tuple(unread))


def question_of(nb, index: int) -> str:
    """The Markdown cells just before ``nb.cells[index]`` that ask its question: back to the previous code cell or
    graded cell (a preceding written answer is not part of the next question)."""
    asked = []
    for cell in reversed(nb.cells[:index]):
        if cell.cell_type != "markdown" or cells.is_graded(cell) or cells.is_solution(cell):
            break
        asked.append(cell.source)
    return "\n\n".join(reversed(asked))


def written_answers(nb) -> list[WrittenAnswer]:
    """Every written answer of the source notebook ``nb``, in notebook order."""
    found = []
    for index, cell in enumerate(nb.cells):
        if not (cells.is_manual_answer(cell) and cell.cell_type == "markdown"):
            continue
        model, rubric = split(solution_text(cell))
        found.append(WrittenAnswer(grade_id=cells.grade_id(cell) or cell.get("id", "?"), cell_id=cell.get("id", ""),
                                   points=cells.points(cell), question=question_of(nb, index), model=model,
                                   rubric=parse(rubric) if rubric is not None else None))
    return found


def normalised(text: str) -> str:
    """``text`` with its runs of white space (non-breaking ones too) as one space: how pages are compared."""
    return " ".join(text.replace("\u00a0", " ").split())


_OPENS = re.compile(r"^(?:#{1,6}\s|[-*] (?:\((?:earns )?\d+(?:\.\d+)? pts?\))?|\d+\. |"
                    r"\*\*[^*]+\*\*(?: \(\d+(?:\.\d+)? points?\))?)")


def _blocks(markdown: str) -> list[str]:
    """The headings, items and paragraphs of ``markdown``, each on one line, without their marks (``## ``,
    ``- (1 pt)``, ``**Full credit:**``, a quotation's ``>``)."""
    blocks: list[str] = []
    for line in markdown.split("\n"):
        line = re.sub(r"^\s*(?:>\s?)*", "", line).strip()
        opens = _OPENS.match(line)
        if not line or opens or not blocks or blocks[-1].startswith("#"):
            blocks.append("#" if line.startswith("#") else "")
        blocks[-1] += " " + (line[opens.end():] if opens else line)
    return [block.lstrip("#").strip() for block in blocks if block.lstrip("#").strip()]


def phrases(markdown: str, least: int = PHRASE_CHARS) -> set[str]:
    """The runs of prose of ``markdown`` (maths and Markdown markup out) at least ``least`` characters long, as a
    reader of the rendered page sees them: what to look for in a page that must not show it (a page shows the
    formulas as MathML, never as their TeX)."""
    found = set()
    for block in _blocks(markdown):
        for run in _MATH.split(block.replace("**", "").replace("`", "")):
            run = normalised(re.sub(r"(?<!\w)\*|\*(?!\w)", "", run)).strip(" ,.;:()")
            if len(run) >= least:
                found.add(run)
    return found


def _public(cell) -> str:
    secret = {number for number, _ in cells.secret_lines(cell)}
    return "\n".join(line for number, line in enumerate(cell.source.split("\n"), start=1) if number not in secret)


def _elsewhere(nb, answers: list[WrittenAnswer]) -> str:
    """What of ``nb`` is no rubric: the public part of every cell (what the release shows) and the model answers."""
    return "\n".join([_public(c) for c in nb.cells] + [a.model for a in answers])


def rubric_lines(nb, least: int = 12) -> set[str]:
    """The stripped lines of the rubrics of ``nb``, as the source writes them, at least ``least`` characters long,
    that stand nowhere else in the notebook (not in a line the release shows, not in a model answer): a page or file
    that holds one of them holds a rubric."""
    answers = written_answers(nb)
    elsewhere = _elsewhere(nb, answers)
    return {line.strip() for a in answers if a.rubric for line in a.rubric.source.split("\n")
            if len(line.strip()) >= least and line.strip() not in elsewhere}


def rubric_phrases(nb) -> set[str]:
    """The prose of the rubrics of ``nb`` (``phrases``) that nothing else of the notebook holds, neither a line the
    release shows nor a model answer: a page that shows one of them, maths typeset or not, shows a rubric."""
    answers = written_answers(nb)
    elsewhere = normalised(_elsewhere(nb, answers).replace("**", "").replace("`", ""))
    return {p for a in answers if a.rubric for p in phrases(a.rubric.source) if p not in elsewhere}


# -- the page ------------------------------------------------------------------------------------------------------
CSS = """
body{margin:0;background:#f4f5f7;color:#1f2328;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:920px;margin:0 auto;padding:20px 36px 48px;background:#fff;min-height:100vh}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:19px;margin:36px 0 10px;padding-bottom:4px;border-bottom:2px solid #d8dbe0;display:flex;
align-items:baseline;gap:12px}
h2 code{font:600 17px ui-monospace,SFMono-Regular,Menlo,monospace}h2 .points{margin-left:auto;font-size:14px;
font-weight:600;color:#0a3069;background:#ddf4ff;border-radius:12px;padding:1px 10px;white-space:nowrap}
h3{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:#59636e;margin:16px 0 4px}
p{margin:6px 0}.muted{color:#59636e;font-size:13px}code{font-size:90%}
.secret{border:2px solid #cf222e;background:#ffebe9;border-radius:6px;padding:8px 14px;margin:12px 0}
.problems{border:2px solid #bf8700;background:#fff8c5;border-radius:6px;padding:8px 14px;margin:12px 0}
.question{border-left:4px solid #d0d7de;padding:2px 14px;color:#31363c;background:#f6f8fa}
.question h1,.question h2,.question h3,.question h4{font-size:15px;text-transform:none;letter-spacing:0;color:#1f2328;
border:0;margin:8px 0 4px;padding:0;display:block}
.question blockquote{margin:6px 0;padding:2px 10px;border-left:3px solid #bf8700;background:#fff8c5}
.model{border-left:4px solid #1a7f37;padding:2px 14px;background:#f0fff4}
table{border-collapse:collapse;margin:6px 0 10px;width:100%}
th,td{padding:4px 10px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
thead th{background:#f0f2f5;font-size:13px}td.pts{white-space:nowrap;width:5.5em;font-weight:600;
font-variant-numeric:tabular-nums}td p{margin:0}tr.total td{border-top:2px solid #d0d7de;font-weight:600}
table.wrong td.pts{color:#9a6700}
nav table{width:auto}nav td{padding:2px 12px}.anchor-link{display:none}
math{font-size:108%}math[display=block]{margin:6px 0;overflow-x:auto;overflow-y:hidden}
"""


def _md(markdown: str) -> str:
    """Markdown as HTML, maths as MathML; French quotation marks kept on the line of what they quote."""
    return maths.markdown(markdown.replace("« ", "«\u00a0").replace(" »", "\u00a0»"))


def _inline(markdown: str) -> str:
    """``markdown`` as HTML without the paragraph around it when it is one paragraph (a table cell, a line)."""
    text = _md(markdown).strip()
    if text.startswith("<p>") and text.endswith("</p>") and text.count("<p>") == 1:
        return text[3:-4]
    return text


def _points(value: float) -> str:
    return f"{value:g} point{'' if value == 1 else 's'}"


def _pts(value: float) -> str:
    return f"{value:g} pt{'' if value == 1 else 's'}"


def _rubric_html(rubric: Rubric, points: float) -> list[str]:
    rows = [f"<tr><td class='pts'>{_pts(i.points)}</td><td>{_inline(i.text)}</td></tr>" for i in rubric.items]
    out = ["<h3>Rubric</h3>", "<table class='items'><thead><tr><th>points</th><th>what earns them</th></tr></thead>"
           "<tbody>", *rows,
           f"<tr class='total'><td class='pts'>{_pts(rubric.total)}</td><td>of {_points(points)}</td></tr>",
           "</tbody></table>",
           f"<p class='full'><b>Full credit:</b> {_inline(rubric.full_credit)}</p>"]
    if rubric.wrong:
        out += ["<h3>Frequent wrong answers</h3>",
                "<table class='wrong'><thead><tr><th>earns</th><th>the answer, and why</th></tr></thead><tbody>",
                *(f"<tr><td class='pts'>{_pts(i.points)}</td><td>{_inline(i.text)}</td></tr>" for i in rubric.wrong),
                "</tbody></table>"]
    out.append(f"<p class='french'><b>French:</b> {_inline(rubric.french)}</p>")
    return out


def render(assignment: str, answers: list[WrittenAnswer], problems: list[str]) -> str:
    """The answer key of ``assignment``: one self-contained HTML page."""
    total = sum(a.points for a in answers)
    body = [f"<h1>Answer key — {html.escape(assignment)}</h1>",
            "<p class='secret'><b>For graders only.</b> Model answers and rubrics of the written answers; never give "
            "this page to students (it is not in <code>release/</code>, and <code>answers/</code> is not committed)."
            "</p>",
            f"<p class='muted'>{len(answers)} written answer{'s' if len(answers) != 1 else ''}, {_points(total)}, from "
            f"<code>source/{html.escape(assignment)}/{html.escape(assignment)}.ipynb</code>. In the formgrader each "
            "answer is named by the grade_id shown here. Answers in French are accepted. Regenerate with "
            f"<code>python -m autograder answers {html.escape(assignment)}</code> after editing the notebook.</p>"]
    if problems:
        body.append("<div class='problems'><b>This answer key is incomplete:</b><ul>"
                    + "".join(f"<li>{html.escape(p)}</li>" for p in problems) + "</ul></div>")
    body.append("<nav><table><tbody>" + "".join(
        f"<tr><td><a href='#{html.escape(a.grade_id)}'><code>{html.escape(a.grade_id)}</code></a></td>"
        f"<td>{_points(a.points)}</td></tr>" for a in answers) + "</tbody></table></nav>")
    for a in answers:
        body += [f"<section id='{html.escape(a.grade_id)}'>",
                 f"<h2><code>{html.escape(a.grade_id)}</code><span class='points'>{_points(a.points)}</span></h2>",
                 "<h3>Question</h3>", f"<div class='question'>{_md(a.question)}</div>",
                 "<h3>Model answer</h3>", f"<div class='model'>{_md(a.model)}</div>"]
        body += _rubric_html(a.rubric, a.points) if a.rubric else ["<h3>Rubric</h3><p><b>No rubric yet.</b></p>"]
        body.append("</section>")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Answer key — '
            f"{html.escape(assignment)}</title><style>{CSS}</style></head>\n<body><main>\n" + "\n".join(body)
            + "\n</main></body></html>\n")


@dataclass
class Written:
    pages: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)      # "03_relu: relu_derivative_at_zero: ..."

    @property
    def ok(self) -> bool:
        return not self.problems


def write(course: Course | Path, assignments: list[str] | None = None, out: Path | None = None,
          log=print) -> Written:
    """Write ``answers/<assignment>.html`` (into ``out``, default ``<course>/answers``) for each of ``assignments``
    (default: every assignment of source/). A name that is no assignment raises ``ValueError``; a written answer
    whose rubric is missing or does not add up is written all the same, and named in ``Written.problems``."""
    course = Course.of(course)
    course.check_assignments(assignments)
    out = Path(out) if out else course.answers
    written = Written()
    for name in assignments or course.assignments:
        answers = written_answers(nbformat.read(course.source_notebook(name), as_version=4))
        problems = [p for a in answers for p in a.problems()]
        out.mkdir(parents=True, exist_ok=True)
        page = out / f"{name}.html"
        page.write_text(render(name, answers, problems), encoding="utf-8")
        written.pages.append(page)
        written.problems += [f"{name}: {p}" for p in problems]
        log(f"{name}: {len(answers)} written answer(s), {sum(a.points for a in answers):g} points -> {page}")
        for problem in problems:
            log(f"  INCOMPLETE {problem}")
    return written
