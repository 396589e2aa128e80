"""Math in Markdown → readable Unicode for a terminal.

:func:`render_markdown_math` replaces ``$…$``, ``$$…$$``, ``\\(…\\)`` and ``\\[…\\]`` in a
Markdown text with their Unicode rendering, leaving code spans and fenced code alone. Render
content placeholders (``tutor.content.render``) first, then the math.

The formula itself is converted by :func:`tutor.latex.latex_to_unicode`.
"""

from __future__ import annotations

import re
import unicodedata

from tutor.latex import _balanced, latex_to_unicode

__all__ = ["NO_BREAK", "display_lines", "latex_to_unicode", "plain_markdown", "render_markdown_math"]

# --------------------------------------------------------------------------- markdown

_FENCE_RE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
_MD_ESCAPE = str.maketrans({c: "\\" + c for c in "\\`*_[]<"})


NO_BREAK = "\u00a0"      # the space inside a rendered inline formula: a line is never broken there


def _convert(tex: str, display: bool, escape: bool) -> str:
    out = latex_to_unicode(tex.strip())
    if out == tex.strip() and not _balanced(tex):
        return None  # malformed: keep the original span
    if escape:
        out = out.translate(_MD_ESCAPE)
    lines = out.split("\n")
    if len(lines) > 1:
        return "  \n".join(lines) if display else "; ".join(ln.replace(" ", NO_BREAK) for ln in lines)
    return out if display else out.replace(" ", NO_BREAK)


DISPLAY_INDENT = "  "
_DISPLAY_LINE_RE = re.compile(r"^([ ]*)\$\$(.+?)\$\$[ \t]*$")


def display_lines(md: str) -> list[str]:
    """The rendered display equations of ``md`` (``$$…$$`` on lines of their own), in order."""
    out: list[str] = []
    in_fence = None
    for line in md.split("\n"):
        f = _FENCE_RE.match(line)
        if f and (in_fence is None or line.strip().startswith(in_fence)):
            in_fence = None if in_fence else f.group(1)
            continue
        m = None if in_fence else _DISPLAY_LINE_RE.match(line)
        if m and m.group(2).strip():
            out.extend(ln for ln in latex_to_unicode(m.group(2).strip()).split("\n") if ln.strip())
    return out


def _width(s: str) -> int:
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _align_labels(eqs: list[str]) -> list[str]:
    """``f = …  망각 게이트`` (a ``\\quad`` before the name): the names start in one column."""
    parts = [eq.rsplit("  ", 1) if "  " in eq else [eq] for eq in eqs]
    width = max((_width(p[0]) for p in parts if len(p) == 2), default=0)
    return [p[0] + " " * (width - _width(p[0]) + 3) + p[1] if len(p) == 2 else p[0] for p in parts]


def _display_fences(md: str) -> str:
    """Runs of ``$$…$$`` lines → one fenced block of rendered equations, one per line."""
    lines = md.split("\n")
    out: list[str] = []
    in_fence = None
    i = 0
    while i < len(lines):
        line = lines[i]
        f = _FENCE_RE.match(line)
        if f and (in_fence is None or line.strip().startswith(in_fence)):
            in_fence = None if in_fence else f.group(1)
            out.append(line)
            i += 1
            continue
        m = None if in_fence else _DISPLAY_LINE_RE.match(line)
        if not m or not m.group(2).strip() or not _balanced(m.group(2)):
            out.append(line)
            i += 1
            continue
        indent = m.group(1)
        eqs: list[str] = []
        while i < len(lines):
            m = _DISPLAY_LINE_RE.match(lines[i])
            if not m or not m.group(2).strip() or not _balanced(m.group(2)):
                break
            eqs.extend(ln for ln in latex_to_unicode(m.group(2).strip()).split("\n") if ln.strip())
            i += 1
        if out and out[-1].strip():
            out.append("")
        out.append(f"{indent}```text")
        out.extend(f"{indent}{DISPLAY_INDENT}{eq}" for eq in _align_labels(eqs))
        out.append(f"{indent}```")
        if i < len(lines) and lines[i].strip():
            out.append("")
    return "\n".join(out)


def render_markdown_math(md: str, *, escape: bool = False, display_blocks: bool = False) -> str:
    """Replace ``$…$``, ``$$…$$``, ``\\(…\\)`` and ``\\[…\\]`` with Unicode, outside code.

    An inline formula is one unit: its spaces are no-break spaces (:data:`NO_BREAK`), so a
    paragraph wrapped to the terminal never splits ``θ_A = 0.8`` across lines (display math and
    the Anki export, which reads math with :func:`scan_math`, keep their spaces).

    Inline ``$`` follows Pandoc's rule (no space just inside the dollars, no digit right after
    the closing one), so prices such as "$5 and $6" stay as they are. ``escape=True``
    backslash-escapes Markdown characters (``* _ [ ] ` < \\``) in the converted math.

    ``display_blocks=True`` (lesson cards, the formula sheet): a ``$$…$$`` block standing on
    its own line(s) becomes a display — consecutive display lines one fenced ``text`` block,
    one equation per line, indented, so Markdown neither joins them into a paragraph nor
    wraps an equation mid-expression (a fence keeps its lines whole).
    """
    if not isinstance(md, str) or not any(c in md for c in "$\\"):
        return md
    if display_blocks:
        md = _display_fences(md)
    return scan_math(md, lambda tex, display: _convert(tex, display, escape))


