"""Lesson: a topic's cards one by one; worked examples are tables rendered from the engine."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from tutor.i18n import tr
from tutor.screens.base import LangScreen, footer
from tutor.screens.titlebar import TitleBar


def card_markdown(card, runs: dict, lang: str) -> str:
    from tutor.content import render
    from tutor.mathtext import render_markdown_math

    return render_markdown_math(render(card.body[lang], runs), display_blocks=True)


def card_tables(card, runs: dict, lang: str) -> list:
    from tutor.render import fit, trace_renderables

    out = []
    for spec in card.show or []:
        res = runs.get(spec["run"])
        if res is None:
            continue
        from engine.core import jsonable

        title = (spec.get("title") or {}).get(lang)
        if title:
            out.append(Text(title, style="bold"))
        engine = ((card.compute or {}).get(spec["run"]) or {}).get("engine")
        out.extend(fit(trace_renderables(jsonable(res), keys=spec.get("keys"), lang=lang, alg=engine), lang))
    return out


class LessonScreen(LangScreen):
    # display equations ($$…$$ lines) arrive as ``text`` fences: plain, indented, one per line, never wrapped
    DEFAULT_CSS = """
    LessonScreen #card-body MarkdownFence {
        background: transparent;
        margin: 0 0 1 0;
        padding: 0;
        overflow: hidden hidden;
        & > Label { padding: 0 1; width: 100%; text-wrap: wrap; }
    }
    /* a table cell's word longer than its column breaks onto the next line, never "…" (at 80
       columns "자기지도학습(self-supervis…" lost the rest of the word and nothing showed it) */
    LessonScreen #card-body MarkdownTableContent > .cell,
    LessonScreen #card-body MarkdownTableContent > .header {
        text-overflow: fold;
    }
    /* a readable line on a wide terminal: at 300 columns a paragraph ran ~290 characters a line */
    LessonScreen #card-body, LessonScreen .note {
        max-width: 110;
    }
    /* the card's parts: here, not in app.tcss, so they are parsed when a lesson is first shown */
    .card-title {
        padding: 1 1 0 1;
    }
    #card-scroll {
        height: 1fr;
        padding: 0 1;
    }
    #card-tables {
        height: auto;
        padding: 0 1;
    }
    .note {
        border: round $warning;
        padding: 0 1;
        height: auto;
    }
    """
    KEYS = [
        ("right,n", "next", "key.next", True),
        ("left,b", "prev", "key.prev", True),
        ("p", "practice", "key.practice", True),
        ("f", "sheet", "key.sheet", True),
        ("l", "app.toggle_lang", "key.lang", True),
        ("escape", "app.pop_screen", "key.back", True),
        ("q", "app.quit", "key.quit", True),
    ]

    def __init__(self, topic_id: str, card: int = 0):
        super().__init__()
        self.topic_id = topic_id
        self.index = card
        self._runs: dict[str, dict] = {}

    @property
    def topic(self):
        return self.app.catalog.topics[self.topic_id]

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="card-scroll"):
            yield Static(id="card-title", classes="card-title")
            yield Markdown(id="card-body")
            yield Static(id="card-tables")
            yield Static(id="card-note", classes="note")
        yield Static(id="card-pos", classes="muted")
        yield footer()

    def on_mount(self) -> None:
        self.index = min(max(self.index, 0), max(len(self.topic.cards) - 1, 0))
        self.refresh_text()
        self._note_position()

    def _note_position(self) -> None:
        from tutor.learner import note_opened

        note_opened(self.app.store, self.topic_id, screen="lesson", card=self.index)

    def _runs_for(self, card) -> dict:
        if card.id not in self._runs:
            from tutor.content import run_compute

            self._runs[card.id] = run_compute(card.compute) if card.compute else {}
        return self._runs[card.id]

    def refresh_text(self) -> None:
        lang = self.app.lang
        topic = self.topic
        self.sub_title = topic.title[lang]
        cards = topic.cards
        title = self.query_one("#card-title", Static)
        body = self.query_one("#card-body", Markdown)
        tables = self.query_one("#card-tables", Static)
        note = self.query_one("#card-note", Static)
        pos = self.query_one("#card-pos", Static)
        if not cards:
            title.update(Text(topic.title[lang]))
            body.update("")
            tables.update("")
            note.display = False
            pos.update(tr("lesson.end", lang))
            return
        card = cards[self.index]
        runs = self._runs_for(card)
        title.update(Text(card.title[lang], style="bold"))
        body.update(card_markdown(card, runs, lang))
        tabs = card_tables(card, runs, lang)
        tables.update(Group(*tabs) if tabs else "")
        tables.display = bool(tabs)
        if card.note:
            from rich.markdown import Markdown as RichMarkdown

            from tutor.content import render
            from tutor.mathtext import render_markdown_math

            note.update(Group(Text("⚠ " + tr("lesson.note", lang), style="bold"),
                              RichMarkdown(render_markdown_math(render(card.note[lang], runs), display_blocks=True))))
            note.display = True
        else:
            note.display = False
        msg = tr("lesson.card", lang, i=self.index + 1, n=len(cards))
        if self.index == len(cards) - 1:
            msg += "  —  " + tr("lesson.end", lang)
        pos.update(Text(msg))
        self.query_one("#card-scroll", VerticalScroll).scroll_home(animate=False)

    def action_next(self) -> None:
        if self.index < len(self.topic.cards) - 1:
            self.index += 1
            self.refresh_text()
            self._note_position()
        else:
            self.action_practice()

    def action_prev(self) -> None:
        if self.index > 0:
            self.index -= 1
            self.refresh_text()
            self._note_position()

    def action_practice(self) -> None:
        self.start_practice()

    def start_practice(self, item: str | None = None) -> None:
        """Practise the topic's questions, from ``item`` when given (continue where you left off)."""
        from tutor.screens.question import QuestionScreen

        items = [q.id for q in self.topic.questions]
        if items:
            screen = QuestionScreen(items, mode="practice", seed=self.app.seed)
            if item in items:
                screen.index = items.index(item)
            self.app.push_screen(screen)

    def action_sheet(self) -> None:
        """The topic's formula sheet (공식 정리)."""
        from tutor.screens.sheet import FormulaSheetScreen

        self.app.push_screen(FormulaSheetScreen(self.topic_id))
