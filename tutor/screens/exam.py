"""Exam: setup → timed questions without feedback → report with a walk through every mistake.

An exam in progress is saved answer by answer and resumes when the screen is opened again.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Label, SelectionList, Static

from tutor.i18n import tr
from tutor.review import ExamSession
from tutor.screens.base import LangScreen, ReadingScreen
from tutor.screens.question import QuestionScreen


class ExamSetupScreen(LangScreen):
    KEYS = [("escape", "app.pop_screen", "key.back", True), ("ctrl+s", "start", "key.start", True)]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static(id="exam-help", classes="muted")
            yield SelectionList[str](id="exam-topics")
            with Horizontal(classes="field-row"):
                yield Label(id="exam-count-label", classes="field-label")
                yield Input("10", id="exam-count", classes="answer", compact=True, type="integer")
            with Horizontal(classes="field-row"):
                yield Label(id="exam-minutes-label", classes="field-label")
                yield Input("20", id="exam-minutes", classes="answer", compact=True, type="number")
            yield Button(id="exam-start", variant="primary")
            yield Static(id="exam-history")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_text()

    def refresh_text(self) -> None:
        lang = self.app.lang
        self.sub_title = tr("exam.title", lang)
        self.query_one("#exam-help", Static).update(tr("exam.setup", lang))
        sel = self.query_one("#exam-topics", SelectionList)
        chosen = set(sel.selected)
        sel.clear_options()
        sel.add_options([(t.title[lang], t.id, t.id in chosen) for t in self.app.catalog.topics.values()
                         if t.questions])
        self.query_one("#exam-count-label", Label).update(tr("exam.count", lang))
        self.query_one("#exam-minutes-label", Label).update(tr("exam.minutes", lang))
        self.query_one("#exam-start", Button).label = tr("key.start", lang)
        hist = self.app.store.exams()
        if hist:
            tab = Table(title=tr("exam.history", lang), title_justify="left")
            for col in ("#", "started", "topics", "score"):
                tab.add_column(col)
            for e in hist[-10:]:
                score = "…" if e["score"] is None else f"{e['score']:.0%}"
                tab.add_row(str(e["id"]), str(e["started"])[:16], ", ".join(e["topics"])[:40], score)
            self.query_one("#exam-history", Static).update(tab)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_start()

    def action_start(self) -> None:
        lang = self.app.lang
        topics = list(self.query_one("#exam-topics", SelectionList).selected)
        if not topics:
            self.notify(tr("exam.need_topic", lang), severity="warning")
            return
        try:
            n = int(self.query_one("#exam-count", Input).value)
            minutes = float(self.query_one("#exam-minutes", Input).value)
        except ValueError:
            n, minutes = 0, 0.0
        if n <= 0 or not 0 < minutes <= 24 * 60:
            self.notify(tr("exam.bad_number", lang), severity="warning")
            return
        session = ExamSession(self.app.catalog, self.app.store, lang=lang)
        session.start(topics, n, minutes)
        self.app.switch_screen(ExamScreen(session))


class ExamScreen(QuestionScreen):
    KEYS = [
        ("ctrl+n", "next", "key.next", True),
        ("ctrl+p", "prev_question", "key.prev_q", True),
        ("ctrl+f", "finish", "key.finish", True),
        ("escape", "app.pop_screen", "key.back", True),
        ("f4", "app.toggle_lang", "key.lang", True),
    ]

    def __init__(self, session: ExamSession, *, resumed: bool = False):
        super().__init__([], mode="exam")
        self.session = session
        self.resumed = resumed
        self.index = session.index

    def on_mount(self) -> None:   # QuestionScreen.on_mount then makes the study and loads the item
        self.set_interval(1.0, self._tick)
        if self.resumed:
            self.notify(tr("exam.resumed", self.app.lang))

    def make_study(self):
        study = self.session.study
        study.lang = self.app.lang
        return study

    def next_ask(self, seed=None):
        return self.session.ask(self.index)

    async def load_item(self, seed=None) -> None:
        await super().load_item(seed)
        prev = self.session.exam["answers"].get(self.index)
        if prev:  # show what was saved; it can be changed until the end
            from tutor.screens.question import _wid

            for name, value in (prev["answer"] or {}).items():
                for w in self.query(f"#{_wid(name)}"):
                    w.value = str(value)

    def counter_text(self) -> str:
        left = max(0, int(self.session.seconds_left()))
        return tr("exam.counter", self.app.lang, i=self.index + 1, n=self.session.total,
                  a=len(self.session.exam["answers"]), time=f"{left // 60:d}:{left % 60:02d}")

    def _tick(self) -> None:
        if self.session.exam is None or not self.is_current:
            return
        if self.session.seconds_left() <= 0:
            self.notify(tr("exam.time_up", self.app.lang), severity="warning")
            self.action_finish()
            return
        if self.ask is not None:
            self.query_one("#q-counter", Static).update(Text(self.counter_text() + f"  ·  {self.ask.item_id}"))

    def grade_answers(self, answers):
        return self.session.answer(answers)

    def _render_feedback(self) -> None:
        # no feedback during an exam: only format errors and "saved"
        g = self.grade
        fb = self.query_one("#q-feedback", Static)
        if g is not None and g.format_error:
            fb.update(Text("⚠ " + tr("q.format", self.app.lang) + ": " + g.format_error[self.app.lang],
                           style="yellow"))
        elif g is not None:
            fb.update(Text("✔ " + tr("exam.saved", self.app.lang)))
        else:
            fb.update("")
        for w in ("#q-hints", "#q-solution"):
            self.query_one(w).display = False
        for mark in self.query(".mark"):
            mark.update("")

    def on_graded(self, grade) -> None:
        self.call_after_refresh(self._advance)

    async def _advance(self) -> None:
        if self.index < self.session.total - 1:
            self.index += 1
            await self.load_item()

    async def action_next(self) -> None:
        await self._advance()

    async def action_prev_question(self) -> None:
        if self.index > 0:
            self.index -= 1
            await self.load_item()

    def action_hint(self) -> None:  # no hints in an exam
        pass

    def action_solution(self) -> None:
        pass

    def action_finish(self) -> None:
        if self.session.exam is None:
            return
        report = self.session.finish()
        walk = self.session.walkthrough()
        self.session.exam = None
        self.app.switch_screen(ExamReportScreen(report, walk))


class ExamReportScreen(ReadingScreen):
    BODY_ID = "report"

    def __init__(self, report: dict, walk: list[dict]):
        super().__init__()
        self.report = report
        self.walk = walk

    def refresh_text(self) -> None:
        lang = self.app.lang
        r = self.report
        self.sub_title = tr("exam.report", lang)
        parts = [Text(tr("exam.score", lang, score=r["score"], correct=r["correct"], total=r["total"],
                         answered=r["answered"]), style="bold")]
        tab = Table(title=tr("exam.per_topic", lang), title_justify="left")
        for col in ("topic", "answered", "right", "score"):
            tab.add_column(col)
        for topic, row in r["per_topic"].items():
            title = self.app.catalog.topics[topic].title[lang] if topic in self.app.catalog.topics else topic
            tab.add_row(title, str(row["answered"]), f"{row['correct']}/{row['total']}", f"{row['score']:.0%}")
        parts += [tab, Text("\n" + tr("exam.mistakes", lang), style="bold underline")]
        from tutor.mathtext import render_markdown_math

        for w in self.walk:
            parts.append(Text(f"\n✗ {w['index'] + 1}. {w['item_id']} — {w['score']:.0%}", style="bold red"))
            parts.append(Text(render_markdown_math(w["prompt"][lang])))
            ans = w["answer"]
            parts.append(Text(tr("exam.your_answer", lang) + ": " + (
                ", ".join(f"{k}={v}" for k, v in ans.items()) if ans else tr("exam.unanswered", lang))))
            if w["mistake_text"]:
                parts.append(Text("→ " + w["mistake_text"][lang], style="yellow"))
            for line, marked in w["solution"]:
                parts.append(Text(("▶ " if marked else "  ") + render_markdown_math(line),
                                  style="bold yellow" if marked else ""))
        self.query_one("#report", Static).update(Group(*parts))
