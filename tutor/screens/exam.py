"""Exam: setup → timed questions without feedback → report with a walk through every mistake.

Whatever is in an answer field is the answer: it is kept as a draft while typing (debounced,
one small transaction) and graded when the exam ends (see :class:`tutor.review.ExamSession`).
PgUp/PgDn move between questions, ctrl+↑/↓ scroll a long question (then the answer pane), F6 shows
an overview (answered / partly / not answered / flagged) and goes to any question, F7 flags the
question for later, F8 finishes (asking first when something is unanswered, partly answered,
unreadable or flagged), Esc asks before leaving (the exam keeps running; ``e`` on the home screen
resumes it).
"""

from __future__ import annotations

import time

from rich.cells import cell_len, set_cell_size
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, Input, Label, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from tutor.i18n import tr
from tutor.review import ExamSession, ItemState
from tutor.screens.base import LangScreen, footer
from tutor.screens.forms import FORM_CSS
from tutor.screens.marked import MarkedSelectionList
from tutor.screens.options import MultiList
from tutor.screens.question import QuestionScreen, _wid
from tutor.screens.titlebar import TitleBar

DRAFT_DELAY = 0.3      # seconds without a keystroke before the draft is written
DRAFT_MAX_WAIT = 1.0   # … and at most this long after the first unsaved keystroke
PREVIEW_CELLS = 40     # a question's first words in the overview


def clock_text(seconds: float) -> str:
    left = max(0, int(seconds))
    return f"{left // 60:d}:{left % 60:02d}"




