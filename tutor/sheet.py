"""A formula sheet per topic (공식 정리): every formula of a topic's cards, as Markdown.

A formula is a display equation (a ``$$…$$`` line of its own) or an inline ``$…$`` that holds a
relation (``=``, ``←``, ``≈`` …). Placeholders are filled by the engine first, exactly as the
lesson shows them (``tutor.content.render`` over ``run_compute``), then the LaTeX becomes Unicode
(:mod:`tutor.mathtext`). Each card with formulas gives a ``## card title`` and one ``text`` fence,
one formula per line, so nothing is wrapped or read as Markdown emphasis.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from tutor.i18n import tr

_CODE_RE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
_DISPLAY_RE = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE_RE = re.compile(r"(?<![\\$])\$(?=\S)([^$\n]+?)(?<=\S)(?<!\\)\$(?!\d)")
_GIVEN_RE = re.compile(r"[^=\s]{1,8} = [−\d.,\[\]() ]+")   # H = 1, x = [1.0, −0.5]: a given value, not a formula
_RELATIONS = ("=", "\\le", "\\ge", "\\approx", "\\leftarrow", "\\gets", "\\propto", "\\equiv")


def card_formulas(text: str) -> list[str]:
    """The formulas of one card's (placeholder-rendered) Markdown, in order, without repeats."""
    from tutor.mathtext import _align_labels, display_lines, latex_to_unicode

    display = display_lines(text)
    rest = _DISPLAY_RE.sub(" ", _CODE_RE.sub(" ", text))
    inline = [latex_to_unicode(m.group(1).strip()) for m in _INLINE_RE.finditer(rest)
              if any(r in m.group(1) for r in _RELATIONS)]
    inline = [f for f in inline if not _GIVEN_RE.fullmatch(f)]
    out: list[str] = []
    for f in _align_labels(display) + inline:
        f = f.strip()
        if f and f not in out:
            out.append(f)
    return out


@dataclass(frozen=True)
class SheetSection:
    """One card's formulas: the card's title (in the language asked for) and its formulas."""

    title: str
    formulas: tuple[str, ...]


def sheet_sections(catalog, topic_id: str, lang: str) -> list[SheetSection]:
    """The cards of a topic that hold formulas, in lesson order; ``KeyError`` for an unknown topic.

    Placeholders are filled by the engine first (a card whose computation fails keeps them).
    """
    from tutor.content import ComputeError, render, run_compute

    out = []
    for card in catalog.topics[topic_id].cards:
        try:
            runs = run_compute(card.compute) if card.compute else {}
        except ComputeError:
            runs = {}
        formulas = card_formulas(render(card.body[lang], runs))
        if formulas:
            out.append(SheetSection(card.title[lang], tuple(formulas)))
    return out


def formula_sheet(catalog, topic_id: str, lang: str) -> str:
    """The topic's formula sheet as Markdown; ``KeyError`` for a topic the catalog lacks."""
    topic = catalog.topics[topic_id]
    parts = [f"# {tr('sheet.title', lang, title=topic.title[lang])}", ""]
    for section in sheet_sections(catalog, topic_id, lang):
        parts += [f"## {section.title}", "", "```text", *section.formulas, "```", ""]
    if len(parts) == 2:
        parts += [tr("sheet.empty", lang), ""]
    return "\n".join(parts)


def all_sheets(catalog, lang: str) -> str:
    """Every topic's formula sheet, in curriculum order (``tutor sheet --all``)."""
    return "\n".join(formula_sheet(catalog, tid, lang) for tid in catalog.topics)


# --------------------------------------------------------------------------- wrapping for a screen

_OPEN, _CLOSE = "([{⟨", ")]}⟩"
_RELATION_CHARS = "=≈≤≥←→≡∝<>"
_SUM_CHARS, _PRODUCT_CHARS = "+−-±", "·×⊙"


