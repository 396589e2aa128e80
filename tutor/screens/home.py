"""Home: topics in curriculum order with progress, and how to continue."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Header, Static

from tutor.i18n import tr
from tutor.screens.base import LangScreen


class HomeScreen(LangScreen):
    KEYS = [
        ("enter", "open", "key.open", True),
        ("r", "app.review", "key.review", True),
        ("e", "app.exam", "key.exam", True),
        ("a", "app.labs", "key.labs", True),
        ("s", "app.stats", "key.stats", True),
        ("c", "continue", "key.continue", True),
        ("o", "app.settings", "key.settings", True),
        ("question_mark", "app.help", "key.help", True),
        ("l", "app.toggle_lang", "key.lang", True),
        ("q", "app.quit", "key.quit", True),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="problems", classes="notice")
        yield DataTable(id="topics", cursor_type="row", zebra_stripes=True)
        yield Static(id="continue", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#topics", DataTable).focus()

    def on_screen_resume(self) -> None:
        # also sent when the screen is first shown; filling the table here (not in on_mount)
        # lets the DataTable size its auto-width columns to the rows
        self.refresh_text()

    def refresh_text(self) -> None:
        lang = self.app.lang
        cat = self.app.catalog
        progress = self.app.store.topic_progress()
        due = self.app.due_counts()
        table = self.query_one("#topics", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        table.add_column("#", key="n")
        table.add_column(tr("home.col.topic", lang), key="topic")
        table.add_column(tr("home.col.cards", lang), key="cards")
        table.add_column(tr("home.col.progress", lang), key="progress")
        table.add_column(tr("home.col.due", lang), key="due")
        table.add_column(tr("home.col.requires", lang), key="requires")
        for i, topic in enumerate(cat.topics.values(), 1):
            n_q = len(topic.questions)
            p = progress.get(topic.id, {})
            right = p.get("correct", 0)
            bar = _bar(right / n_q if n_q else 0.0)
            reqs = ", ".join(cat.topics[r].title[lang] if r in cat.topics else r for r in topic.requires)
            table.add_row(str(i), topic.title[lang], str(len(topic.cards)),
                          f"{bar} {right}/{n_q}", str(due.get(topic.id, 0) or ""), reqs, key=topic.id)
        if cat.topics:
            table.move_cursor(row=min(max(row, 0), len(cat.topics) - 1))
        problems = self.query_one("#problems", Static)
        if cat.problems:
            lines = [tr("home.skipped", lang, n=len(cat.problems))] + [f"  {p}" for p in cat.problems[:5]]
            problems.update(Text("\n".join(lines)))
            problems.display = True
        else:
            problems.display = False
        last = self.app.store.last_activity()
        cont = self.query_one("#continue", Static)
        if last and last.get("topic") in cat.topics:
            cont.update(Text(tr("home.continue", lang, topic=cat.topics[last["topic"]].title[lang]) + "  [c]"))
        elif not cat.topics:
            cont.update(tr("home.empty", lang))
        else:
            cont.update("")
        self.sub_title = tr("home.subtitle", lang)

    def _selected_topic(self) -> str | None:
        table = self.query_one("#topics", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_open(self) -> None:
        topic = self._selected_topic()
        if topic:
            from tutor.screens.lesson import LessonScreen

            self.app.push_screen(LessonScreen(topic))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_continue(self) -> None:
        last = self.app.store.last_activity()
        if last and last.get("topic") in self.app.catalog.topics:
            from tutor.screens.lesson import LessonScreen

            self.app.push_screen(LessonScreen(last["topic"]))


def _bar(frac: float, width: int = 10) -> str:
    full = int(round(frac * width))
    return "█" * full + "░" * (width - full)
