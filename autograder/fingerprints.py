"""Fingerprints of one answer, for ``similarity``: its tokens once normalised, and the winnowed hashes of their
k-grams (Schleimer, Wilkerson and Aiken, "Winnowing: local algorithms for document fingerprinting", 2003).

Code is read by Python's tokenizer (by pygments' lexer when the code cannot be tokenized: it never fails): every
name a student chooses (variable, argument, function, class, attribute) becomes ``N``,
every number ``#``, every string ``S``; keywords, operators and builtins (``len``, ``range``, ``self``) stay as
written; comments, docstrings and blank space are dropped. Renaming variables, changing numbers or comments, and
re-spacing therefore change nothing. A written (markdown) answer is read as words: lower-cased words and LaTeX
commands (``\\frac``), every number ``#``; punctuation and braces are dropped.

The k-gram hashes are stable (blake2b, not Python's salted ``hash``), so a report is the same on every run; the
hashes kept are chosen by copydetect's implementation of winnowing (``copydetect.utils.winnow``): any passage of
at least ``k + window - 1`` tokens that two answers share yields at least one shared fingerprint, and none shorter
than ``k`` tokens does.
"""
from __future__ import annotations

import builtins
import hashlib
import io
import keyword
import re
import tokenize
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from copydetect.utils import winnow
from pygments.lexers import PythonLexer
from pygments.token import Comment, Literal, Name, Number, String, Text

CODE_K, CODE_WINDOW = 12, 4     # code: passages of 12 tokens and more may match; 15 and more always do
PROSE_K, PROSE_WINDOW = 8, 4    # written answers: 8 words and more may match; 11 and more always do
_LEXER = PythonLexer()
_KEPT_NAMES = (Name.Builtin, Name.Builtin.Pseudo, Name.Exception)
# A LaTeX command, a word (letters of any script), or a number.
_WORD = re.compile(r"\\[A-Za-z]+|[^\W\d_]+|\d+(?:[.,]\d+)?")


@dataclass
class Fingerprint:
    """The normalised tokens of one answer (``spans``: where each one stands in the text) and its fingerprints
    (``places``: hash -> the token positions where a k-gram with that hash starts)."""
    text: str
    k: int
    spans: list[tuple[int, int]] = field(default_factory=list)
    places: dict[int, list[int]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """How many tokens the answer has (what its share of shared passages is counted against)."""
        return len(self.spans)

    def covered(self, hashes) -> set[int]:
        """Positions of the tokens inside a k-gram with one of ``hashes``."""
        return {i for h in hashes for start in self.places.get(h, ()) for i in range(start, start + self.k)}

    def passages(self, hashes) -> list[tuple[int, int]]:
        """The character ranges of the text covered by the k-grams with one of ``hashes``: one range per run of
        consecutive tokens, in order."""
        ranges: list[tuple[int, int]] = []
        previous = None
        for i in sorted(self.covered(hashes)):
            start, end = self.spans[i]
            if previous == i - 1:
                ranges[-1] = (ranges[-1][0], end)
            else:
                ranges.append((start, end))
            previous = i
        return ranges


def code_tokens(text: str, skipped=lambda offset: False) -> tuple[list[str], list[tuple[int, int]]]:
    """The normalised tokens of Python code and their character spans, but of the tokens at an offset for which
    ``skipped`` holds (the starter code). Python's tokenizer reads it (five times faster than pygments); code it
    cannot read (an unclosed bracket or string) is read by pygments' lexer, which never fails."""
    try:
        return _python_tokens(text, skipped)
    except (tokenize.TokenError, SyntaxError):
        return _pygments_tokens(text, skipped)


_SKIPPED_TYPES = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                  tokenize.ENCODING, tokenize.ENDMARKER}
_STRING_TYPES = {tokenize.STRING} | {getattr(tokenize, t) for t in ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END")
                                     if hasattr(tokenize, t)}
_BUILTINS = frozenset(dir(builtins)) | {"self"}