def cells(text: str) -> int:
    """Terminal cells of ``text``: Korean is 2 wide, combining marks (the tilde of c̃) 0."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


def _break_points(formula: str) -> list[tuple[int, int]]:
    """(index of a space where a line may end, badness). Best: the aligned gap before a formula's
    name, or before a relation (``=``, ``≈`` …); then before + −; then after a comma; then
    before · × ⊙; then any other space. Never right after a relation or an operator (no line ends in ``=``). Inside
    brackets the same, 10 worse per level, so a bracket is broken only when nothing else fits."""
    out = []
    depth = 0
    for i, ch in enumerate(formula):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        elif ch == " " and 0 < i < len(formula) - 1 and formula[i + 1] != " ":
            j = i
            while j > 0 and formula[j - 1] == " ":
                j -= 1
            if j == 0:
                continue
            prev, nxt = formula[j - 1], formula[i + 1]
            if prev in _RELATION_CHARS or prev in _SUM_CHARS or prev in _PRODUCT_CHARS:
                continue
            if i - j >= 2 and depth == 0:
                rank = 0                      # the gap before the name: ``fₜ = σ(…)   망각 게이트``
            else:
                binary = formula[i + 2:i + 3] == " "   # ``a − b``, not the sign of ``−0.11``
                rank = (1 if nxt in _RELATION_CHARS else 2 if nxt in _SUM_CHARS and binary else 3 if prev in ",;"
                        else 4 if nxt in _PRODUCT_CHARS else 5)
            out.append((i, rank + 10 * depth))
    return out


def _cost(rest: str, point: tuple[int, int], room: int, next_room: int) -> tuple[int, int]:
    """How bad ending the line at ``point`` is: its rank; 15 worse when it leaves less than a
    third of the line and the rest still does not fit on the next (``fₜ`` alone, then as long
    a line as before); among equals the latest."""
    i, rank = point
    if cells(rest[:i]) * 3 < room and cells(rest[i:].strip()) > next_room:
        rank += 15
    return rank, -i


def wrap_formula(formula: str, width: int, indent: int = 4) -> list[str]:
    """``formula`` in lines of at most ``width`` cells where it can be, broken only at a space
    (before ``=``, ``+``, ``−`` …, after a comma; outside brackets rather than inside), never inside
    a token: ``E = ½ Σₖ (tₖ − oₖ)²`` stays whole as long as it fits. Continuation lines are
    indented by ``indent``. A piece that cannot be broken is left whole, longer than ``width``
    (the screen scrolls sideways for it): nothing is ever cut or lost.
    """
    width = max(width, indent + 8)
    lines: list[str] = []
    rest, pad = formula.strip(), ""
    while cells(pad + rest) > width:
        room = width - cells(pad)
        points = _break_points(rest)
        fitting = [(i, r) for i, r in points if cells(rest[:i].rstrip()) <= room]
        if not fitting:
            if not points:
                break
            fitting = [points[0]]   # too long whatever is done: the shortest piece, scrolled sideways
        cut = min(fitting, key=lambda p, rest=rest, room=room: _cost(rest, p, room, width - indent))[0]
        lines.append(pad + rest[:cut].rstrip())
        rest, pad = rest[cut:].strip(), " " * indent
    lines.append(pad + rest)
    return lines


def glossary_rows(glossary, query: str = "") -> list[tuple[str, str, str]]:
    """(Korean, English, avoided forms) of the terms matching ``query`` in either language.

    A term matches when the query (compared without spaces, hyphens and case, as answers are)
    is part of its Korean or English name or of another accepted form: ``기울기``, ``gradient``,
    ``Vanishing-Gradient`` all find 기울기 소실 (vanishing gradient).
    """
    from tutor.textmatch import normalise

    q = normalise(query or "")
    rows = []
    for term in sorted(glossary.terms, key=lambda t: t.ko):
        if not q or any(q in normalise(f) for f in (term.ko, term.en, *term.accept)):
            rows.append((term.ko, term.en, ", ".join(term.avoid)))
    return rows
