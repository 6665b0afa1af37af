"""``python -m autograder similarity``: which submissions of an assignment look alike, for the teacher to look at.

For each assignment, every student's answer cells (nbgrader ``solution: true`` cells, matched by grade_id in
``submitted/<student>/<assignment>/``) are read without the starter code (the lines the release cell already
held), fingerprinted (``fingerprints``: tokens with names and literals normalised, written answers on words,
winnowed k-gram hashes) and compared cell by cell with every other student's. The reference solution (source/) is
compared with nobody.

What counts: a passage two students share in the same cell, at least ``k`` tokens long, found in at most ``common``
submissions. A passage more students share (by default more than 10 % of the submissions, and more than 3) is what
any correct answer holds: it is shown on the page, in grey, and not counted; so are the answers that are
declarations (a drawn graph's nodes and sizes, ``DECLARED_SHARE``), which every correct answer shares. A pair's
score is the share of the two students' own tokens (over every answer cell of the assignment) that lie in counted
shared passages: a one-line cell weighs as the one line it is; and the share is of at least twice the median size of
a submission, so that two nearly blank submissions sharing their few lines do not score high. Pairs are ranked by
score; ``similarity_page`` draws them side by side.

The pairs are found through an index (fingerprint -> students), so only pairs that share something are looked at:
a class of 200 takes a few seconds (``tests/benchmarks/similarity_speed.py``).
"""
from __future__ import annotations

import difflib
import math
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import nbformat

from . import cells, submission, translate
from .coursedir import Course
from .fingerprints import Fingerprint, code_tokens, fingerprint

COMMON_SHARE, COMMON_AT_LEAST = 0.10, 3   # a passage found in more submissions than this is common
# A code answer whose reference solution is at least this share of string literals is a declaration (course.dataflow's
# graphs: what the student writes is in its strings, which fingerprints normalise away): any two correct ones look
# alike, so it is shown and never counted.
DECLARED_SHARE = 0.2
TOP = 25                                  # pairs shown on the page and the five best in the command's output
# Two submissions whose answer cells are all the same text (each line's trailing spaces aside) are identical when
# that text holds at least this many lines of the students' own (not starter code, not blank): byte-identical
# notebooks are the plainest copy, and they score 100 % even where every passage is common (a class that all
# handed in the same answers). Fewer lines, two honest students may have typed the same short answers.
IDENTICAL_LINES = 3


@dataclass(frozen=True)
class AnswerCell:
    """An answer cell of the assignment: its notebook, grade_id, kind and the starter code the release gives."""
    notebook: str
    grade_id: str
    prose: bool          # a written (markdown) answer
    starter: str
    label: str           # the grade_id, or notebook/grade_id when the assignment has several notebooks
    declared: bool = False   # its answer is a declaration (DECLARED_SHARE): shown, never counted


@dataclass
class Answer:
    """One student's answer in one cell: the cell's text as handed in, which lines are starter code, and the
    fingerprint of the rest."""
    text: str
    starter_lines: list[tuple[int, int]]      # character ranges of the lines the release already held
    fp: Fingerprint


@dataclass
class Pair:
    """Two students and the counted fingerprints they share, cell by cell (label -> hashes)."""
    a: str
    b: str
    shared: dict[str, set[int]] = field(default_factory=dict)
    covered_a: int = 0       # tokens of a's answers in counted shared passages
    covered_b: int = 0
    size_a: int = 0          # tokens of a's own answers (starter code left out)
    size_b: int = 0
    least: int = 0           # the score's least denominator: twice the median size of a submission
    identical: bool = False  # every answer cell the same, character for character (IDENTICAL_LINES of their own)

    @property
    def score(self) -> float:
        if self.identical:
            return 1.0
        total = max(self.size_a + self.size_b, self.least)
        return (self.covered_a + self.covered_b) / total if total else 0.0

    @property
    def share_a(self) -> float:
        return self.covered_a / self.size_a if self.size_a else 0.0

    @property
    def share_b(self) -> float:
        return self.covered_b / self.size_b if self.size_b else 0.0


