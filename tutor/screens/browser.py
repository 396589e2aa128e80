"""Finding things: the browser of every question, and the command palette's search.

Both display what :mod:`tutor.browse` returns (listing, filters, marks, search); nothing is
computed here.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.command import Hit, Hits, Provider
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Select, Static

from tutor.i18n import tr
from tutor.screens.base import LangScreen, footer, shorten
from tutor.screens.titlebar import TitleBar

NARROW = 64   # columns: below, the filters take two lines and the list drops its topic, kind and last result


class BrowserScreen(LangScreen):
    """Every question with its topic, kind, state, last result and due date; filters; suspend/flag."""

    # with the screen, not in app.tcss: parsed when the screen is first shown, not before the first frame
    DEFAULT_CSS = """
    #b-filters {
        height: 1;
        padding: 0 1;
    }
    #b-text {
        width: 1fr;
        min-width: 12;
    }
    #b-filters Select {
        width: 22;
        margin: 0 0 0 1;
    }
    #b-items {
        height: 1fr;
    }
    /* narrower than the search field and both menus side by side (40×12: the state menu was off
       the screen and still chose, unseen): the search on a line, the two menus under it */
    BrowserScreen.-narrow #b-filters {
        layout: grid;
        grid-size: 2;
        grid-rows: 1 1;
        grid-columns: 1fr 1fr;
        height: 2;
    }
    BrowserScreen.-narrow #b-text {
        column-span: 2;
    }
    BrowserScreen.-narrow #b-filters Select {
        width: 1fr;
        margin: 0;
    }
    """
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW, "-wide")]

    KEYS = [
        ("enter", "open", "key.practice", True),
        ("ctrl+s", "suspend", "key.suspend", True),
        ("ctrl+f", "flag", "key.flag", True),
        ("ctrl+t", "focus_text", "key.search", True),
        ("escape", "app.pop_screen", "key.back", True),
        ("f4", "app.toggle_lang", "key.lang", True),
    ]

    def __init__(self, text: str = "", topic: str | None = None) -> None:
        super().__init__()
        self.initial_text = text
        self.initial_topic = topic
        self.rows: list = []
        self.shown: list = []

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="b-filters"):
            yield Input(self.initial_text, id="b-text", compact=True)
            yield Select([], id="b-topic", compact=True)
            yield Select([], id="b-state", compact=True)
        yield DataTable(id="b-items", cursor_type="row", zebra_stripes=True)
        yield Static(id="b-status", classes="muted")
        yield footer()

    def on_mount(self) -> None:
        self._fill_selects()
        if self.initial_topic:
            self.query_one("#b-topic", Select).value = self.initial_topic
        self.reload()
        self.query_one("#b-items", DataTable).focus()

    def _fill_selects(self) -> None:
        lang = self.app.lang
        topic = self.query_one("#b-topic", Select)
        state = self.query_one("#b-state", Select)
        old_topic, old_state = topic.value, state.value
        topic.set_options([(t.title[lang], tid) for tid, t in self.app.catalog.topics.items()])
        topic.prompt = tr("browse.all_topics", lang)
        from tutor.browse import STATE_LABEL, STATES

        state.set_options([(STATE_LABEL[s][lang], s) for s in STATES]
                          + [(tr("browse.flagged", lang), "flagged"), (tr("browse.suspended", lang), "suspended")])
        state.prompt = tr("browse.all_states", lang)
        if old_topic is not Select.NULL:
            topic.value = old_topic
        if old_state is not Select.NULL:
            state.value = old_state
        self.query_one("#b-text", Input).placeholder = tr("browse.search", lang)

    def reload(self) -> None:
        """Read the list again (after an answer, a suspension ...) and show it filtered."""
        from tutor.browse import list_items

        self.rows = list_items(self.app.catalog, self.app.store)
        self.show()

    def filters(self) -> dict:
        topic = self.query_one("#b-topic", Select).value
        state = self.query_one("#b-state", Select).value
        out: dict = {"text": self.query_one("#b-text", Input).value,
                     "topic": None if topic is Select.NULL else topic}
        if state == "flagged":
            out["flagged"] = True
        elif state == "suspended":
            out["suspended"] = True
        elif state is not Select.NULL:
            out["state"] = state
        return out

    def show(self) -> None:
        from tutor.browse import filter_items

        lang = self.app.lang
        self.shown = filter_items(self.rows, **self.filters())
        table = self.query_one("#b-items", DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        width = self.size.width or 80
        marks = [("⏸" if r.suspended else "") + ("⚑" if r.flagged else "") for r in self.shown]
        if width < NARROW:
            # 40 columns: seven columns ran off the right edge ("객관" cut in two, state and due out of
            # sight); the question, its state, its due day (month-day) and marks — the topic is in the
            # menu above, the last result in the state
            keys = ("question", "state", "due", "marks")
            rest = [(r.state_label(lang), r.due_label(lang, short=True), m) for r, m in zip(self.shown, marks)]
        else:
            keys = ("question", "topic", "kind", "state", "last", "due", "marks")
            rest = [(r.kind_label(lang), r.state_label(lang), r.result_label(lang), r.due_label(lang), m)
                    for r, m in zip(self.shown, marks)]
        question_w, topic_w = _title_widths(width, lang, keys, rest,
                                            [r.title[lang] for r in self.shown], [r.topic_title[lang] for r in self.shown])
        rows = []
        for r, cells in zip(self.shown, rest):
            style = "dim" if r.suspended else ""
            title = Text(shorten(r.title[lang], question_w), style=style)
            rows.append((title, *cells) if "topic" not in keys else (title, shorten(r.topic_title[lang], topic_w), *cells))
        for k, key in enumerate(keys):
            # each column as wide as its widest cell, measured here: left to the table, a filter
            # chosen in a menu left every column as narrow as its header ("경사 경사 연습")
            label = tr("browse.col." + key, lang)
            width = max([cell_len(label), *(cell_len(str(row[k])) for row in rows)])
            table.add_column(label, key=key, width=width)
        for r, row in zip(self.shown, rows):
            table.add_row(*row, key=r.item_id)
        if self.shown:
            table.move_cursor(row=min(max(cursor, 0), len(self.shown) - 1))
        self.query_one("#b-status", Static).update(
            Text(tr("browse.status", lang, n=len(self.shown), total=len(self.rows))))
        self.sub_title = tr("browse.title", lang)

    def refresh_text(self) -> None:
        self._fill_selects()
        self.show()

    def on_resize(self, event) -> None:
        if self.rows:   # the titles' columns follow the width (see _title_widths)
            self.show()

    def on_screen_resume(self) -> None:
        if self.is_mounted and self.rows:
            self.reload()   # back from practising an item: its state and last result changed

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#b-items", DataTable).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.show()
        if self.is_mounted:   # the list, filtered: ↑/↓ move in it (they opened the menu again)
            self.query_one("#b-items", DataTable).focus()

    def current(self):
        table = self.query_one("#b-items", DataTable)
        if not self.shown or table.cursor_row is None or not (0 <= table.cursor_row < len(self.shown)):
            return None
        return self.shown[table.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        row = self.current()
        if row is None:
            return
        from tutor.screens.question import QuestionScreen

        self.app.push_screen(QuestionScreen([row.item_id], mode="practice", seed=self.app.seed))

    def action_suspend(self) -> None:
        from tutor.browse import set_suspended

        row = self.current()
        if row is not None:
            set_suspended(self.app.store, row.item_id, not row.suspended)
            self.notify(tr("browse.unsuspended" if row.suspended else "browse.suspended_now", self.app.lang))
            self.reload()

    def action_flag(self) -> None:
        from tutor.browse import set_flagged

        row = self.current()
        if row is not None:
            set_flagged(self.app.store, row.item_id, not row.flagged)
            self.reload()

    def action_focus_text(self) -> None:
        self.query_one("#b-text", Input).focus()


class FindProvider(Provider):
    """The command palette's search over topics, lesson cards and questions (Korean and English)."""

    async def startup(self) -> None:
        import asyncio

        from tutor.browse import search_index

        app = self.app
        if getattr(app, "search_index", None) is None:   # built once per run, off the UI thread (~0.4 s)
            app.search_index = await asyncio.to_thread(search_index, app.catalog)

    async def search(self, query: str) -> Hits:
        from tutor.browse import search

        app = self.app
        lang = app.lang
        hits = search(app.catalog, query, index=getattr(app, "search_index", None), limit=40)
        score = {"topic": 1.0, "card": 0.8, "question": 0.6}
        for rank, h in enumerate(hits):
            what = tr("find." + h.what, lang)
            title = h.title[lang]
            shown = f"{what} · {title}" if h.what == "topic" else f"{what} · {title} — {h.context[lang]}"
            yield Hit(score[h.what] - rank * 1e-3, Text(shorten(shown, 70)), _opener(app, h), text=shown)


