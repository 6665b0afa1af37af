"""The language of the course's messages: English, or French for the French edition of the notebooks.

Every message the course package shows a student (``course.gradcheck``'s diagnoses and hints, the widgets' titles,
legends, buttons and panels, ``course.dataflow``'s remarks) is written in English and wrapped in ``_()``; its French
is in the gettext catalogue ``course/locale/fr/LC_MESSAGES/course.po`` (compiled to ``course.mo`` beside it by
``python -m autograder translations``).

The language is, in this order:

- the one given to ``set_language`` (the French edition's setup cell calls ``course.set_language("fr")``);
- the environment variable ``COURSE_LANGUAGE`` (for a whole session: a test, a lab started in one language);
- English.

It is looked up at every message, not at import, so a kernel forked from one that imported the course (the
grader's warm kernels) follows its own environment.
"""
from __future__ import annotations

import gettext
import os
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("en", "fr")
DOMAIN = "course"
LOCALE_DIR = Path(__file__).parent / "locale"

_chosen: str | None = None


def set_language(language: str) -> None:
    """Show the course's messages in ``language`` ("en" or "fr") from now on, in this kernel."""
    global _chosen
    _chosen = _checked(language)


def language() -> str:
    """The language messages are shown in now: "en" or "fr"."""
    if _chosen is not None:
        return _chosen
    wanted = os.environ.get("COURSE_LANGUAGE", "")
    return wanted if wanted in LANGUAGES else "en"


def short(language) -> str:
    """The language part of a language tag: "fr_FR", "fr-FR" and "FR" are "fr" (not checked)."""
    return str(language or "").strip().lower().replace("-", "_").split("_")[0]


def _checked(language: str) -> str:
    short_name = short(language)
    if short_name not in LANGUAGES:
        raise ValueError(_("the course exists in {some} and {last}, not {language!r}").format(
            some=", ".join(LANGUAGES[:-1]), last=LANGUAGES[-1], language=language))
    return short_name


@lru_cache(maxsize=None)
def catalogue(domain: str, localedir: Path, language: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``domain`` in ``language`` under ``localedir`` (English: none, the messages are
    written in it; a missing one: none either). The autograder's own messages load theirs with it too."""
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(domain, localedir=localedir, languages=[language], fallback=True)


def translations(language: str) -> gettext.NullTranslations:
    """The course package's catalogue of ``language``."""
    return catalogue(DOMAIN, LOCALE_DIR, language)


def _(message: str) -> str:
    """``message`` in the current language (itself in English, or when the catalogue lacks it)."""
    return translations(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(language()).ngettext(singular, plural, n)


def separated(items) -> str:
    """The items of a list inside a message, separated as the language writes it: "a; b" in English, "a ; b" in
    French."""
    # TRANSLATORS: what separates the items of a list inside a message, "a; b; c" (French puts a space before ";").
    return _("; ").join(items)


def verdict_line(name: str, text: str) -> str:
    """A verdict after the name of what it judges: "dW: dW has shape (4, 3), expected (3, 4)"."""
    # TRANSLATORS: a verdict after the name of what it judges, "dW: dW has shape (4, 3), expected (3, 4)".
    return _("{name}: {verdict}").format(name=name, verdict=text)
