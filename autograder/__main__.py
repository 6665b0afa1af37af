"""Command line: ``python -m autograder COMMAND``."""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from . import nbgrader_cli, release, settings
from .coursedir import Course
from .sandbox import REQUESTABLE


DB_HELP = ("gradebook URL, e.g. postgresql+psycopg2://USER:PASSWORD@HOST/DATABASE (default: the course's "
           "c.CourseDirectory.db_url, else sqlite:///<course>/gradebook.db)")


def cmd_translations(course: Course, args) -> int:
    """Update the packages' catalogues (and compile them) and report every untranslated unit of every catalogue."""
    from . import translate

    status = 0
    for language in translate.TRANSLATED:
        found = []
        for package in translate.PACKAGES:
            catalog = translate.update_package(course.root, package, language)
            found.append((translate.package_catalogue(course.root, package, language), catalog))
        for name in course.assignments:
            path = translate.catalogue_path(course.root, name, language)
            found.append((path, translate.read(path, language)))
        for path, catalog in found:
            if catalog is None:
                print(f"{path.relative_to(course.root)}: missing (`python -m autograder release` writes it)")
                status = 1
                continue
            todo = translate.untranslated(catalog)
            entries = sum(1 for m in catalog if m.id)
            print(f"{path.relative_to(course.root)}: {entries - len(todo)} of {entries} translated"
                  + (f", {sum(1 for m in todo if m.fuzzy)} to review (fuzzy)" if any(m.fuzzy for m in todo) else ""))
            for m in todo[:5]:
                first = (m.id if isinstance(m.id, str) else m.id[0]).splitlines()[0][:60]
                where = m.locations[0][0] if m.locations else ""
                print(f"    {'fuzzy' if m.fuzzy else 'missing'}: {first!r} ({where})")
            if len(todo) > 5:
                print(f"    and {len(todo) - 5} more")
            status = status or (1 if todo else 0)
    return status


def cmd_release(course: Course, args) -> int:
    status = release.release(course, args.assignments or None)
    if status == 0 and args.zip:
        for name in args.assignments or course.assignments:
            path = release.lms_zip(course.root, name)
            print(f"wrote {path.relative_to(course.root)}: release/{name}/ (both editions) for an LMS")
    if status == 0 and args.exchange:
        for name in args.assignments or course.assignments:
            nbgrader_cli.call(["release_assignment", name, "--force"], course.root)
            print(f"released {name} to the exchange: students fetch it with `nbgrader fetch_assignment {name}`")
    return status


def cmd_collect(course: Course, args) -> int:
    from . import collect
    if args.path:
        result = collect.from_lms(course, args.assignment, Path(args.path))
        return 0 if result.ok else 1   # a file left uncollected needs the teacher
    return 0 if collect.from_exchange(course, args.assignment) else 1


def cmd_feedback(course: Course, args) -> int:
    from . import feedback
    report = feedback.generate(course, args.assignments or None, args.student or None)
    if report.ok and args.exchange:
        feedback.release(course, report.written)
    return 0 if report.ok else 1


def cmd_export(course: Course, args) -> int:
    from . import export
    export.export(course, args.assignments or None, out=Path(args.out) if args.out else None, lms_format=args.format)
    return 0


def cmd_roster(course: Course, args) -> int:
    from . import export
    export.import_roster(course.db_url, Path(args.csv))
    return 0


def cmd_report(course: Course, args) -> int:
    from . import report
    report.report(course, args.assignments or None, out=Path(args.out) if args.out else None)
    return 0


def cmd_similarity(course: Course, args) -> int:
    from . import similarity
    written, nobody = similarity.similarity(course, args.assignments or None, out=Path(args.out) if args.out else None,
                                            top=args.top, common=args.common)
    return 1 if nobody else 0


def cmd_answers(course: Course, args) -> int:
    from . import answers
    written = answers.write(course, args.assignments or None, out=Path(args.out) if args.out else None)
    return 0 if written.ok else 1


def cmd_workcopy(course: Course, args) -> int:
    """Copy each released assignment, in the edition of ``--language``, into the student's folder, never touching a
    file already there (a student who changes language keeps their work beside the other edition)."""
    from . import translate

    dest = Path(args.dest)
    dest.mkdir(parents=True, exist_ok=True)
    language = translate.LANGUAGES[0] if args.language is None else args.language
    if args.lab_settings:
        _lab_settings(Path(args.lab_settings), language)
    for name in sorted(p.name for p in course.release.iterdir() if p.is_dir()):
        released, target = course.release / name, dest / name
        copied, kept = [], []
        for path in sorted(released.rglob("*")):
            if path.is_dir() or (path.suffix == ".ipynb" and translate.split_edition(path.stem)[1] != language):
                continue
            there = target / path.relative_to(released)
            if there.exists():
                kept.append(there)
                continue
            there.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, there)
            copied.append(there)
        if copied:
            print(f"copied release/{name} ({translate.LANGUAGE_NAMES[language]}) -> "
                  + ", ".join(str(p) for p in copied))
        if kept:
            print(f"kept your work in {target}: " + ", ".join(p.name for p in kept)
                  + " (delete a file to start it again from release/)")
    return 0


