"""Help: every key of every screen, in the current language."""

from __future__ import annotations

from textual.widgets import Markdown

from tutor.i18n import tr
from tutor.screens.base import ReadingScreen


def _keys_table(screen_cls, lang: str) -> str:
    rows = [f"| `{k.replace(',', '` `')}` | {tr(s, lang)} |" for k, _a, s, _show in screen_cls.KEYS]
    return "\n".join(["| key | |", "|---|---|", *rows])


class HelpScreen(ReadingScreen):
    BODY_ID = "help"

    def body_widget(self):
        return Markdown(id=self.BODY_ID)

    def refresh_text(self) -> None:
        from tutor.screens.exam import ExamScreen
        from tutor.screens.home import HomeScreen
        from tutor.screens.labs import LabScreen
        from tutor.screens.lesson import LessonScreen
        from tutor.screens.question import QuestionScreen
        from tutor.screens.review import ReviewScreen

        lang = self.app.lang
        self.sub_title = tr("help.title", lang)
        intro = {
            "en": "Tab / Shift-Tab move between answer cells, Enter submits, Esc goes back, `q` quits "
                  "(outside a text field), Ctrl+P opens the command palette. Answers accept `0.71`, `71%`, "
                  "`24/30`, `21.3/(21.3+8.6)`, `sqrt(2)`, `sigmoid(1.6)`. A badly formed answer costs no attempt.",
            "ko": "Tab / Shift-Tab 으로 답 칸을 이동하고, Enter 로 제출, Esc 로 뒤로, `q` 로 종료합니다"
                  "(입력 칸 밖에서). Ctrl+P 는 명령 팔레트입니다. 답은 `0.71`, `71%`, `24/30`, "
                  "`21.3/(21.3+8.6)`, `sqrt(2)`, `sigmoid(1.6)` 처럼 쓸 수 있고, 형식이 틀린 답은 시도 횟수에 들어가지 않습니다.",
        }[lang]
        sections = [("home.subtitle", HomeScreen), ("key.open", LessonScreen), ("key.practice", QuestionScreen),
                    ("key.review", ReviewScreen), ("key.exam", ExamScreen), ("key.labs", LabScreen)]
        md = [f"# {tr('help.title', lang)}", intro]
        for title, cls in sections:
            md += [f"## {tr(title, lang)}", _keys_table(cls, lang)]
        self.query_one("#help", Markdown).update("\n\n".join(md))
