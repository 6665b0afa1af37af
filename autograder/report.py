"""``python -m autograder report``: for the teacher, one HTML page per assignment and one for the term, each with
a CSV of the same numbers beside it (``<out>/<assignment>.html|.csv``, ``<out>/term.html|.csv``).

Two layers. ``collect`` reads nbgrader's gradebook (roster, scores with the points given by hand, flags) and the
autograder's record of each submission (``autograded/<student>/<assignment>/autograder.json``: failure messages,
flags, problems, grading time; missing for a submission graded by plain nbgrader, whose messages and time are then
unknown) into an ``AssignmentStats``; ``term_stats`` puts the assignments together. The pages (``render_*``) and
the CSV tables (``*_rows``: ``section,assignment,cell,key,value``) are both drawn from those numbers, formatted by
the same ``number``. A page is one self-contained file: inline CSS, figures as PNG ``data:`` URIs, no script, and
every string that comes from a student or a message escaped.
"""
from __future__ import annotations

import base64
import csv
import html
import io
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import nbformat
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, PercentFormatter
from nbgrader.api import TaskCell

from . import export, gradebook, maths, outcome, translate
from .cells import grade_id
from .coursedir import Course, refuse_ungraded
from .outcome import Outcome, late_by

TOP_FAILURES = 5      # failure messages shown per cell
SLOWEST = 5           # slowest submissions shown
SCORE_STEP = 0.5      # the finest bin of a score histogram
CSV_HEADER = ("section", "assignment", "cell", "key", "value")
# A number standing alone (not part of a name such as float64): what `normalise` replaces by #.
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?!\w)")
TEST, BY_HAND = "autograded test", "answer graded by hand"
COLOURS = {TEST: "#4c72b0", BY_HAND: "#dd8452"}


# -- the numbers ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Summary:
    """Count, sum, mean, population standard deviation, minimum, quartiles and maximum of some values (the
    statistics are None when there are no values)."""
    n: int
    total: float = 0.0
    mean: float | None = None
    std: float | None = None
    low: float | None = None
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    high: float | None = None


def summarise(values) -> Summary:
    values = np.asarray(list(values), dtype=float)
    if not values.size:
        return Summary(0)
    q1, median, q3 = np.percentile(values, [25, 50, 75])   # linear, as matplotlib's box plot
    return Summary(int(values.size), float(values.sum()), float(values.mean()), float(values.std()),
                   float(values.min()), float(q1), float(median), float(q3), float(values.max()))


@dataclass(frozen=True)
class Bin:
    """How many values fall from ``low`` to ``high`` (``high`` excluded, except in the last bin)."""
    low: float
    high: float
    count: int

    @property
    def label(self) -> str:
        return f"{number(self.low)}-{number(self.high)}"


def edges(top: float, least_step: float = 0.0, most: int = 10, round_top: bool = False) -> list[float]:
    """Bin edges from 0 to ``top``: a round step (1, 2, 2.5 or 5 times a power of ten, at least ``least_step``)
    giving at most ``most`` bins. The last bin ends at ``top`` (it may be up to half a step narrower or wider than
    the others), or with ``round_top`` at the next multiple of the step."""
    if top <= 0:
        return [0.0, 1.0]
    power = 10.0 ** math.floor(math.log10(top / most))
    step = max(least_step, next(k * power for k in (1, 2, 2.5, 5, 10) if k * power >= top / most))
    count = math.ceil(top / step - 1e-9)
    if round_top:
        return [round(i * step, 10) for i in range(count + 1)]
    if count > 1 and top - (count - 1) * step < step / 2:
        count -= 1
    return [round(i * step, 10) for i in range(count)] + [float(top)]


def histogram(values, top: float, least_step: float = 0.0, round_top: bool = False) -> list[Bin]:
    """Counts of ``values`` (clipped to [0, top]) in the bins of ``edges``."""
    cuts = edges(top, least_step, round_top=round_top)
    counts, _ = np.histogram(np.clip(np.asarray(list(values), dtype=float), 0, cuts[-1]), bins=cuts)
    return [Bin(low, high, int(c)) for low, high, c in zip(cuts, cuts[1:], counts)]


