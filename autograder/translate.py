"""The French edition: catalogues of the notebooks' text, and the two editions made from one source.

The source notebooks are written once, in English. What a student reads in them is cut into *units*:

- a markdown cell's paragraphs (blocks between blank lines; a fenced code block is one);
- in a code cell: a run of full-line comments, a trailing comment, a string literal or a run of adjacent ones
  (implicit concatenation), with f-string fields kept as written (``{x.shape}``).

Units with no words (a display formula, ``"1 x H"``, ``"mismatch"``) are not units. Each assignment has one gettext
catalogue per language, ``locale/<language>/<assignment>.po`` at the course root (outside ``source/``: nbgrader
copies everything beside a source notebook into the release). Its entries are the units of the release
(what a student sees) and of the hidden tests (their messages reach the student as failure messages; marked
``hidden test``, they never appear in a release). Solution code and the answer key are not units.

``translate_notebook`` turns an English notebook (a release, or a submission whose locked cells nbgrader put back
from the gradebook) into the other language; its code is untouched but for comments and strings, so the French
edition runs the same hidden tests, with the same grade_ids and points. The Python packages' own messages are
gettext catalogues too (``course/locale``, ``autograder/locale``): ``update`` extracts them with Babel and
compiles them; ``check`` says what is missing or stale.
"""
from __future__ import annotations

import copy
import io
from datetime import datetime, timezone
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

import nbformat
from babel.messages import pofile
from babel.messages.catalog import Catalog

from . import cells, i18n

ENGLISH = "en"
LANGUAGES = ("en", "fr")
TRANSLATED = ("fr",)
LANGUAGE_NAMES = {"en": "English", "fr": "French"}
HIDDEN = "hidden test"
PO_WIDTH = 116
# The line the French edition's setup cell starts with: the course package's messages follow the notebook.
SET_LANGUAGE = 'import course; course.set_language("{language}")'

_MARKERS = re.compile(r"^\s*#+\s*(BEGIN|END)\s+(SOLUTION|HIDDEN TESTS)\s*$")
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]{2,}")
_MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]*\$|`[^`\n]*`|<[^>\n]*>", re.S)
_FIELD = re.compile(r"\{[^{}]*\}")
_STRING = re.compile(r"^([A-Za-z]*)('''|\"\"\"|'|\")(.*)\2$", re.S)


# -- editions ------------------------------------------------------------------------------------------------------

def edition_file(notebook: str, language: str) -> str:
    """The file name of ``notebook``'s edition in ``language``: 03_relu.ipynb, 03_relu.fr.ipynb."""
    return f"{notebook}.ipynb" if language == ENGLISH else f"{notebook}.{language}.ipynb"


def split_edition(stem: str) -> tuple[str, str]:
    """(notebook, language) of a file stem: "03_relu.fr" is ("03_relu", "fr"), "03_relu" ("03_relu", "en")."""
    base, dot, suffix = stem.rpartition(".")
    if dot and suffix in TRANSLATED:
        return base, suffix
    return stem, ENGLISH


def notebook_language(nb, stem: str | None = None) -> str:
    """The language a notebook is written in: its ``metadata.course.language``, else its file name's suffix."""
    language = i18n.notebook_language(nb)
    if language is not None:
        return language
    return split_edition(stem)[1] if stem else ENGLISH


def set_language(nb, language: str) -> None:
    nb.metadata.setdefault("course", {})
    nb.metadata["course"]["language"] = language


# -- units ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Unit:
    text: str          # the English, as written in the cell (a string's escapes as in the source)
    kind: str          # "markdown", "comment", "string"
    fstring: bool = False


_TEXT_IN_MATH = re.compile(r"\\(?:text|mathrm|textrm|mbox)\{([^{}]*)\}")
# Calls and keywords whose string argument is shown as it is, even a single word: ax.set_ylabel("loss")
DISPLAY_CALLS = {"print", "set_xlabel", "set_ylabel", "set_title", "xlabel", "ylabel", "title", "suptitle",
                 "legend", "Label", "HTML", "Button", "HTMLMath"}
DISPLAY_KEYWORDS = {"label", "title", "xlabel", "ylabel", "description", "tooltip", "placeholder"}


def _wordy(text: str) -> bool:
    """Whether ``text`` has words to translate: outside maths and code, or in a formula's \\text{...} ("if",
    "(003 eq. 4)")."""
    if _WORD.search(_FIELD.sub(" ", _MATH.sub(" ", text))):
        return True
    # \\text{if }, \\text{(003 eq. 4)}: words; \\text{FC}, \\text{softmax}: a name
    return any(re.search(r"[A-Za-zÀ-ÿ]{2,}", words) and (" " in words or "eq." in words)
               for words in _TEXT_IN_MATH.findall(text))


def _markdown_pieces(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is_block): blocks and the blank lines between them; joined, they are ``text``."""
    pieces: list[tuple[str, bool]] = []
    block: list[str] = []
    gap: list[str] = []
    fence = None
    for line in text.split("\n"):
        stripped = line.strip()
        if fence is None and not stripped:
            if block:
                pieces.append(("\n".join(block), True))
                block = []
            gap.append(line)
            continue
        if gap:
            pieces.append(("\n".join(gap), False))
            gap = []
        block.append(line)
        if stripped.startswith(("```", "~~~")):
            mark = stripped[:3]
            fence = None if fence == mark else (fence or mark)
    if block:
        pieces.append(("\n".join(block), True))
    if gap:
        pieces.append(("\n".join(gap), False))
    return pieces


