"""``python -m autograder feedback``: one HTML page per student and notebook that says why each test failed and
never shows a hidden test.

Plain nbgrader's feedback is the autograded notebook as HTML, so a failing hidden test shows its source and its
traceback (upstream issues #917 and #1363). Here nbgrader's own ``generate_feedback`` runs with one more
preprocessor, ``HideHiddenTests``, after ``GetGrades`` (``nbgrader_config.py`` sets it, so the formgrader's
feedback button uses it too):

- a test cell keeps its visible lines; its outputs become the message its check raised, the frames of the
  student's own cells, and the visible check that failed if it was one (never a hidden line);
- every other output loses any line holding a hidden-test line (the student's code runs in the kernel that runs
  the tests, so it could print them); a flagged submission's outputs are left out altogether;
- a table at the top gives every graded cell, its score and what went wrong; the teacher's comments and the
  written answers are shown by nbgrader's template.

The page is in the language of the graded notebook (``metadata.course.language``: a French submission gets a
French page, ``page_language``): ``HideHiddenTests`` writes every text of it inside ``i18n.speaking`` of that
language, its own and the template's (``page_words``, passed to the template in ``resources["autograder"]``: the
exporter as configured has no Jinja i18n extension, and its texts must reach Babel's extraction as ``_()`` calls).

``generate`` then reads every page written and deletes (and reports) any that still holds a hidden-test line.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.converters import GenerateFeedback
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import GetGrades, NbGraderPreprocessor

from . import cells, coursedir, gradebook, i18n, nbgrader_cli, outcome, templates, translate
from .coursedir import Course, refuse_unknown
from .i18n import _, ngettext

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
FRAME = re.compile(r"^\s*(?:Cell In\s*\[(\d+)\], line (\d+)|Input In \[(\d+)\].*?line:? (\d+))")
# nbgrader's comment on an answer cell left as released (its SaveAutoGrades): said in the page's language.
NO_RESPONSE = "No response."
# The English of the notice, which the tests look for; the student reads it in their language (``_removed``).
REMOVED = "[a line of a hidden test was removed]"
MESSAGE_LINES = 12                     # lines of a failure message shown at most
TEXT_KINDS = ("text/", "application/json")
PREPROCESSORS = [GetGrades, "autograder.feedback.HideHiddenTests", CSSHTMLHeaderPreprocessor]
WIDGET_VIEW, WIDGET_STATE = "application/vnd.jupyter.widget-view+json", "application/vnd.jupyter.widget-state+json"


def configure(config) -> None:
    """Make nbgrader's feedback converter use this module's preprocessors and template (nbgrader's own, told
    which written answers are still to grade, its maths as MathML: templates/autograder_feedback)."""
    config.GenerateFeedback.preprocessors = PREPROCESSORS
    # Scoped to the feedback converter's exporter: the formgrader's own HTMLExporter keeps its "formgrade" page.
    config.GenerateFeedback.HTMLExporter.template_name = templates.FEEDBACK
    config.GenerateFeedback.HTMLExporter.template_file = templates.FEEDBACK_FILE
    config.GenerateFeedback.HTMLExporter.extra_template_basedirs = templates.dirs()
    config.GenerateFeedback.HTMLExporter.filters = templates.FEEDBACK_FILTERS     # maths as MathML (maths.py)


def page_language(nb) -> str:
    """The language of ``nb``'s page: the graded notebook's ``metadata.course.language``, English when absent."""
    return i18n.notebook_language(nb) or "en"


def page_words() -> dict[str, str]:
    """The texts of the page's template (templates/autograder_feedback/page.html.j2) in the current language: each
    ``{field}`` is filled by the template, ``{name}`` with the cell's ``<code>`` name."""
    return {
        "score": _("Score: {score} / {points}"),
        "top": _("(Top)"),
        "answer": _("Student's answer"),
        "task": _("Student's task"),
        "grade_cell": _("Grade cell: {name}"),
        "heading": _("{notebook} (Score: {score} / {max_score})"),
        "heading_waiting": _("{notebook} (Score: {score} / {max_score}; {waiting})"),
        "test_cell": _("Test cell {name}"),
        "coding": _("Coding free-response {name}"),
        "written": _("Written response {name}"),
        "task_cell": _("Task {name}"),
        "comment": _("Comment"),
        "late": _("Late submission penalty (Score: -{penalty})"),
        "comments": _("Comments:"),
    }


