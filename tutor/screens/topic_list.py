"""The home screen's topic table: its column header and one pre-fitted line per topic, drawn with
Textual's Line API.

An OptionList did the same job, but it builds a wrapped, measured visual for every row before the
first frame, and the home screen is the first frame: this list draws a row as one styled segment
when it is on screen (benchmarks: first screen). Keys and mouse are those of an option list:
up/down (wrapping), page up/down, home/end; a click highlights and selects; the row under the
mouse is marked. The header row stays at the top while the rows scroll (it was a widget of its
own: ~4 M instructions of the first frame; benchmarks: first screen).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

_BOLD = Style(bold=True)


class TopicList(ScrollView, can_focus=True):
    """A header line and rows of (topic id, text); ``highlighted`` is the row index (None when there
    are no rows)."""

    # an option list's look (Textual's OptionList rules, and app.tcss's bold reverse on focus)
    DEFAULT_CSS = """
    TopicList {
        height: 1fr;
        color: $foreground;
        background: $surface;
        overflow-x: hidden;
        padding: 0 1;
        & > .topic-list--row-highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .topic-list--row-highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: bold reverse;
            }
        }
        & > .topic-list--row-hover {
            background: $block-hover-background;
        }
    }
    """
    COMPONENT_CLASSES = {"topic-list--row", "topic-list--row-highlighted", "topic-list--row-hover"}
    BINDINGS = [
        Binding("down", "cursor_down", show=False),
        Binding("up", "cursor_up", show=False),
        Binding("home", "first", show=False),
        Binding("end", "last", show=False),
        Binding("pagedown", "page_down", show=False),
        Binding("pageup", "page_up", show=False),
    ]

    highlighted: reactive[int | None] = reactive(None, always_update=True)

    class _RowMessage(Message):
        def __init__(self, topic_list: TopicList, topic_id: str) -> None:
            super().__init__()
            self.topic_list = topic_list
            self.topic_id = topic_id

        @property
        def control(self) -> TopicList:
            return self.topic_list

    class Highlighted(_RowMessage):
        """The highlight moved to the row of ``topic_id``."""

    class Selected(_RowMessage):
        """The row of ``topic_id`` was clicked (Enter is the screen's own key)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._ids: list[str] = []
        self._texts: list[str] = []
        self._header = ""
        self._hover: int | None = None

    # ------------------------------------------------------------------ rows

    def set_rows(self, rows: Sequence[tuple[str, str]], header: str = "") -> None:
        """Replace the header and the rows; the highlight stays on the same index (clamped to the new rows)."""
        self._ids = [tid for tid, _ in rows]
        self._texts = [text for _, text in rows]
        self._header = header
        width = max((cell_len(t) for t in (header, *self._texts)), default=0)
        self.virtual_size = Size(width, len(self._texts) + self._top)
        self.highlighted = self.highlighted if self._texts else None
        self.refresh()

    @property
    def _top(self) -> int:
        """Screen rows above the first topic row: the header's."""
        return 1 if self._header else 0

    @property
    def header(self) -> str:
        """The column header as shown (tests)."""
        return self._header

    @property
    def row_count(self) -> int:
        return len(self._ids)

    @property
    def topic_ids(self) -> list[str]:
        return list(self._ids)

    def index_of(self, topic_id: str) -> int:
        """The row of ``topic_id`` (ValueError when it has none)."""
        return self._ids.index(topic_id)

    def row_text(self, topic_id: str) -> str:
        return self._texts[self.index_of(topic_id)]

    @property
    def highlighted_id(self) -> str | None:
        i = self.highlighted
        return self._ids[i] if i is not None and 0 <= i < len(self._ids) else None

    # ------------------------------------------------------------------ highlight

    def validate_highlighted(self, value: int | None) -> int | None:
        if value is None or not self._ids:
            return None
        return min(max(value, 0), len(self._ids) - 1)

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        self.refresh()
        if new is None:
            return
        if self.is_mounted:
            self.scroll_to_highlight()
        if old != new:
            self.post_message(self.Highlighted(self, self._ids[new]))

    def scroll_to_highlight(self) -> None:
        region = self.scrollable_content_region
        if self.highlighted is not None and region.height:   # not before the first layout
            # the row and the line below it in view: the row is drawn one line lower, under the header
            self.scroll_to_region(Region(0, self.highlighted, max(1, region.width), 1 + self._top),
                                  animate=False, force=True, immediate=True)

    def on_show(self) -> None:
        self.scroll_to_highlight()

    def on_resize(self) -> None:
        self.scroll_to_highlight()

    def action_cursor_down(self) -> None:
        if self._ids:
            self.highlighted = 0 if self.highlighted is None else (self.highlighted + 1) % len(self._ids)

    def action_cursor_up(self) -> None:
        if self._ids:
            self.highlighted = len(self._ids) - 1 if self.highlighted is None \
                else (self.highlighted - 1) % len(self._ids)

    def action_first(self) -> None:
        self.highlighted = 0

    def action_last(self) -> None:
        self.highlighted = len(self._ids) - 1

    def _move_page(self, direction: int) -> None:
        if self._ids:
            page = max(1, self.scrollable_content_region.height - self._top)
            self.highlighted = (self.highlighted or 0) + direction * page

    def action_page_down(self) -> None:
        self._move_page(1)

    def action_page_up(self) -> None:
        self._move_page(-1)

    # ------------------------------------------------------------------ mouse

    def _row_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        if offset.y < self._top:   # the header
            return None
        row = offset.y - self._top + int(self.scroll_offset.y)
        return row if 0 <= row < len(self._ids) else None

    def on_click(self, event: events.Click) -> None:
        row = self._row_at(event)
        if row is not None:
            self.highlighted = row
            self.post_message(self.Selected(self, self._ids[row]))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        row = self._row_at(event)
        if row != self._hover:
            self._hover = row
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    # ------------------------------------------------------------------ drawing

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y < self._top:
            style = self.get_visual_style("topic-list--row").rich_style
            return Strip([Segment(self._header, style + _BOLD)]).crop_extend(0, width, style)
        row = y - self._top + int(self.scroll_offset.y)
        if not 0 <= row < len(self._texts):
            return Strip.blank(width, self.get_visual_style("topic-list--row").rich_style)
        if row == self.highlighted:
            style = self.get_visual_style("topic-list--row", "topic-list--row-highlighted")
        elif row == self._hover:
            style = self.get_visual_style("topic-list--row", "topic-list--row-hover")
        else:
            style = self.get_visual_style("topic-list--row")
        rich_style = style.rich_style
        return Strip([Segment(self._texts[row], rich_style)]).crop_extend(0, width, rich_style)