def _join_markdown(pieces: list[tuple[str, bool]]) -> str:
    return "\n".join(text for text, _ in pieces)


def _markdown_units(text: str) -> list[Unit]:
    return [Unit(piece, "markdown") for piece, block in _markdown_pieces(text) if block and _wordy(piece)]


@dataclass
class _Edit:
    start: tuple[int, int]      # (line index from 0, column)
    end: tuple[int, int]
    unit: Unit
    pieces: list[tuple[str, str]] | None = None     # strings: (prefix, quote) of each literal of the run
    prefix: str = ""                                # comments: "# "
    indent: str = ""
    full_line: bool = False


def _shown_as_is(tokens: list, first) -> bool:
    """Whether the string token ``first`` is the argument of a call or keyword that shows it (DISPLAY_CALLS)."""
    index = next((i for i, t in enumerate(tokens) if t is first), 0)
    before = [t for t in tokens[:index] if t.type not in (tokenize.NL, tokenize.COMMENT)][-2:]
    if len(before) < 2:
        return False
    name, op = before
    return (op.string == "(" and name.string in DISPLAY_CALLS) or (op.string == "=" and
                                                                   name.string in DISPLAY_KEYWORDS)


def _tokens(source: str):
    try:
        return list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None


def _code_edits(source: str) -> list[_Edit]:
    tokens = _tokens(source)
    if tokens is None:
        return []
    lines = source.split("\n")
    edits: list[_Edit] = []
    run: list = []          # adjacent STRING tokens

    def close_run():
        if not run:
            return
        parts = []
        for tok in run:
            match = _STRING.match(tok.string)
            if not match or "b" in match[1].lower():
                run.clear()
                return
            parts.append(match.groups())
        fstring = any("f" in p[0].lower() for p in parts)
        body = "".join(text if ("f" in prefix.lower() or not fstring) else text.replace("{", "{{").replace("}", "}}")
                       for prefix, _, text in parts)
        if (" " in body.strip() or _shown_as_is(tokens, run[0])) and _wordy(body):
            start, end = run[0].start, run[-1].end
            edits.append(_Edit((start[0] - 1, start[1]), (end[0] - 1, end[1]), Unit(body, "string", fstring),
                               pieces=[(p[0], p[1]) for p in parts]))
        run.clear()

    comments: list = []     # consecutive full-line comments at one column

    def close_comments():
        if not comments:
            return
        texts, prefix = [], None
        for tok in comments:
            match = re.match(r"#+\s?", tok.string)
            prefix = prefix or match[0]
            texts.append(tok.string[len(match[0]):].rstrip())
        text = "\n".join(texts)
        if _wordy(text):
            first, last = comments[0], comments[-1]
            edits.append(_Edit((first.start[0] - 1, 0), (last.start[0] - 1, len(lines[last.start[0] - 1])),
                               Unit(text, "comment"), prefix=prefix, indent=" " * first.start[1], full_line=True))
        comments.clear()

    for tok in tokens:
        if tok.type == tokenize.STRING:
            run.append(tok)
            continue
        if tok.type in (tokenize.NL, tokenize.INDENT, tokenize.DEDENT) and run:
            continue        # a run of literals goes on over line breaks inside brackets
        close_run()
        if tok.type == tokenize.COMMENT:
            line = lines[tok.start[0] - 1]
            if _MARKERS.match(tok.string) or tok.string.startswith("#!") or "noqa" in tok.string:
                close_comments()
                continue
            if line[:tok.start[1]].strip():     # after code on its line
                close_comments()
                match = re.match(r"#+\s?", tok.string)
                text = tok.string[len(match[0]):].rstrip()
                if _wordy(text):
                    edits.append(_Edit((tok.start[0] - 1, tok.start[1]), (tok.end[0] - 1, tok.end[1]),
                                       Unit(text, "comment"), prefix=match[0]))
                continue
            if comments and (tok.start[1] != comments[-1].start[1] or tok.start[0] != comments[-1].start[0] + 1):
                close_comments()
            comments.append(tok)
            continue
        if tok.type != tokenize.NL or not comments:
            close_comments()
    close_run()
    close_comments()
    return edits


