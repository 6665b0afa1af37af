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
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("en", "fr")
DOMAIN = "autograder"
LOCALE_DIR = Path(__file__).parent / "locale"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("autograder_language", default="en")


def language() -> str:
    return _current.get()


def checked(language: str | None) -> str:
    """``language`` as one of ``LANGUAGES`` ("fr_FR" is "fr"); anything else is English."""
    short = str(language or "").strip().lower().replace("-", "_").split("_")[0]
    return short if short in LANGUAGES else "en"


@contextlib.contextmanager
def speaking(language: str | None):
    """Translate ``_`` into ``language`` inside the block."""
    token = _current.set(checked(language))
    try:
        yield
    finally:
        _current.reset(token)


@lru_cache(maxsize=None)
def translations(language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True)


def _(message: str) -> str:
    """``message`` in the current language."""
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)
