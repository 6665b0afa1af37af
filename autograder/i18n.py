"""The language of what the grader tells a student: English, or French for a French submission.

The student-facing texts of the autograder (the reasons and notes of a grade, the failure summaries, the feedback
page) are written in English and wrapped in ``_()``; their French is in the gettext catalogue
``autograder/locale/fr/LC_MESSAGES/autograder.po`` (compiled to ``autograder.mo`` by
``python -m autograder translations``). What the teacher reads (the run's log, flags, reports) stays in English.

``_`` translates into the language of the submission being handled: ``with speaking(language): ...`` sets it for
the code inside (a context variable: each thread of a parallel run has its own).
"""
from __future__ import annotations

import contextlib
import contextvars
import gettext
from pathlib import Path

from course import i18n as course_i18n

LANGUAGES = ("en", "fr")
DOMAIN = "autograder"
LOCALE_DIR = Path(__file__).parent / "locale"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("autograder_language", default="en")


def language() -> str:
    return _current.get()


def checked(language: str | None) -> str:
    """``language`` as one of ``LANGUAGES`` ("fr_FR" is "fr"); anything else is English."""
    name = course_i18n.short(language)
    return name if name in LANGUAGES else "en"


def notebook_language(nb) -> str | None:
    """The language a notebook says it is in (``metadata.course.language``), None when it says none we have."""
    meta = nb.metadata.get("course") if nb is not None else None
    language = course_i18n.short(meta.get("language")) if isinstance(meta, dict) else None
    return language if language in LANGUAGES else None


@contextlib.contextmanager
def speaking(language: str | None):
    """Translate ``_`` into ``language`` inside the block."""
    token = _current.set(checked(language))
    try:
        yield
    finally:
        _current.reset(token)


def translations(language: str) -> gettext.NullTranslations:
    return course_i18n.catalogue(DOMAIN, LOCALE_DIR, language)


def _(message: str) -> str:
    """``message`` in the current language."""
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)