def units(cell) -> list[Unit]:
    """The translatable units of a cell, in order."""
    if cell.cell_type == "markdown":
        return _markdown_units(cell.source)
    if cell.cell_type == "code":
        return [edit.unit for edit in _code_edits(cell.source)]
    return []


# -- translating ---------------------------------------------------------------------------------------------------

def _split(text: str, count: int) -> list[str]:
    """``text`` cut at spaces outside {fields} into ``count`` pieces of near-proportional lengths."""
    if count <= 1:
        return [text]
    cuts, depth = [], 0
    for index, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        elif char == " " and depth == 0:
            cuts.append(index + 1)
    pieces, start = [], 0
    for k in range(1, count):
        target = len(text) * k / count
        options = [c for c in cuts if c > start]
        if not options:
            pieces.append("")
            continue
        cut = min(options, key=lambda c: abs(c - target))
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def _quoted(text: str, quote: str) -> str:
    """``text`` made safe between ``quote``s: an unescaped quote character is escaped."""
    if len(quote) == 3:
        return text.replace(quote, "\\" + quote[0] * 3) if quote in text else text
    return re.sub(r"(?<!\\)((?:\\\\)*)" + re.escape(quote), lambda m: m[1] + "\\" + quote, text)


def _render(edit: _Edit, translation: str) -> str | list[str]:
    """What replaces ``edit``'s text: a comment's lines, a literal, or the literals of a run (a list, one each)."""
    if edit.unit.kind == "comment":
        rows = translation.split("\n")
        if edit.full_line:
            return "\n".join(edit.indent + (edit.prefix + row if row else edit.prefix.rstrip()) for row in rows)
        return edit.prefix + " ".join(rows)
    pieces = _split(translation, len(edit.pieces))
    out = []
    for (prefix, quote), piece in zip(edit.pieces, pieces):
        if edit.unit.fstring and "f" not in prefix.lower():
            prefix += "f"
        out.append(prefix + quote + _quoted(piece, quote) + quote)
    if len(out) == 1:
        return out[0]
    # keep the original layout: literal k where literal k was (the text between them is whitespace and newlines)
    return out


def translate_code(source: str, lookup, missing: list | None = None) -> str:
    """``source`` with each unit's text replaced by ``lookup(unit)`` (None: left as it is)."""
    edits = _code_edits(source)
    if not edits:
        return source
    lines = source.split("\n")
    tokens = _tokens(source) or []
    for edit in reversed(edits):
        translation = lookup(edit.unit)
        if translation is None:
            if missing is not None:
                missing.append(edit.unit)
            continue
        rendered = _render(edit, translation)
        if isinstance(rendered, list):      # a run of literals: replace each token in place, last first
            run = [t for t in tokens if t.type == tokenize.STRING
                   and (edit.start <= (t.start[0] - 1, t.start[1])) and ((t.end[0] - 1, t.end[1]) <= edit.end)]
            for tok, text in reversed(list(zip(run, rendered))):
                _replace(lines, (tok.start[0] - 1, tok.start[1]), (tok.end[0] - 1, tok.end[1]), text)
        else:
            _replace(lines, edit.start, edit.end, rendered)
    return "\n".join(lines)


def _replace(lines: list[str], start: tuple[int, int], end: tuple[int, int], text: str) -> None:
    head = lines[start[0]][:start[1]]
    tail = lines[end[0]][end[1]:]
    lines[start[0]:end[0] + 1] = (head + text + tail).split("\n")


OMIT = "-"      # the translation of a paragraph that the edition leaves out (an English gloss of a French quotation)


