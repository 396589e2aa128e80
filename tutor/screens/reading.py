"""A read-only page: header, one scrolling body, footer (stats, the exam report, help, formula sheets).

Apart from :mod:`tutor.screens.base`, which the home screen imports before its first frame: a
screen class costs ~1 M instructions to create (Textual's per-class set-up).
"""

from __future__ import annotations

from tutor.screens.base import LangScreen, footer


class ReadingScreen(LangScreen):
    """A read-only page: header, one scrolling body widget, footer; re-rendered on a language switch.

    Subclasses set ``BODY`` (the widget class, Static by default) and ``BODY_ID`` and fill the
    body in :meth:`refresh_text`.
    """

    KEYS = [("escape", "app.pop_screen", "key.back", True), ("l", "app.toggle_lang", "key.lang", True)]
    BODY_ID = "body"

    def body_widget(self):
        from textual.widgets import Static

        return Static(id=self.BODY_ID)

    def compose(self):
        from textual.containers import VerticalScroll

        from tutor.screens.titlebar import TitleBar

        yield TitleBar()
        with VerticalScroll():
            yield self.body_widget()
        yield footer()

    def on_mount(self) -> None:
        self.refresh_text()
