"""Settings: language, theme, new items per day, desired retention — saved between runs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Label, Select

from tutor.i18n import tr
from tutor.screens.base import LangScreen


class SettingsScreen(LangScreen):
    KEYS = [("escape", "app.pop_screen", "key.back", True), ("ctrl+s", "save", "key.save", True)]

    def compose(self) -> ComposeResult:
        store = self.app.store
        with VerticalScroll():
            yield Header()
            with Horizontal(classes="field-row"):
                yield Label(id="lbl-lang", classes="field-label")
                yield Select([("한국어", "ko"), ("English", "en")], value=self.app.lang, allow_blank=False,
                             id="set-lang")
            with Horizontal(classes="field-row"):
                yield Label(id="lbl-theme", classes="field-label")
                yield Select([(name, name) for name in sorted(self.app.available_themes)], value=self.app.theme,
                             allow_blank=False, id="set-theme")
            with Horizontal(classes="field-row"):
                yield Label(id="lbl-new", classes="field-label")
                yield Input(str(store.get_setting("new_per_day", 10)), id="set-new", type="integer",
                            classes="answer", compact=True)
            with Horizontal(classes="field-row"):
                yield Label(id="lbl-goal", classes="field-label")
                yield Input(str(store.get_setting("daily_goal", 20)), id="set-goal", type="integer",
                            classes="answer", compact=True)
            with Horizontal(classes="field-row"):
                yield Label(id="lbl-ret", classes="field-label")
                yield Input(str(store.get_setting("desired_retention", 0.9)), id="set-ret", type="number",
                            classes="answer", compact=True)
            yield Button(id="set-save", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_text()

    def refresh_text(self) -> None:
        lang = self.app.lang
        self.sub_title = tr("settings.title", lang)
        for wid, key in (("#lbl-lang", "settings.lang"), ("#lbl-theme", "settings.theme"),
                         ("#lbl-new", "settings.new_per_day"), ("#lbl-goal", "settings.daily_goal"),
                         ("#lbl-ret", "settings.retention")):
            self.query_one(wid, Label).update(tr(key, lang))
        self.query_one("#set-save", Button).label = tr("key.save", lang)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "set-theme" and event.value != self.app.theme:
            self.app.theme = str(event.value)   # takes effect at once
        elif event.select.id == "set-lang" and event.value != self.app.lang:
            self.app.action_toggle_lang()        # takes effect at once

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save()

    def action_save(self) -> None:
        from tutor.learner import save_study_settings

        lang = self.app.lang
        store = self.app.store
        try:
            save_study_settings(store, new_per_day=self.query_one("#set-new", Input).value,
                                daily_goal=self.query_one("#set-goal", Input).value,
                                desired_retention=self.query_one("#set-ret", Input).value)
        except ValueError:
            self.notify(tr("settings.bad", lang), severity="warning")
            return
        store.set_setting("theme", self.app.theme)
        store.set_setting("lang", self.app.lang)
        self.notify(tr("settings.saved", lang))
