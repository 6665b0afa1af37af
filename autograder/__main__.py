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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("release", help="regenerate release/ from source/ and refuse any leaked secret line")
    p.add_argument("assignments", nargs="*", help="assignment names (default: all)")
    p.set_defaults(run=cmd_release)

    p = commands.add_parser("workcopy", help="copy release/ into a student's working folder, keeping their work")
    p.add_argument("dest", help="the student's folder (make lab uses ./work)")
    p.set_defaults(run=cmd_workcopy)

    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
