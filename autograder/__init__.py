"""Grading pipeline of "Backpropagation, step by step", built on nbgrader.

Run ``python -m autograder --help``. Modules:

- ``coursedir``: the ``Course`` every command is handed: its root, configuration, gradebook, folders, assignments.
- ``cells``: what nbgrader's cell metadata says (solution, graded test, manual answer) and which lines are secret.
- ``release``: regenerate ``release/`` through nbgrader and refuse when a secret line reached it.
"""

import sys

# nbformat validates notebooks with jsonschema, and jsonschema, when it is imported, registers a checker of the
# "iri" formats with rfc3987-syntax if that is installed (it is: jupyter-events asks for it). Importing
# rfc3987-syntax compiles a Lark grammar: 1.5 s of CPU on a quiet machine, 10 s measured on a busy one, in every
# process that reads a notebook (each command, each nbgrader command it runs). No notebook schema uses those
# formats, and nbformat checks none, so this process goes without them. A process that imported jsonschema
# already (a Jupyter server loading the formgrader) keeps its checkers. tests/test_nbgrader_inprocess.py checks both.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)   # None in sys.modules: `import rfc3987_syntax` fails at once
