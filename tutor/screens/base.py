"""A screen whose footer keys and texts follow the app's language."""

from __future__ import annotations

from textual.binding import Binding, BindingsMap
from textual.screen import Screen

from tutor.i18n import tr


class LangScreen(Screen):
    # (key, action, i18n key, show in footer)
    KEYS: list[tuple[str, str, str, bool]] = []

    def __init__(self) -> None:
        super().__init__()
        self._apply_keys()

    @property
    def lang(self) -> str:
        return self.app.lang if self.is_attached else getattr(self, "_lang_hint", "en")

    def _apply_keys(self) -> None:
        lang = self.app.lang if self._app_ready() else "en"
        mine = BindingsMap([Binding(k, a, tr(s, lang), show=show) for k, a, s, show in self.KEYS])
        # keep Screen's own bindings (Tab / Shift-Tab focus, copy) under ours
        base = self._merged_bindings.copy() if self._merged_bindings is not None else BindingsMap()
        self._bindings = BindingsMap.merge([base, mine])

    def _app_ready(self) -> bool:
        try:
            return self.app is not None
        except Exception:  # no active app yet (constructed outside an app context)
            return False

    def language_changed(self) -> None:
        """Called by the app after a language switch: re-label keys and re-render text."""
        self._apply_keys()
        self.refresh_bindings()
        self.refresh_text()

    def refresh_text(self) -> None:  # pragma: no cover - overridden
        pass


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
        from textual.widgets import Footer, Header

        yield Header()
        with VerticalScroll():
            yield self.body_widget()
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_text()