def translate_markdown(source: str, lookup, missing: list | None = None) -> str:
    pieces = []
    for piece, block in _markdown_pieces(source):
        if block and _wordy(piece):
            translation = lookup(Unit(piece, "markdown"))
            if translation is None:
                if missing is not None:
                    missing.append(Unit(piece, "markdown"))
            elif translation.strip() == OMIT:
                if pieces and not pieces[-1][1]:
                    pieces.pop()        # with the blank lines before it
                continue
            else:
                piece = translation
        pieces.append((piece, block))
    if pieces and not pieces[0][1] and len(pieces) > 1 and not source.startswith("\n"):
        pieces.pop(0)                   # the first paragraph was left out: no blank line at the top
    return _join_markdown(pieces)


def translate_cell(cell, lookup, missing: list | None = None):
    """A copy of ``cell`` in the other language (``lookup``: Unit -> its translation, or None)."""
    cell = copy.deepcopy(cell)
    if cell.cell_type == "markdown":
        cell.source = translate_markdown(cell.source, lookup, missing)
    elif cell.cell_type == "code":
        cell.source = translate_code(cell.source, lookup, missing)
    return cell


def translate_notebook(nb, catalogue: "Translations", missing: list | None = None):
    """A copy of the English notebook ``nb`` in ``catalogue.language``: every unit the catalogue has is replaced,
    the setup cell first sets the course's language, ``metadata.course.language`` says which edition it is.
    nbgrader's checksums of graded and locked cells are computed again, so that Validate accepts the edition."""
    from nbgrader.utils import compute_checksum

    out = copy.deepcopy(nb)
    out.cells = [translate_cell(cell, catalogue.lookup, missing) for cell in nb.cells]
    setup = _setup_cell(out)
    if setup is not None:
        setup.source = _with_language_line(setup.source, catalogue.language)
    for cell in out.cells:
        meta = cell.metadata.get("nbgrader")
        if meta and "checksum" in meta:
            meta["checksum"] = compute_checksum(cell)
    set_language(out, catalogue.language)
    return out


