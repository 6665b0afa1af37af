"""The hostile corpus: submissions of the fixture assignment (``tests/fixture_course``, ``00_fixture``), each
with what grading must make of it. Honest students are graded in the same run and must get exactly their
scores.

The fixture has two autograded tests, ``double_values`` (2 points, checks ``double``) and ``answer_value``
(1 point, checks ``answer``), and one written answer. A case starts from the solutions or the blank release and
replaces cells by grade_id; ``{course}``, ``{port}``, ``{secret_name}``, ``{course_pkg}`` are filled in by the
test. ``score`` is the autograded total the gradebook must hold. ``submit`` hands a case in.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from support.courses import FIXTURE, filled

SOLVED_DOUBLE = "def double(x):\n    return 2 * x\n"
SOLVED_ANSWER = "answer = 42\n"


@dataclass(frozen=True)
class Case:
    name: str
    score: float
    base: str = "solutions"                  # "solutions" or "blank"
    cells: dict = field(default_factory=dict)    # grade_id -> new source (None: delete the cell)
    filename: str | None = None              # the notebook's file name (default: 00_fixture.ipynb)
    raw: bytes | None = None                 # the notebook file's bytes instead of a notebook
    files: dict = field(default_factory=dict)    # other files of the submission: relative path -> text
    flag: str | None = None                  # a flag for the teacher must contain this
    reason: str | None = None                # the one-line reason must contain this
    note: str | None = None                  # a note to the student must contain this
    output: str | None = None                # some output of the graded notebook must contain this


# The cell timeout to grade the corpus with. A cell that runs longer is stopped (infinite_loop is). Not shorter: on a
# loaded machine the cases that hit a limit (file size, output, memory) must reach it before the timeout does, or
# their outcome changes (prints_100mb's cell takes about 4 s on two busy cores).
CELL_TIMEOUT = 15

CASES = [
    # -- honest students ------------------------------------------------------------------------------------
    Case("honest_solutions", 3),
    Case("honest_blank", 0, base="blank", reason="handed in unchanged: no answer cell differs from the release"),
    Case("honest_wrong", 1, cells={"double": "def double(x):\n    return x + 2\n"}),
    Case("honest_loops", 3, cells={"double": "import numpy as np\ndef double(x):\n    out = np.array(x, dtype=float)\n"
                                            "    return out + out if out.ndim else float(out * 2)\n"}),
    # -- the DESIGN.md table ----------------------------------------------------------------------------------
    Case("reads_source_and_gradebook", 3, cells={"answer": (
        "import os, glob\n"
        "seen = []\n"
        "for p in ['../../../source/00_fixture/00_fixture.ipynb', '{course}/source/00_fixture/00_fixture.ipynb',\n"
        "          '{course}/gradebook.db', '../../../gradebook.db', '/root/.bash_history']:\n"
        "    try:\n"
        "        seen.append(open(p, 'rb').read()[:4000].decode('latin-1'))\n"
        "    except OSError as e:\n"
        "        print('cannot read', p, type(e).__name__)\n"
        "print(glob.glob('{course}/*'), glob.glob('../../*'))\n"
        "print(''.join(seen))\n"
        "answer = 42\n")}),
    Case("writes_gradebook", 3, cells={"answer": (
        "import sqlite3\n"
        "for p in ['{course}/gradebook.db', '../../../gradebook.db']:\n"
        "    try:\n"
        "        db = sqlite3.connect(p)\n"
        "        db.execute(\"update grade set auto_score = 99\")\n"
        "        db.commit()\n"
        "        print('wrote', p)\n"
        "    except Exception as e:\n"
        "        print('cannot write', p, e)\n"
        "answer = 42\n")}),
    Case("monkeypatch_numpy", 0, base="blank", cells={"double": (
        "import numpy as np\n"
        "np.allclose = lambda *a, **k: True\n"
        "np.testing.assert_allclose = lambda *a, **k: None\n"
        "def double(x):\n    return x\n")}, flag="rebinds numpy.allclose"),
    Case("os_exit", 2, cells={"answer": "import os\nos._exit(1)\n"}, reason="kernel stopped"),
    Case("infinite_loop", 2, cells={"answer": (
        "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass\n")},
        reason="still running after"),
    Case("escapes_in_new_session", 3, cells={"answer": (
        "import subprocess\n"
        "subprocess.Popen(['sleep', '313'], start_new_session=True)\n"
        "subprocess.Popen(['sh', '-c', 'nohup sleep 313 &'], start_new_session=True)\n"
        "answer = 42\n")}),
    Case("allocates_2gb", 2, cells={"answer": "import numpy as np\nbig = np.ones(2 * 10**9 // 8)\nanswer = 42\n"},
         output="MemoryError"),
    Case("deletes_test_cell", 3, cells={"double_values": None}, note="was deleted", flag="deleted the graded cell"),
    Case("edits_test_cell", 3, cells={"answer_value": "pass\n"}, note="was edited", flag="edited the locked cell"),
    Case("invalid_json", 0, raw=b'{"cells": [ {"cell_type": "code", ', reason="not valid JSON"),
    Case("empty_file", 0, raw=b"", reason="is empty"),
    Case("wrong_file_name", 3, filename="00_fixture (1).ipynb", note="was named 00_fixture (1).ipynb"),
    # -- the list -------------------------------------------------------------------------------------
    # 1 GiB in 64 KiB writes: the file-size limit (64 MB) stops it after a few hundred ms, where one 1 GiB bytes
    # object took seconds to build on a loaded machine and the case ran into the cell timeout instead
    Case("writes_1gb_file", 2, cells={"answer": (
        "with open('big.bin', 'wb') as f:\n    for _ in range(1 << 14):\n        f.write(b'0' * (1 << 16))\n"
        "answer = 42\n")},
         output="File too large"),
    Case("prints_100mb", 3, cells={"answer": "print('x' * 100_000_000)\nanswer = 42\n"}, output="output cut here"),
    Case("fork_loop", 3, cells={"answer": (
        "import os, time\n"
        "children = 0\n"
        "for _ in range(400):\n"
        "    try:\n"
        "        pid = os.fork()\n"
        "    except OSError as e:\n"
        "        print('fork refused after', children, e)\n"
        "        break\n"
        "    if pid == 0:\n"
        "        time.sleep(1)\n"
        "        os._exit(0)\n"
        "    children += 1\n"
        "for _ in range(children):\n"
        "    os.wait()\n"
        "answer = 42\n")}, output="fork refused"),
    Case("reads_environment", 3, cells={"answer": (
        "import os\nprint(dict(os.environ))\nprint(os.environ.get('{secret_name}'))\nanswer = 42\n")}),
    Case("connects_to_jupyter", 3, cells={"answer": (
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('127.0.0.1', {port}), timeout=3)"
        ".sendall(b'GET /api/contents HTTP/1.0\\r\\n\\r\\n')\n"
        "    print('connected')\n"
        "except OSError as e:\n"
        "    print('no network:', e)\n"
        "answer = 42\n")}, output="no network"),
    Case("replaces_gradcheck", 3, cells={"answer": (
        "import course.gradcheck as g\n"
        "for path in [g.__file__, 'course/gradcheck.py']:\n"
        "    try:\n"
        "        open(path, 'w').write('def check_value(*a, **k): pass\\n')\n"
        "        print('replaced', path)\n"
        "    except OSError as e:\n"
        "        print('cannot replace', path, e)\n"
        "answer = 42\n")},
        files={"course/__init__.py": "", "course/gradcheck.py": "def check_value(*a, **k):\n    pass\n"},
        flag="submitted Python files", output="cannot replace"),
    Case("input_transformer", 0, base="blank", cells={"double": (
        "def _neuter(lines):\n"
        "    return ['pass\\n'] if any('assert' in line for line in lines) else lines\n"
        "get_ipython().input_transformers_cleanup.append(_neuter)\n"
        "def double(x):\n    return x\n")}, flag="decoy test passed", note="no autograded points"),
    Case("pre_run_cell_hook", 0, base="blank", cells={"double": (
        "import ast\n"
        "class _Empty(ast.NodeTransformer):\n"
        "    def visit_Module(self, node):\n"
        "        node.body = []\n"
        "        return node\n"
        "def _before(info):\n"
        "    ip = get_ipython()\n"
        "    ip.ast_transformers[:] = [_Empty()] if 'assert' in info.raw_cell or 'check_' in info.raw_cell else []\n"
        "get_ipython().events.register('pre_run_cell', _before)\n"
        "def double(x):\n    return x\n")}, flag="decoy test passed"),
    Case("silenced_tracebacks", 0, base="blank", cells={"double": (
        "ip = get_ipython()\n"
        "ip.showtraceback = lambda *a, **k: None\n"
        "ip.set_custom_exc((BaseException,), lambda shell, etype, value, tb, tb_offset=None: None)\n"
        "def double(x):\n    return x\n")}, flag="replaces how IPython reports errors"),
]


def submit(root: Path, student: str, case: Case, fill: dict) -> None:
    """Hand ``case`` in as ``student``'s submission of the fixture assignment, its ``{key}`` placeholders filled
    from ``fill``."""
    folder = root / "submitted" / student / FIXTURE
    folder.mkdir(parents=True)
    target = folder / (case.filename or f"{FIXTURE}.ipynb")
    if case.raw is not None:
        target.write_bytes(case.raw)
    else:
        replaced = {k: (None if v is None else _fill(v, fill)) for k, v in case.cells.items()}
        if case.base == "solutions":
            replaced = {"double": SOLVED_DOUBLE, "answer": SOLVED_ANSWER, **replaced}
        nbformat.write(filled(root, FIXTURE, replaced), target)
    for rel, text in case.files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text)


def _fill(text: str, fill: dict) -> str:
    for key, value in fill.items():
        text = text.replace("{" + key + "}", str(value))
    return text
