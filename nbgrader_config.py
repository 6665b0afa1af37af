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
# Never copied from source/NN_topic/ to release/, nor from autograded/ to feedback/ (autograder.json holds the
# grader's notes for the teacher). Everything else beside a notebook is: keep solutions out of those folders
# (make release refuses a release that contains a solution or hidden-test line).
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "autograder.json"]


# Feedback (`python -m autograder feedback`, `nbgrader generate_feedback`, the formgrader's button) never shows a
# hidden test: test cells keep their visible lines and show the failure message only (autograder/feedback.py).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "autograder.feedback.HideHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
# Its page is nbgrader's feedback template, told which written answers are still to grade ("not graded yet").
from autograder import templates as _templates  # noqa: E402

# Scoped to the feedback converter (GenerateFeedback.HTMLExporter): the formgrader's own pages keep their template.
c.GenerateFeedback.HTMLExporter.template_name = _templates.FEEDBACK
c.GenerateFeedback.HTMLExporter.template_file = _templates.FEEDBACK_FILE
c.GenerateFeedback.HTMLExporter.extra_template_basedirs = _templates.dirs()
# Its maths are MathML, written with the page (latex2mathml): they render with no internet, no MathJax needed.
c.GenerateFeedback.HTMLExporter.filters = _templates.FEEDBACK_FILTERS

# The formgrader's grading page (its HTMLExporter reads this file): nbgrader's page, with MathJax served by the
# Jupyter server (jupyter-server-mathjax, on by default once installed) instead of a CDN, so its maths render in
# a room without internet. nbgrader's page ignores the server's mathjax_url: the template sets the URL.
c.HTMLExporter.template_name = _templates.FORMGRADE
c.HTMLExporter.template_file = _templates.FORMGRADE_FILE
c.HTMLExporter.extra_template_basedirs = _templates.dirs()

# Exchange of the JupyterHub flow (release_assignment, fetch_assignment, submit, collect, release_feedback): a
# folder every user can write to (`mkdir -p DIR && chmod 1777 DIR`), the same in the students' configuration.
# c.Exchange.root = "/srv/nbgrader/exchange"     # nbgrader's default: /usr/local/share/nbgrader/exchange

# Submissions downloaded from an LMS (`python -m autograder collect ASSIGNMENT download.zip`): the student is read
# from each file's path inside the download (autograder/collect.py; c.Collector.patterns to change how).
c.ZipCollectApp.collector_plugin = "autograder.collect.Collector"

# Every solution cell shows this in the release.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Execution during autograde / validate. Training cells are short when NBGRADER_EXECUTION is set.
c.Execute.timeout = 120          # seconds per cell
c.Execute.interrupt_on_timeout = True

# `python -m autograder grade` (see autograder/settings.py for every setting and its meaning).
# Each kernel runs in a sandbox (bubblewrap + prlimit) with these limits; a submission that hits one is graded
# with what ran, and told which limit it hit.
c.Grading.workers = 0               # submissions graded at once; 0: one per core
c.Grading.cell_timeout = 120        # seconds a cell may run (the kernel is then stopped, even if it ignores SIGINT)
c.Grading.notebook_timeout = 900    # seconds for a whole notebook, kernel start included
c.Grading.max_output_kb = 512       # output kept per cell
c.Grading.decoys = 2                # decoy tests planted per notebook (copies of real tests that must fail)
c.Isolation.mode = "auto"           # auto: bubblewrap if it works, else rlimits only (loudly); bwrap; none (trusted)
c.Isolation.memory_mb = 2048        # address space of a kernel; the solutions need less than 1024
c.Isolation.cpu_seconds = 600       # CPU time of a kernel
c.Isolation.max_processes = 64      # processes and threads of a kernel
c.Isolation.max_file_mb = 64        # largest file a kernel may write
c.Isolation.warm_kernels = True     # fork each kernel from a per-worker zygote (bwrap, as root); False: start cold
