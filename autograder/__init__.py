"""Grading pipeline of "Backpropagation, step by step", built on nbgrader.

Run ``python -m autograder --help``. Modules:

- ``coursedir``: the ``Course`` every command is handed: its root, configuration, gradebook, folders, assignments.
- ``cells``: what nbgrader's cell metadata says (solution, graded test, manual answer) and which lines are secret.
- ``release``: regenerate ``release/`` through nbgrader and refuse when a secret line reached it.
"""
