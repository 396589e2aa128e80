"""No-break spaces hold when the TUI wraps text.

Rendered inline math joins its parts with no-break spaces (:data:`tutor.mathtext.NO_BREAK`), so
that ``θ_A = 0.8`` is never split across two lines. Rich — and Textual, whose ``Content`` wraps
with Rich's ``divide_line`` — break a line at every character Python's ``\\s`` matches, U+00A0
included. :func:`install` makes their word matcher treat the no-break spaces (U+00A0, U+2007,
U+202F) as part of a word; every other space still breaks. It is called when the app is created
(:mod:`tutor.app`); ``tests/test_korean2.py`` wraps a paragraph with Rich and with Textual to
check that it holds with the installed versions.

The matcher is Rich's own pattern run on the text with each no-break space read as a letter (the
same length, so the same spans): a pattern of its own, with those characters in its classes,
cost ~4 M instructions to compile on the first frame (benchmarks: first screen).
"""

from __future__ import annotations

import re

NO_BREAK_SPACES = "\u00a0\u2007\u202f"
_AS_LETTERS = str.maketrans({ch: "x" for ch in NO_BREAK_SPACES})


class _Word:
    """A word's match in the text as given (the span found in the translated text)."""

    __slots__ = ("_text", "_span")

    def __init__(self, text: str, span: tuple[int, int]):
        self._text, self._span = text, span

    def span(self) -> tuple[int, int]:
        return self._span

    def group(self, index: int = 0) -> str:
        if index:
            raise IndexError("no such group")
        start, end = self._span
        return self._text[start:end]


class NoBreakWords:
    """Rich's word pattern (``\\s*\\S+\\s*``) with the no-break spaces as part of a word: the
    ``match(text, pos)`` that Rich's ``words`` calls."""

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern          # Rich's own, already compiled
        self._last: tuple[str, str] = ("", "")   # (text, translated): a line is matched word by word

    def match(self, text: str, pos: int = 0):
        if not any(ch in text for ch in NO_BREAK_SPACES):
            return self.pattern.match(text, pos)
        last = self._last   # one read: another thread may wrap meanwhile
        if last[0] is not text:
            last = self._last = (text, text.translate(_AS_LETTERS))
        found = self.pattern.match(last[1], pos)
        return None if found is None else _Word(text, found.span())


def install() -> bool:
    """Use :class:`NoBreakWords` for Rich's line division; False when Rich has no such pattern."""
    try:
        from rich import _wrap
    except ImportError:  # pragma: no cover - rich is a dependency
        return False
    current = getattr(_wrap, "re_word", None)
    if isinstance(current, NoBreakWords):
        return True
    if not isinstance(current, re.Pattern):
        return False
    _wrap.re_word = NoBreakWords(current)
    return True