def normalise(message: str) -> str:
    """``message`` with every standalone number replaced by ``#``: messages differing only in values match."""
    return NUMBER.sub("#", message)


@dataclass(frozen=True)
class Failure:
    """Failure messages of one cell that match once normalised."""
    example: str     # the most frequent exact text among them
    count: int       # submissions that failed with one of them
    share: float     # percent of the submissions the autograder graded


def failures(messages: list[str], graded: int) -> list[Failure]:
    """``messages`` grouped by ``normalise``, the most frequent group first."""
    groups: dict[str, Counter] = defaultdict(Counter)
    for message in messages:
        groups[normalise(message)][message] += 1
    found = []
    for texts in groups.values():
        example = min(texts.items(), key=lambda item: (-item[1], item[0]))[0]
        count = sum(texts.values())
        found.append(Failure(example, count, 100.0 * count / graded))
    return sorted(found, key=lambda f: (-f.count, f.example))


@dataclass
class CellStats:
    """One graded cell over the submissions; answers still to grade by hand are left out of ``scores``."""
    label: str                  # the grade id (``notebook/grade id`` when the assignment has several notebooks)
    kind: str                   # TEST or BY_HAND
    points: float
    scores: list[float]
    pending: int                # submissions whose answer is still to grade by hand
    failures: list[Failure]     # every group of failure messages, the most frequent first

    @property
    def summary(self) -> Summary:
        return summarise(self.scores)

    @property
    def full(self) -> float | None:
        """Percent of the graded submissions with full marks."""
        return 100.0 * sum(s >= self.points for s in self.scores) / len(self.scores) if self.scores else None

    @property
    def zero(self) -> float | None:
        """Percent of the graded submissions with no point."""
        return 100.0 * sum(s <= 0 for s in self.scores) / len(self.scores) if self.scores else None

    @property
    def top_failures(self) -> list[Failure]:
        return self.failures[:TOP_FAILURES]

    @property
    def other_failures(self) -> list[Failure]:
        return self.failures[TOP_FAILURES:]


@dataclass
class Handin:
    """One submission: its total (points given by hand included, the late penalty taken off), its gradebook flag,
    how many answers are still to grade by hand, the autograder's record (None when graded by plain nbgrader), and
    when it is late, by how much and its penalty (from the gradebook: nbgrader's ``total_seconds_late``, the
    penalty its plugin assigned)."""
    student: str
    score: float
    flagged: bool
    pending: int
    outcome: Outcome | None
    seconds_late: float = 0.0
    penalty: float = 0.0
    handed_in: datetime | None = None     # the submission's timestamp (UTC)
    due: datetime | None = None           # its due date (UTC, an extension included)

    @property
    def flags(self) -> list[str]:
        return (self.outcome.flags if self.outcome and self.outcome.flags
                else ["flagged in the gradebook"] if self.flagged else [])


@dataclass
class AssignmentStats:
    """One assignment: the roster, its submissions (by student id) and its graded cells in notebook order."""
    name: str
    max_score: float
    roster: list[str]
    handins: list[Handin]
    cells: list[CellStats]

    @property
    def missing(self) -> list[str]:
        """Students on the roster who handed nothing in."""
        handed = {h.student for h in self.handins}
        return [s for s in self.roster if s not in handed]

    @property
    def totals(self) -> Summary:
        """Total scores over the submissions (non-submitters excluded)."""
        return summarise(h.score for h in self.handins)

    @property
    def histogram(self) -> list[Bin]:
        return histogram([h.score for h in self.handins], self.max_score, SCORE_STEP)

    @property
    def pending(self) -> list[Handin]:
        """Submissions with answers still to grade by hand."""
        return [h for h in self.handins if h.pending]

    @property
    def flagged(self) -> list[Handin]:
        return [h for h in self.handins if h.flagged]

    @property
    def problems(self) -> list[Handin]:
        """Submissions the autograder could not grade normally (``reason`` set)."""
        return [h for h in self.handins if h.outcome and h.outcome.reason]

    @property
    def late(self) -> list[Handin]:
        """Submissions handed in after their due date."""
        return [h for h in self.handins if h.seconds_late > 0]

    @property
    def notes(self) -> list[tuple[str, str]]:
        """(student, note) for every note the autograder left for a student."""
        return [(h.student, note) for h in self.handins if h.outcome for note in h.outcome.notes]

    @property
    def editions(self) -> dict[str, int]:
        """How many graded submissions were of each edition ("en", "fr"; a record of plain nbgrader counts none)."""
        counts = {language: 0 for language in translate.LANGUAGES}
        for h in self.graded:
            languages = {nb.language for nb in h.outcome.notebooks} or {"en"}
            language = next((x for x in sorted(languages) if x != "en"), "en")
            counts[language] = counts.get(language, 0) + 1
        return counts

    @property
    def graded(self) -> list[Handin]:
        """Submissions with an autograder record (their messages and grading time are known)."""
        return [h for h in self.handins if h.outcome]

    @property
    def times(self) -> Summary:
        return summarise(h.outcome.seconds for h in self.graded)

    @property
    def time_histogram(self) -> list[Bin]:
        return histogram([h.outcome.seconds for h in self.graded], self.times.high or 0.0, round_top=True)

    @property
    def slowest(self) -> list[Handin]:
        return sorted(self.graded, key=lambda h: (-h.outcome.seconds, h.student))[:SLOWEST]