def page_text(resources) -> dict[str, str]:
    """The template's filter ``page_text``: the texts ``HideHiddenTests`` put in ``resources`` in the page's
    language; English for a page made without it."""
    text = (resources.get("autograder") or {}).get("text")
    if text is None:
        with i18n.speaking("en"):
            text = page_words()
    return text


def _float(value) -> float:
    """``value | float`` of Jinja: 0.0 for what is no number."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _score_text(value, digits: int | None = 2) -> str:
    """``value`` as the template prints a score: ``"%g" | format(value | float | round(2))``."""
    number = _float(value)
    return "%g" % (number if digits is None else round(number, digits))


def _plural(points: float) -> int:
    """The count ``ngettext`` chooses a form of "point" by: 1 only for exactly 1 point (English: "1.5 points")."""
    return int(points) if float(points).is_integer() else (0 if points < 1 else 2)


def _waiting_label(points: float) -> str:
    """What a cell the teacher has still to grade says where its score would be."""
    return ngettext("not graded yet, {points} point", "not graded yet, {points} points", _plural(points)).format(
        points=_score_text(points, None))


def _waiting_text(info: dict, waiting: int, points: float) -> str:
    """The heading's "2 written answers (3 points) not graded yet: 4 / 6 of what is graded"."""
    answers = ngettext("{count} written answer", "{count} written answers", waiting).format(count=waiting)
    worth = ngettext("{points} point", "{points} points", _plural(points)).format(points=_score_text(points, None))
    return _("{answers} ({points}) not graded yet: {score} / {graded} of what is graded").format(
        answers=answers, points=worth, score=_score_text(info.get("score")),
        graded=_score_text(_float(info.get("max_score")) - points, None))


def _removed() -> str:
    """``REMOVED`` in the page's language."""
    return _("[a line of a hidden test was removed]")


def plain(text: str) -> str:
    return ANSI.sub("", text)


def redact(text: str, hidden: set[str]) -> str:
    """``text`` with every line that holds a hidden-test line replaced by a notice."""
    if not hidden:
        return text
    removed = _removed()
    return "\n".join(removed if any(h in plain(line) for h in hidden) else line for line in text.split("\n"))


def _result(config, resources) -> outcome.Outcome | None:
    """The grader's record of this notebook's submission (None when graded by plain nbgrader)."""
    info = resources.get("nbgrader", {})
    directory = CourseDirectory(config=config)
    return outcome.load(directory.format_path(directory.autograded_directory, info.get("student", ""),
                                              info.get("assignment", "")))


def secrets(nb, released=None, graded=None) -> dict[str, str]:
    """The hidden-test lines of ``nb`` (a source or an autograded notebook) that no feedback page may show,
    each with where it stands: not those the released notebook ``released`` shows too, nor those that stand in
    the student's own cells of ``graded`` (default ``nb``: an autograded notebook holds them): a solution that
    writes the same line as a test is the student's."""
    own = graded if graded is not None else nb
    public = cells.source_lines(released, lambda c: True) if released is not None else []
    return cells.hidden_test_lines(nb, public + cells.source_lines(own, cells.is_students))


def _released(config, resources, nb=None):
    """The released notebook of this page's notebook, in the edition of ``nb`` (None when the course has no
    release of it)."""
    info = resources.get("nbgrader", {})
    directory = CourseDirectory(config=config)
    name = translate.edition_file(info.get("notebook", ""), translate.notebook_language(nb))
    return _read(Path(directory.format_path(directory.release_directory, ".", info.get("assignment", ""))) / name)


def edition_secrets(root: Path, assignment: str, source, graded) -> dict[str, str]:
    """``secrets`` of the page of ``graded``: the hidden lines of the source, and when ``graded`` is of another
    edition, those of the source in that language too (a French page shows hidden tests translated)."""
    course_release = Path(root) / "release" / assignment
    name = Path(coursedir.source_notebook(root, assignment)).stem
    where = secrets(source, _read(course_release / f"{name}.ipynb"), graded)
    language = translate.notebook_language(graded)
    if language != translate.ENGLISH:
        edition = translate.translate_notebook(source, translate.catalogue(root, assignment, language))
        where.update(secrets(edition, _read(course_release / translate.edition_file(name, language)), graded))
    return where