@dataclass
class Comparison:
    """One assignment compared: its cells, every student's answers (student -> label -> Answer), the students
    left out and why, the ranked pairs that share a counted passage, the common limit, the common fingerprints of
    each cell (label -> hashes) and the time taken."""
    assignment: str
    cells: list[AnswerCell]
    answers: dict[str, dict[str, Answer]]
    left_out: dict[str, str]
    pairs: list[Pair]
    common: int
    common_prints: dict[str, set[int]]
    seconds: float = 0.0
    markers: dict[str, list[str]] = field(default_factory=dict)   # student -> cells holding a SOLUTION marker

    def common_shared(self, pair: Pair, label: str) -> set[int]:
        """The common fingerprints that both students of ``pair`` have in the cell (shown, not counted)."""
        a, b = self.answers[pair.a][label].fp.places, self.answers[pair.b][label].fp.places
        return self.common_prints.get(label, set()) & a.keys() & b.keys()

    @property
    def students(self) -> list[str]:
        return sorted(self.answers)

    @property
    def compared(self) -> int:
        """How many pairs of students were compared."""
        n = len(self.answers)
        return n * (n - 1) // 2


def answer_cells(course: Course, assignment: str) -> list[AnswerCell]:
    """The answer cells of the assignment, in notebook order, from its release notebooks."""
    # the English editions: a French one has the same answer cells (its students are read by submission.locate)
    notebooks = sorted(p for p in (course.release / assignment).glob("*.ipynb")
                       if translate.split_edition(p.stem)[1] == translate.ENGLISH)
    if not notebooks:
        raise FileNotFoundError(f"release/{assignment}/ has no notebook: run `python -m autograder release` first")
    found = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        references = _references(course.source / assignment / path.name)
        for cell in nb.cells:
            if cells.is_solution(cell) and cells.grade_id(cell):
                label = cells.grade_id(cell) if len(notebooks) == 1 else f"{path.stem}/{cells.grade_id(cell)}"
                prose = cell.cell_type == "markdown"
                found.append(AnswerCell(path.stem, cells.grade_id(cell), prose, cell.source, label,
                                        not prose and _declaration(references.get(cells.grade_id(cell), ""))))
    return found


def _references(source: Path) -> dict[str, str]:
    """grade_id -> the reference answer of the source notebook (empty without one)."""
    if not source.is_file():
        return {}
    return {cells.grade_id(c): c.source for c in nbformat.read(source, as_version=4).cells
            if cells.is_solution(c) and cells.grade_id(c)}


def _declaration(reference: str) -> bool:
    tokens, _ = code_tokens(reference)
    return bool(tokens) and tokens.count("S") >= DECLARED_SHARE * len(tokens)


def starter_lines(text: str, starter: str) -> list[tuple[int, int]]:
    """Character ranges of the lines of ``text`` that match a line of ``starter`` (the release cell), in order
    (difflib's longest matching blocks, lines compared without their indentation), blank lines included."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    mine = [line.strip() for line in lines]
    theirs = [line.strip() for line in starter.splitlines()]
    kept = {i for block in difflib.SequenceMatcher(None, mine, theirs, autojunk=False).get_matching_blocks()
            for i in range(block.a, block.a + block.size)}
    kept |= {i for i, line in enumerate(mine) if not line}
    return [(starts[i], starts[i + 1]) for i in sorted(kept)]


def read_answer(text: str, cell: AnswerCell) -> Answer:
    ranges = starter_lines(text, cell.starter)
    starts = {offset for start, end in ranges for offset in range(start, end)}
    return Answer(text, ranges, fingerprint(text, cell.prose, skipped=starts.__contains__))


def _source(nb, grade_id: str) -> str:
    """The text of the student's cell with that grade_id (the first one), '' when the student deleted it."""
    return next((c.source for c in nb.cells if cells.grade_id(c) == grade_id), "")