@dataclass
class TermStats:
    """The reported assignments together; a student's term total counts 0 for a missing submission."""
    roster: list[str]
    assignments: list[AssignmentStats]

    @property
    def max_score(self) -> float:
        return sum(a.max_score for a in self.assignments)

    @property
    def totals(self) -> dict[str, float]:
        scores = [{h.student: h.score for h in a.handins} for a in self.assignments]
        return {student: sum(s.get(student, 0.0) for s in scores) for student in self.roster}

    @property
    def summary(self) -> Summary:
        """Term totals over the whole roster."""
        return summarise(self.totals.values())

    @property
    def histogram(self) -> list[Bin]:
        return histogram(self.totals.values(), self.max_score, SCORE_STEP)


def term_stats(assignments: list[AssignmentStats]) -> TermStats:
    return TermStats(sorted({s for a in assignments for s in a.roster}), assignments)


# -- reading the gradebook and the autograder's records ---------------------------------------------------------
def read_outcome(root: Path, assignment: str, student: str) -> Outcome | None:
    """The autograder's record of a submission, or None (graded by plain nbgrader, or unreadable)."""
    return outcome.load(root / "autograded" / student / assignment)


def _positions(root: Path, assignment: str, notebook: str) -> dict[str, int]:
    """grade_id -> index of its cell in the source notebook (empty when that cannot be read)."""
    try:
        nb = nbformat.read(root / "source" / assignment / f"{notebook}.ipynb", as_version=4)
    except (OSError, ValueError):
        return {}
    return {grade_id(c): i for i, c in enumerate(nb.cells)}


def _graded_cells(root: Path, assignment: str, notebooks) -> list[tuple[str, str, str, float]]:
    """(notebook, grade id, kind, points) of every graded cell, in notebook order."""
    found = []
    for nb in notebooks:
        answers = {c.name for c in nb.solution_cells}
        place = _positions(root, assignment, nb.name)
        cells = sorted(nb.grade_cells + nb.task_cells, key=lambda c: place.get(c.name, math.inf))
        found += [(nb.name, c.name, BY_HAND if isinstance(c, TaskCell) or c.name in answers else TEST,
                   float(c.max_score)) for c in cells]
    return found