class HideHiddenTests(NbGraderPreprocessor):
    """Feedback without hidden tests: see the module's docstring. Runs after nbgrader's ``GetGrades``."""

    def preprocess(self, nb, resources):
        language = page_language(nb)
        with i18n.speaking(language):     # every text of the page, the template's too (page_words)
            nb, resources = self._preprocess(nb, resources)
            resources["autograder"]["language"] = language
            resources["autograder"]["text"] = page_words()
        return nb, resources

    def _preprocess(self, nb, resources):
        result = _result(self.config, resources)
        hidden = set(secrets(nb, _released(self.config, resources, nb)))
        by_count = {c.execution_count: c for c in nb.cells if c.cell_type == "code" and c.get("execution_count")}
        mine = [n for n in (result.notebooks if result else []) if n.name == resources["nbgrader"]["notebook"]]
        messages = {k: v for n in mine for k, v in n.messages.items()}
        messages.update({k: _("no answer") for n in mine for k in n.unanswered})
        flags = result.flags if result else []
        withheld = bool(flags)
        ungraded = _waiting_for_teacher(resources["nbgrader"])
        widget_state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
        rows = []
        for cell in nb.cells:
            if cells.meta(cell).get("comment") == NO_RESPONSE:
                cell.metadata.nbgrader["comment"] = _("No response.")
            if cells.is_graded(cell) and cells.grade_id(cell) in ungraded:
                cell.metadata.setdefault("autograder", {}).update(
                    waiting=True, label=_waiting_label(_float(cells.meta(cell).get("points"))))
            if cells.is_autograded_test(cell):
                failure = _failure(cell, by_count, hidden)
                cell.outputs = [failure] if failure else []
                cell.source = _visible_source(cell)
                if failure and cells.grade_id(cell) not in messages:
                    messages[cells.grade_id(cell)] = plain(failure.traceback[-1]).split("\n")[0]
            elif cell.cell_type == "code":
                outputs = [] if withheld else [_widget_picture(o, widget_state) for o in cell.outputs]
                cell.outputs = [o for o in (_redacted(o, hidden) for o in outputs) if o]
            if cells.is_graded(cell):
                waiting = cells.grade_id(cell) in ungraded
                rows.append(_row(cell, redact(messages.get(cells.grade_id(cell), ""), hidden), waiting))
        nb.cells.insert(_after_banner(nb), _summary(rows, resources, flags))
        nb.metadata.pop("widgets", None)       # every widget is now its picture: nothing left to render
        waiting = [r for r in rows if r["score"] is None]
        points = sum(r["points"] or 0 for r in waiting)
        resources["autograder"] = {"waiting": len(waiting), "waiting_points": points,
                                   "waiting_text": _waiting_text(resources.get("nbgrader", {}), len(waiting), points)
                                   if waiting else ""}
        return nb, resources


def _widget_picture(output, state: dict):
    """A widget's output as what the student saw last: the pictures (PNG) and messages (HTML) of the widget and
    of the widgets inside it, taken from the widget state nbclient saved. Outputs of other kinds pass through."""
    view = output.get("data", {}).get(WIDGET_VIEW) if output.get("output_type") in ("display_data",
                                                                                       "execute_result") else None
    if not view:
        return output
    pngs, texts, seen = [], [], set()

    def walk(model_id: str) -> None:
        model = state.get(model_id)
        if model is None or model_id in seen:
            return
        seen.add(model_id)
        values = model.get("state", {})
        if model.get("model_name") == "ImageModel":
            pngs.extend(b["data"] for b in model.get("buffers", []) if b.get("path") == ["value"]
                        and values.get("format", "png") == "png")
        elif model.get("model_name") == "HTMLModel" and values.get("value"):
            texts.append(values["value"])
        for child in values.get("children", []):
            if isinstance(child, str) and child.startswith("IPY_MODEL_"):
                walk(child[len("IPY_MODEL_"):])

    walk(view.get("model_id", ""))
    if not pngs and not texts:
        return nbformat.v4.new_output("display_data", data={"text/plain": _("[a widget: nothing to show]")})
    body = "".join(f'<img src="data:image/png;base64,{data}" style="max-width:100%"/>' for data in pngs)
    body += "".join(f"<div>{text}</div>" for text in texts)
    return nbformat.v4.new_output("display_data", data={"text/html": f'<div class="widget-picture">{body}</div>'})


