"""No-break spaces hold when the TUI wraps text.

Rendered inline math joins its parts with no-break spaces (:data:`tutor.mathtext.NO_BREAK`), so
that ``θ_A = 0.8`` is never split across two lines. Rich — and Textual, whose ``Content`` wraps
with Rich's ``divide_line`` — break a line at every character Python's ``\\s`` matches, U+00A0
included. :func:`install` makes their word pattern treat the no-break spaces (U+00A0, U+2007,
U+202F) as part of a word; every other space still breaks. It is called when the app is created
(:mod:`tutor.app`); ``tests/test_korean_engine.py`` wraps a paragraph with Rich and with Textual to
check that it holds with the installed versions.
"""

from __future__ import annotations

import re

NO_BREAK_SPACES = "\u00a0\u2007\u202f"
_BREAK = rf"[^\S{NO_BREAK_SPACES}]"          # whitespace a line may break at
_WORD = rf"[\S{NO_BREAK_SPACES}]"            # what a word is made of
WORD_RE = re.compile(rf"{_BREAK}*{_WORD}+{_BREAK}*")


def install() -> bool:
    """Use :data:`WORD_RE` for Rich's line division; False when Rich has no such pattern."""
    try:
        from rich import _wrap
    except ImportError:  # pragma: no cover - rich is a dependency
        return False
    if not isinstance(getattr(_wrap, "re_word", None), re.Pattern):
        return False
    _wrap.re_word = WORD_RE
    return True
