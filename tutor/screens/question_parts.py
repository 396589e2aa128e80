"""The parts of the question screen (:mod:`tutor.screens.question`): a variant's table, the
question pane's widgets that share the screen between the two panes when their height changes,
and the pinned answer pane. Split out of the screen's module, which keeps the item's life cycle."""

from __future__ import annotations

from rich.table import Table as RichTable
from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from engine.core import fmt


def variant_table(table, lang: str, grade=None, typed: dict | None = None,
                  field_names: set[str] | frozenset[str] = frozenset(),
                  changed: set[str] | frozenset[str] = frozenset()) -> RichTable:
    """A variant's grid; blanks show '?' or, after grading, the typed value with ✓/✗ (``changed``:
    cells typed again since that grade, '?' again)."""
    out = RichTable(title=table.title[lang], title_justify="left", header_style="bold")
    out.add_column("")
    for c in table.cols:
        out.add_column(c[lang] if isinstance(c, dict) else str(c), justify="right")
    for r, row in zip(table.rows, table.cells):
        cells = []
        for cell in row:
            if isinstance(cell, str) and grade is not None and cell in grade.fields and cell not in changed:
                res = grade.fields[cell]
                mark = "✓" if res.ok else "✗"
                cells.append(Text(f"{(typed or {}).get(cell, '')} {mark}",
                                  style="green" if res.ok else "red"))
            elif isinstance(cell, str) and cell in field_names:
                cells.append(Text("?", style="bold yellow"))
            else:
                cells.append(fmt(cell) if isinstance(cell, (int, float)) else str(cell))
        out.add_row(r[lang] if isinstance(r, dict) else str(r), *cells)
    return out


class InQuestion:
    """A part of the question pane: when its height changes (a prompt laid out, a hint shown), the
    two panes share the screen again (:meth:`QuestionScreen._fit_panes`)."""

    def on_resize(self) -> None:
        fit = getattr(self.screen, "_fit_panes", None)
        if fit is not None:
            self.call_after_refresh(fit)


class Prompt(InQuestion, Markdown):
    pass


class QuestionPart(InQuestion, Static):
    pass


class Revealed(InQuestion, Static):
    """A text in the answer pane that is scrolled into view whole once its new text is laid out
    (then ``then``, e.g. the answer cell a format error is about, so that it stays in view)."""

    reveal_on_resize = False
    then = None

    def on_resize(self) -> None:
        if self.reveal_on_resize:
            self.reveal_on_resize = False
            self.reveal()

    def reveal(self) -> None:
        """In view, then ``then`` (both at once: deferred, the second was measured before the
        first had scrolled, and was left out of view)."""
        self.scroll_visible(animate=False, immediate=self.then is not None)
        if self.then is not None:
            self.then.scroll_visible(animate=False, immediate=True)


class AnswerPane(VerticalScroll, can_focus=False):
    """The pinned answer pane: PgUp/PgDn scroll the question above it, not the answers.

    Neither pane takes the focus (the keys scroll them: PgUp/PgDn, ctrl+↑/↓): Tab went from the
    last cell to the question, then here, where Enter did nothing and typed answers were lost, and
    a click on a pane took the keys away from the cell being typed in."""

    BINDINGS = [Binding("pageup", "screen.scroll_question(-1)", show=False),
                Binding("pagedown", "screen.scroll_question(1)", show=False)]


def can_scroll(pane, direction: int) -> bool:
    """There is more of ``pane`` to see upwards (direction < 0) or downwards."""
    return pane.scroll_y > 0 if direction < 0 else pane.scroll_y < pane.max_scroll_y