def collect(root: Path, db_url: str, assignment: str, excluded: frozenset[str] = frozenset()) -> AssignmentStats:
    """Everything the assignment's page shows, from the gradebook and the autograder's records, but of the
    ``excluded`` students (c.CourseDirectory.student_id_exclude)."""
    root = Path(root)
    grades: dict[tuple[str, str], list[float | None]] = defaultdict(list)   # None: still to grade by hand
    handins = []
    with gradebook.connect(db_url) as gb:
        stored = gb.find_assignment(assignment)
        roster = sorted(s.id for s in gb.students if s.id not in excluded)
        cells = _graded_cells(root, assignment, stored.notebooks)
        for sub in sorted(stored.submissions, key=lambda s: s.student_id):
            if sub.student_id in excluded:
                continue
            pending = 0
            for sn in sub.notebooks:
                for g in sn.grades:
                    waiting = bool(g.needs_manual_grade and g.manual_score is None)
                    pending += waiting
                    grades[(sn.notebook.name, g.name)].append(None if waiting else float(g.score or 0.0))
            penalty = float(sub.late_submission_penalty or 0.0)
            # the score nbgrader's export gives (nbgrader/plugins/export.py): never below 0
            handins.append(Handin(sub.student_id, max(0.0, float(sub.score or 0.0) - penalty),
                                  any(sn.flagged for sn in sub.notebooks), pending,
                                  read_outcome(root, assignment, sub.student_id), float(sub.total_seconds_late),
                                  penalty, sub.timestamp, sub.duedate))
        max_score = float(stored.max_score or 0.0)
    outcomes = [h.outcome for h in handins if h.outcome]
    several = len({nb for nb, *_ in cells}) > 1
    stats = []
    for notebook, name, kind, points in cells:
        got = grades[(notebook, name)]
        messages = [r.messages[name] for o in outcomes for r in o.notebooks
                    if r.name == notebook and name in r.messages]
        stats.append(CellStats(f"{notebook}/{name}" if several else name, kind, points,
                               [s for s in got if s is not None], got.count(None), failures(messages, len(outcomes))))
    return AssignmentStats(assignment, max_score, roster, handins, stats)


def reported(course: Course, wanted: list[str] | None = None) -> list[str]:
    """The assignments to report, in course order: those of ``wanted`` (default: all) found both in source/ and
    in the gradebook."""
    with gradebook.connect(course.db_url) as gb:
        known = {a.name for a in gb.assignments}
    available = [a for a in course.assignments if a in known]
    course.check_assignments(wanted)
    refuse_ungraded(wanted, available)
    return [a for a in available if not wanted or a in wanted]


# -- formatting -------------------------------------------------------------------------------------------------
def number(value: float | None) -> str:
    """How every number is written, on the pages and in the CSV: at most two decimals, '' when unknown."""
    if value is None:
        return ""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment else ""


def _shown(value: float | None) -> str:
    """A number on a page: as ``number`` writes it, a dash when unknown."""
    return "–" if value is None else number(value)


def _cell(value) -> str:
    """A table cell: a number (right-aligned) or escaped text."""
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<td class="num">{_shown(value)}</td>'
    return f"<td>{html.escape(str(value))}</td>"


def _table(head: list[str], rows: list, css: str = "") -> str:
    """An HTML table; every value is formatted by ``number`` or escaped."""
    header = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows)
    return f'<table class="{css}"><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>'


def _facts(pairs: list[tuple[str, object]]) -> str:
    """Labelled facts, as a grid of small boxes."""
    items = "".join(f"<div><span>{html.escape(k)}</span><b>{html.escape(v) if isinstance(v, str) else _shown(v)}</b>"
                    "</div>" for k, v in pairs)
    return f"<div class='facts'>{items}</div>"


def _bin_table(bins: list[Bin], what: str, unit: str) -> str:
    """A histogram's counts as a two-row table: the bins across, the counts below."""
    return ("<table class='bins'><tr><th>" + html.escape(what) + "</th>"
            + "".join(f"<td>{html.escape(b.label)}</td>" for b in bins) + "</tr><tr><th>" + html.escape(unit) + "</th>"
            + "".join(f"<td class='num'>{b.count}</td>" for b in bins) + "</tr></table>")