# JupyterLab's own language: its translation setting, in a settings folder of the edition's language (the
# language pack jupyterlab-language-pack-fr-FR is a dependency of the course).
LAB_LOCALES = {"en": "en", "fr": "fr_FR"}


def _lab_settings(folder: Path, language: str) -> None:
    """Write JupyterLab's user setting that shows its menus and dialogs in ``language``."""
    import json

    plugin = folder / "@jupyterlab" / "translation-extension" / "plugin.jupyterlab-settings"
    plugin.parent.mkdir(parents=True, exist_ok=True)
    settings_now = {}
    if plugin.is_file():
        try:
            settings_now = json.loads(plugin.read_text())
        except ValueError:
            settings_now = {}
    settings_now["locale"] = LAB_LOCALES[language]
    plugin.write_text(json.dumps(settings_now, indent=2) + "\n")


def cmd_grade(course: Course, args) -> int:
    from . import grade
    run = grade.grade(course, args.assignments or None, args.student or None, workers=args.workers,
                      sandbox_mode=args.sandbox_mode, force=args.force, scheduler=args.scheduler)
    return 0 if run.ok else 1


def cmd_bench(course: Course, args) -> int:
    from . import bench
    root = course.root
    # The course keeps its variants among its tests; the fixture course, at its top.
    variants = Path(args.variants) if args.variants else next(
        (p for p in (root / "tests" / "variants", root / "variants") if p.is_dir()), None)
    bench.bench(root, students=args.students, assignments=args.assignments or None, keep=args.keep,
                variants=variants)
    return 0


def _course(args) -> Course:
    """The course of this command, built once: ``--course`` (bench), else the one at or above the current
    folder, with the gradebook of ``--db`` when given."""
    if getattr(args, "course", None):
        return Course.at(args.course)
    return Course.find(db_url=getattr(args, "db", None))


