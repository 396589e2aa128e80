"""Help: every key of every screen, in the current language, generated from the real bindings.

Each screen's table is built from the binding map the screen itself builds (the same
``KEYS`` → ``BINDINGS``), then checked against what would take the key first: an app-wide priority
binding (Ctrl+P opens the command palette, Ctrl+Q quits) wins, so such a key is not listed for
the screen; a key a text field uses while the learner types (letters, digits, Enter, Home …)
is listed as working outside a text field. Keys are named as the footer names them. The groups
(one per screen) stand in one column at 80 columns and in two side by side from ``WIDE`` columns;
below ``SHORT`` rows the intro follows them, so that the first screen shows keys.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input, TextArea

from tutor.i18n import STRINGS, tr
from tutor.screens.reading import ReadingScreen


def real_bindings(screen_cls) -> list[Binding]:
    """The bindings a screen of ``screen_cls`` has, built by the screen's own code (not a copy of
    its KEYS list), without constructing it (some screens need a session or a topic)."""
    return [b for _key, b in screen_cls._merge_bindings()]


def _app_priority_keys(app) -> dict[str, Binding]:
    return {key: b for key, b in app._bindings if b.priority}


def _typing_keys(field_cls) -> set[str]:
    return {key for key, _b in field_cls._merge_bindings()} if field_cls is not None else set()


def key_rows(app, screen_cls, lang: str, field_cls=None) -> list[tuple[str, str]]:
    """(keys as the footer shows them, what they do) for ``screen_cls``: keys the app takes first
    are left out; keys a text field (``field_cls``) uses are marked as working outside it."""
    taken = _app_priority_keys(app)
    typing = _typing_keys(field_cls)
    rows: dict[tuple[str, bool], list[str]] = {}
    for b in real_bindings(screen_cls):
        if b.key in taken and not b.system:
            continue   # e.g. ctrl+p: the command palette opens, whatever the screen says
        if b.action in ("app.focus_next", "app.focus_previous", "screen.copy_text"):
            continue   # Tab / Shift-Tab and copying: in the "everywhere" table
        outside = field_cls is not None and not b.priority and (
            b.key in typing or len(b.key) == 1 or b.key in ("question_mark", "space"))
        desc = tr(b.description, lang) if b.description in STRINGS else b.description   # KEYS hold i18n keys
        rows.setdefault((desc, outside), []).append(app.get_key_display(b))
    return [(" / ".join(dict.fromkeys(keys)), desc + (" " + tr("help.outside", lang) if outside else ""))
            for (desc, outside), keys in rows.items()]


WIDE = 100   # columns from which the groups are laid out in two columns side by side
SHORT = 16   # rows below which the intro follows the keys (it would fill the first screen)


def _group(title: str, rows: list[tuple[str, str]], key_cells: int):
    """One screen's keys: its name, then a key and what it does per line (keys in a column of
    ``key_cells`` cells, so that the groups line up under the column header)."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=key_cells, style="bold", no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for k, d in rows:
        grid.add_row(k, d)
    return Group(Text(title, style="bold underline"), grid)


def split_columns(heights: list[int], columns: int) -> list[int]:
    """How many groups (in reading order) go into each column, so that the tallest column is as
    short as it can be with the groups kept in order (left column first)."""
    if columns < 2 or len(heights) < 2:
        return [len(heights)]
    best = min(range(1, len(heights)), key=lambda k: max(sum(heights[:k]), sum(heights[k:])))
    return [best, len(heights) - best]


