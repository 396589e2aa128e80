"""A formula sheet per topic (공식 정리): every formula of a topic's cards, as Markdown.

A formula is a display equation (a ``$$…$$`` line of its own) or an inline ``$…$`` that holds a
relation (``=``, ``←``, ``≈`` …). Placeholders are filled by the engine first, exactly as the
lesson shows them (``tutor.content.render`` over ``run_compute``), then the LaTeX becomes Unicode
(:mod:`tutor.mathtext`). Each card with formulas gives a ``## card title`` and one ``text`` fence,
one formula per line, so nothing is wrapped or read as Markdown emphasis.
"""

from __future__ import annotations

import re

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


def formula_sheet(catalog, topic_id: str, lang: str) -> str:
    """The topic's formula sheet as Markdown; ``KeyError`` for a topic the catalog lacks."""
    from tutor.content import ComputeError, render, run_compute

    topic = catalog.topics[topic_id]
    parts = [f"# {tr('sheet.title', lang, title=topic.title[lang])}", ""]
    for card in topic.cards:
        try:
            runs = run_compute(card.compute) if card.compute else {}
        except ComputeError:
            runs = {}
        formulas = card_formulas(render(card.body[lang], runs))
        if not formulas:
            continue
        parts += [f"## {card.title[lang]}", "", "```text", *formulas, "```", ""]
    if len(parts) == 2:
        parts += [tr("sheet.empty", lang), ""]
    return "\n".join(parts)


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
