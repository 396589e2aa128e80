"""Help: every key of every screen, in the current language, generated from the real bindings.

Each screen's table is built from the binding map the screen itself builds (the same
``KEYS`` → ``BINDINGS``), then checked against what would take the key first: an app-wide priority
binding (Ctrl+P opens the command palette, Ctrl+Q quits) wins, so such a key is not listed for
the screen; a key a text field uses while the learner types (letters, digits, Enter, Home …)
is listed as working outside a text field. Keys are named as the footer names them.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input, Markdown, TextArea

from tutor.i18n import STRINGS, tr
from tutor.screens.base import ReadingScreen


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


def _table(rows: list[tuple[str, str]], lang: str) -> str:
    head = f"| {tr('help.col.key', lang)} | {tr('help.col.what', lang)} |"
    return "\n".join([head, "|---|---|", *(f"| `{k}` | {d} |" for k, d in rows)])


class HelpScreen(ReadingScreen):
    BODY_ID = "help"

    def body_widget(self):
        return Markdown(id=self.BODY_ID)

    def sections(self) -> list[tuple[str, type, type | None]]:
        from tutor.screens.exam import ExamConfirm, ExamOverview, ExamScreen, ExamSetupScreen
        from tutor.screens.home import HomeScreen
        from tutor.screens.labs import LabScreen
        from tutor.screens.lesson import LessonScreen
        from tutor.screens.question import QuestionScreen
        from tutor.screens.review import ReviewScreen

        return [("home.subtitle", HomeScreen, None), ("key.open", LessonScreen, None),
                ("key.practice", QuestionScreen, Input), ("key.review", ReviewScreen, Input),
                ("help.exam_setup", ExamSetupScreen, Input), ("key.exam", ExamScreen, Input),
                ("help.exam_overview", ExamOverview, None), ("help.exam_confirm", ExamConfirm, None),
                ("key.labs", LabScreen, TextArea), ("help.reading", ReadingScreen, None)]

    def refresh_text(self) -> None:
        lang = self.app.lang
        self.sub_title = tr("help.title", lang)
        intro = {
            "en": "Tab / Shift-Tab move between answer cells, Enter submits, Esc goes back. Answers accept `0.71`, "
                  "`71%`, `24/30`, `21.3/(21.3+8.6)`, `sqrt(2)`, `sigmoid(1.6)`. A badly formed answer costs no "
                  "attempt. In an exam, whatever is typed is kept at once (no Enter needed) and graded at the end.",
            "ko": "Tab / Shift-Tab 으로 답 칸을 이동하고, Enter 로 제출, Esc 로 뒤로 갑니다. 답은 `0.71`, `71%`, "
                  "`24/30`, `21.3/(21.3+8.6)`, `sqrt(2)`, `sigmoid(1.6)` 처럼 쓸 수 있고, 형식이 틀린 답은 시도 횟수에 "
                  "들어가지 않습니다. 시험에서는 입력한 내용이 바로 저장되고(Enter 불필요) 끝날 때 채점됩니다.",
        }[lang]
        md = [f"# {tr('help.title', lang)}", intro, f"## {tr('help.everywhere', lang)}", _table(self._everywhere(lang), lang)]
        for title, cls, field_cls in self.sections():
            md += [f"## {tr(title, lang)}", _table(key_rows(self.app, cls, lang, field_cls), lang)]
        self.query_one("#help", Markdown).update("\n\n".join(md))

    def _everywhere(self, lang: str) -> list[tuple[str, str]]:
        names = {"command_palette": tr("help.palette", lang), "quit": tr("key.quit", lang)}
        rows = [(self.app.get_key_display(b), names[b.action]) for _k, b in self.app._bindings
                if b.priority and b.action in names]
        return rows