def _visible_source(cell) -> str:
    """The test cell as the release shows it: without its hidden block."""
    secret = {n for n, _ in cells.secret_lines(cell, cells.HIDDEN_TESTS)}
    lines = cell.source.split("\n")
    kept = [line for n, line in enumerate(lines, start=1)
            if n not in secret and not any(marker in line for marker in cells.HIDDEN)]
    return "\n".join(kept).strip() or _("# every check of this test is hidden")


def _failure(cell, by_count: dict, hidden: set[str]):
    """The one error output a test cell shows: its message, the student's own frames, where the test failed."""
    error = next((o for o in cell.get("outputs", []) if o.output_type == "error"), None)
    if error is None:
        return None
    lines = redact(error.evalue, hidden).split("\n")
    evalue = "\n".join(lines[:MESSAGE_LINES] + (["..."] if len(lines) > MESSAGE_LINES else []))
    trace = []
    for entry in error.get("traceback", [])[:-1]:
        text = plain(entry)
        match = FRAME.match(text)
        if "Traceback (most recent call last)" in text or set(text.strip()) == {"-"}:
            trace.append(entry)
        elif match:
            owner = by_count.get(int(match[1] or match[3]))
            if owner is cell:
                where = _where(cell, int(match[2] or match[4]))
                if where not in trace:          # a chained error passes through the same line twice
                    trace.append(where)
            elif owner is not None and not cells.meta(owner).get("locked"):
                trace.append(redact(entry, hidden))
    return nbformat.v4.new_output("error", ename=error.ename, evalue=evalue,
                                  traceback=[*trace, f"{error.ename}: {evalue}" if evalue else error.ename])


def _where(cell, line: int) -> str:
    """Which line of the test cell failed, if the student may see it (a visible check), else that it was hidden."""
    hidden_numbers = {n for n, _ in cells.secret_lines(cell, cells.HIDDEN_TESTS)}
    lines = cell.source.split("\n")
    if 0 < line <= len(lines) and line not in hidden_numbers and lines[line - 1].strip():
        return _("This visible check of the test cell failed:\n    {check}").format(check=lines[line - 1].strip())
    return _("A hidden check of the test cell failed (its code is not shown); its message:")


def _redacted(output, hidden: set[str]):
    """An output of a student's cell without hidden-test lines; scripts are dropped."""
    if output.output_type == "stream":
        output.text = redact(output.text, hidden)
    elif output.output_type == "error":
        output.evalue = redact(output.evalue, hidden)
        output.traceback = [redact(t, hidden) for t in output.traceback]
    elif "data" in output:
        output.data = {kind: (redact(v, hidden) if isinstance(v, str) and kind.startswith(TEXT_KINDS) else v)
                       for kind, v in output.data.items() if "javascript" not in kind}
        if not output.data:
            return None
    return output


def _waiting_for_teacher(info: dict) -> set[str]:
    """Grade ids of the cells the teacher has still to grade by hand."""
    with gradebook.connect(info["db_url"]) as gb:
        notebook = gb.find_submission_notebook(info["notebook"], info["assignment"], info["student"])
        return {g.name for g in notebook.grades if g.needs_manual_grade and g.manual_score is None}


def _row(cell, message: str, waiting: bool) -> dict:
    meta = cells.meta(cell)
    kind = (_("test") if cells.is_autograded_test(cell) else
            _("written answer") if cell.cell_type == "markdown" else _("answer graded by hand"))
    score = None if waiting else meta.get("score")
    return {"id": meta.get("grade_id"), "kind": kind, "score": score, "points": meta.get("points"),
            "message": summary_line(message),
            "by_hand": not cells.is_autograded_test(cell)}


