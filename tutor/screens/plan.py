"""Exam plan: the exam date and topics, predicted recall per topic, the day-by-day plan, a mock exam.

Thin: tutor.plan computes everything; this screen shows it, saves the date and topics, and starts
the mock exam. The plan is recomputed whenever the screen is shown again (after a session).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, SelectionList, Static

from tutor.i18n import tr
from tutor.plan import (
    PlanError,
    build_plan,
    columns,
    day_table,
    mock_line,
    parse_exam_date,
    pct,
    save_exam,
    saved_exam,
    start_mock_exam,
    summary_lines,
)
from tutor.screens.base import LangScreen, footer, shorten
from tutor.screens.marked import MarkedSelectionList
from tutor.screens.titlebar import TitleBar


class PlanScreen(LangScreen):
    DEFAULT_CSS = """
    PlanScreen #plan-date-row { height: 1; }
    PlanScreen #plan-date-label { width: auto; padding: 0 1; }
    PlanScreen #plan-date { width: 14; }
    PlanScreen #plan-date-help { width: 1fr; padding: 0 1; color: $text-muted; }
    PlanScreen #plan-summary { height: auto; }
    PlanScreen #plan-topics { height: 1fr; min-height: 4; border: round $primary-darken-2; }
    PlanScreen #plan-body { height: 1fr; padding: 0 1; }
    PlanScreen #plan-topics { border-subtitle-align: left; }
    /* narrow (40×12): the hint beside the date is cut ("날짜를 입력하고"); the page says it whole */
    PlanScreen.-narrow #plan-date-help { display: none; }
    """
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]
    KEYS = [
        ("escape", "app.pop_screen", "key.back", True),
        ("ctrl+o", "mock_exam", "key.mock", True),
        ("f4", "app.toggle_lang", "key.lang", True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.plan = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="plan-date-row"):
            yield Label(id="plan-date-label")
            yield Input(id="plan-date", compact=True, max_length=10)
            yield Label(id="plan-date-help")
        yield MarkedSelectionList(id="plan-topics")
        with VerticalScroll(id="plan-body"):
            yield Static(id="plan-summary")
            yield Static(id="plan-days")
        yield footer()

    def on_mount(self) -> None:
        saved, _topics = saved_exam(self.app.store)
        self.query_one("#plan-date", Input).value = saved or ""
        self.query_one("#plan-topics" if saved else "#plan-date").focus()
        self._fill_topics()

    def on_resize(self) -> None:
        self._fill_topics()   # the titles are shortened to the width

    def on_screen_resume(self) -> None:
        self.refresh_text()   # first shown, and back from a session: the plan follows the new answers

    # ------------------------------------------------------------------ the exam's settings
    def _saved_topics(self) -> list[str]:
        _d, topics = saved_exam(self.app.store)
        cat = self.app.catalog
        known = [t for t in (topics or []) if t in cat.topics and cat.topics[t].questions]
        return known or [tid for tid, t in cat.topics.items() if t.questions]

    def _fill_topics(self) -> None:
        """The topic list: every topic with questions, each marked ☑ (in the exam) or ☐ (not);
        the exam's topics show their recall now → with the plan. Long titles are shortened so
        that the recall column fits the list's width (80 columns is the design size)."""
        from rich.cells import cell_len

        lang = self.app.lang
        sel = self.query_one("#plan-topics", SelectionList)
        chosen = set(self._saved_topics())
        rows = {t.id: t for t in (self.plan.topics if self.plan else [])}
        topics = [t for t in self.app.catalog.topics.values() if t.questions]
        recall = [f"{pct(rows[t.id].predicted_recall)} → {pct(rows[t.id].planned_recall)}" if t.id in rows else ""
                  for t in topics]
        # the list's inside (before layout: the screen less border, padding and scroll bar), less
        # the room SelectionList keeps for its own box (not drawn here), our mark and the gap
        width = (sel.scrollable_content_region.width or (self.app.size.width or 80) - 6) - 4 - 2 - 2
        title_cells = max(8, width - max((cell_len(r) for r in recall), default=0))
        cells = [[shorten(t.title.get(lang) or t.id, title_cells), r] for t, r in zip(topics, recall)]
        lines = columns(cells) if cells else []
        highlighted = sel.highlighted
        sel.clear_options()
        sel.add_options([(Text(("☑ " if t.id in chosen else "☐ ") + line), t.id, t.id in chosen)
                         for t, line in zip(topics, lines)])
        if topics:
            sel.highlighted = min(max(highlighted or 0, 0), len(topics) - 1)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        lang = self.app.lang
        try:
            d = parse_exam_date(event.value)
        except PlanError as e:
            self.notify(tr(e.key, lang, **e.kw), severity="warning")
            return
        topics = self._saved_topics()
        all_topics = [tid for tid, t in self.app.catalog.topics.items() if t.questions]
        save_exam(self.app.store, d, None if topics == all_topics else topics)
        self.notify(tr("plan.saved", lang))
        self.refresh_text()
        self.query_one("#plan-topics").focus()

    def on_selection_list_selection_toggled(self, event: SelectionList.SelectionToggled) -> None:
        """The learner toggled a topic (filling the list sends no such message)."""
        selected = list(event.selection_list.selected)
        if not selected:   # an exam has at least one topic: the last one stays
            event.selection_list.select(event.selection.value)
            self.notify(tr("plan.need_topic", self.app.lang), severity="warning")
            return
        saved, _ = saved_exam(self.app.store)
        all_topics = [tid for tid, t in self.app.catalog.topics.items() if t.questions]
        topics = [t for t in all_topics if t in set(selected)]
        if saved is None:   # topics chosen before the date: kept for when the date is set
            self.app.store.set_setting("exam_topics", None if topics == all_topics else topics)
            self._fill_topics()
            return
        from datetime import date

        save_exam(self.app.store, date.fromisoformat(saved), None if topics == all_topics else topics)
        self.refresh_text()

    # ------------------------------------------------------------------ the plan
    def refresh_text(self) -> None:
        lang = self.app.lang
        self.sub_title = tr("plan.title", lang)
        self.query_one("#plan-date-label", Label).update(tr("plan.date_label", lang))
        self.query_one("#plan-date", Input).placeholder = "YYYY-MM-DD"
        self.query_one("#plan-date-help", Label).update(tr("plan.date_help", lang))
        saved, _ = saved_exam(self.app.store)
        self.plan = None
        error = None
        if saved:
            try:
                self.plan = build_plan(self.app.catalog, self.app.store, parse_exam_date(saved), self._topics_arg())
            except PlanError as e:   # e.g. the saved date has passed
                error = tr(e.key, lang, **e.kw)
        self._fill_topics()
        # what the keys do above the list, what its figures are below it: at 40 columns one line
        # held both and the figures' meaning was cut ("시험 주제 (스페이스: 넣기/빼기) ·…")
        topics = self.query_one("#plan-topics", SelectionList)
        topics.border_title = tr("plan.topics_help", lang)
        topics.border_subtitle = tr("plan.topics_cols", lang)
        summary = self.query_one("#plan-summary", Static)
        days = self.query_one("#plan-days", Static)
        if self.plan is None:
            summary.update(Text("\n".join(x for x in (error, tr("plan.no_exam", lang)) if x)))
            days.update("")
            return
        plan = self.plan
        summary.update(Text("\n".join(summary_lines(plan, lang)), style="bold"))
        lines = [mock_line(plan, self.app.catalog, lang), tr("plan.mock_key", lang), ""]
        if plan.days:
            lines.append(tr("plan.days_title", lang))
            lines += columns(day_table(plan, lang), right_aligned={1, 2, 3})
        else:
            lines.append(tr("plan.exam_today", lang))
        days.update(Text("\n".join(lines)))

    def _topics_arg(self) -> list[str] | None:
        _d, topics = saved_exam(self.app.store)
        return None if topics is None else self._saved_topics()

    def action_mock_exam(self) -> None:
        lang = self.app.lang
        if self.plan is None or not self.plan.mock_exam:
            self.notify(tr("plan.need_date", lang), severity="warning")
            return
        if self.app.store.unfinished_exam() is not None:
            self.notify(tr("plan.in_progress", lang), severity="warning")
            return
        from tutor.screens.exam import ExamScreen

        session = start_mock_exam(self.app.catalog, self.app.store, self.plan, lang=lang)
        self.app.push_screen(ExamScreen(session))
