"""The Textual app: it only wires screens; the study logic lives in tutor.session."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding

from tutor.i18n import tr


class TutorApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "ML Tutor"
    BINDINGS = [Binding("q", "quit", "Quit", show=False)]
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, *, catalog, store, lang: str = "en"):
        super().__init__()
        self.catalog = catalog
        self.store = store
        self.lang = lang
        self.title = tr("app.title", lang)

    def on_mount(self) -> None:
        from tutor.screens.home import HomeScreen

        self.push_screen(HomeScreen())
        for notice in self.store.notices:
            self.notify(notice, title=tr("notice.store", self.lang), severity="warning", timeout=15)

    def action_toggle_lang(self) -> None:
        self.lang = "en" if self.lang == "ko" else "ko"
        self.title = tr("app.title", self.lang)
        self.store.set_setting("lang", self.lang)
        for screen in self.screen_stack:
            if hasattr(screen, "language_changed"):
                screen.language_changed()

    def on_unmount(self) -> None:
        self.store.close()


def create_app(*, data_dir: Path, lang: str | None = None, content: list[Path] | None = None) -> TutorApp:
    """The one factory used by the CLI and by the tests."""
    from tutor.content import load_catalog
    from tutor.store import Store

    store = Store.open(data_dir)
    catalog = load_catalog(content)
    lang = lang or store.get_setting("lang", "en")
    return TutorApp(catalog=catalog, store=store, lang=lang)
