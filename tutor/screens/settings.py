"""Settings: language, theme, new items per day, desired retention — saved between runs — and
"fit FSRS to my reviews" (tutor.optimize, in a worker thread, with its progress and figures here)."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import Button, Input, Label, ProgressBar, Select, Static

from tutor.i18n import tr
from tutor.screens.base import LangScreen, footer
from tutor.screens.forms import FORM_CSS
from tutor.screens.titlebar import TitleBar


class SettingsScreen(LangScreen):
    CSS = FORM_CSS       # the answer forms' styles (tutor/screens/forms.py)
    SCOPED_CSS = False
    DEFAULT_CSS = """
    Select {
        width: 30;
    }
    """
    # narrower than a label and its field side by side (32 + 30): each label above its field (at 40
    # columns the menus showed one letter, "한"); the rules are in app.tcss, by .field-label's
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (66, "-wide")]
    KEYS = [("escape", "app.pop_screen", "key.back", True), ("ctrl+s", "save", "key.save", True),
            ("ctrl+o", "optimize", "optimize.key", True)]

    def compose(self) -> ComposeResult:
        store = self.app.store
        with VerticalScroll():
            yield TitleBar()
            with Horizontal(classes="field-row"):
                yield Label(id="lbl-lang", classes="field-label")
                yield Select([("한국어", "ko"), ("English", "en")], value=self.app.lang, allow_blank=False,
                             id="set-lang")
            with Horizontal(classes="field-row"):
                yield Label(id="lbl-theme", classes="field-label")
                yield Select(self._themes(self.app.lang), value=self.app.theme, allow_blank=False, id="set-theme")
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
            yield Button(id="set-optimize")
            yield ProgressBar(total=100, show_eta=False, id="opt-progress")
            yield Static(id="opt-result")
        yield footer()

    def _themes(self, lang: str) -> list[tuple[str, str]]:
        from tutor.i18n import theme_label

        return sorted(((theme_label(name, lang), name) for name in self.app.available_themes),
                      key=lambda x: x[0].lower())

    def on_mount(self) -> None:
        self.query_one("#opt-progress", ProgressBar).display = False
        self._opt_lines: list[str] | None = None
        self.refresh_text()
        # the first setting has the keys (the page's scroll pane had them: Enter and typing did nothing)
        self.query_one("#set-lang", Select).focus()

    def refresh_text(self) -> None:
        lang = self.app.lang
        self.sub_title = tr("settings.title", lang)
        for wid, key in (("#lbl-lang", "settings.lang"), ("#lbl-theme", "settings.theme"),
                         ("#lbl-new", "settings.new_per_day"), ("#lbl-goal", "settings.daily_goal"),
                         ("#lbl-ret", "settings.retention")):
            self.query_one(wid, Label).update(tr(key, lang))
        themes = self.query_one("#set-theme", Select)
        current = self.app.theme
        with themes.prevent(Select.Changed):   # the names in the other language; the theme stays
            themes.set_options(self._themes(lang))
            themes.value = current
        self.query_one("#set-save", Button).label = tr("key.save", lang)
        self.query_one("#set-optimize", Button).label = tr("optimize.button", lang)
        if self._opt_lines is not None:   # the last fit's figures, in the current language
            self._show_fit(*self._opt_lines)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "set-theme" and event.value != self.app.theme:
            self.app.theme = str(event.value)   # takes effect at once
        elif event.select.id == "set-lang" and event.value != self.app.lang:
            self.app.action_toggle_lang()        # takes effect at once

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "set-optimize":
            self.action_optimize()
        else:
            self.action_save()

    # ------------------------------------------------------------------ fit FSRS to the review log
    def action_optimize(self) -> None:
        if self.query_one("#set-optimize", Button).disabled:   # already running
            return
        self.query_one("#set-optimize", Button).disabled = True
        bar = self.query_one("#opt-progress", ProgressBar)
        bar.update(progress=0)
        bar.display = True
        self._opt_lines = None
        self.query_one("#opt-result", Static).update(tr("optimize.running", self.app.lang,
                                                        stage=tr("optimize.stage.measure", self.app.lang), pct=""))
        self.run_optimize()

    @work(thread=True, exclusive=True, group="optimize")
    def run_optimize(self) -> None:
        """tutor.optimize.fit off the UI thread (torch is imported here, never at start-up)."""
        from tutor.optimize import MIN_REVIEWS, OptimizerMissing, TooLittleHistory, fit

        def progress(stage: str, frac: float) -> None:
            self.app.call_from_thread(self._show_progress, stage, frac)

        try:
            result = fit(self.app.store, progress=progress)
        except OptimizerMissing:
            self.app.call_from_thread(self._show_fit, "error", ("optimize.missing", {}))
        except TooLittleHistory as e:
            self.app.call_from_thread(self._show_fit, "error",
                                      ("optimize.too_little", {"usable": e.usable, "need": MIN_REVIEWS}))
        except Exception as e:  # a library failure must not end the app: say it in one line
            self.app.call_from_thread(self._show_fit, "error", ("optimize.failed", {"why": str(e).splitlines()[0][:120]
                                                                                   if str(e) else type(e).__name__}))
        else:
            self.app.call_from_thread(self._show_fit, "ok", result)

    # fit's stages and how much of the whole run each takes (the fit itself is most of it)
    _STAGES = {"measure": (0, 5), "fit": (5, 85), "retention": (85, 100), "done": (100, 100)}

    def _show_progress(self, stage: str, frac: float) -> None:
        try:
            lo, hi = self._STAGES.get(stage, (0, 100))
            pct = lo + (hi - lo) * max(0.0, min(1.0, frac))
            self.query_one("#opt-progress", ProgressBar).update(progress=pct)
            lang = self.app.lang
            self.query_one("#opt-result", Static).update(tr("optimize.running", lang, pct=f"{pct:.0f}%",
                                                            stage=tr(f"optimize.stage.{stage}", lang)))
        except NoMatches:   # the screen was closed meanwhile; the fit goes on and saves its result
            pass

    def _show_fit(self, kind: str, payload) -> None:
        from tutor.optimize import report_lines

        self._opt_lines = (kind, payload)
        try:
            self.query_one("#opt-progress", ProgressBar).display = False
            self.query_one("#set-optimize", Button).disabled = False
            lang = self.app.lang
            if kind == "ok":
                text = "\n".join(report_lines(payload, lang))
            else:
                key, kw = payload
                text = tr(key, lang, **kw)
            self.query_one("#opt-result", Static).update(Text(text))
        except NoMatches:
            pass

    def action_save(self) -> None:
        from tutor.learner import STUDY_SETTINGS, SettingsError, save_study_settings

        lang = self.app.lang
        store = self.app.store
        try:
            save_study_settings(store, new_per_day=self.query_one("#set-new", Input).value,
                                daily_goal=self.query_one("#set-goal", Input).value,
                                desired_retention=self.query_one("#set-ret", Input).value)
        except SettingsError as e:
            # the field itself, its range, and the cell to fix focused (every range was listed, and
            # the bad value stood unmarked)
            fields = {"new_per_day": ("#set-new", "settings.new_per_day"), "daily_goal": ("#set-goal", "settings.daily_goal"),
                      "desired_retention": ("#set-ret", "settings.retention")}
            lines = []
            for key in e.bad:
                _kind, lo, hi = STUDY_SETTINGS[key]
                label = tr(fields[key][1], lang).split("(")[0].strip()
                lines.append(tr("settings.bad", lang, field=label, lo=lo, hi=hi))
            self.notify("\n".join(lines), severity="warning")
            self.query_one(fields[e.bad[0]][0], Input).focus()
            return
        store.set_setting("theme", self.app.theme)
        store.set_setting("lang", self.app.lang)
        self.notify(tr("settings.saved", lang))