SUMMARY_CHARS = 400      # of a failure message, in the table on top (the whole message is under its cell)


def summary_line(message: str) -> str:
    """A failure message on one line for the table: its lines joined (a message is often wrapped), cut at a word
    when long, never in the middle of one."""
    text = " ".join(part.strip() for part in message.strip().split("\n") if part.strip())
    if len(text) <= SUMMARY_CHARS:
        return text
    return _("{start} … (the whole message is under the cell)").format(start=text[:SUMMARY_CHARS].rsplit(" ", 1)[0])


def _number(value) -> str:
    return "–" if value is None else f"{float(value):g}"


def _summary(rows: list[dict], resources, flags: list[str]):
    info = resources.get("nbgrader", {})
    body = []
    for row in rows:
        if row["score"] is None:
            status, what = "…", _("not graded yet: your teacher grades it by hand")
        elif row["points"] and float(row["score"]) >= float(row["points"]):
            status, what = "✓", ""
        else:
            status, what = "✗", row["message"] or (_("graded by hand") if row["by_hand"] else "")
        body.append(f"<tr><td>{status}</td><td><a href=\"#{html.escape(row['id'] or '')}\"><code>"
                    f"{html.escape(row['id'] or '')}</code></a> ({html.escape(row['kind'])})</td>"
                    f"<td>{_number(row['score'])} / {_number(row['points'])}</td><td>{html.escape(what)}</td></tr>")
    score = _("Score: {score} / {points}").format(score=_number(info.get("score")),
                                                  points=_number(info.get("max_score")))
    late = (" " + _("(late penalty −{penalty})").format(penalty=_number(info["late_penalty"]))
            if info.get("late_penalty") else "")
    total = f"<p><b>{score}</b>{late}</p>"
    # TRANSLATORS: the list of what was found follows, in English (the teacher's words).
    note = ("<p>" + _("The outputs of your cells are not shown here: your notebook was flagged for your teacher, "
                      "who will look at it. What was found:") + "</p><ul>"
            + "".join(f"<li>{html.escape(flag)}</li>" for flag in flags) + "</ul>" if flags else "")
    head = "".join(f"<th>{name}</th>" for name in ("", _("graded cell"), _("points"), _("what went wrong")))
    source = (f"<div class=\"autograder-summary\">{total}<table class=\"table table-condensed\"><thead><tr>{head}"
              "</tr></thead><tbody>" + "".join(body) + "</tbody></table>" + note
              + "<p>" + _("A failing test shows the message its check raised; the hidden checks' code is not shown.")
              + "</p></div>")
    cell = nbformat.v4.new_markdown_cell(source)
    cell.metadata["autograder"] = "summary"
    return cell


def _after_banner(nb) -> int:
    """Where the summary goes: after the grader's reason banner, if there is one."""
    return 1 if nb.cells and "autograder" in nb.cells[0].get("metadata", {}) else 0


# -- the command ------------------------------------------------------------------------------------------------
@dataclass
class Report:
    written: list[Path] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)     # "path: the hidden line it held"
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refused and not self.errors


