"""Every screen's footer: the screen's keys on one line, drawn as one widget.

It looks and acts as Textual's compact ``Footer``: "key description" for each key the screen
shows (one per action), one column apart, the key in the accent colour; a click runs the key, a
key under the mouse is marked, a key that cannot act now is dim. Textual's Footer builds a widget
for every key, and builds them again at every change of focus; this draws the line from the
screen's ``active_bindings`` when it changes (the home screen's ten keys were ~6 M instructions
of the first frame as ten widgets; benchmarks: first screen).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.strip import Strip
from textual.widget import Widget

_DIM = Style(dim=True)


class KeyFooter(Widget, can_focus=False):
    """The screen's keys, from :attr:`Screen.active_bindings` (those with ``show``)."""

    ALLOW_SELECT = False
    # Textual's Footer and FooterKey rules (compact), as component classes of one widget
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-footer--item {
            background: $footer-item-background;
        }
        & > .key-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-footer--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
    }
    """
    COMPONENT_CLASSES = {"key-footer--item", "key-footer--key", "key-footer--description", "key-footer--hover"}

    def __init__(self) -> None:
        super().__init__()
        self._keys: list[tuple[str, str, str, bool]] | None = None   # (key, shown key, description, enabled)
        self._spans: list[tuple[int, int]] = []   # each key's columns [start, end) on the line
        self._hover: int | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen) -> None:
        self._keys = None
        self.refresh()

    def keys(self) -> list[tuple[str, str, str, bool]]:
        """(key, key as shown, description, enabled) of each key shown, in the screen's order; the
        first key of an action stands for the others (as in Textual's footer)."""
        if self._keys is None:
            seen, keys = set(), []
            for active in self.screen.active_bindings.values():
                binding = active.binding
                if not binding.show or binding.action in seen:
                    continue
                seen.add(binding.action)
                keys.append((binding.key, self.app.get_key_display(binding), binding.description, active.enabled))
            self._keys = keys
        return self._keys

    @property
    def text(self) -> str:
        """The line as shown (tests)."""
        return " ".join(f"{shown} {desc}" if desc else shown for _key, shown, desc, _on in self.keys())

    def _part(self, name: str) -> Style:
        """A component's colour and text style; its background only when it has one of its own (a
        transparent one shows the key's background, which the mouse changes)."""
        style = self.get_component_rich_style(name)
        if self.get_component_styles(name).background.a == 0:
            style = style.without_color + Style(color=style.color)
        return style

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y:
            return Strip.blank(width, base)
        item = base + self._part("key-footer--item")
        hover = item + self._part("key-footer--hover")
        key_style, desc_style = self._part("key-footer--key"), self._part("key-footer--description")
        segments, spans, x = [], [], 0
        for i, (_key, shown, desc, enabled) in enumerate(self.keys()):
            under = hover if i == self._hover else item
            if not enabled:
                under += _DIM
            parts = [Segment(shown, under + key_style)]
            if desc:
                parts.append(Segment(" " + desc, under + desc_style))
            cells = sum(cell_len(part.text) for part in parts)
            spans.append((x, x + cells))
            segments += parts
            segments.append(Segment(" ", base))   # the keys' margin: the footer's own background
            x += cells + 1
        self._spans = spans
        return Strip(segments, x).crop_extend(0, width, base)

    # ------------------------------------------------------------------ mouse

    def _key_at(self, x: int) -> int | None:
        for i, (start, end) in enumerate(self._spans):
            if start <= x < end:
                return i
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        i = self._key_at(event.x)
        if i != self._hover:
            self._hover = i
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        i = self._key_at(event.x)
        if i is None:
            return
        key, _shown, _desc, enabled = self.keys()[i]
        if enabled:
            self.app.simulate_key(key)
        else:
            self.app.bell()