def _image(figure: Figure, alt: str) -> str:
    """The figure as an <img> holding its PNG as a data: URI."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    width, height = (int(round(x)) for x in figure.get_size_inches() * figure.dpi)
    return f'<img src="data:image/png;base64,{data}" width="{width}" height="{height}" alt="{html.escape(alt)}">'


def _figure(height: float = 2.6) -> tuple[Figure, object]:
    """A 6-inch-wide figure at 100 dpi, laid out so its labels fit, with one axes."""
    figure = Figure(figsize=(6, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    return figure, figure.subplots()


def _bars(bins: list[Bin], xlabel: str, ylabel: str, height: float = 2.6) -> Figure:
    """A histogram drawn from its counted bins."""
    figure, ax = _figure(height)
    ax.bar([b.low for b in bins], [b.count for b in bins], width=[b.high - b.low for b in bins], align="edge",
           color="#4c72b0", edgecolor="white")
    ticks = [b.low for b in bins] + [bins[-1].high]
    ax.set_xticks(ticks, [number(t) for t in ticks])
    ax.set_xlim(0, bins[-1].high)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set(xlabel=xlabel, ylabel=ylabel)
    ax.tick_params(labelsize=8)
    ax.grid(axis="y", alpha=0.3)
    return figure


def _cells_chart(cells: list[CellStats]) -> Figure:
    """Mean share of the points per cell (horizontal bars, first cell on top) with the std as error bars."""
    shown = [c for c in cells if c.scores and c.points > 0]
    figure, ax = _figure(0.9 + 0.32 * len(shown))
    means = [min(max(c.summary.mean / c.points, 0.0), 1.0) for c in shown]
    spread = [c.summary.std / c.points for c in shown]
    errors = [[min(m, s) for m, s in zip(means, spread)], [min(1 - m, s) for m, s in zip(means, spread)]]
    places = range(len(shown))
    ax.barh(places, means, xerr=errors, color=[COLOURS[c.kind] for c in shown], capsize=3,
            error_kw={"elinewidth": 1, "ecolor": "#333"})
    ax.set_yticks(places, [c.label for c in shown])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel("mean share of the points (bars: ±1 std, within 0-100%)")
    ax.tick_params(labelsize=8)
    ax.grid(axis="x", alpha=0.3)
    figure.legend(handles=[Patch(color=colour, label=kind) for kind, colour in COLOURS.items()
                           if any(c.kind == kind for c in shown)], loc="outside upper right", ncols=2, fontsize=8,
                  frameon=False)
    return figure


def _boxes(assignments: list[AssignmentStats]) -> Figure:
    """Box plot per assignment of the submissions' scores as percent of its max score (whiskers: min and max)."""
    shown = [a for a in assignments if a.handins and a.max_score > 0]
    figure, ax = _figure(2.8)
    ax.boxplot([[100 * h.score / a.max_score for h in a.handins] for a in shown], whis=(0, 100), showmeans=True,
               meanprops={"marker": "D", "markerfacecolor": "#dd8452", "markeredgecolor": "#dd8452", "markersize": 4})
    ax.set_xticks(range(1, len(shown) + 1), [a.name for a in shown])
    ax.set_ylim(-3, 103)
    ax.set_ylabel("score, % of max")
    ax.tick_params(labelsize=8)
    if len(shown) > 4:
        ax.tick_params(axis="x", labelrotation=30)
    ax.grid(axis="y", alpha=0.3)
    return figure


# -- the assignment page and table --------------------------------------------------------------------------------
CSS = """
body{margin:0;background:#f4f5f7;color:#1f2328;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:960px;margin:0 auto;padding:20px 32px 40px;background:#fff;min-height:100vh}
h1{font-size:24px;margin:0 0 2px}h2{font-size:18px;margin:28px 0 8px;padding-bottom:3px;border-bottom:1px solid #d8dbe0}
h3{font-size:14px;margin:16px 0 4px}h3.cell{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
p{margin:6px 0}.muted{color:#59636e;font-size:13px}
table{border-collapse:collapse;margin:6px 0 10px;font-size:13px}
th,td{padding:3px 10px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
thead th{background:#f0f2f5}table.bins th{background:#f0f2f5;text-align:left}table.bins td{text-align:center}
.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:8px;margin:12px 0}
.facts div{border:1px solid #e5e7eb;border-radius:6px;padding:6px 10px;background:#fafbfc}
.facts span{display:block;color:#59636e;font-size:12px}.facts b{font-size:18px;font-variant-numeric:tabular-nums}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
table.text td:last-child{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;overflow-wrap:anywhere}
img{display:block;max-width:100%;height:auto;margin:8px 0}
"""


BINS_NOTE = ("<p class='muted'>A bin holds its lower bound and not its upper one, except the last, which holds "
             "both.</p>")


def _page(title: str, body: list[str]) -> str:
    """The page; the TeX of its messages (a check that quotes a formula) as MathML, which renders offline."""
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{CSS}</style></head>\n<body><main>\n" + maths.typeset("\n".join(body))
            + "\n</main></body></html>\n")


