"""Limits and timeouts of grading, set in the course's ``nbgrader_config.py``.

nbgrader loads that file with traitlets; so do we. Two sections, with defaults sized for this course (a
notebook runs in seconds, trains a small network, needs a few hundred MB)::

    c.Grading.workers = 0              # 0: one worker per core
    c.Grading.cell_timeout = 120       # seconds a cell may run
    c.Isolation.mode = "auto"          # how the kernel is sandboxed: auto, bwrap or none (sandbox.Mode)
    c.Isolation.memory_mb = 2048       # address space of the kernel

A submission that hits a limit is graded with what ran and told which limit it hit.
"""
from __future__ import annotations

from pathlib import Path

from traitlets import Bool, Enum, Float, Int
from traitlets.config import Config, Configurable
from traitlets.config.loader import PyFileConfigLoader

from .sandbox import REQUESTABLE, Mode


class Grading(Configurable):
    workers = Int(0, help="Submissions graded at once; 0 means one per core.").tag(config=True)
    cell_timeout = Float(120, help="Seconds one cell may run before the kernel is stopped.").tag(config=True)
    notebook_timeout = Float(
        900, help="Seconds a whole notebook may take, kernel start included (a hard stop).").tag(config=True)
    startup_timeout = Float(60, help="Seconds the kernel has to start.").tag(config=True)
    max_output_kb = Int(
        512, help="Output kept per cell (stdout, stderr, displays); the rest is dropped with a note.").tag(config=True)
    decoys = Int(2, help="Decoy test cells planted per notebook (copies of real tests that must fail).").tag(
        config=True)
    max_submission_mb = Int(50, help="Size of the files of a submission copied into its sandbox.").tag(config=True)


class Isolation(Configurable):
    """How each kernel is kept from the course and the machine: the sandbox's mode and the kernel's limits."""
    mode = Enum([m.value for m in REQUESTABLE], Mode.AUTO.value,
                help="auto: bubblewrap when it works, otherwise rlimits only (with a warning); "
                     "none: no isolation, for trusted runs.").tag(config=True)
    memory_mb = Int(2048, help="Address space of the kernel (RLIMIT_AS), in MB. The solutions of every "
                    "notebook of the course run within 1024.").tag(config=True)
    cpu_seconds = Int(600, help="CPU time of the kernel and its children (RLIMIT_CPU).").tag(config=True)
    max_processes = Int(64, help="Processes and threads of the sandbox user (RLIMIT_NPROC).").tag(config=True)
    max_file_mb = Int(64, help="Largest file the kernel may write (RLIMIT_FSIZE), in MB.").tag(config=True)
    tmp_mb = Int(128, help="Size of the private /tmp of the sandbox, in MB.").tag(config=True)
    warm_kernels = Bool(True, help="Fork each kernel from a per-worker zygote that imported ipykernel, numpy, "
                        "matplotlib, ipywidgets and the course once, in a sandbox of its own (bwrap, as root; "
                        "elsewhere kernels start cold, and the log says so). False: every kernel starts cold.").tag(
                            config=True)
    uid_base = Int(1_000_000_000, help="When grading as root, kernels run as uids from uid_base up (64 per "
                   "grading run, one per worker; no such user needs to exist).").tag(config=True)


# Sections this grader once read under another name: traitlets ignores a section no class reads, so a course
# config that still uses the old name would lose its limits without a word.
RENAMED = {"Sandbox": "Isolation"}


def load_config(root: Path | str) -> Config:
    """The traitlets config of ``root/nbgrader_config.py`` (empty if there is none). A section under its old name
    (``c.Sandbox``) is refused with the new one, never ignored."""
    path = Path(root) / "nbgrader_config.py"
    if not path.is_file():
        return Config()
    config = PyFileConfigLoader(path.name, path=str(path.parent)).load_config()
    for old, new in RENAMED.items():
        if old in config and config[old]:
            names = ", ".join(f"c.{old}.{name}" for name in config[old])
            raise ValueError(f"{path}: {names}: the section is now c.{new} (write c.{new}.<setting>; "
                             f"the settings are the same)")
    return config


def load(course: Path | str | Config, **overrides) -> tuple[Grading, Isolation]:
    """``Grading`` and ``Isolation`` as configured for a course (its root, or its parsed config); ``overrides``
    (name=value, e.g. ``workers=2`` or ``mode="none"``) win over the file."""
    config = course if isinstance(course, Config) else load_config(course)
    grading, isolation = Grading(config=config), Isolation(config=config)
    for name, value in overrides.items():
        if value is None:
            continue
        target = grading if grading.has_trait(name) else isolation
        if not target.has_trait(name):
            raise TypeError(f"unknown grading setting {name!r}")
        setattr(target, name, value)
    return grading, isolation


# The sections a course's nbgrader_config.py sets that a mistyped name would silently leave without effect:
# ours, and those of nbgrader's classes the grader, the release and the feedback build (import paths, imported only
# when a command checks the file).
CHECKED = {
    "Grading": "autograder.settings.Grading",
    "Isolation": "autograder.settings.Isolation",
    "Export": "autograder.lms.Export",
    "CourseDirectory": "nbgrader.coursedir.CourseDirectory",
    "Autograde": "nbgrader.converters.Autograde",
    "GenerateAssignment": "nbgrader.converters.GenerateAssignment",
    "GenerateFeedback": "nbgrader.converters.GenerateFeedback",
    "AssignLatePenalties": "nbgrader.preprocessors.AssignLatePenalties",
    "LateSubmissionPlugin": "nbgrader.plugins.LateSubmissionPlugin",
    "LimitOutput": "nbgrader.preprocessors.LimitOutput",
    "ClearSolutions": "nbgrader.preprocessors.ClearSolutions",
    "Execute": "nbgrader.preprocessors.Execute",
    "ZipCollectApp": "nbgrader.apps.ZipCollectApp",
}


def mistyped(config: Config) -> list[str]:
    """The settings of ``config`` that no class of ``CHECKED`` has, each with the name it probably meant: a warning
    the way nbgrader's own commands warn ("Config option ... not recognized"), and also for a misspelled section
    (``c.LateSubmisionPlugin``), which traitlets ignores without a word."""
    import difflib

    from traitlets.utils.importstring import import_item

    problems = []
    for section in sorted(k for k in config if k[:1].isupper()):
        if section not in CHECKED:
            close = difflib.get_close_matches(section, CHECKED, n=1, cutoff=0.85)
            if close:
                problems.append(f"c.{section} is not a section any command reads: did you mean c.{close[0]}?")
            continue
        known = set(import_item(CHECKED[section]).class_trait_names(config=True))
        for name in sorted(config[section]):
            if name in known or name[:1].isupper():   # c.GenerateFeedback.HTMLExporter...: a nested section
                continue
            close = difflib.get_close_matches(name, known, n=2, cutoff=0.6)
            problems.append(f"c.{section}.{name} is not a setting of {section}, and is ignored"
                            + (f": did you mean {' or '.join(f'c.{section}.{c}' for c in close)}?" if close else ""))
    return problems
