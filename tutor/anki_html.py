"""Markdown with math → HTML for Anki fields: ``$…$``/``$$…$$`` become MathJax ``\\(…\\)``/
``\\[…\\]`` (code spans and ``\\$`` left alone), cloze blanks become tokens for the cloze notes.
Split out of :mod:`tutor.anki`, which re-exports these names.
"""

from __future__ import annotations

import html
import re

# --------------------------------------------------------------------------- Markdown + math → HTML

_MATH_TOKEN_RE = re.compile("\ue000(\\d+)\ue001")
_BLANK_TOKEN_RE = re.compile("\ue002(\\d+)\ue003")
_MD = None


def _markdown():
    global _MD
    if _MD is None:
        from markdown_it import MarkdownIt

        _MD = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    return _MD


def extract_math(text: str) -> tuple[str, list[tuple[str, bool]]]:
    """Cut the math out of Markdown: ``$…$``, ``$$…$$``, ``\\(…\\)``, ``\\[…\\]`` outside code
    become tokens; returns (text with tokens, [(tex, display)]).

    The rules are those of :func:`tutor.mathtext.render_markdown_math`: inline ``$`` follows
    Pandoc (no space just inside the dollars, no digit right after the closing one, no blank
    line inside), ``\\$`` is a dollar, code spans and fenced code are left alone.
    """
    if "$" not in text and "\\" not in text:
        return text, []
    from tutor.mathtext import scan_math

    math: list[tuple[str, bool]] = []

    def token(tex: str, display: bool) -> str:
        math.append((tex, display))
        return f"\ue000{len(math) - 1}\ue001"

    return scan_math(text, token), math


def _put_math(s: str, math: list[tuple[str, bool]]) -> str:
    if not math:
        return s

    def sub(m: re.Match) -> str:
        tex, display = math[int(m.group(1))]
        tex = html.escape(tex.strip(), quote=False)
        return f"\\[{tex}\\]" if display else f"\\({tex}\\)"

    return _MATH_TOKEN_RE.sub(sub, s)


def md_html(text: str, *, inline: bool = False) -> str:
    """Markdown (with math) → HTML for an Anki field; cloze blanks as the session shows them
    (``(1)＿＿＿``) become tokens that :func:`fill_blanks` replaces."""
    from tutor.session import SHOWN_BLANK_RE

    if not text:
        return ""
    text = SHOWN_BLANK_RE.sub(lambda m: f"\ue002{int(m.group(1))}\ue003", text)
    body, math = extract_math(text)
    md = _markdown()
    out = md.renderInline(body) if inline else md.render(body).strip()
    return _put_math(out, math)


def plain_html(text: str) -> str:
    """Plain text with math (solution lines, table cells) → HTML: escaped, lines kept."""
    body, math = extract_math(str(text))
    return _put_math(html.escape(body, quote=False).replace("\n", "<br>"), math)


def fill_blanks(s: str, fill) -> str:
    """Replace the blank tokens of :func:`md_html` with ``fill(number)``."""
    return _BLANK_TOKEN_RE.sub(lambda m: fill(int(m.group(1))), s)


def cloze_answer(text: str) -> str:
    """Escape an answer for the inside of ``{{c1::…}}`` (no ``::`` or ``}}`` left to end it)."""
    s = html.escape(str(text), quote=False)
    return s.replace("::", ":&#58;").replace("}", "&#125;").replace("{", "&#123;")