def _setup_cell(nb):
    """The cell that sets the course's language: the setup cell, else the first code cell."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    return next((c for c in code if cells.grade_id(c) == "setup"), code[0] if code else None)


def _with_language_line(source: str, language: str) -> str:
    line = SET_LANGUAGE.format(language=language)
    return source if source.startswith(line) else line + "\n" + source


def translated_source(source_cell, catalogue: "Translations", setup: bool = False) -> str:
    """The source of a gradebook cell (``source_cell``: nbgrader's SourceCell, hidden tests in) in the language of
    ``catalogue``, as that edition's notebook has it; ``setup``: the cell that sets the language."""
    key = (source_cell.cell_type, source_cell.source or "", setup)
    cached = catalogue.translated.get(key)
    if cached is None:
        if source_cell.cell_type == "markdown":
            cached = translate_markdown(key[1], catalogue.lookup)
        else:
            cached = translate_code(key[1], catalogue.lookup)
            cached = _with_language_line(cached, catalogue.language) if setup else cached
        catalogue.translated[key] = cached      # each locked cell is the same for every student
    return cached


def translate_graded(nb, catalogue: "Translations", sources: dict) -> None:
    """Put a submission of the edition of ``catalogue`` back in its language after nbgrader's OverwriteCells gave
    its locked cells their English source from the gradebook (``sources``: grade_id -> SourceCell): each locked
    cell gets the source of its edition (hidden tests in, their messages translated), and each cell of the
    assignment the checksum of its edition, so that an answer left as released is still seen as such."""
    from nbgrader.utils import compute_checksum

    setup = _setup_cell(nb)
    for cell in nb.cells:
        source = sources.get(cells.grade_id(cell))
        meta = cell.metadata.get("nbgrader")
        if source is None or not meta:
            continue
        edition = copy.deepcopy(cell)
        edition.source = translated_source(source, catalogue, setup=cell is setup)
        if source.locked:
            cell.source = edition.source
        meta["checksum"] = compute_checksum(edition)
    set_language(nb, catalogue.language)


_LOADED: dict = {}


def catalogue(root: Path, assignment: str, language: str) -> "Translations":
    """``Translations.load``, read again only when the file changed (the grader asks for it once a notebook)."""
    path = catalogue_path(root, assignment, language)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = None
    key = (str(path), language)
    cached = _LOADED.get(key)
    if cached is None or cached[0] != stamp:
        cached = _LOADED[key] = (stamp, Translations.load(root, assignment, language))
    return cached[1]


def answers_written(nb) -> int:
    """How many answer cells of ``nb`` differ from the edition they were released in (nbgrader's checksum)."""
    from nbgrader.utils import compute_checksum

    return sum(1 for c in nb.cells if cells.is_solution(c) and cells.meta(c).get("checksum")
               and cells.meta(c)["checksum"] != compute_checksum(c))


# -- catalogues ----------------------------------------------------------------------------------------------------

def catalogue_path(root: Path, assignment: str, language: str) -> Path:
    return Path(root) / "locale" / language / f"{assignment}.po"


class Translations:
    """The catalogue of one assignment in one language."""

    def __init__(self, language: str, catalog: Catalog | None = None):
        self.language = language
        self.catalog = catalog or Catalog(locale=language)
        self._table = {m.id: m.string for m in self.catalog if m.id and m.string and not m.fuzzy}
        self.translated: dict = {}      # (cell type, English source, setup) -> that source in this language

    @classmethod
    def load(cls, root: Path, assignment: str, language: str) -> "Translations":
        path = catalogue_path(root, assignment, language)
        if not path.is_file():
            return cls(language)
        with path.open("rb") as f:
            return cls(language, pofile.read_po(f, locale=language))

    def lookup(self, unit: Unit) -> str | None:
        return self._table.get(unit.text)

    def hidden(self) -> dict[str, str]:
        """The hidden-test units and their translations."""
        return {m.id: m.string for m in self.catalog if m.id and HIDDEN in m.auto_comments}


def _notebook_units(source_nb, release_nb) -> tuple[list[tuple[Unit, str]], set[str]]:
    """(unit, cell id) of everything a student meets: the release's cells, and the source's locked cells with their
    hidden tests; and the texts of the release's units (the others are hidden)."""
    released = {c.get("id"): c for c in release_nb.cells}
    visible: set[str] = set()
    for cell in release_nb.cells:
        visible.update(u.text for u in units(cell))
    found = []
    for cell in source_nb.cells:
        shown = cell if not cells.is_solution(cell) else released.get(cell.get("id"), None)
        if shown is None:
            continue
        found += [(u, cell.get("id") or "") for u in units(shown)]
    for cell in release_nb.cells:       # what the release adds (nbgrader's stubs)
        found += [(u, cell.get("id") or "") for u in units(cell)]
    return found, visible


HEADER = """{language} of the notebooks of {project}, "Backpropagation, step by step".
msgid: the English of a unit (a paragraph, a comment, a string) as the source notebook has it; msgstr: the
{language}. `python -m autograder release` adds the new units (msgstr empty) and marks those whose English changed
fuzzy (the old {language} kept, to review). Keep f-string fields such as {{x.shape}}, the maths and the code as they
are; a unit marked "hidden test" is a hidden test's message: it never appears in a release."""
_EPOCH = datetime(2026, 1, 1, tzinfo=timezone.utc)


def new_catalog(language: str, project: str, header: str = HEADER) -> Catalog:
    """An empty catalogue with a header that does not change from one run to the next (no dates)."""
    return Catalog(locale=language, project=project, version=None, fuzzy=False, msgid_bugs_address=None,
                   copyright_holder=None, charset="utf-8", creation_date=_EPOCH, revision_date=_EPOCH,
                   last_translator="Backpropagation, step by step", language_team=f"{LANGUAGE_NAMES[language]}",
                   header_comment="\n".join("# " + line for line in
                                            header.format(language=LANGUAGE_NAMES[language],
                                                          project=project).splitlines()))


def extract(source_nbs: list, release_nbs: list, language: str, project: str) -> Catalog:
    """A catalogue template for the notebooks of an assignment (English on both sides left empty)."""
    catalog = new_catalog(language, project)
    for (name, source_nb), release_nb in zip(source_nbs, release_nbs):
        found, visible = _notebook_units(source_nb, release_nb)
        for unit, cell_id in found:
            comments = [] if unit.text in visible else [HIDDEN]
            if comments and unit.kind == "comment":
                continue        # a hidden test's comment never reaches a student
            flags = ["python-brace-format"] if unit.fstring else []
            existing = catalog.get(unit.text)
            location = (f"{name}.ipynb#{cell_id}", None)
            if existing is not None:
                if location not in existing.locations:
                    existing.locations.append(location)
                if not comments and HIDDEN in existing.auto_comments:
                    existing.auto_comments = [c for c in existing.auto_comments if c != HIDDEN]
                continue
            message = catalog.add(unit.text, "", locations=[location], flags=flags, auto_comments=comments)
            message.flags = set(flags)      # Babel guesses python-format flags from a % or a {: not ours to guess
    return catalog


def merge(template: Catalog, old: Catalog | None) -> Catalog:
    """``template`` with the translations of ``old`` for the units that are still there; a unit whose English
    changed keeps its old French, marked fuzzy (to review), as msgmerge does."""
    if old is None:
        return template
    old.update(template, no_fuzzy_matching=False, update_header_comment=True, keep_user_comments=True,
               update_creation_date=False)
    # a unit that is gone keeps its French at the end of the file ("#~", as msgmerge does): a paragraph put back,
    # or moved where no fuzzy match finds it, is not translated again; untranslated ones are dropped
    for key in [k for k, m in old.obsolete.items() if not m.string]:
        del old.obsolete[key]
    for message in old:     # the template's flags: Babel guesses python-format flags again on every copy
        if message.id:
            wanted = template.get(message.id)
            message.flags = set(wanted.flags if wanted is not None else ()) | ({"fuzzy"} & message.flags)
            message.previous_id = []
            # a "#|" comment a broken earlier write left among the translator's comments
            message.user_comments = [c for c in message.user_comments if not c.lstrip().startswith("|")]
    return old


def describe(units: list, limit: int = 5) -> str:
    """The first words of the first ``limit`` of ``units`` (those ``translate_notebook`` left in English), for the
    teacher's log."""
    shown = "; ".join(f"{u.text.splitlines()[0][:50]!r}" for u in units[:limit])
    more = f"; and {len(units) - limit} more" if len(units) > limit else ""
    return shown + more


def write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    # include_previous stays off: Babel wraps a "#| msgid" comment inside its strings, which msgfmt and the next
    # read refuse (a teacher's PO editor too); the fuzzy entry keeps its old French, the new English is its msgid
    pofile.write_po(buffer, catalog, width=PO_WIDTH, omit_header=False, sort_output=False, include_previous=False)
    path.write_bytes(buffer.getvalue())


def read(path: Path, language: str) -> Catalog | None:
    if not path.is_file():
        return None
    with path.open("rb") as f:
        return pofile.read_po(f, locale=language)


def untranslated(catalog: Catalog) -> list:
    """The entries without a translation, or with one to review (fuzzy)."""
    def empty(string):
        return not all(string) if isinstance(string, (tuple, list)) else not string    # a plural: every form
    return [m for m in catalog if m.id and (empty(m.string) or m.fuzzy)]


def read_notebook(path: Path):
    return nbformat.read(path, as_version=4)


# -- the packages' catalogues (gettext, extracted by Babel from the calls to _ and ngettext) ------------------------

PACKAGES = {"course": "course", "autograder": "autograder"}
PACKAGE_HEADER = """{language} of the messages of the package {project} of "Backpropagation, step by step".
Its calls to _() and ngettext(), extracted by Babel: `python -m autograder translations` updates this file and
compiles the .mo beside it. Keep {{fields}} and %-placeholders as they are."""


def package_catalogue(root: Path, package: str, language: str) -> Path:
    return Path(root) / package / "locale" / language / "LC_MESSAGES" / f"{package}.po"


def extract_package(root: Path, package: str, language: str) -> Catalog:
    from babel.messages.extract import extract_from_dir

    catalog = new_catalog(language, package, PACKAGE_HEADER)
    folder = Path(root) / package
    for filename, lineno, message, comments, context in extract_from_dir(
            str(folder), method_map=[("**.py", "python")], keywords={"_": None, "ngettext": (1, 2)},
            comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
        catalog.add(message, None, locations=[(f"{package}/{filename}", lineno)], auto_comments=comments,
                    context=context)
    return catalog


def compile_catalogue(catalog: Catalog) -> bytes:
    from babel.messages import mofile

    buffer = io.BytesIO()
    mofile.write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def update_assignment(root: Path, assignment: str, language: str, sources: list, releases: list) -> Catalog:
    """Bring ``locale/<language>/<assignment>.po`` up to date with the notebooks (``sources``: (name, source
    notebook); ``releases``: their English releases) and return it."""
    path = catalogue_path(root, assignment, language)
    catalog = merge(extract(sources, releases, language, assignment), read(path, language))
    write(catalog, path)
    return catalog


def update_package(root: Path, package: str, language: str) -> Catalog:
    """Bring ``<package>/locale/<language>/LC_MESSAGES/<package>.po`` up to date with the package's ``_()`` calls,
    and compile its ``.mo`` beside it."""
    path = package_catalogue(root, package, language)
    catalog = merge(extract_package(root, package, language), read(path, language))
    write(catalog, path)
    path.with_suffix(".mo").write_bytes(compile_catalogue(catalog))
    return catalog
