"""Markdown with math → HTML for Anki fields: ``$…$``/``$$…$$`` become MathJax ``\\(…\\)``/
``\\[…\\]`` (code spans and ``\\$`` left alone), cloze blanks become tokens for the cloze notes.
Split out of :mod:`tutor.anki`, which re-exports these names.
"""

from __future__ import annotations

import html
import re

# --------------------------------------------------------------------------- Markdown + math → HTML

_FENCE_RE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
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
    math: list[tuple[str, bool]] = []
    out: list[str] = []

    def token(tex: str, display: bool) -> str:
        math.append((tex, display))
        return f"\ue000{len(math) - 1}\ue001"

    i, n = 0, len(text)
    at_line_start = True
    while i < n:
        c = text[i]
        if at_line_start:
            m = _FENCE_RE.match(text, i)
            if m:
                fence = m.group(1)
                end = text.find("\n", i)
                j = end + 1 if end >= 0 else n
                while j < n:
                    k = text.find("\n", j)
                    line_end = k if k >= 0 else n
                    line = text[j:line_end].strip()
                    if line.startswith(fence) and set(line) <= {fence[0]}:
                        j = line_end
                        break
                    j = line_end + 1
                out.append(text[i:j])
                i = j
                at_line_start = False
                continue
        if c == "\n":
            out.append(c)
            i += 1
            at_line_start = True
            continue
        at_line_start = False
        if c == "`":
            run = i
            while run < n and text[run] == "`":
                run += 1
            ticks = text[i:run]
            j = run
            k = -1
            while True:
                k = text.find(ticks, j)
                if k < 0:
                    break
                end = k + len(ticks)
                if end < n and text[end] == "`":
                    while end < n and text[end] == "`":
                        end += 1
                    j = end
                    continue
                break
            if k < 0:
                out.append(ticks)
                i = run
            else:
                out.append(text[i:k + len(ticks)])
                i = k + len(ticks)
            continue
        if c == "\\" and i + 1 < n:
            nxt = text[i + 1]
            if nxt in "[(":
                close = "\\]" if nxt == "[" else "\\)"
                k = text.find(close, i + 2)
                if k >= 0 and text[i + 2:k].strip():
                    out.append(token(text[i + 2:k], nxt == "["))
                    i = k + 2
                    continue
            out.append(text[i:i + 2])
            i += 2
            continue
        if c == "$":
            if text.startswith("$$", i):
                k = i + 2
                while True:
                    k = text.find("$$", k)
                    if k < 0 or text[k - 1] != "\\":
                        break
                    k += 2
                if k >= 0 and text[i + 2:k].strip():
                    out.append(token(text[i + 2:k], True))
                    i = k + 2
                    continue
                out.append("$$")
                i += 2
                continue
            if i + 1 < n and not text[i + 1].isspace():
                k = i + 1
                found = -1
                while True:
                    k = text.find("$", k)
                    if k < 0:
                        break
                    if text[k - 1] == "\\" or text[k - 1].isspace() or (k + 1 < n and text[k + 1].isdigit()):
                        k += 1
                        continue
                    found = k
                    break
                if found > i + 1 and "\n\n" not in text[i + 1:found]:
                    out.append(token(text[i + 1:found], False))
                    i = found + 1
                    continue
            out.append("$")
            i += 1
            continue
        out.append(c)
        i += 1
    return "".join(out), math


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
