"""Every screen's title line: the app's title and the screen's sub-title, drawn as one widget.

It looks and acts as Textual's one-row ``Header``: the palette icon on the left (a click opens the
command palette; the mouse over it shows a hint in the learner's language), "title — sub-title"
centred between the icon and a clock's width on the right, the sub-title dim, "…" where it is cut.
Textual's Header is four widgets and ~38 M instructions of a bare app's first frame (of ~940 M);
this is one widget drawn line by line (benchmarks: first screen). Not kept: Textual's click on the
header to make it three rows tall (at 80×24 the rows are the lesson's).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.strip import Strip
from textual.widget import Widget

from tutor.screens.base import shorten

ICON = "⭘"
ICON_CELLS = 8     # Textual's HeaderIcon: 8 columns, the icon after one column of padding
RIGHT_CELLS = 10   # Textual's HeaderClockSpace: the title is centred as in Textual's Header
_DIM = Style(dim=True)


class TitleBar(Widget, can_focus=False):
    """The screen's title (``Screen.title``, else the app's) and sub-title, as Textual's Header shows them."""

    ALLOW_SELECT = False
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._icon_hover = False

    def on_mount(self) -> None:
        for obj in (self.app, self.screen):
            self.watch(obj, "title", self._title_changed, init=False)
            self.watch(obj, "sub_title", self._title_changed, init=False)

    def _title_changed(self, _value=None) -> None:
        self.refresh()

    @property
    def title_parts(self) -> tuple[str, str]:
        """(title, sub-title) as shown: the screen's own where it has one, else the app's."""
        screen = self.screen
        title = screen.title if screen.title is not None else self.app.title
        sub_title = screen.sub_title if screen.sub_title is not None else self.app.sub_title
        return title or "", sub_title or ""

    @property
    def text(self) -> str:
        """The title line as shown, without the icon (tests)."""
        title, sub_title = self.title_parts
        return f"{title} — {sub_title}" if sub_title else title

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y:
            return Strip.blank(width, base)
        icon_style = base
        if self._icon_hover:   # Textual's HeaderIcon:hover: $foreground 10% over the background
            styles = self.styles
            icon_style = base + Style(bgcolor=styles.background.blend(styles.color, 0.1).rich_color)
        room = max(0, width - ICON_CELLS - RIGHT_CELLS)
        title, sub_title = self.title_parts
        parts = [(title, base)]
        if sub_title:
            parts += [(" — ", base + _DIM), (sub_title, base + _DIM)]
        shown = shorten("".join(text for text, _ in parts), room)
        segments = [Segment(" " + ICON, icon_style), Segment(" " * (ICON_CELLS - 2), icon_style)]
        left = (room - cell_len(shown)) // 2
        segments.append(Segment(" " * left, base))
        at = 0
        for text, style in parts:   # the cut title keeps each part's style
            piece = shown[at:at + len(text)]
            if piece:
                segments.append(Segment(piece, style))
            at += len(text)
        return Strip(segments).crop_extend(0, width, base)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        over = event.x < ICON_CELLS
        if over != self._icon_hover:
            self._icon_hover = over
            from tutor.i18n import tr

            self.tooltip = tr("header.palette_tip", self.app.lang) if over else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._icon_hover:
            self._icon_hover = False
            self.tooltip = None
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        if event.x < ICON_CELLS:
            event.stop()
            self.app.action_command_palette()
