"""The Textual app: it only wires screens; the study logic lives in tutor.session."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding

from tutor.i18n import STRINGS, tr
from tutor.store_errors import in_lang


def _find_provider():
    from tutor.screens.browser import FindProvider

    return FindProvider


def _sheet_provider():
    from tutor.screens.sheet import SheetProvider

    return SheetProvider


class TutorApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "ML Tutor"
    BINDINGS = [Binding("q", "quit", "Quit", show=False)]
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {_find_provider, _sheet_provider}   # topics, cards, questions; formula sheets

    def __init__(self, *, store, catalog=None, source=None, lang: str = "en", seed: int | None = None):
        super().__init__()
        from tutor.nobreak import install

        install()                 # inline formulas (joined by no-break spaces) wrap as one word
        if source is None:
            from tutor.catalog_cache import CatalogSource

            source = CatalogSource(catalog=catalog)
        self.source = source      # the summary now, the full catalog on first use
        self.store = store
        self.lang = lang
        self.seed = seed          # fixes exercise variants (tests, snapshots); None: fresh each time
        self.title = tr("app.title", lang)
        self.open_exam = False    # `tutor exam …` started one: open it at once
        self.closing = False      # quitting: no key opens a screen any more (see check_action)
        for theme in _themes():
            self.register_theme(theme)
        if self.no_color:   # NO_COLOR: the monochrome theme (✓/✗ and the focus bar carry the meaning)
            self.theme = "tutor-mono"

    def get_default_screen(self):
        # the home screen is the default screen: no blank screen composed and styled first
        from tutor.screens.home import HomeScreen

        return HomeScreen()

    @property
    def catalog(self):
        return self.source.catalog

    @property
    def summary(self):
        return self.source.summary

    def on_mount(self) -> None:
        from tutor import clock

        clock.run_on()   # a fixed TUTOR_NOW runs on while the app is open (exam timers, cards falling due)
        if self.open_exam:
            self.action_exam(resumed=False)
        for notice in self.store.notices:   # in the learner's language (tutor.store_errors.Notice)
            self.notify(in_lang(notice, self.lang), title=tr("notice.store", self.lang), severity="warning", timeout=15)

    def first_screen_shown(self) -> None:
        """After the first frame: read the full catalog and check a large progress file in the
        background, and turn the garbage collector back on (see tutor.cli.run_app)."""
        self.source.preload(then=self._catalog_loaded_in_thread)
        if self.store.deferred_check:
            self.store.check_in_background(
                lambda msg: self.call_from_thread(self.notify, in_lang(msg, self.lang),
                                                  title=tr("notice.store", self.lang), severity="error", timeout=60))
        elif hasattr(self.store, "doctor_in_background"):   # tutor doctor's checks, read-only
            self.store.doctor_in_background(
                lambda msg: self.call_from_thread(self.notify, in_lang(msg, self.lang),
                                                  title=tr("notice.store", self.lang), severity="warning", timeout=30))
        import gc

        if not gc.isenabled():   # turned off by the CLI for the start (not in tests)
            gc.freeze()
            gc.enable()

    def _catalog_loaded_in_thread(self) -> None:
        try:
            self.call_from_thread(self._catalog_loaded)
        except RuntimeError:   # the app closed meanwhile
            pass

    def _catalog_loaded(self) -> None:
        """The full catalog is read: an exam whose time ran out while the learner was away is graded
        (:meth:`grade_expired_exam`), and figures that need the catalog (home's new-today count) are shown."""
        if not self.grade_expired_exam():
            screen = self.screen
            if screen.__class__.__name__ == "HomeScreen":
                screen.refresh_text()

    def grade_expired_exam(self) -> bool:
        """Grade and schedule the exam whose time is up (not open on screen: the exam screen grades its
        own), so that every count has its items at once; home then offers its report (e). True when
        one was graded."""
        from tutor.review import finish_expired
        from tutor.store_errors import StoreError

        if any(s.__class__.__name__ == "ExamScreen" for s in self.screen_stack):
            return False
        try:
            graded = finish_expired(self.catalog, self.store, lang=self.lang) is not None
        except StoreError:   # a read-only progress file (tutor doctor's view): graded when it can be written
            return False
        if graded and self.screen.__class__.__name__ == "HomeScreen":
            self.screen.refresh_text()
        return graded

    def exit(self, *args, **kwargs) -> None:
        self.closing = True
        super().exit(*args, **kwargs)

    def check_action(self, action: str, parameters) -> bool | None:
        """Once the app is closing, its keys do nothing: "qe" typed in one burst (or pasted) opened the
        exam setup while the app was torn down, and it ended with a traceback."""
        if self.closing:
            return False
        return super().check_action(action, parameters)

    # ------------------------------------------------------------------ navigation (keys + palette)
    def action_review(self) -> None:
        from tutor.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(seed=self.seed))

    def action_review_mistakes(self) -> None:
        from tutor.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(seed=self.seed, mistakes=True))

    def action_exam(self, resumed: bool = True) -> None:
        from tutor.review import ExamSession, unseen_report
        from tutor.screens.exam import ExamScreen, ExamSetupScreen

        self.grade_expired_exam()
        waiting = unseen_report(self.catalog, self.store, lang=self.lang) if resumed else None
        if waiting is not None:   # graded when its time ran out: its report first, once
            from tutor.screens.exam_report import ExamReportScreen

            self.push_screen(ExamReportScreen(*waiting, by_time=True))
            return
        session = ExamSession.resume(self.catalog, self.store, lang=self.lang)
        self.push_screen(ExamScreen(session, resumed=resumed) if session else ExamSetupScreen())

    def action_plan(self) -> None:
        from tutor.screens.plan import PlanScreen

        self.push_screen(PlanScreen())

    def action_labs(self) -> None:
        from tutor.screens.labs import LabScreen

        self.push_screen(LabScreen())

    def action_stats(self) -> None:
        from tutor.screens.stats import StatsScreen

        self.push_screen(StatsScreen())

    def action_settings(self) -> None:
        from tutor.screens.settings import SettingsScreen

        self.push_screen(SettingsScreen())

    def action_browse(self) -> None:
        from tutor.screens.browser import BrowserScreen

        self.push_screen(BrowserScreen())

    def action_glossary(self) -> None:
        from tutor.screens.glossary import GlossaryScreen

        self.push_screen(GlossaryScreen())

    def action_sheet(self, topic_id: str | None = None) -> None:
        """A topic's formula sheet; every topic's without one."""
        from tutor.screens.sheet import FormulaSheetScreen

        self.push_screen(FormulaSheetScreen(topic_id))

    def action_help(self) -> None:
        from tutor.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder=tr("palette.search", self.lang)))

    def get_system_commands(self, screen):
        for cmd in super().get_system_commands(screen):   # Textual's own (Theme, Quit, Keys …) in the UI language
            key = "palette.sys." + cmd.title.lower()
            yield cmd._replace(title=tr(key, self.lang), help=tr(key + ".help", self.lang)) if key in STRINGS else cmd
        # each with its key on home, in the learner's language (its help line said "Help / 도움말")
        for key, action, press in (("key.review", self.action_review, "r"),
                                   ("key.mistakes", self.action_review_mistakes, "m"),
                                   ("key.exam", self.action_exam, "e"),
                                   ("key.labs", self.action_labs, "a"), ("key.stats", self.action_stats, "s"),
                                   ("key.settings", self.action_settings, "o"), ("key.help", self.action_help, "?"),
                                   ("plan.title", self.action_plan, "p"),   # the footer says just "Plan"
                                   ("key.browse", self.action_browse, "b"),
                                   ("key.lang", self.action_toggle_lang, "l"),
                                   ("key.glossary", self.action_glossary, "g")):
            yield SystemCommand(tr(key, self.lang), tr("palette.key", self.lang, press=press), action)

    def action_help_quit(self) -> None:
        """ctrl+c (which copies, and no longer quits): say which key quits, in the learner's language."""
        for active in self.active_bindings.values():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(tr("quit.how", self.lang, keys=self.get_key_display(active.binding)),
                            title=tr("quit.how_title", self.lang))
                return

    def action_toggle_lang(self) -> None:
        self.lang = "en" if self.lang == "ko" else "ko"
        self.title = tr("app.title", self.lang)
        self.store.set_setting("lang", self.lang)
        for screen in self.screen_stack:
            if hasattr(screen, "language_changed"):
                screen.language_changed()

    def on_unmount(self) -> None:
        from tutor import clock

        clock.hold()
        self.store.close()

    def pictures_in_color(self) -> bool:
        """Lab and stats pictures in colour, unless NO_COLOR or the monochrome theme (then each
        series has a marker of its own)."""
        return not self.no_color and self.theme != "tutor-mono"