def read_answers(course: Course, assignment: str, answer_cells_: list[AnswerCell]
                 ) -> tuple[dict[str, dict[str, Answer]], dict[str, str]]:
    """Every student's answers (student -> label -> Answer), but of the excluded students
    (c.CourseDirectory.student_id_exclude), and the students left out because a notebook cannot be read, with
    why. Raises ``ValueError`` for an assignment that is not one of source/ (did you mean ...)."""
    answers: dict[str, dict[str, Answer]] = {}
    left_out: dict[str, str] = {}
    notebooks = sorted({c.notebook for c in answer_cells_})
    for sub in submission.find(course, [assignment]):
        if sub.student in course.excluded_students:
            continue
        mine = {}
        try:
            for name in notebooks:
                path, _ = submission.locate(sub, name, notebooks)
                nb = submission.load(path)
                for cell in (c for c in answer_cells_ if c.notebook == name):
                    mine[cell.label] = read_answer(_source(nb, cell.grade_id), cell)
        except submission.Unreadable as problem:
            left_out[sub.student] = str(problem)
            continue
        answers[sub.student] = mine
    return answers, left_out


def _own_lines(answer: Answer) -> int:
    """The non-blank lines of the answer that are not starter code."""
    starter = {start for start, _ in answer.starter_lines}
    offset, count = 0, 0
    for line in answer.text.splitlines(keepends=True):
        if line.strip() and offset not in starter:
            count += 1
        offset += len(line)
    return count


def _identical_groups(answers: dict[str, dict[str, Answer]]) -> list[list[str]]:
    """The groups of two or more students whose answer cells are all the same text, with IDENTICAL_LINES of their
    own at least."""
    groups: dict[tuple, list[str]] = defaultdict(list)
    for student in sorted(answers):
        mine = answers[student]
        if sum(_own_lines(a) for a in mine.values()) < IDENTICAL_LINES:
            continue
        key = tuple((label, "\n".join(line.rstrip() for line in a.text.strip().splitlines()))
                    for label, a in sorted(mine.items()))
        groups[key].append(student)
    return [g for g in groups.values() if len(g) > 1]


def _with_markers(answers: dict[str, dict[str, Answer]]) -> dict[str, list[str]]:
    """student -> the answer cells that hold an nbgrader SOLUTION marker: a student never types one, the source
    notebook (the teacher's, with the reference solution) holds them."""
    found = {student: [label for label, a in mine.items()
                       if any(marker in a.text for marker in cells.SOLUTION)]
             for student, mine in answers.items()}
    return {student: labels for student, labels in sorted(found.items()) if labels}


def common_limit(students: int, asked: int | None = None) -> int:
    """A passage found in more submissions than this is common: ``asked``, else 10 % of them and at least 3."""
    return asked if asked is not None else max(COMMON_AT_LEAST, math.ceil(COMMON_SHARE * students))


def compare(assignment: str, answer_cells_: list[AnswerCell], answers: dict[str, dict[str, Answer]],
            left_out: dict[str, str] | None = None, common: int | None = None) -> Comparison:
    """Every pair of students that shares a counted passage in some cell, the most alike first."""
    started = time.perf_counter()
    limit = common_limit(len(answers), common)
    pairs: dict[tuple[str, str], Pair] = {}
    common_prints: dict[str, set[int]] = {}
    for cell in answer_cells_:
        holders: dict[int, list[str]] = defaultdict(list)     # fingerprint -> the students whose answer has it
        for student in sorted(answers):
            for h in answers[student][cell.label].fp.places:
                holders[h].append(student)
        common_prints[cell.label] = {h for h, students in holders.items() if len(students) > limit or cell.declared}
        for h, students in holders.items():
            if cell.declared:
                continue
            if 2 <= len(students) <= limit:
                for a, b in combinations(students, 2):
                    pairs.setdefault((a, b), Pair(a, b)).shared.setdefault(cell.label, set()).add(h)
    sizes = {s: sum(a.fp.size for a in mine.values()) for s, mine in answers.items()}
    least = 2 * int(statistics.median(sizes.values())) if sizes else 0
    ranked = []
    for (a, b), pair in pairs.items():
        pair.size_a, pair.size_b, pair.least = sizes[a], sizes[b], least
        for label, shared in pair.shared.items():
            pair.covered_a += len(answers[a][label].fp.covered(shared))
            pair.covered_b += len(answers[b][label].fp.covered(shared))
    for group in _identical_groups(answers):
        for a, b in combinations(group, 2):
            pair = pairs.get((a, b))
            if pair is None:
                pair = pairs[(a, b)] = Pair(a, b, size_a=sizes[a], size_b=sizes[b], least=least)
            pair.identical = True
    for pair in pairs.values():
        if pair.covered_a or pair.covered_b or pair.identical:
            ranked.append(pair)
    ranked.sort(key=lambda p: (-p.score, -(p.covered_a + p.covered_b), p.a, p.b))
    return Comparison(assignment, answer_cells_, answers, dict(left_out or {}), ranked, limit, common_prints,
                      time.perf_counter() - started, _with_markers(answers))


