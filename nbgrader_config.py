"""nbgrader configuration of the course "Backpropagation, step by step".

nbgrader reads this file when it runs in this folder (``nbgrader ...`` or ``python -m autograder ...``).
Paths are relative to the folder that holds this file.
"""
import os

c = get_config()  # noqa: F821 -- provided by traitlets when nbgrader loads the file

HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = "backprop-step-by-step"
c.CourseDirectory.root = HERE
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
# Never copied from source/NN_topic/ to release/. Everything else beside a notebook is: keep solutions out of
# those folders (make release refuses a release that contains a solution or hidden-test line).
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]


# Every solution cell shows this in the release.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Execution during autograde / validate. Training cells are short when NBGRADER_EXECUTION is set.
c.Execute.timeout = 120          # seconds per cell
c.Execute.interrupt_on_timeout = True
c.Execute.allow_errors = True