def _themes():
    """A high-contrast theme and a monochrome one (chosen by NO_COLOR); in Settings with the rest."""
    from textual.theme import Theme

    return [
        Theme(name="tutor-high-contrast", primary="#ffff00", secondary="#00ffff", accent="#ffff00",
              foreground="#ffffff", background="#000000", surface="#000000", panel="#1a1a1a",
              success="#00ff00", warning="#ffaf00", error="#ff5f5f", dark=True,
              variables={"text-muted": "#ffffff", "footer-key-foreground": "#ffff00"}),
        Theme(name="tutor-mono", primary="#ffffff", secondary="#c0c0c0", accent="#ffffff",
              foreground="#ffffff", background="#000000", surface="#000000", panel="#000000",
              success="#ffffff", warning="#ffffff", error="#ffffff", boost="#000000", dark=True,
              variables={"text-muted": "#c0c0c0", "footer-key-foreground": "#ffffff"}),
    ]


def _saved(store, key: str):
    """A setting the start reads, None when it is not JSON (a progress file edited by hand)."""
    try:
        return store.get_setting(key)
    except ValueError:
        return None


def create_app(*, data_dir: Path, lang: str | None = None, content: list[Path] | None = None,
               seed: int | None = None) -> TutorApp:
    """The one factory used by the CLI and by the tests."""
    from tutor.catalog_cache import open_catalog
    from tutor.store import Store

    store = Store.open(data_dir, deferred_check=True)
    source = open_catalog(content, Path(data_dir) / "content-cache.json")
    if lang is None:
        from tutor.config import default_lang

        saved = _saved(store, "lang")   # written by hand as "fr" or 5, it stopped every start
        lang = saved if saved in ("ko", "en") else default_lang()
    app = TutorApp(source=source, store=store, lang=lang, seed=seed)
    theme = _saved(store, "theme")
    if isinstance(theme, str) and theme in app.available_themes:
        app.theme = theme
    return app
