"""What a grading run of the fixture assignment left behind, as the tests read it: the gradebook's scores and rows,
the processes still alive; and whether bubblewrap works here (the hostile corpus is never graded without it)."""
from __future__ import annotations

import os
from pathlib import Path

from nbgrader.api import Gradebook

from autograder import sandbox, settings
from support.courses import FIXTURE, REPO

AUTOGRADED = ("double_values", "answer_value")


def bwrap_problem(tmp_path: Path) -> str | None:
    """Why the bwrap sandbox cannot run here (None when it can), probed in ``tmp_path``."""
    _, sb = settings.load(REPO)
    return sandbox.probe(sb, tmp_path)


def gradebook_scores(root: Path) -> dict[str, float]:
    """Each student's autograded total of the fixture assignment, from the course's SQLite gradebook."""
    out = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for student in gb.students:
            sub = gb.find_submission(FIXTURE, student.id)
            out[student.id] = sum(g.auto_score or 0 for nb in sub.notebooks for g in nb.grades if g.name in AUTOGRADED)
    return out


def gradebook_rows(root: Path) -> list[tuple]:
    """Every grade of the fixture assignment: (student, grade id, auto_score, needs_manual_grade, flagged), sorted."""
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return sorted((s.id, g.name, g.auto_score, g.needs_manual_grade, nb.flagged)
                      for s in gb.students for nb in gb.find_submission(FIXTURE, s.id).notebooks for g in nb.grades)


def leftover_processes(grader_pid: int, uids: range) -> list[str]:
    """Processes still alive that a grader of pid ``grader_pid`` started (its sandbox's marker in their
    environment), that run as one of ``uids``, or that the corpus's escaping case started ("sleep 313")."""
    found = []
    for pid in (p for p in os.listdir("/proc") if p.isdigit()):
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes()
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        uid = int(next(line for line in status.splitlines() if line.startswith("Uid:")).split()[1])
        if (f"{sandbox.MARKER}={grader_pid}-".encode() in environ or uid in uids or "sleep 313" in cmdline):
            found.append(f"{pid} uid={uid}: {cmdline[:100]}")
    return found