class ExamSetupScreen(LangScreen):
    CSS = FORM_CSS       # the answer forms' styles (tutor/screens/forms.py)
    SCOPED_CSS = False
    # with the screen, not in app.tcss: parsed when the screen is first shown, not before the first frame
    DEFAULT_CSS = """
    #exam-topics {
        height: auto;
        max-height: 14;
    }
    """
    KEYS = [("escape", "app.pop_screen", "key.back", True), ("ctrl+s", "start", "key.start", True),
            ("f2", "select_all", "key.all", True), ("f3", "select_none", "key.none", True)]

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll():
            yield Static(id="exam-help", classes="muted")
            yield MarkedSelectionList(id="exam-topics")
            with Horizontal(classes="field-row"):
                yield Label(id="exam-count-label", classes="field-label")
                yield Input("10", id="exam-count", classes="answer", compact=True, type="integer")
            with Horizontal(classes="field-row"):
                yield Label(id="exam-minutes-label", classes="field-label")
                yield Input("20", id="exam-minutes", classes="answer", compact=True, type="number")
            yield Button(id="exam-start", variant="primary")
            yield Static(id="exam-history")
        yield footer()

    def on_mount(self) -> None:
        from tutor.learner import exam_setup_defaults

        # the last exam's topics and size, else the topics being studied: never an empty list
        start = exam_setup_defaults(self.app.store, self.app.catalog)
        self._chosen = set(start["topics"])
        self.query_one("#exam-count", Input).value = str(start["count"])
        self.query_one("#exam-minutes", Input).value = str(start["minutes"])
        self.refresh_text()
        self.query_one("#exam-topics", SelectionList).focus()

    def _fill_topics(self) -> None:
        """Each topic with a mark that reads without colour: ☑ chosen, ☐ not."""
        lang = self.app.lang
        sel = self.query_one("#exam-topics", SelectionList)
        highlighted = sel.highlighted
        with sel.prevent(SelectionList.SelectionToggled, SelectionList.SelectedChanged):
            sel.clear_options()
            sel.add_options([(("☑ " if t.id in self._chosen else "☐ ") + t.title[lang], t.id, t.id in self._chosen)
                             for t in self.app.catalog.topics.values() if t.questions])
        if highlighted is not None and sel.option_count:
            sel.highlighted = min(highlighted, sel.option_count - 1)

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        self._chosen = set(event.selection_list.selected)
        self._fill_topics()

    def action_select_all(self) -> None:
        self._chosen = {t.id for t in self.app.catalog.topics.values() if t.questions}
        self._fill_topics()

    def action_select_none(self) -> None:
        self._chosen = set()
        self._fill_topics()

    def refresh_text(self) -> None:
        lang = self.app.lang
        self.sub_title = tr("exam.title", lang)
        self.query_one("#exam-help", Static).update(tr("exam.setup", lang))
        self._fill_topics()
        self.query_one("#exam-count-label", Label).update(tr("exam.count", lang))
        self.query_one("#exam-minutes-label", Label).update(tr("exam.minutes", lang))
        self.query_one("#exam-start", Button).label = tr("key.start", lang)
        hist = self.app.store.exams()
        if hist:
            topics = self.app.catalog.topics
            tab = Table(title=tr("exam.history", lang), title_justify="left")
            for col in ("#", "exam.col.started", "exam.col.topic", "exam.col.score"):
                tab.add_column(col if col == "#" else tr(col, lang))
            for n, e in enumerate(hist[-10:], max(1, len(hist) - 9)):
                score = "…" if e["score"] is None else f"{e['score']:.0%}"
                names = ", ".join(topics[t].title[lang] if t in topics else t for t in e["topics"])
                tab.add_row(str(n), str(e["started"])[:16].replace("T", " "), names[:40], score)
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
    # finishing and leaving right after PgUp/PgDn (priority keys, which the footer lists first): on a
    # narrow terminal (40 columns) the footer shows only its first keys
    KEYS = [
        ("f8", "finish", "key.finish", True),
        ("escape", "leave", "key.leave", True),
        ("pagedown", "next", "key.next_q", True),
        ("pageup", "prev_question", "key.prev_q", True),
        ("ctrl+n", "next", "key.next_q", False),
        ("f6", "overview", "key.overview", True),
        ("f7", "flag", "key.flag", True),
        # a long question (a table under its text) scrolls, then the answer pane, as in study mode
        ("ctrl+up", "scroll_question(-1)", "key.scroll_q", True),
        ("ctrl+down", "scroll_question(1)", "key.scroll_q", False),
        ("f4", "app.toggle_lang", "key.lang", True),
    ]
    # an answer field sits in a scroll view that pages on PgUp/PgDn: here they change the question
    PRIORITY = frozenset({"pageup", "pagedown"})

    def __init__(self, session: ExamSession, *, resumed: bool = False):
        super().__init__([], mode="exam")
        self.session = session
        self.resumed = resumed
        self.index = session.index
        self._draft_timer: Timer | None = None
        self._pending_since = 0.0
        self._inputs: dict[str, Input] = {}
        self._inputs_for = None            # the Ask whose fields self._inputs are
        self._note: str | None = None      # "kept" after Enter

    def on_mount(self) -> None:   # QuestionScreen.on_mount then makes the study and loads the item
        self.set_interval(1.0, self._tick)
        self.call_after_refresh(self._tick)   # an exam whose time ran out while away ends at once
        if self.resumed and self.running and self.session.seconds_left() > 0:   # not when it ends at once
            self.notify(tr("exam.resumed", self.app.lang))

    def make_study(self):
        study = self.session.study
        study.lang = self.session.lang = self.app.lang
        return study

    def next_ask(self, seed=None):
        return self.session.ask(self.index)

    async def load_item(self, seed=None) -> None:
        self._note = None
        await super().load_item(seed)
        # a typed cell (Input) or an option list (ChoiceList / MultiList): each has a text ``value``
        self._inputs = {f.name: self.query_one(f"#{_wid(f.name)}") for f in self.ask.fields}
        self._inputs_for = self.ask
        for name, value in self.session.typed(self.index).items():   # what was typed is still there
            if name in self._inputs:
                self._inputs[name].value = str(value)

    # ------------------------------------------------------------------ drafts
    def _field_values(self) -> dict[str, str] | None:
        """{field: text} of the question shown (None while its fields are not there). Read from the
        widgets themselves, which keep their value while the screen is being taken down."""
        if self.ask is None or self._inputs_for is not self.ask:
            return None
        return {name: w.value for name, w in self._inputs.items()}

    @property
    def running(self) -> bool:
        return self.session.exam is not None and not self.session.exam.get("finished")

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if not self.running or self.ask is None:
            return
        now = time.monotonic()
        if self._draft_timer is not None:
            self._draft_timer.stop()
        else:
            self._pending_since = now
        if now - self._pending_since >= DRAFT_MAX_WAIT:   # typing without a pause: keep it anyway
            self.save_draft()
            return
        self._draft_timer = self.set_timer(DRAFT_DELAY, self.save_draft)

    @on(MultiList.Changed)
    def _ticked(self, event) -> None:
        """An option ticked is kept at once, like a typed answer (a chosen one is submitted, which
        keeps it too)."""
        if self.running and self.ask is not None:
            self.save_draft()

    def save_draft(self) -> None:
        """Write what is in the fields now (the debounce timer's end, and before anything moves on)."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        values = self._field_values()
        if not self.running or values is None:
            return
        self.session.save_draft(self.index, values)

    def on_unmount(self) -> None:
        self.save_draft()

    # ------------------------------------------------------------------ display
    def counter_text(self) -> str:
        lang = self.app.lang
        flag = tr("exam.flag_mark", lang) if self.session.flagged(self.index) else ""
        # answered whole (a partly filled exercise is "partly answered" in the list, not answered)
        answered = sum(self.session.state(i).state in ("answered", "unreadable") for i in range(self.session.total))
        return tr("exam.counter2", lang, i=self.index + 1, n=self.session.total, flag=flag, a=answered,
                  time=clock_text(self.session.seconds_left()))

    def _counter(self) -> Text:   # the topic's title is in the header
        return Text(self.counter_text())

    def refresh_text(self) -> None:
        super().refresh_text()
        if self.ask is not None:
            self.session.lang = self.app.lang
            self.query_one("#q-counter", Static).update(self._counter())

    def _tick(self) -> None:
        if not self.running:
            return
        if self.session.seconds_left() <= 0:
            self._time_up()
            return
        if self.ask is not None:
            self.query_one("#q-counter", Static).update(self._counter())

    def _time_up(self) -> None:
        if not self.running:
            return
        self.save_draft()
        while self.app.screen is not self and self in self.app.screen_stack:
            self.app.pop_screen()   # a dialog, help, … opened over the exam
        self.notify(tr("exam.time_up", self.app.lang), severity="warning")
        self._finish_now(by_time=True)

    def grade_answers(self, answers):
        """Enter: keep the answer, say whether it can be read, and go on (no grading until the end)."""
        from tutor.grading import Grade

        self.save_draft()
        problem = self.session.check(self.index, answers)
        if problem is not None:
            return Grade(format_error=problem)
        return Grade(score=0.0)

    def _render_feedback(self) -> None:
        # no feedback during an exam: only whether the answer can be read, and "kept"
        lang = self.app.lang
        g = self.grade
        fb = self.query_one("#q-feedback", Static)
        if g is not None and g.format_error:
            fb.update(Text("⚠ " + tr("exam.kept_problem", lang, problem=g.format_error[lang]), style="yellow"))
        elif self._note:
            fb.update(Text("✔ " + tr("exam.kept", lang)))
        else:
            fb.update("")
        for w in ("#q-hints", "#q-solution"):
            self.query_one(w).display = False
        for mark in self.query(".mark"):
            mark.update("")

    def on_graded(self, grade) -> None:
        self.grade = None      # nothing about right or wrong is shown (tables included)
        self._note = "kept"
        self.call_after_refresh(self._after_enter)

    async def _after_enter(self) -> None:
        if self.index < self.session.total - 1:
            await self.go_to(self.index + 1)
        else:
            self.notify(tr("exam.last", self.app.lang))

    # ------------------------------------------------------------------ navigation
    async def go_to(self, index: int) -> None:
        if not self.running or not 0 <= index < self.session.total:
            return
        self.save_draft()
        self.index = index
        await self.load_item()

    async def action_next(self) -> None:
        if self.index >= self.session.total - 1:
            self.notify(tr("exam.last", self.app.lang))
            return
        await self.go_to(self.index + 1)

    async def action_prev_question(self) -> None:
        if self.index == 0:
            self.notify(tr("exam.first", self.app.lang))
            return
        await self.go_to(self.index - 1)

    def action_overview(self) -> None:
        self.save_draft()

        async def chosen(index: int | None) -> None:
            if index is not None:
                await self.go_to(index)

        self.app.push_screen(ExamOverview(self.session, self.index), chosen)

    def action_flag(self) -> None:
        self.save_draft()
        flagged = self.session.toggle_flag(self.index)
        self.notify(tr("exam.flagged" if flagged else "exam.unflagged", self.app.lang, i=self.index + 1))
        self.query_one("#q-counter", Static).update(self._counter())

    def action_hint(self) -> None:  # no hints in an exam
        pass

    def action_solution(self) -> None:
        pass

    # ------------------------------------------------------------------ leaving, finishing
    def action_leave(self) -> None:
        self.save_draft()
        lang = self.app.lang

        def answer(leave: bool | None) -> None:
            if leave and self.running:
                self.save_draft()
                left = clock_text(self.session.seconds_left())
                self.app.pop_screen()
                self.app.notify(tr("exam.left", self.app.lang, time=left))

        self.app.push_screen(ExamConfirm(tr("exam.leave_q", lang), "key.leave", "key.stay"), answer)

    def action_finish(self) -> None:
        if not self.running:
            return
        self.save_draft()
        c = self.session.counts()
        lang = self.app.lang
        details = [tr(f"exam.finish_{k}", lang, n=c[k]) for k in ("unanswered", "partial", "unreadable", "flagged")
                   if c[k]]
        if not details:
            self._finish_now()
            return

        def answer(finish: bool | None) -> None:
            if finish:
                self._finish_now()

        self.app.push_screen(ExamConfirm(tr("exam.finish_q", lang, details=" · ".join(details) + "."),
                                         "key.finish", "key.stay"), answer)

    def _finish_now(self, by_time: bool = False) -> None:
        if not self.running:
            return
        self.session.lang = self.app.lang
        report = self.session.finish()
        walk = self.session.walkthrough()
        from tutor.screens.exam_report import ExamReportScreen

        self.app.switch_screen(ExamReportScreen(report, walk, by_time=by_time))


class ExamConfirm(LangScreen, ModalScreen[bool]):
    """A question with two answers (buttons, or y / n and Esc)."""

    DEFAULT_CSS = """
    ExamConfirm { align: center middle; }
    ExamConfirm > Vertical { width: 64; max-width: 100%; height: auto; border: thick $accent;
                             background: $surface; padding: 1 2; }
    ExamConfirm Horizontal { height: auto; margin-top: 1; }
    ExamConfirm Button { margin-right: 2; }
    """
    KEYS = [("y", "answer(True)", "key.yes", True), ("n", "answer(False)", "key.no", True),
            ("escape", "answer(False)", "key.no", False)]

    def __init__(self, question: str, yes_key: str, no_key: str):
        super().__init__()
        self.question = question
        self.yes_key, self.no_key = yes_key, no_key

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.question), id="confirm-text")
            with Horizontal():
                yield Button(id="confirm-yes", variant="primary")
                yield Button(id="confirm-no")
        yield footer()

    def on_mount(self) -> None:
        self.refresh_text()
        self.query_one("#confirm-no", Button).focus()

    def refresh_text(self) -> None:
        lang = self.app.lang
        self.query_one("#confirm-yes", Button).label = f"{tr(self.yes_key, lang)} (y)"
        self.query_one("#confirm-no", Button).label = f"{tr(self.no_key, lang)} (n)"

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class ExamOverview(LangScreen, ModalScreen):
    """Every question with its state; Enter (or typing its number) goes to it."""

    DEFAULT_CSS = """
    ExamOverview { align: center middle; }
    ExamOverview > Vertical { width: 90%; max-width: 100; height: 80%; border: thick $accent;
                              background: $surface; padding: 0 1; }
    ExamOverview #overview-list { height: 1fr; }
    ExamOverview #overview-head { height: auto; }
    /* a short terminal (40×12): the whole screen, no frames, so that the list keeps the room (it
       showed one question); the header wraps whole (cut to two lines it lost "Esc closes") */
    ExamOverview.-short > Vertical { width: 100%; height: 100%; border: none; padding: 0; }
    ExamOverview.-short #overview-list { border: none; }
    """
    KEYS = [("enter", "go", "key.jump", True), ("escape", "close", "key.back", True)]

    def __init__(self, session: ExamSession, current: int):
        super().__init__()
        self.session = session
        self.current = current
        self._number = ""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="overview-head", classes="muted")
            yield OptionList(id="overview-list", markup=False)
        yield footer()

    def on_mount(self) -> None:
        self.refresh_text()
        self.query_one("#overview-list", OptionList).focus()

    def on_resize(self) -> None:
        self.set_class(self.size.height < 20, "-short")
        self.call_after_refresh(self.refresh_text)   # the previews cut to the list's new width

    def rows(self, lang: str) -> list[tuple[int, ItemState, str, bool]]:
        """(index, state, prompt's text on one line, flagged) of every question."""
        from tutor.mathtext import render_markdown_math

        out = []
        for i in range(self.session.total):
            state = self.session.state(i)
            text = render_markdown_math(self.session.prompt(i)[lang])
            first = " ".join(text.replace("*", "").replace("`", "").split())
            out.append((i, state, first, self.session.flagged(i)))
        return out

    def refresh_text(self) -> None:
        lang = self.app.lang
        rows = self.rows(lang)
        states = [r[1].state for r in rows]
        a = states.count("answered") + states.count("unreadable")
        self.query_one("#overview-head", Static).update(Text(tr(
            "exam.overview", lang, a=a, p=states.count("partial"), u=states.count("unanswered"),
            f=sum(r[3] for r in rows))))
        marks = {"answered": "✎", "unanswered": "·", "partial": "◐", "unreadable": "⚠"}
        options = []
        for i, st, first, flagged in rows:
            label = f"{i + 1:>2}. {marks[st.state]} {tr('exam.st.' + st.state, lang, k=st.filled, n=st.cells)}"
            if flagged:
                label += "  " + tr("exam.st.flagged", lang)
            options.append(Option(Text(f"{label}  — {self._cut(first, label)}"), id=str(i)))
        ol = self.query_one("#overview-list", OptionList)
        keep = ol.highlighted
        ol.set_options(options)
        ol.highlighted = self.current if keep is None else keep

    def _cut(self, first: str, label: str) -> str:
        """A question's first words: what fits on its row beside ``label``, at most PREVIEW_CELLS
        (one line each: the list wraps a longer row; Korean is 2 cells a character)."""
        width = self.query_one("#overview-list", OptionList).scrollable_content_region.width - 2
        room = min(PREVIEW_CELLS, width - cell_len(label) - 4) if width > 0 else PREVIEW_CELLS
        if cell_len(first) <= room:
            return first
        return set_cell_size(first, max(1, room - 1)).rstrip() + "…"

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id))

    def action_go(self) -> None:
        ol = self.query_one("#overview-list", OptionList)
        if ol.highlighted is not None:
            self.dismiss(ol.highlighted)

    def action_close(self) -> None:
        self.dismiss(None)

    def on_key(self, event) -> None:
        """Typing a question's number highlights it (Enter goes there)."""
        if event.character and event.character.isdigit():
            number = self._number + event.character
            if not 1 <= int(number) <= self.session.total:
                number = event.character
            self._number = number
            if 1 <= int(number) <= self.session.total:
                self.query_one("#overview-list", OptionList).highlighted = int(number) - 1
            event.stop()
        else:
            self._number = ""