def scan_math(md: str, on_math) -> str:
    """``md`` with every math span outside code replaced by ``on_math(tex, display)`` (``None``:
    the span stays as written). The one reading of where math is, shared by the terminal
    (:func:`render_markdown_math`) and the Anki export (``tutor.anki_html.extract_math``):
    ``$$…$$``, ``\\[…\\]`` (display), ``$…$``, ``\\(…\\)`` (inline); inline ``$`` follows Pandoc
    (no space just inside the dollars, no digit right after the closing one, no blank line
    inside); ``\\$`` is a dollar; code spans and fenced code are left alone."""
    out: list[str] = []
    i, n = 0, len(md)
    at_line_start = True
    while i < n:
        c = md[i]
        if at_line_start:
            m = _FENCE_RE.match(md, i)
            if m:
                fence = m.group(1)
                end = md.find("\n", i)
                j = end + 1 if end >= 0 else n
                while j < n:                                   # find the closing fence line
                    k = md.find("\n", j)
                    line_end = k if k >= 0 else n
                    line = md[j:line_end].strip()
                    if line.startswith(fence[0] * len(fence)) and set(line) <= {fence[0]}:
                        j = line_end
                        break
                    j = line_end + 1
                out.append(md[i:j])
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
            run = len(md) - len(md[i:].lstrip("`"))
            ticks = md[i:run]
            j = run
            while True:
                k = md.find(ticks, j)
                if k < 0:
                    break
                if (k + len(ticks) < n and md[k + len(ticks)] == "`") or md[k - 1] == "`":
                    j = k + len(ticks)
                    while j < n and md[j] == "`":
                        j += 1
                    continue
                break
            if k < 0:
                out.append(ticks)
                i = run
            else:
                out.append(md[i:k + len(ticks)])
                i = k + len(ticks)
            continue
        if c == "\\" and i + 1 < n:
            nxt = md[i + 1]
            if nxt in "[(":
                close = "\\]" if nxt == "[" else "\\)"
                k = md.find(close, i + 2)
                if k >= 0:
                    conv = on_math(md[i + 2:k], nxt == "[") if md[i + 2:k].strip() else None
                    if conv is not None:
                        out.append(conv)
                        i = k + 2
                        continue
            out.append(md[i:i + 2])
            i += 2
            continue
        if c == "$":
            if md.startswith("$$", i):
                k = i + 2
                while True:
                    k = md.find("$$", k)
                    if k < 0 or md[k - 1] != "\\":
                        break
                    k += 2
                if k >= 0 and md[i + 2:k].strip():
                    conv = on_math(md[i + 2:k], True)
                    if conv is not None:
                        out.append(conv)
                        i = k + 2
                        continue
                out.append("$$")
                i += 2
                continue
            if i + 1 < n and not md[i + 1].isspace():
                k = i + 1
                found = -1
                while True:
                    k = md.find("$", k)
                    if k < 0:
                        break
                    if md[k - 1] == "\\":
                        k += 1
                        continue
                    if md[k - 1].isspace() or (k + 1 < n and md[k + 1].isdigit()):
                        k += 1
                        continue
                    found = k
                    break
                if found > i + 1 and "\n\n" not in md[i + 1:found]:
                    conv = on_math(md[i + 1:found], False)
                    if conv is not None:
                        out.append(conv)
                        i = found + 1
                        continue
            out.append("$")
            i += 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


# --------------------------------------------------------------------------- plain text

_EMPHASIS_RE = re.compile(
    r"(?P<d>\*\*|__)(?=\S)(?P<b>.+?)(?<=\S)(?P=d)"                                  # **bold**, __bold__
    r"|(?<![\\*])\*(?=[^\s*])(?P<i>.+?)(?<=[^\s*\\])\*(?!\*)"                         # *italic*
    r"|(?<![^\W_])_(?=[^\s_])(?P<u>.+?)(?<=[^\s_])_(?![^\W_])")                       # _italic_, not in x_i
_MD_UNESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|$~])")
_SLOT = "\ue000"   # a private-use character marks where a math span or code span goes back


def plain_markdown(md: str, *, ansi: bool = False) -> str:
    """``md`` for a plain terminal line: math rendered (:func:`render_markdown_math`), Markdown
    emphasis without its asterisks — with ``ansi`` bold (``**x**``) and italic (``*x*``) as ANSI
    styles, else the bare words — and backslash escapes resolved. Code spans are kept as written."""
    if not isinstance(md, str) or not any(c in md for c in "*_\\"):
        return render_markdown_math(md)
    kept: list[str] = []

    def keep(s: str) -> str:
        kept.append(s)
        return f"{_SLOT}{len(kept) - 1}{_SLOT}"

    def keep_math(tex: str, display: bool) -> str | None:
        conv = _convert(tex, display, False)
        return None if conv is None else keep(conv)

    text = scan_math(md, keep_math)
    text = re.sub(r"(`+)(.+?)\1", lambda m: keep(m.group(0)), text)        # code spans stay as they are
    bold, italic = ("\x1b[1m", "\x1b[22m"), ("\x1b[3m", "\x1b[23m")

    def emphasis(m: re.Match) -> str:
        inner = m.group("b") or m.group("i") or m.group("u")
        inner = _EMPHASIS_RE.sub(emphasis, inner)
        if not ansi:
            return inner
        on, off = bold if m.group("b") else italic
        return f"{on}{inner}{off}"

    text = _EMPHASIS_RE.sub(emphasis, text)
    text = _MD_UNESCAPE_RE.sub(r"\1", text)
    return re.sub(f"{_SLOT}(\\d+){_SLOT}", lambda m: kept[int(m.group(1))], text)
