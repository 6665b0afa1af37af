"""Command line: ``python -m autograder COMMAND``."""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from . import coursedir, release


def cmd_release(args) -> int:
    return release.release(coursedir.find_root(), args.assignments or None)


def cmd_workcopy(args) -> int:
    """Copy each released assignment into the student's folder, never touching one already there."""
    root = coursedir.find_root()
    dest = Path(args.dest)
    dest.mkdir(parents=True, exist_ok=True)
    for name in sorted(p.name for p in (root / "release").iterdir() if p.is_dir()):
        target = dest / name
        if target.exists():
            print(f"kept your work in {target} (delete that folder to start it again from release/)")
        else:
            shutil.copytree(root / "release" / name, target)
            print(f"copied release/{name} -> {target}")
    return 0


def cmd_grade(args) -> int:
    from . import grade
    run = grade.grade(coursedir.find_root(), args.assignments or None, args.student or None, workers=args.workers,
                      sandbox=args.sandbox, force=args.force, db_url=args.db)
    return 0 if run.ok else 1


def cmd_bench(args) -> int:
    from . import bench
    bench.bench(Path(args.course) if args.course else coursedir.find_root(), students=args.students,
                assignments=args.assignments or None, keep=args.keep)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("release", help="regenerate release/ from source/ and refuse any leaked secret line")
    p.add_argument("assignments", nargs="*", help="assignment names (default: all)")
    p.set_defaults(run=cmd_release)

    p = commands.add_parser("workcopy", help="copy release/ into a student's working folder, keeping their work")
    p.add_argument("dest", help="the student's folder (make lab uses ./work)")
    p.set_defaults(run=cmd_workcopy)

    p = commands.add_parser("grade", help="autograde submitted/ in parallel, each kernel sandboxed")
    p.add_argument("assignments", nargs="*", help="assignment names (default: every one with submissions)")
    p.add_argument("--student", action="append", help="grade only this student (repeatable)")
    p.add_argument("--workers", type=int, help="submissions graded at once (default: c.Grading.workers, "
                                                "else one per core)")
    p.add_argument("--sandbox", choices=["auto", "bwrap", "none"],
                   help="auto (default): bubblewrap when it works, else rlimits only with a warning; "
                        "none: trusted runs only")
    p.add_argument("--force", action="store_true", help="regrade submissions already graded and unchanged")
    p.add_argument("--db", help="gradebook URL (default: sqlite:///<course>/gradebook.db)")
    p.set_defaults(run=cmd_grade)

    p = commands.add_parser("bench", help="time grade against plain nbgrader autograde on generated submissions, "
                                          "and compare their scores")
    p.add_argument("--students", type=int, required=True, help="students, each handing in every assignment")
    p.add_argument("--assignments", nargs="+", help="assignment names (default: all)")
    p.add_argument("--keep", metavar="DIR", help="build the course copy in DIR (new or empty) and keep it")
    p.add_argument("--course", help="course root (default: the course at or above the current folder)")
    p.set_defaults(run=cmd_bench)

    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
