"""Grading pipeline of "Backpropagation, step by step", built on nbgrader.

Run ``python -m autograder --help``. Modules:

- ``coursedir``: where the course, its assignments and their notebooks are.
- ``cells``: what nbgrader's cell metadata says (solution, graded test, manual answer) and which lines are secret.
- ``release``: regenerate ``release/`` through nbgrader and refuse when a secret line reached it.
"""