def _opener(app, hit):
    def open_it() -> None:
        from tutor.screens.lesson import LessonScreen
        from tutor.screens.question import QuestionScreen

        if hit.topic not in app.catalog.topics:
            return
        if hit.what == "question":
            app.push_screen(QuestionScreen([hit.target], mode="practice", seed=app.seed))
        else:
            app.push_screen(LessonScreen(hit.topic, card=int(hit.target) if hit.what == "card" else 0))
    return open_it


def _title_widths(screen_width: int, lang: str, keys: tuple[str, ...], rest: list[tuple], questions: list[str],
                  topics: list[str]) -> tuple[int, int]:
    """The question's and the topic's columns: what the other columns (as wide as their cells) leave,
    a third of it to the topic and the rest to the question — each no wider than its longest text.
    (They were 22 and 12 cells at 80 columns whatever the others took: "머신러닝 기…" beside an empty
    strip the width of the due column's widest date.)"""
    def widest(label_key: str, cells) -> int:
        return max([cell_len(tr("browse.col." + label_key, lang)), *(cell_len(c) for c in cells)])

    if "topic" not in keys:   # narrow: the question alone takes what the others leave
        others = sum(widest(key, [row[k] for row in rest]) + 2 for k, key in enumerate(keys[1:]))
        return min(widest("question", questions), max(10, screen_width - 2 - others - 2)), 0
    others = sum(widest(key, [row[k] for row in rest]) + 2 for k, key in enumerate(keys[2:]))   # a cell's padding: 1 + 1
    room = max(28, screen_width - 2 - others - 4)    # the scrollbar; the two titles' padding
    longest_q = widest("question", questions)
    longest_t = widest("topic", topics)
    topic_w = min(longest_t, max(12, room // 3))
    question_w = min(longest_q, max(16, room - topic_w))
    topic_w = min(longest_t, max(topic_w, room - question_w))   # what the question does not need
    return question_w, topic_w