def _header(stats: AssignmentStats) -> list[str]:
    totals = stats.totals
    missing = html.escape(", ".join(stats.missing)) or "none"
    return [
        f"<h1>{html.escape(stats.name)}</h1>",
        "<p class='muted'>Class report: scores from the gradebook, messages, flags and times from the "
        "autograder.</p>",
        _facts([("students on the roster", len(stats.roster)), ("submitted", len(stats.handins)),
                ("not submitted", len(stats.missing)), ("mean score", totals.mean), ("median score", totals.median),
                ("std of the scores", totals.std), ("lowest score", totals.low), ("highest score", totals.high),
                ("max score", stats.max_score), ("submissions still to grade by hand", len(stats.pending)),
                ("flagged submissions", len(stats.flagged)), ("submissions with a problem", len(stats.problems)),
                ("late submissions", len(stats.late)),
                ("editions graded", ", ".join(f"{n} {translate.LANGUAGE_NAMES[language]}"
                                              for language, n in stats.editions.items()))]),
        f"<p class='muted'>Score statistics are over the {len(stats.handins)} submissions: students who handed "
        f"nothing in are excluded (not submitted: {missing}). Answers still to grade by hand count 0 in a total; "
        "a late submission's total is after its penalty (as the export's); "
        "std is the population standard deviation.</p>",
    ]


def _scores(stats: AssignmentStats) -> list[str]:
    if not stats.handins:
        return ["<h2>Total scores</h2><p>No submission.</p>"]
    return ["<h2>Total scores</h2>",
            _image(_bars(stats.histogram, "total score", "submissions"), "histogram of the total scores"),
            _bin_table(stats.histogram, "score", "submissions"), BINS_NOTE]


def _cells(stats: AssignmentStats) -> list[str]:
    rows = [(c.label, c.kind, c.points, len(c.scores), c.summary.mean, c.summary.std, c.full, c.zero, c.pending)
            for c in stats.cells]
    chart = ([_image(_cells_chart(stats.cells), "mean share of the points per graded cell")]
             if any(c.scores and c.points for c in stats.cells) else [])
    return ["<h2>Graded cells</h2>",
            "<p class='muted'>In notebook order. n: submissions graded for the cell (answers still to grade by hand "
            "are left out and counted under “to grade”); full and zero: % of n.</p>",
            _table(["cell", "kind", "points", "n", "mean", "std", "% full marks", "% zero", "to grade"], rows),
            *chart]


def _failures(stats: AssignmentStats) -> list[str]:
    graded = len(stats.graded)
    out = ["<h2>Most frequent failure messages</h2>",
           f"<p class='muted'>Per autograded test, the messages of the {graded} submissions graded by this autograder "
           "(messages that differ only in their numbers are counted together, shown by their most frequent text); "
           f"share: % of those {graded} submissions.</p>"]
    for cell in stats.cells:
        if not cell.failures:
            continue
        out.append(f"<h3 class='cell'>{html.escape(cell.label)}</h3>")
        out.append(_table(["submissions", "share %", "message"],
                          [(f.count, f.share, f.example) for f in cell.top_failures], "text"))
        if cell.other_failures:
            out.append(f"<p class='muted'>and {len(cell.other_failures)} other message(s), in "
                       f"{sum(f.count for f in cell.other_failures)} submission(s).</p>")
    if len(out) == 2:
        out.append("<p>No failure message recorded.</p>")
    return out


def _teacher(stats: AssignmentStats) -> list[str]:
    """Flagged submissions, submissions with a problem, notes left for students."""
    out = ["<h2>Flagged submissions</h2>"]
    out.append(_table(["student", "flags"], [(h.student, "; ".join(h.flags)) for h in stats.flagged], "text")
               if stats.flagged else "<p>None.</p>")
    out.append("<h2>Submissions with a problem</h2>")
    out.append(_table(["student", "reason"], [(h.student, h.outcome.reason) for h in stats.problems], "text")
               if stats.problems else "<p>None.</p>")
    out.append("<h2>Late submissions</h2>")
    out.append(_table(["student", "handed in", "due", "late by", "penalty"],
                      [(h.student, _when(h.handed_in), _when(h.due), late_by(h.seconds_late), h.penalty)
                       for h in stats.late])
               if stats.late else "<p>None.</p>")
    out.append("<h2>Notes left for students</h2>")
    out.append(_table(["student", "note"], stats.notes, "text") if stats.notes else "<p>None.</p>")
    return out