def wanted(course: Course, asked: list[str] | None) -> list[str]:
    """The assignments to compare: ``asked`` (each one checked against source/), else every assignment of source/
    that someone handed in."""
    course.check_assignments(asked)
    if asked:
        return list(dict.fromkeys(asked))
    handed = {p.name for student in (course.submitted.iterdir() if course.submitted.is_dir() else ())
              if student.is_dir() and student.name not in course.excluded_students
              for p in student.iterdir() if p.is_dir()}
    found = [a for a in course.assignments if a in handed]
    if not found:
        raise FileNotFoundError(f"nothing handed in yet: {course.submitted} holds no assignment of source/; "
                                "collect the submissions first (`python -m autograder collect ASSIGNMENT`)")
    return found


def similarity(course: Course | Path, assignments: list[str] | None = None, out: Path | None = None,
               top: int = TOP, common: int | None = None, log=print) -> tuple[list[Path], list[str]]:
    """Write ``<out>/similarity-<assignment>.html`` (default ``out``: ``<course>/reports``) for each assignment of
    ``assignments`` (default: every one handed in); return the pages written and the assignments nobody handed
    in (no page for those)."""
    from . import similarity_page
    course = Course.of(course)
    out = Path(out) if out else course.root / "reports"
    written, nobody = [], []
    for name in wanted(course, assignments):
        started = time.perf_counter()
        found = answer_cells(course, name)
        answers, left_out = read_answers(course, name, found)
        for student, why in sorted(left_out.items()):
            log(f"{name}: left out {student}: {why}")
        if not answers:
            log(f"{name}: nobody handed it in{' readably' if left_out else ''} (submitted/*/{name}/): "
                "nothing to compare; collect the submissions first")
            nobody.append(name)
            continue
        result = compare(name, found, answers, left_out, common)
        out.mkdir(parents=True, exist_ok=True)
        page = out / f"similarity-{name}.html"
        page.write_text(similarity_page.render(result, top), encoding="utf-8")
        written.append(page)
        log(f"{name}: {len(answers)} submissions, {result.compared} pairs compared, {len(result.pairs)} share a "
            f"passage, in {time.perf_counter() - started:.1f} s -> {page}")
        if len(answers) < 2:
            log("  only one submission: nobody to compare it with")
        for rank, pair in enumerate(result.pairs[:5], start=1):
            log(f"  {rank}. {pair.a} and {pair.b}: " + (
                "identical (every answer cell the same, character for character)" if pair.identical else
                f"{pair.score:.0%} alike (in {', '.join(pair.shared)})"))
        for student, labels in result.markers.items():
            log(f"  {student}'s {', '.join(labels)} hold nbgrader's '### BEGIN SOLUTION' markers, which only the "
                "source notebook has: did the reference solution reach this student?")
        if result.pairs:
            log("  A place to look, not a verdict: read each pair side by side on the page before concluding "
                "anything.")
    return written, nobody