def html_text(page: str) -> str:
    """The text a reader of ``page`` sees (tags out, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def leaked_lines(page: str, hidden) -> list[str]:
    text = html_text(page)
    return sorted(h for h in hidden if h in text)


def _refusal(page: Path, root: Path, assignment: str, student: str, leaked: list[str], where: dict) -> str:
    first = leaked[0]
    more = f" (and {len(leaked) - 1} more hidden line(s))" if len(leaked) > 1 else ""
    return (f"{page.relative_to(root)}: it shows `{first}`{more}, a line that stands only in the hidden tests "
            f"of source/{assignment}/ ({where.get(first, 'a hidden block')}), not in the release nor in the "
            f"student's own cells. The page was deleted and nothing was sent. If that line is no secret, move it "
            f"out of the hidden block (or into a visible line) and run `python -m autograder release "
            f"{assignment}`; otherwise open autograded/{student}/{assignment}/ to see which output printed it. "
            f"Then run `python -m autograder feedback {assignment} --student {student}` again.")


def generate(course: Course | Path, assignments: list[str] | None = None, students: list[str] | None = None,
             db_url: str | None = None, log=print) -> Report:
    """nbgrader's generate_feedback with ``HideHiddenTests`` for every autograded submission of ``assignments``
    (default: all) and ``students`` (default: all); then every page written is checked for hidden lines.
    ``course``: a ``Course`` or its root; ``db_url`` replaces its gradebook."""
    course = Course.of(course, db_url)
    root = course.root
    with gradebook.connect(course.db_url) as gb:     # puts alembic on PATH; fails early on a bad URL
        known = {s.id for s in gb.students} | {p.name for p in course.autograded.glob("*") if p.is_dir()}
    report = Report()
    course.check_assignments(assignments)
    refuse_unknown("student", students, sorted(known), "the gradebook")
    excluded = sorted(set(students or ()) & course.excluded_students)
    if excluded:   # nbgrader's generate_feedback writes nothing for them: say why
        report.errors.append(f"no feedback for {', '.join(excluded)}: excluded by "
                             "c.CourseDirectory.student_id_exclude")
    names = assignments or [a for a in course.assignments if any(course.autograded.glob(f"*/{a}"))]
    for assignment in names:
        if not students and not any(course.autograded.glob(f"*/{assignment}")):
            report.errors.append(f"{assignment}: nothing graded yet (run `python -m autograder grade {assignment}`)")
            continue
        source = nbformat.read(course.source_notebook(assignment), as_version=4)
        for student in students or sorted({p.parent.name for p in course.autograded.glob(f"*/{assignment}")}):
            if not (course.autograded / student / assignment).is_dir():
                report.errors.append(f"{student}/{assignment}: not graded yet (run `python -m autograder grade`)")
                continue
            try:
                _call_nbgrader(course, assignment, student)
            except Exception as error:
                report.errors.append(f"{student}/{assignment}: {str(error).strip().splitlines()[-1][:300]}")
                continue
            for page in sorted((course.feedback / student / assignment).glob("*.html")):
                graded = _read(course.autograded / student / assignment / f"{page.stem}.ipynb")
                where = edition_secrets(course.root, assignment, source,
                                        graded if graded is not None else nbformat.v4.new_notebook())
                leaked = leaked_lines(page.read_text(encoding="utf-8"), where)
                if leaked:
                    page.unlink()
                    report.refused.append(_refusal(page, root, assignment, student, leaked, where))
                else:
                    report.written.append(page)
    for page in report.written:
        log(f"feedback: {page.relative_to(root)}")
    for refused in report.refused:
        log(f"REFUSED (deleted) {refused}")
    if report.refused:
        log(f"{len(report.refused)} page(s) refused: no feedback was written for them (see above what to do).")
    for error in report.errors:
        log(f"no feedback for {error}")
    return report


def _read(path: Path):
    """The notebook at ``path``, or None when it is missing or unreadable."""
    try:
        return nbformat.read(path, as_version=4)
    except (OSError, ValueError):
        return None


def _call_nbgrader(course: Course, assignment: str, student: str) -> None:
    config = course.nbgrader_config()
    configure(config)
    config.CourseDirectory.ignore = sorted({*course.directory.ignore, outcome.RESULT_FILE})
    directory = CourseDirectory(config=config)
    directory.assignment_id, directory.student_id = assignment, student
    converter = GenerateFeedback(coursedir=directory, config=config)
    converter.force = True
    converter.start()


def release(course: Course, pages: list[Path], log=print) -> None:
    """Put the feedback ``pages`` in nbgrader's exchange, where their students fetch them (``nbgrader
    fetch_feedback``). Only submissions that came through the exchange can go back that way (nbgrader matches
    them by their timestamp); the others are listed, to be sent some other way."""
    folders = sorted({page.parent for page in pages})
    for folder in folders:
        student, assignment = folder.parent.name, folder.name
        if (folder / "timestamp.txt").is_file():
            nbgrader_cli.call(["release_feedback", assignment, f"--student={student}"], course.root)
            log(f"released to the exchange: feedback of {student} for {assignment}")
        else:
            log(f"not released to the exchange (not submitted through it): {folder.relative_to(course.root)}/ "
                "-- send it with your LMS")