def _timing(stats: AssignmentStats) -> list[str]:
    times = stats.times
    out = ["<h2>Grading times</h2>"]
    if not times.n:
        return out + ["<p>Unknown: no submission was graded by this autograder.</p>"]
    out += [f"<p class='muted'>Seconds per submission, for the {times.n} of {len(stats.handins)} submissions "
            "graded by this autograder.</p>",
            _facts([("median (s)", times.median), ("max (s)", times.high), ("total (s)", times.total)]),
            _image(_bars(stats.time_histogram, "seconds", "submissions", height=2.0), "histogram of the grading times"),
            _bin_table(stats.time_histogram, "seconds", "submissions"),
            "<h3>Slowest</h3>",
            _table(["student", "seconds"], [(h.student, h.outcome.seconds) for h in stats.slowest])]
    return out


def render_assignment(stats: AssignmentStats) -> str:
    """The assignment's page: one self-contained HTML document."""
    return _page(f"{stats.name}: class report", _header(stats) + _scores(stats) + _cells(stats) + _failures(stats)
                 + _teacher(stats) + _timing(stats))


def assignment_rows(stats: AssignmentStats) -> list[tuple[str, str, str, str, str]]:
    """The numbers of the assignment's page as (section, assignment, cell, key, value) rows."""
    a, totals, times = stats.name, stats.totals, stats.times
    summary = {"roster": len(stats.roster), "submitted": len(stats.handins), "not_submitted": len(stats.missing),
               "mean": totals.mean, "median": totals.median, "std": totals.std, "min": totals.low,
               "max": totals.high, "max_score": stats.max_score, "to_grade_by_hand": len(stats.pending),
               "flagged": len(stats.flagged), "problems": len(stats.problems), "autograded": len(stats.graded),
               "late": len(stats.late)}
    rows = [("summary", a, "", k, number(v)) for k, v in summary.items()]
    rows += [("edition", a, "", language, number(n)) for language, n in stats.editions.items()]
    rows += [("not_submitted", a, "", s, "") for s in stats.missing]
    rows += [("histogram", a, "", b.label, number(b.count)) for b in stats.histogram] if stats.handins else []
    for c in stats.cells:
        rows.append(("cell", a, c.label, "kind", c.kind))
        values = {"points": c.points, "n": len(c.scores), "mean": c.summary.mean, "std": c.summary.std,
                  "full_marks_pct": c.full, "zero_pct": c.zero, "to_grade_by_hand": c.pending}
        rows += [("cell", a, c.label, k, number(v)) for k, v in values.items()]
    for c in stats.cells:
        for f in c.top_failures:
            rows += [("failure", a, c.label, f.example, number(f.count)),
                     ("failure_share", a, c.label, f.example, number(f.share))]
        if c.other_failures:
            rows += [("failure_others", a, c.label, "messages", number(len(c.other_failures))),
                     ("failure_others", a, c.label, "submissions", number(sum(f.count for f in c.other_failures)))]
    rows += [("flagged", a, "", h.student, "; ".join(h.flags)) for h in stats.flagged]
    rows += [("problem", a, "", h.student, h.outcome.reason) for h in stats.problems]
    rows += [row for h in stats.late for row in (("late_seconds", a, "", h.student, number(h.seconds_late)),
                                                 ("late_penalty", a, "", h.student, number(h.penalty)))]
    rows += [("note", a, "", student, note) for student, note in stats.notes]
    if times.n:
        rows += [("timing", a, "", k, number(v)) for k, v in
                 {"n": times.n, "median": times.median, "max": times.high, "total": times.total}.items()]
        rows += [("timing_histogram", a, "", b.label, number(b.count)) for b in stats.time_histogram]
        rows += [("slowest", a, "", h.student, number(h.outcome.seconds)) for h in stats.slowest]
    return rows


# -- the term page and table -------------------------------------------------------------------------------------
def _term_row(a: AssignmentStats) -> list:
    t = a.totals
    return [a.name, len(a.handins), len(a.missing), t.mean, t.median, t.std, t.low, t.q1, t.q3, t.high, a.max_score,
            len(a.flagged), len(a.pending)]


