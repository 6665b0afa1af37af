"""Helpers of the test suite, imported by the test modules (``from support import courses``); no tests here.

- ``courses``: the assignments the tests run on, and temporary courses made of the fixture assignment;
- ``hostile``: the hostile corpus (submissions of the fixture assignment and what grading must make of them);
- ``grading``: what a grading run left behind, as the tests read it (gradebook rows, processes), and bubblewrap;
- ``classroom``: a small graded class, for what a teacher does after grading;
- ``nbrun``: running a notebook's cells fast in a forked IPython shell;
- ``widget_variants``: the students' functions of the widget tests, taken from tests/variants;
- ``lab``: a JupyterLab server and a headless browser;
- ``postgres``: a throwaway PostgreSQL server.
"""
