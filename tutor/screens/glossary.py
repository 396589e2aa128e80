"""Glossary: the course's Korean–English terms (``terms:`` in glossary.yaml), searchable in both languages."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Input, Static

from tutor.i18n import tr
from tutor.screens.base import LangScreen, footer
from tutor.screens.titlebar import TitleBar


class GlossaryScreen(LangScreen):
    KEYS = [("escape", "app.pop_screen", "key.back", True)]
    DEFAULT_CSS = """
    GlossaryScreen #glossary-search { margin: 0 1; }
    GlossaryScreen #glossary-table { height: 1fr; }
    GlossaryScreen #glossary-count { padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._glossary = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Input(id="glossary-search")
        yield DataTable(id="glossary-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="glossary-count", classes="muted")
        yield footer()

    def on_mount(self) -> None:
        from tutor.content.terms import catalog_glossary

        self._glossary = catalog_glossary(self.app.catalog)
        self.refresh_text()
        self.query_one("#glossary-search", Input).focus()

    def refresh_text(self) -> None:
        lang = self.app.lang
        self.sub_title = tr("glossary.title", lang)
        self.query_one("#glossary-search", Input).placeholder = tr("glossary.search", lang)
        self._fill()

    def on_resize(self) -> None:
        self._fill()   # the last column's width follows the screen's

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill()

    def _fill(self) -> None:
        from tutor.sheet import glossary_rows

        if self._glossary is None:
            return
        lang = self.app.lang
        query = self.query_one("#glossary-search", Input).value
        rows = glossary_rows(self._glossary, query)
        table = self.query_one("#glossary-table", DataTable)
        table.clear(columns=True)
        # the Korean and English names at their full width; the avoided forms get the rest and
        # wrap (a row grows), so nothing runs off the right edge at 80 columns
        heads = [tr("glossary.col." + c, lang) for c in ("ko", "en", "avoid")]
        widths = [max([cell_len(heads[i])] + [cell_len(r[i]) for r in rows]) for i in (0, 1)]
        # the room with the vertical scrollbar counted whether it shows or not: a search that left a
        # few rows took its 2 cells, and the full list then ran 2 cells past the edge (40×12)
        inside = (table.content_region.width or self.app.size.width or 80) - table.styles.scrollbar_size_vertical
        least = max(cell_len(heads[2]), 8)
        if sum(widths) + least + 2 * 3 * table.cell_padding <= inside:
            rest = inside - sum(widths) - 2 * 3 * table.cell_padding
            for head, width in zip(heads, [*widths, rest]):
                table.add_column(head, width=width)
            for row in rows:
                table.add_row(*(Text(c) for c in row), height=None)
        else:
            # narrow (40 columns): the third column was off the right edge; two columns, the forms to
            # avoid under the English name ("✗ 우도"), the names wrapping at a space where they must
            room = inside - 2 * 2 * table.cell_padding
            first = min(widths[0], max(8, room * 2 // 5))
            table.add_column(heads[0], width=first)
            table.add_column(f"{heads[1]} / {heads[2]}", width=max(8, room - first))
            for ko, en, avoid in rows:
                table.add_row(Text(ko), Text(en) + (Text("\n✗ " + avoid, style="dim") if avoid else Text()),
                              height=None)
        self.query_one("#glossary-count", Static).update(
            tr("glossary.count", lang, n=len(rows), total=len(self._glossary.terms)))