TERM_KEYS = ["submitted", "not_submitted", "mean", "median", "std", "min", "q1", "q3", "max", "max_score", "flagged",
             "to_grade_by_hand"]


def render_term(term: TermStats) -> str:
    """The term's page: one self-contained HTML document."""
    s = term.summary
    body = [
        "<h1>Term report</h1>",
        f"<p class='muted'>{len(term.assignments)} assignment(s), {len(term.roster)} students on the roster.</p>",
        "<h2>Assignments</h2>",
        "<p class='muted'>Statistics over the submissions of each assignment (non-submitters excluded); "
        "std is the population standard deviation; q1 and q3 are the quartiles.</p>",
        _table(["assignment", "submitted", "not submitted", "mean", "median", "std", "min", "q1", "q3", "max",
                "max score", "flagged", "to grade by hand"], [_term_row(a) for a in term.assignments]),
    ]
    if any(a.handins and a.max_score > 0 for a in term.assignments):
        body.append(_image(_boxes(term.assignments), "box plot of the scores per assignment"))
        body.append("<p class='muted'>Boxes: quartiles and median; whiskers: lowest and highest score; "
                    "diamond: mean.</p>")
    body += [
        "<h2>Term totals</h2>",
        f"<p class='muted'>Each student's sum of assignment scores (0 for an assignment not handed in), over the "
        f"whole roster of {len(term.roster)}.</p>",
        _facts([("students", s.n), ("mean", s.mean), ("median", s.median), ("std", s.std), ("lowest", s.low),
                ("highest", s.high), ("max possible", term.max_score)]),
        _image(_bars(term.histogram, "term total", "students"), "histogram of the term totals"),
        _bin_table(term.histogram, "term total", "students"), BINS_NOTE,
    ]
    return _page("Term report", body)


def term_rows(term: TermStats) -> list[tuple[str, str, str, str, str]]:
    """The numbers of the term page as (section, assignment, cell, key, value) rows."""
    rows = [("assignment", row[0], "", k, number(v)) for row in map(_term_row, term.assignments)
            for k, v in zip(TERM_KEYS, row[1:])]
    s = term.summary
    totals = {"roster": s.n, "mean": s.mean, "median": s.median, "std": s.std, "min": s.low, "max": s.high,
              "max_score": term.max_score}
    rows += [("summary", "", "", k, number(v)) for k, v in totals.items()]
    rows += [("histogram", "", "", b.label, number(b.count)) for b in term.histogram]
    return rows


# -- writing ----------------------------------------------------------------------------------------------------
def _write(out: Path, name: str, page: str, rows: list[tuple]) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.html").write_text(page, encoding="utf-8")
    with open(out / f"{name}.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_HEADER)
        writer.writerows(rows)
    return [out / f"{name}.html", out / f"{name}.csv"]


def report(course: Course | Path, assignments: list[str] | None = None, db_url: str | None = None,
           out: Path | None = None, log=print) -> list[Path]:
    """Write the page and CSV of each assignment (default: every assignment in the gradebook) and of the term
    into ``out`` (default ``root/reports``); return the files written. ``course``: a ``Course`` or its root;
    ``db_url`` replaces its gradebook."""
    course = Course.of(course, db_url)
    root, db_url = course.root, course.db_url
    if db_url.startswith("sqlite:///") and not Path(db_url[len("sqlite:///"):]).is_file():
        raise FileNotFoundError(f"no gradebook at {db_url[len('sqlite:///'):]}: grade the submissions first")
    out = Path(out) if out else root / "reports"
    stats = [collect(root, db_url, name, course.excluded_students) for name in reported(course, assignments)]
    export.log_excluded(course, log)
    written = []
    for a in stats:
        written += _write(out, a.name, render_assignment(a), assignment_rows(a))
        log(f"{a.name}: {len(a.handins)} of {len(a.roster)} submitted, {len(a.flagged)} flagged, "
            f"{len(a.pending)} to grade by hand -> {out / a.name}.html")
    term = term_stats(stats)
    written += _write(out, "term", render_term(term), term_rows(term))
    log(f"term: {len(stats)} assignment(s) -> {out / 'term.html'}")
    return written
