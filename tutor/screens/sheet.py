"""Formula sheet (공식 정리): every formula of a topic's cards — or of every topic — on one page.

What is shown comes from :mod:`tutor.sheet` (the formulas, and where a long one may break); this
screen lays it out for the terminal's width and scrolls it, down and, for a formula that cannot
be broken, sideways.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.command import Hit, Hits, Provider
from textual.containers import ScrollableContainer
from textual.widgets import Static

from tutor.i18n import tr
from tutor.screens.base import footer
from tutor.screens.reading import ReadingScreen
from tutor.screens.titlebar import TitleBar

FORMULA_INDENT = 2   # a formula under its card's title
WRAP_INDENT = 4      # a formula's continuation lines under its first


def _words(text: str, width: int) -> list[str]:
    """A title in lines of at most ``width`` cells, broken between words (a word longer than a line
    stays whole)."""
    from tutor.sheet import cells

    lines: list[str] = []
    for word in text.split():
        if lines and cells(lines[-1]) + 1 + cells(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


class FormulaSheetScreen(ReadingScreen):
    """One topic's sheet (``topic_id``), or every topic's in curriculum order (``topic_id=None``)."""

    DEFAULT_CSS = """
    FormulaSheetScreen #sheet-scroll { height: 1fr; padding: 0 1; overflow-x: auto; overflow-y: auto; }
    FormulaSheetScreen #sheet-body { width: auto; text-wrap: nowrap; }
    """

    def __init__(self, topic_id: str | None = None) -> None:
        super().__init__()
        self.topic_id = topic_id
        self._sections: dict[str, dict] = {}   # lang → [(topic title, [SheetSection])], read once
        self._width = 0

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with ScrollableContainer(id="sheet-scroll"):
            yield Static(id="sheet-body")
        yield footer()

    def on_mount(self) -> None:
        self.query_one("#sheet-scroll").focus()   # ↑ ↓ PgUp PgDn ← → scroll at once

    def sections(self, lang: str) -> list[tuple[str, list]]:
        """(topic title, its SheetSections) for each topic shown, from the core."""
        if lang not in self._sections:
            from tutor.sheet import sheet_sections

            catalog = self.app.catalog
            ids = [self.topic_id] if self.topic_id else list(catalog.topics)
            self._sections[lang] = [(catalog.topics[t].title[lang], sheet_sections(catalog, t, lang)) for t in ids]
        return self._sections[lang]

    def text_width(self) -> int:
        """Cells a line may take: the screen less the padding and the scroll bar."""
        return max((self.size.width or 80) - 4, 20)

    def lines(self, lang: str) -> Text:
        from tutor.sheet import wrap_formula

        width = self.text_width()
        out = Text()
        topics = self.sections(lang)
        for n, (topic_title, sections) in enumerate(topics):
            if self.topic_id is None:
                if n:
                    out.append("\n")
                for line in _words(f"{n + 1}. {topic_title}", width):   # numbered as on the home screen
                    out.append(line + "\n", style="bold reverse")
                out.append("\n")
            if not sections:
                out.append(tr("sheet.empty", lang) + "\n", style="italic")
            for section in sections:
                for line in _words(section.title, width):
                    out.append(line + "\n", style="bold")
                for formula in section.formulas:
                    for line in wrap_formula(formula, width - FORMULA_INDENT, WRAP_INDENT):
                        out.append(" " * FORMULA_INDENT + line + "\n")
                out.append("\n")
        out.rstrip()
        return out

    def refresh_text(self) -> None:
        lang = self.app.lang
        if self.topic_id is None:
            self.sub_title = tr("sheet.all_title", lang)
        else:
            self.sub_title = tr("sheet.title", lang, title=self.app.catalog.topics[self.topic_id].title[lang])
        self._width = self.text_width()
        self.query_one("#sheet-body", Static).update(self.lines(lang))

    def on_resize(self) -> None:
        if self.is_mounted and self.text_width() != self._width:
            self.refresh_text()

    def body_text(self) -> str:
        """What the page says, as plain text (for tests)."""
        return self.lines(self.app.lang).plain


class SheetProvider(Provider):
    """The command palette's "공식 정리: <topic>" / "Formula sheet: <topic>" (and all topics at once).

    Offered when a word of the query starts a word of "공식 정리" / "formula sheet" (in either
    language), so that a plain topic search still opens the lesson first.
    """

    def _wanted(self, query: str) -> bool:
        words = {w.lower() for lang in ("ko", "en") for key in ("sheet.title", "key.sheet")
                 for w in tr(key, lang, title="").replace(":", " ").split()}
        return any(len(q) >= 2 and any(w.startswith(q) or q.startswith(w) for w in words)
                   for q in query.lower().split())

    async def search(self, query: str) -> Hits:
        from functools import partial

        if not self._wanted(query):
            return
        app = self.app
        lang = app.lang
        other = "en" if lang == "ko" else "ko"
        matcher = self.matcher(query)
        entries = [(tr("sheet.all_title", lang), tr("sheet.all_title", other), None, "sheet.all_help")]
        entries += [(tr("sheet.title", lang, title=t.title[lang]), tr("sheet.title", other, title=t.title[other]),
                     tid, "sheet.help") for tid, t in app.catalog.topics.items()]
        for shown, also, topic_id, help_key in entries:
            score = max(matcher.match(shown), matcher.match(also))
            if score > 0:
                yield Hit(1.0 + score + (0.5 if topic_id is None else 0.0), matcher.highlight(shown),
                          partial(app.action_sheet, topic_id), text=shown, help=tr(help_key, lang))
