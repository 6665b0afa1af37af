"""Time ``python -m autograder similarity`` on a generated class of 05_batching_mlp.

    .venv/bin/python tests/benchmarks/similarity_speed.py                 # 200 students
    .venv/bin/python tests/benchmarks/similarity_speed.py --students 400 --keep /tmp/class400

The class (``tests/support/lookalikes.generated_class``): each student draws, for every answer cell, a correct
answer among the reference solution, the right_* variants and written answers, renames its variables with a seed
of its own and leaves a few cells blank; every tenth copied a classmate (renamed or reordered). Their notebooks are
handed in to a temporary course (the real 05_batching_mlp), then the command runs as a teacher runs it; the script
prints its output, and the seconds it took, split into reading and fingerprinting, comparing, and the page.
This file is not collected by pytest.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autograder import similarity, similarity_page  # noqa: E402
from autograder.__main__ import main as autograder  # noqa: E402
from autograder.coursedir import Course  # noqa: E402
from support import lookalikes  # noqa: E402


def run(students: int, root: Path) -> None:
    lookalikes.make_course(root)
    lookalikes.hand_in(root, lookalikes.generated_class(students))
    print(f"{students} students handed in {lookalikes.ASSIGNMENT} in {root}")
    started = time.perf_counter()
    here = os.getcwd()
    os.chdir(root)
    try:
        status = autograder(["similarity", lookalikes.ASSIGNMENT])
    finally:
        os.chdir(here)
    total = time.perf_counter() - started
    # the same steps again, timed one by one
    course = Course.at(root)
    t0 = time.perf_counter()
    cells = similarity.answer_cells(course, lookalikes.ASSIGNMENT)
    answers, left_out = similarity.read_answers(course, lookalikes.ASSIGNMENT, cells)
    t1 = time.perf_counter()
    result = similarity.compare(lookalikes.ASSIGNMENT, cells, answers, left_out)
    t2 = time.perf_counter()
    similarity_page.render(result, similarity.TOP)
    t3 = time.perf_counter()
    print(f"similarity of {students} students: {total:.1f} s in all (exit status {status}); "
          f"reading and fingerprinting {t1 - t0:.1f} s, comparing {result.compared} pairs {t2 - t1:.1f} s, "
          f"the page {t3 - t2:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--keep", metavar="DIR", help="build the course in DIR (new) and keep it")
    args = parser.parse_args()
    if args.keep:
        run(args.students, Path(args.keep))
    else:
        with tempfile.TemporaryDirectory() as folder:
            run(args.students, Path(folder) / "course")


if __name__ == "__main__":
    main()