def _from_gradebook(commands, name: str, handler, out_help: str, summary: str) -> None:
    """A command writing files from the gradebook (export, report): assignments, ``--db``, ``--out``."""
    p = commands.add_parser(name, help=summary)
    p.add_argument("assignments", nargs="*", help="assignment names (default: every one in the gradebook)")
    p.add_argument("--db", help=DB_HELP)
    p.add_argument("--out", help=out_help)
    p.set_defaults(handler=handler)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("roster", help="add the students of a CSV file (id,first_name,last_name,email) to the "
                                           "gradebook, so non-submitters appear in exports")
    p.add_argument("csv")
    p.add_argument("--db", help=DB_HELP)
    p.set_defaults(handler=cmd_roster)

    p = commands.add_parser("release", help="regenerate release/ from source/ and refuse any leaked secret line")
    p.add_argument("assignments", nargs="*", help="assignment names (default: all)")
    p.add_argument("--exchange", action="store_true",
                   help="then put it in nbgrader's exchange for students to fetch (only when nothing leaked)")
    p.add_argument("--zip", action="store_true",
                   help="then write lms/<assignment>.zip, both editions and the files beside them, to upload to an "
                        "LMS (only when nothing leaked)")
    p.set_defaults(handler=cmd_release)

    p = commands.add_parser("translations", help="update the gettext catalogues of course/ and autograder/, compile "
                                                 "them, and say what is left to translate in every catalogue")
    p.set_defaults(handler=cmd_translations)

    p = commands.add_parser("collect", help="submissions into submitted/: from nbgrader's exchange, or from a zip "
                                            "or folder downloaded from an LMS")
    p.add_argument("assignment")
    p.add_argument("path", nargs="?", help="the LMS download (zip or folder); without it, nbgrader's exchange")
    p.set_defaults(handler=cmd_collect)

    p = commands.add_parser("workcopy", help="copy release/ into a student's working folder, keeping their work")
    p.add_argument("dest", help="the student's folder (make lab uses ./work)")
    p.add_argument("--language", choices=("en", "fr"), help="the edition to copy: en (default) or fr")
    p.add_argument("--lab-settings", metavar="DIR", help="also write JupyterLab's language setting into this user "
                                                         "settings folder (make lab: build/jupyterlab-<language>)")
    p.set_defaults(handler=cmd_workcopy)

    p = commands.add_parser("grade", help="autograde submitted/ in parallel, each kernel sandboxed")
    p.add_argument("assignments", nargs="*", help="assignment names (default: every one with submissions)")
    p.add_argument("--student", action="append", help="grade only this student (repeatable)")
    p.add_argument("--workers", type=int, help="submissions graded at once (default: c.Grading.workers, "
                                                "else one per core)")
    p.add_argument("--sandbox", dest="sandbox_mode", choices=[m.value for m in REQUESTABLE],
                   help="auto (default): bubblewrap when it works, else rlimits only with a warning; "
                        "none: trusted runs only")
    p.add_argument("--force", action="store_true", help="regrade submissions already graded and unchanged")
    p.add_argument("--db", help=DB_HELP)
    p.add_argument("--scheduler", metavar="ADDRESS", help="run the notebooks on this Dask scheduler's workers "
                   "(tcp://HOST:8786) instead of this machine")
    p.set_defaults(handler=cmd_grade)

    p = commands.add_parser("feedback", help="per-student HTML feedback: scores, failure messages, the teacher's "
                                             "comments, never a hidden test")
    p.add_argument("assignments", nargs="*", help="assignment names (default: every graded one)")
    p.add_argument("--student", action="append", help="only this student (repeatable)")
    p.add_argument("--db", help=DB_HELP)
    p.add_argument("--exchange", action="store_true", help="then release it to nbgrader's exchange "
                                                           "(students run `nbgrader fetch_feedback`)")
    p.set_defaults(handler=cmd_feedback)

    export_parser = _from_gradebook(commands, "export", cmd_export,
                                    "folder for the CSV files (default: <course>/exports)",
                                    summary="grades as CSV for an LMS: one file per assignment and one for the term, "
                                            "or the file Moodle's or Canvas's grade import reads")
    export_parser.add_argument("--format", choices=["csv", "moodle", "canvas"], default="csv",
                               help="csv (default): exports/<assignment>.csv and term.csv; moodle: exports/moodle.csv "
                                    "for Import grades from CSV (user identifier: c.Export.moodle_identifier, grade "
                                    "item names: c.Export.moodle_items); canvas: exports/canvas.csv for the Gradebook "
                                    "import (assignment ids: c.Export.canvas_assignments; student ids from "
                                    "lms_roster.csv)")
    _from_gradebook(commands, "report", cmd_report, "folder for the reports (default: <course>/reports)",
                    summary="class report: one self-contained HTML file (with plots) and a CSV per assignment and for "
                         "the term")

    p = commands.add_parser("answers", help="the graders' answer key: answers/<assignment>.html, each written answer "
                                            "(by grade_id) with its question, model answer and rubric; never released")
    p.add_argument("assignments", nargs="*", help="assignment names (default: all)")
    p.add_argument("--out", help="folder for the pages (default: <course>/answers)")
    p.set_defaults(handler=cmd_answers)

    p = commands.add_parser("similarity", help="which submissions look alike: reports/similarity-<assignment>.html, "
                                               "the pairs side by side (a place to look, never a verdict)")
    p.add_argument("assignments", nargs="*", help="assignment names (default: every one handed in)")
    p.add_argument("--out", help="folder for the pages (default: <course>/reports)")
    p.add_argument("--top", type=int, default=25, help="pairs shown side by side (default: 25)")
    p.add_argument("--common", type=int, metavar="N", help="passages found in more than N submissions are what any "
                   "answer holds and are not counted (default: 10%% of the submissions, at least 3)")
    p.set_defaults(handler=cmd_similarity)

    p = commands.add_parser("bench", help="time grade against plain nbgrader autograde on generated submissions, "
                                          "and compare their scores")
    p.add_argument("--students", type=int, required=True, help="students, each handing in every assignment")
    p.add_argument("--assignments", nargs="+", help="assignment names (default: all)")
    p.add_argument("--keep", metavar="DIR", help="build the course copy in DIR (new or empty) and keep it")
    p.add_argument("--course", help="course root (default: the course at or above the current folder)")
    p.add_argument("--variants", metavar="DIR", help="the wrong variants handed in, DIR/<assignment>/<grade_id>/"
                                                     "wrong_*.py (default: <course>/tests/variants, else "
                                                     "<course>/variants)")
    p.set_defaults(handler=cmd_bench)

    args = parser.parse_args(argv)
    nbgrader_cli.put_interpreter_on_path()   # nbgrader starts `alembic` from PATH: no activated venv needed
    try:
        course = _course(args)
        for problem in settings.mistyped(course.config):
            print(f"warning: nbgrader_config.py: {problem}", file=sys.stderr)
        return args.handler(course, args)
    except (ValueError, FileNotFoundError, RuntimeError) as problem:   # bad input, or nbgrader refused: say why
        print(f"error: {problem}", file=sys.stderr)
        return 2
    except Exception as problem:
        from sqlalchemy.exc import OperationalError   # imported here: 1 s that `--help` need not pay
        if not isinstance(problem, OperationalError):
            raise
        # the gradebook's database: unreachable, wrong password, locked
        reason = str(getattr(problem, "orig", None) or problem).strip().splitlines()[0]
        print(f"error: cannot use the gradebook ({reason}); check --db or c.CourseDirectory.db_url",
              file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