class HelpScreen(ReadingScreen):
    """The keys grouped by screen: one column up to :data:`WIDE` columns, two side by side from there."""

    BODY_ID = "help"
    DEFAULT_CSS = """
    HelpScreen #help { height: auto; }   /* as tall as the keys: the page scrolls (a 1fr body did not) */
    HelpScreen #help-intro { padding: 0 1 1 1; }
    HelpScreen #help-cols { height: auto; }
    HelpScreen .help-col { width: 1fr; height: auto; padding: 0 1; }
    HelpScreen .help-group { height: auto; margin-bottom: 1; }
    HelpScreen .help-head { color: $text-muted; text-style: bold; }
    """

    def body_widget(self):
        from textual.containers import Horizontal, Vertical
        from textual.widgets import Static

        return Vertical(Static(id="help-intro"),
                        Horizontal(Vertical(classes="help-col"), Vertical(classes="help-col"), id="help-cols"),
                        id=self.BODY_ID)

    def sections(self) -> list[tuple[str, type, type | None]]:
        from tutor.screens.browser import BrowserScreen
        from tutor.screens.exam import ExamConfirm, ExamOverview, ExamScreen, ExamSetupScreen
        from tutor.screens.glossary import GlossaryScreen
        from tutor.screens.home import HomeScreen
        from tutor.screens.labs import LabScreen
        from tutor.screens.lesson import LessonScreen
        from tutor.screens.plan import PlanScreen
        from tutor.screens.question import QuestionScreen
        from tutor.screens.review import ReviewScreen
        from tutor.screens.settings import SettingsScreen

        # every screen with keys of its own (browse, plan, settings and the glossary were missing)
        return [("help.home", HomeScreen, None), ("help.lesson", LessonScreen, None),
                ("key.practice", QuestionScreen, Input), ("key.review", ReviewScreen, Input),
                ("help.exam_setup", ExamSetupScreen, Input), ("key.exam", ExamScreen, Input),
                ("help.exam_overview", ExamOverview, None), ("help.exam_confirm", ExamConfirm, None),
                ("key.labs", LabScreen, TextArea), ("key.browse", BrowserScreen, Input),
                ("key.plan", PlanScreen, Input), ("key.settings", SettingsScreen, Input),
                ("key.glossary", GlossaryScreen, Input), ("help.reading", ReadingScreen, None)]

    def groups(self, lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
        """(title, rows) of every group, "everywhere" first."""
        out = [(tr("help.everywhere", lang), self._everywhere(lang))]
        out += [(tr(title, lang), key_rows(self.app, cls, lang, field_cls)) for title, cls, field_cls in self.sections()]
        return out

    def columns_wanted(self) -> int:
        return 2 if self.app.size.width >= WIDE else 1

    def intro_last(self) -> bool:
        """On a short terminal the keys come first and the intro after them."""
        return 0 < self.app.size.height < SHORT

    def _layout(self) -> tuple[int, bool]:
        return self.columns_wanted(), self.intro_last()

    def _place_intro(self) -> None:
        from textual.widgets import Static

        body, intro, cols = self.query_one(f"#{self.BODY_ID}"), self.query_one("#help-intro", Static), self.query_one("#help-cols")
        last = self.intro_last()
        if (body.children.index(intro) > body.children.index(cols)) != last:
            body.move_child(intro, after=cols) if last else body.move_child(intro, before=cols)

    def refresh_text(self) -> None:
        from rich.cells import cell_len
        from rich.text import Text
        from textual.widgets import Static

        lang = self.app.lang
        self.sub_title = tr("help.title", lang)
        self.query_one("#help-intro", Static).update(Text(_INTRO[lang]))
        self._place_intro()
        groups = self.groups(lang)
        key_cells = max(cell_len(k) for _t, rows in groups for k, _d in rows)
        key_head = tr("help.col.key", lang)
        head = Text(key_head + " " * (key_cells + 1 - cell_len(key_head)) + tr("help.col.what", lang))
        widgets = [Static(_group(title, rows, key_cells), classes="help-group") for title, rows in groups]
        counts = split_columns([len(rows) + 2 for _t, rows in groups], self.columns_wanted())
        self._shown_layout = (len(counts), self.intro_last())
        cols = list(self.query(".help-col"))
        first = 0
        for col, n in zip(cols, [*counts, 0]):
            col.remove_children()
            col.display = n > 0
            if n:
                col.mount(Static(head, classes="help-head"), *widgets[first:first + n])
            first += n

    def on_resize(self) -> None:
        if getattr(self, "_shown_layout", None) not in (None, self._layout()):
            self.refresh_text()

    def _everywhere(self, lang: str) -> list[tuple[str, str]]:
        names = {"command_palette": tr("help.palette", lang), "quit": tr("key.quit", lang)}
        rows = [(self.app.get_key_display(b), names[b.action]) for _k, b in self.app._bindings
                if b.priority and b.action in names]
        return rows


_INTRO = {
    "en": "Tab / Shift-Tab move between answer cells, Enter submits, Esc goes back. Answers accept 0.71, "
          "71%, 24/30, 21.3/(21.3+8.6), sqrt(2), sigmoid(1.6). A badly formed answer costs no attempt. "
          "In an exam, whatever is typed is kept at once (no Enter needed) and graded at the end.",
    "ko": "Tab / Shift-Tab 키로 답 칸을 이동하고, Enter 키로 제출, Esc 키로 뒤로 갑니다. 답은 0.71, 71%, 24/30, "
          "21.3/(21.3+8.6), sqrt(2), sigmoid(1.6)처럼 쓸 수 있고, 형식이 틀린 답은 시도 횟수에 들어가지 "
          "않습니다. 시험에서는 입력한 내용이 바로 저장되고(Enter 불필요) 끝날 때 채점됩니다.",
}
