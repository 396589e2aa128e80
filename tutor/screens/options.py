"""The option lists of a question: one choice, several, and the row that wraps under its own text.

``value`` of each is the answer as it would be typed ("2", "1 3"), so the question screen, the
exam and its drafts treat a picked option and a typed answer alike.
"""

from __future__ import annotations

from rich.table import Table as RichTable
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class Hanging:
    """A row of an option list: ``prefix`` (marker, box, number) then ``body``, whose wrapped lines
    hang under the body's first letter, not under the marker. ``str()`` is the plain row."""

    def __init__(self, prefix: Text, body: Text):
        self.prefix = prefix
        self.body = body

    def __str__(self) -> str:
        return self.prefix.plain + self.body.plain

    def __rich__(self):
        grid = RichTable.grid()
        grid.add_column(width=self.prefix.cell_len, no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
        grid.add_row(self.prefix, self.body)
        return grid


class MarkedList(OptionList):
    """An option list whose highlighted row, while the list has focus, is marked "▶" (not by colour
    alone, and only that row: a border bar would mark every row). A long option wraps under its
    own text (:class:`Hanging`)."""

    MARK = "▶ "
    # as from an answer cell: PgUp/PgDn scroll the question (then the answer pane: the feedback)
    BINDINGS = [Binding("pageup", "screen.scroll_question(-1)", show=False),
                Binding("pagedown", "screen.scroll_question(1)", show=False)]

    def __init__(self, texts: list[Text], **kw):
        self.texts = texts
        self._marked: int | None = None
        super().__init__(*(Option(self._prompt(i), id=str(i)) for i in range(len(texts))), **kw)

    def label(self, i: int) -> Text:
        """What stands before option ``i``'s text (its number; a multi-select adds its box)."""
        return Text(f"{i + 1}. ")

    def _prompt(self, i: int) -> Hanging:
        mark = Text(self.MARK if i == self._marked else " " * len(self.MARK), style="bold")
        return Hanging(mark + self.label(i), self.texts[i])

    def redraw_row(self, i: int) -> None:
        self.replace_option_prompt_at_index(i, self._prompt(i))

    def set_texts(self, texts: list[Text]) -> None:
        """The options' texts anew (the other language), in place: the highlight and choice stay."""
        self.texts = texts
        for i in range(min(len(texts), self.option_count)):
            self.redraw_row(i)

    def _remark(self, focused: bool) -> None:
        old, self._marked = self._marked, (self.highlighted if focused else None)
        for i in {old, self._marked} - {None}:
            if i < self.option_count:
                self.redraw_row(i)

    def on_focus(self) -> None:   # runs before the widget's own focus handler: has_focus is not set yet
        if self.highlighted is None and self.option_count:
            self.highlighted = 0   # the marker shows where the arrows start (nothing is chosen)
        self._remark(True)

    def on_blur(self) -> None:
        self._remark(False)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list is self:
            self._remark(self.has_focus)


class ChoiceList(MarkedList):
    """One option of a choice question: arrows + Enter, a number key, or a click. ``value`` is the
    chosen option's number as text ("2"), like a typed answer ("" before a choice)."""

    def __init__(self, options: list[Text], **kw):
        super().__init__(options, **kw)
        self.chosen: int | None = None

    @property
    def value(self) -> str:
        return "" if self.chosen is None else str(self.chosen + 1)

    @value.setter
    def value(self, text: str) -> None:
        text = str(text).strip()
        self.chosen = int(text) - 1 if text.isdigit() and 0 < int(text) <= self.option_count else None
        if self.chosen is not None:
            self.highlighted = self.chosen

    def on_key(self, event) -> None:
        if event.character and event.character.isdigit() and 0 < int(event.character) <= self.option_count:
            event.stop()
            self.highlighted = int(event.character) - 1
            self.action_select()


class MultiList(MarkedList):
    """The options of a multi-select question, each marked [✓] or [ ] (not by colour alone):
    Space, a number key or a click toggles one; Enter submits. ``value`` is the chosen numbers as
    text ("1 3"), like a typed answer."""

    BINDINGS = [Binding("enter", "submit_answer", show=False), Binding("space", "toggle", show=False)]

    class Changed(Message):
        """An option was ticked or unticked (an exam saves the draft)."""

    def __init__(self, options: list[Text], **kw):
        self.chosen: set[int] = set()
        super().__init__(options, **kw)

    def label(self, i: int) -> Text:
        return Text("[✓] " if i in self.chosen else "[ ] ", style="bold") + super().label(i)

    def toggle_option(self, i: int) -> None:
        self.chosen ^= {i}
        self.redraw_row(i)
        self.post_message(self.Changed())

    @property
    def value(self) -> str:
        return " ".join(str(i + 1) for i in sorted(self.chosen))

    @value.setter
    def value(self, text: str) -> None:
        self.chosen = {int(p) - 1 for p in str(text).replace(",", " ").split()
                       if p.isdigit() and 0 < int(p) <= len(self.texts)}
        for i in range(len(self.texts)):
            self.redraw_row(i)

    def action_toggle(self) -> None:
        if self.highlighted is not None:
            self.toggle_option(self.highlighted)

    def action_submit_answer(self) -> None:
        submit = getattr(self.screen, "submit", None)
        if submit is not None:
            submit()

    def on_key(self, event) -> None:
        if event.character and event.character.isdigit() and 0 < int(event.character) <= len(self.texts):
            event.stop()
            self.highlighted = int(event.character) - 1
            self.toggle_option(int(event.character) - 1)