def _python_tokens(text: str, skipped) -> tuple[list[str], list[tuple[int, int]]]:
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    found = list(tokenize.generate_tokens(io.StringIO(text).readline))
    tokens: list[str] = []
    spans: list[tuple[int, int]] = []
    in_string = False
    for i, token in enumerate(found):
        offset = starts[token.start[0] - 1] + token.start[1]
        end = starts[token.end[0] - 1] + token.end[1]
        if token.type in _SKIPPED_TYPES or skipped(offset):
            in_string = False
            continue
        if token.type in _STRING_TYPES:
            before = found[i - 1].type if i else tokenize.NEWLINE
            after = found[i + 1].type if i + 1 < len(found) else tokenize.NEWLINE
            if token.type == tokenize.STRING and before in (tokenize.NEWLINE, tokenize.NL, tokenize.INDENT,
                                                            tokenize.DEDENT) and after in (tokenize.NEWLINE,
                                                                                           tokenize.ENDMARKER):
                continue         # a docstring, or a string standing alone
            if in_string:        # the pieces of one f-string are one S
                spans[-1] = (spans[-1][0], end)
                continue
            symbol = "S"
        elif token.type == tokenize.NUMBER:
            symbol = "#"
        elif token.type == tokenize.NAME and not keyword.iskeyword(token.string) \
                and token.string not in _BUILTINS:
            symbol = "N"
        else:
            symbol = token.string
        in_string = symbol == "S"
        tokens.append(symbol)
        spans.append((offset, end))
    return tokens, spans


def _pygments_tokens(text: str, skipped) -> tuple[list[str], list[tuple[int, int]]]:
    tokens: list[str] = []
    spans: list[tuple[int, int]] = []
    in_string = False
    for offset, kind, value in _LEXER.get_tokens_unprocessed(text):
        if kind in Comment or kind in String.Doc or kind in Text or skipped(offset) or not value.strip():
            in_string = False
            continue
        end = offset + len(value)
        if kind in String and kind not in String.Interpol:
            if in_string:        # the pieces of one string literal (prefix, quotes, text) are one S
                spans[-1] = (spans[-1][0], end)
                continue
            symbol = "S"
        elif kind in Number or kind in Literal.Number:
            symbol = "#"
        elif kind in Name and not any(kind in kept for kept in _KEPT_NAMES):
            symbol = "N"
        else:            # keywords, operators, punctuation, builtins, the braces of an f-string
            symbol = value
        in_string = symbol == "S"
        tokens.append(symbol)
        spans.append((offset, end))
    return tokens, spans


def prose_tokens(text: str, skipped=lambda offset: False) -> tuple[list[str], list[tuple[int, int]]]:
    """The words of a written answer (lower-cased; numbers as ``#``) and their character spans, but of those at an
    offset for which ``skipped`` holds."""
    tokens, spans = [], []
    for match in _WORD.finditer(text):
        if skipped(match.start()):
            continue
        word = match.group()
        tokens.append("#" if word[0].isdigit() else word.lower())
        spans.append(match.span())
    return tokens, spans


def _kgram_hashes(tokens: list[str], k: int) -> np.ndarray:
    """A stable 48-bit hash of each k-gram (48 bits: copydetect's winnowing compares hashes as float64, exact
    below 2**53)."""
    ids = [hashlib.blake2b(t.encode(), digest_size=6).digest() for t in tokens]
    return np.array([int.from_bytes(hashlib.blake2b(b"".join(ids[i:i + k]), digest_size=6).digest(), "big")
                     for i in range(len(tokens) - k + 1)], dtype=np.int64)


def fingerprint(text: str, prose: bool = False, skipped=lambda offset: False) -> Fingerprint:
    """The fingerprint of an answer: code, or a written answer when ``prose``; the tokens at an offset for which
    ``skipped`` holds are left out."""
    tokens, spans = (prose_tokens if prose else code_tokens)(text, skipped)
    k, window = (PROSE_K, PROSE_WINDOW) if prose else (CODE_K, CODE_WINDOW)
    result = Fingerprint(text, k, spans)
    if len(tokens) < k:
        return result
    hashes, chosen = winnow(_kgram_hashes(tokens, k), window, remove_duplicates=False)
    places: dict[int, list[int]] = defaultdict(list)
    for h, i in zip(hashes.tolist(), chosen.tolist()):
        if i not in places[h]:
            places[h].append(i)
    result.places = dict(places)
    return result
