"""Question / exercise screen: prompt, answer cells, feedback, hints, worked solution.

The screen renders what the :class:`tutor.session.Study` core returns; it computes nothing.
Right and wrong are never shown by colour alone: every cell gets ✓ or ✗.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Markdown, OptionList, Static

from tutor.i18n import tr
from tutor.screens.base import LangScreen, footer
from tutor.screens.forms import FORM_CSS
from tutor.screens.options import ChoiceList, MultiList
from tutor.screens.question_parts import AnswerPane, Prompt, QuestionPart, Revealed, can_scroll, variant_table
from tutor.screens.titlebar import TitleBar
from tutor.session import Ask, Study, unreadable_fields


class QuestionScreen(LangScreen):
    CSS = FORM_CSS       # the answer forms' styles (tutor/screens/forms.py)
    SCOPED_CSS = False
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]   # see app.tcss: the cells under their labels
    # with the screen, not in app.tcss: parsed when the screen is first shown, not before the first frame
    DEFAULT_CSS = """
    #q-scroll {
        height: 1fr;
        padding: 0 1;
    }
    #q-answer {
        height: auto;
        max-height: 50%;
        border-top: solid $primary;
        padding: 0 1;
    }
    #q-tables, #q-options {
        height: auto;
        padding: 0 1;
    }
    #q-fields {
        height: auto;
    }
    .mark {
        padding: 0 1;
        width: auto;
    }
    .mark.rest {
        width: 1fr;
    }
    #q-feedback, #q-hints {
        height: auto;
        padding: 0 1;
    }
    .solution {
        border: round $accent;
        padding: 0 1;
        height: auto;
    }
    /* a readable line on a wide terminal (300 columns: ~290 characters a line) */
    #q-prompt {
        max-width: 110;
    }
    """
    KEYS = [
        ("f2", "hint", "key.hint", True),
        ("f3", "solution", "key.solution", True),
        ("f5", "new_variant", "key.new", True),
        ("ctrl+n", "next", "key.next", True),
        ("ctrl+s", "submit_all", "key.submit", False),   # Enter submits; 80 columns
        ("pageup,ctrl+up", "scroll_question(-1)", "key.scroll_q", True),
        ("pagedown,ctrl+down", "scroll_question(1)", "key.scroll_q", False),
        ("escape", "back", "key.back", True),
        ("f4", "app.toggle_lang", "key.lang", True),
    ]

    def __init__(self, item_ids: list[str], *, mode: str = "practice", seed: int | None = None):
        super().__init__()
        self.item_ids = item_ids
        self.mode = mode
        self.index = 0
        self.seed = seed
        self.study: Study | None = None
        self.ask: Ask | None = None
        self.grade = None
        self.typed: dict[str, str] = {}
        # the item's last graded answer (grade, typed), kept while a later answer is a format error:
        # the marks of the cells not changed since, and the table's column, stay in view
        self.marked: tuple | None = None
        self.hints_shown: list = []
        self.show_solution = False
        self.oracle: dict | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        # the question stays in view while answering: prompt and tables scroll in the top pane
        # (PgUp/PgDn or ctrl+↑/↓ from the answer fields), the answer pane is pinned below it
        with VerticalScroll(id="q-scroll", can_focus=False):
            yield Static(id="q-counter", classes="muted")
            yield Prompt(id="q-prompt")
            yield QuestionPart(id="q-options")
            yield QuestionPart(id="q-tables")
            yield Revealed(id="q-hints", classes="hint")
            yield Revealed(id="q-solution", classes="solution")
        with AnswerPane(id="q-answer"):
            yield Vertical(id="q-fields")
            yield Revealed(id="q-feedback")
        yield footer()

    async def on_mount(self) -> None:
        # Textual also runs a subclass's own on_mount (first); subclasses customise make_study and
        # next_ask instead of loading an item there, so the first item is drawn exactly once
        self.study = self.make_study()
        await self.load_item()

    def make_study(self) -> Study:
        return Study(self.app.catalog, self.app.store, lang=self.app.lang, mode=self.mode, seed=self.seed)

    # ------------------------------------------------------------------ item lifecycle
    def next_ask(self, seed: int | None = None) -> Ask | None:
        """The item to show now (subclasses: review queue, exam list)."""
        return self.study.ask(self.item_ids[self.index], seed=seed)

    def counter_text(self) -> str:
        return tr("q.counter", self.app.lang, i=self.index + 1, n=len(self.item_ids))

    def on_graded(self, grade) -> None:
        """After a graded (not format-error) answer; the review screen shows the rating here."""

    def grade_answers(self, answers: dict[str, str]):
        return self.study.submit(answers)

    async def load_item(self, seed: int | None = None) -> None:
        ask = self.next_ask(seed)
        if ask is None:
            return
        self.ask = ask
        self.grade = None
        self.typed = {}
        self.marked = None
        self.hints_shown = []
        self.show_solution = False
        self.oracle = None
        box = self.query_one("#q-fields", Vertical)
        await box.remove_children()
        rows = []
        lang = self.app.lang
        for f in self.ask.fields:
            if self._listed(f):
                from tutor.mathtext import render_markdown_math

                options = [Text(render_markdown_math(o[lang])) for o in ask.options]
                widget = (ChoiceList(options, id=_wid(f.name), classes="choices") if ask.kind == "choice"
                          else MultiList(options, id=_wid(f.name), classes="choices"))
                rows.append(Vertical(Label(Text(self._placeholder(ask.kind)), classes="field-label wide"), widget,
                                     Label("", id=_wid(f.name) + "-mark", classes="mark"), classes="field-row"))
                continue
            wide = " wide" if f.kind in ("multi", "order", "text") else ""
            # back in a typed cell the cursor goes to the end: the text selected, one key replaced it all
            inp = Input(placeholder=self._placeholder(f.kind), id=_wid(f.name), classes="answer" + wide, compact=True,
                        select_on_focus=False)
            # beside a short cell the mark takes the rest of the row and wraps there ("✗ wrong (graded
            # from your earlier answers)" is cut at 80 columns otherwise); beside a wide one it is short
            rows.append(Horizontal(Label(Text(f.label[lang]), classes="field-label"), inp,
                                   Label("", id=_wid(f.name) + "-mark", classes="mark" + (wide or " rest")),
                                   classes="field-row"))
        await box.mount_all(rows)
        for shown in self.query(Revealed):   # nothing of the last question is still to be brought into view
            shown.reveal_on_resize = False
        self.refresh_text()
        # a new question starts at its top (after F3 the last one was scrolled down to its solution)
        self.query_one("#q-scroll", VerticalScroll).scroll_home(animate=False)
        # and its answer fields from the first (the last feedback had scrolled them down: the
        # focused cell was out of view, typing into a hidden box)
        self.query_one("#q-answer", AnswerPane).scroll_home(animate=False)
        for revealed in self.query(Revealed):   # the last item's feedback is not brought into view
            revealed.reveal_on_resize = False
        self.call_after_refresh(self._focus_first)
        if self.mode == "practice":
            from tutor.learner import note_opened

            note_opened(self.app.store, ask.topic, screen="practice", item=ask.item_id)

    def _listed(self, f) -> bool:
        """Answered by picking from a list (choice, multi) rather than typing."""
        return self.ask is not None and self.ask.kind in ("choice", "multi") and f.kind == self.ask.kind \
            and bool(self.ask.options)

    def answer_widget(self, f):
        return self.query_one(f"#{_wid(f.name)}")

    def _focus_first(self) -> None:
        widgets = [w for w in self.query("#q-fields Input, #q-fields .choices")]
        if widgets:
            listed = self._listed(self.ask.fields[0])
            widgets[0].focus(scroll_visible=not listed)
            if listed:
                # an option list taller than the pane was scrolled to its top (Textual's auto-focus),
                # the line above it saying how to choose (space or its number, Enter) out of sight at 40×12
                self.query_one("#q-answer", AnswerPane).scroll_home(animate=False)

    def _placeholder(self, kind: str) -> str:
        lang = self.app.lang
        if self.ask is not None and self.ask.kind in ("choice", "multi") and self.ask.options:
            return tr("q.pick_" + kind, lang) if kind in ("choice", "multi") else tr("q.answer_here", lang)
        return {"choice": tr("q.type_choice", lang), "multi": tr("q.type_multi", lang),
                "order": tr("q.type_order", lang)}.get(kind, tr("q.answer_here", lang))

    def refresh_text(self) -> None:
        if self.ask is None:
            return
        lang = self.app.lang
        self.study.lang = lang
        ask = self.ask
        topic = self.app.catalog.topics.get(ask.topic)
        self.sub_title = topic.title[lang] if topic else ""
        self.query_one("#q-counter", Static).update(Text(self.counter_text()))
        from tutor.mathtext import render_markdown_math

        self.query_one("#q-prompt", Markdown).update(render_markdown_math(ask.prompt[lang]))
        opts = self.query_one("#q-options", Static)
        if ask.options and not any(self._listed(f) for f in ask.fields):
            opts.update(Text("\n".join(f"  {i + 1}. {render_markdown_math(o[lang])}"
                                        for i, o in enumerate(ask.options))))
            opts.display = True
        else:
            opts.display = False
        tabs = self.query_one("#q-tables", Static)
        if ask.tables:
            from rich.console import Group

            names = {f.name for f in ask.fields}
            from tutor.render import Fit

            shown, typed = self.shown_grade()
            # a cell typed again since its grade (now unreadable) is not shown with its old ✓
            changed = {n for n in names if (self.typed or {}).get(n) != typed.get(n)} if shown is not self.grade else set()
            tabs.update(Group(*(Fit(variant_table(tb, lang, shown, typed, names, changed), lang=lang)
                                for tb in ask.tables)))
            tabs.display = True
        else:
            tabs.display = False
        for f in ask.fields:
            widget = self.answer_widget(f)
            row_label = widget.parent.query_one(".field-label", Label)
            if isinstance(widget, Input):
                row_label.update(Text(f.label[lang]))
                widget.placeholder = self._placeholder(f.kind)
            else:
                row_label.update(Text(self._placeholder(ask.kind)))
                widget.set_texts([Text(render_markdown_math(o[lang])) for o in ask.options])   # F4: the options too
        self._render_feedback()

    def shown_grade(self) -> tuple:
        """(grade, typed) that the marks and the tables show: the answer just graded, or after a format
        error the item's last graded answer (a format error records nothing, so that grade stands:
        it had cleared every mark and the table's column); (None, {}) before any."""
        if self.grade is not None and not self.grade.format_error:
            return self.grade, self.typed
        return self.marked or (None, {})

    def _render_feedback(self) -> None:
        lang = self.app.lang
        fb = self.query_one("#q-feedback", Static)
        g = self.grade
        if g is None:
            fb.update("")
        elif g.format_error:
            fb.update(Text("⚠ " + tr("q.format", lang) + ": " + g.format_error[lang], style="yellow"))
        else:
            from tutor.mathtext import render_markdown_math

            # the mark beside the answer and the one here agree: "◐ 부분 정답" is not "✗" above it
            style = {"✓": "bold green", "◐": "bold yellow"}.get(g.mark, "bold red")
            fb.update(Text(g.mark + " " + render_markdown_math(g.feedback(lang)), style=style))
        bad = set()
        if g is not None and g.format_error and len(self.ask.fields) > 1:   # which cells the message is about
            bad = {f.name for f in unreadable_fields(self.ask, self.typed or {}, g.format_error[lang])}
        shown, typed = self.shown_grade()
        for f in self.ask.fields:
            mark = self.query_one(f"#{_wid(f.name)}-mark", Label)
            if f.name in bad:
                empty = not str((self.typed or {}).get(f.name, "")).strip()
                mark.update(Text("⚠ " + tr("q.cell_empty" if empty else "q.cell_unreadable", lang), style="yellow"))
            elif shown is None or (shown is not g and (self.typed or {}).get(f.name) != typed.get(f.name)):
                mark.update("")   # not graded, or changed since its grade (a format error now)
            elif f.name in shown.fields:
                res = shown.fields[f.name]
                note = f" ({res.note[lang]})" if res.note else ""
                mark.update(Text(("✓ " + tr("q.right", lang)) if res.ok else ("✗ " + tr("q.wrong", lang)),
                                 style="green" if res.ok else "red") + Text(note, style="dim"))
            elif self.ask.kind in ("choice", "multi", "order", "text"):
                # the words too, as beside a choice or a cell (a multi-select's mark was a bare ✗); a
                # partly right answer is marked so (it said "✗ 오답" above "부분 정답: 67%")
                if shown.correct:
                    mark.update(Text("✓ " + tr("q.right", lang), style="green"))
                elif shown.score > 0:
                    mark.update(Text("◐ " + tr("q.partly", lang), style="yellow"))
                else:
                    mark.update(Text("✗ " + tr("q.wrong", lang), style="red"))
            else:
                mark.update("")
        hints = self.query_one("#q-hints", Static)
        from tutor.mathtext import render_markdown_math

        hints.update(Text("\n".join(f"💡 {tr('q.hint', lang, i=i + 1)}: {render_markdown_math(h[lang])}"
                                     for i, h in enumerate(self.hints_shown))))
        hints.display = bool(self.hints_shown)
        sol = self.query_one("#q-solution", Static)
        if self.show_solution:
            from tutor.mathtext import render_markdown_math

            out = Text(tr("q.solution", lang) + "\n", style="bold")
            for line, marked in self.study.solution():
                out.append(("▶ " if marked else "  ") + render_markdown_math(line),
                           style="bold yellow" if marked else "")
                if marked:
                    out.append("  " + tr("q.first_wrong", lang), style="yellow")
                out.append("\n")
            if self.oracle:
                o = self.oracle
                key = "q.torch_agrees" if o["agrees"] else "q.torch_differs"
                out.append(("✓ " if o["agrees"] else "✗ ") + tr(key, lang, what=o["what"],
                                                              d=f"{o['max_abs_diff']:.1e}", n=o["fields"]))
            sol.update(out)
            sol.display = True
        else:
            sol.display = False
        self.call_after_refresh(self._fit_panes)

    def _fit_panes(self) -> None:
        """The answer pane takes the rows the question does not need; at most half the screen when the
        question needs more (it stays in view). A short multi-select at 40×12 showed one and a half
        options under three blank rows."""
        if not self.is_mounted:
            return
        question, answer = self.query_one("#q-scroll"), self.query_one("#q-answer")
        room = question.outer_size.height + answer.outer_size.height
        shown = [c.virtual_region_with_margin.bottom for c in question.children if c.display]
        spare = room - max(shown, default=0)   # the question's own rows: its pane's height is not them
        cap = spare if spare > room // 2 else None   # None: the stylesheet's 50%
        if cap != getattr(self, "_answer_cap", None):
            self._answer_cap = cap
            if cap is None:
                answer.styles.clear_rule("max_height")
            else:
                answer.styles.max_height = cap

    # ------------------------------------------------------------------ actions
    @on(OptionList.OptionSelected, ".choices")
    def choice_made(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if isinstance(event.option_list, ChoiceList):
            event.option_list.chosen = event.option_index
            self.submit()
        elif isinstance(event.option_list, MultiList):   # a click toggles
            event.option_list.toggle_option(event.option_index)

    def unsent(self) -> bool:
        """Answers typed for the item on screen and not submitted (Esc would lose them)."""
        if self.ask is None:
            return False
        typed = {f.name: str(self.answer_widget(f).value or "").strip() for f in self.ask.fields}
        if not any(typed.values()):
            return False
        return self.grade is None or typed != {k: str(v or "").strip() for k, v in self.typed.items()}

    def may_leave_item(self, key: str) -> bool:
        """Whether Esc or ctrl+n (``key``: "back" or "next") may leave the item now: with an answer
        typed and not submitted, first a warning (the same key again leaves without it, Enter
        submits it) — it was lost without a word, the item back later with new numbers."""
        if not self.unsent() or getattr(self, "_leave_armed", None) == key:
            self._leave_armed = None
            return True
        self._leave_armed = key
        self.notify(tr("q.unsent" if key == "back" else "q.unsent_next", self.app.lang), severity="warning", timeout=5)
        self.set_timer(5, lambda: setattr(self, "_leave_armed", None))
        return False

    def action_back(self) -> None:
        """Esc: back (after a warning when an answer is typed and not submitted); the session's
        notices go with it (the summary "…Esc로 돌아가기" stayed over home for 20 seconds)."""
        if self.may_leave_item("back"):
            self.app.clear_notifications()
            self.app.pop_screen()

    def action_submit_all(self) -> None:
        if self.ask is not None:
            self.submit()

    def action_scroll_question(self, direction: int) -> None:
        """PgUp/PgDn (ctrl+↑/↓): the question pane, a page; once it has no more that way (a short
        question, or its end reached), the answer pane — on a small terminal (40×12) the rest of
        a long feedback is below, and no other key reaches it from an answer field."""
        pane = self.query_one("#q-scroll", VerticalScroll)
        if not can_scroll(pane, direction):
            answers = self.query_one("#q-answer", AnswerPane)
            if can_scroll(answers, direction):
                pane = answers
        if direction < 0:
            pane.scroll_page_up(animate=False)
        else:
            pane.scroll_page_down(animate=False)

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted | None = None) -> None:
        if self.ask is None:
            return
        answers = {f.name: self.answer_widget(f).value for f in self.ask.fields}
        first_empty = next((f for f in self.ask.fields if not answers[f.name].strip()), None)
        if event is not None and first_empty is not None and len(self.ask.fields) > 1:
            # Enter in a multi-cell exercise moves to the next empty cell until all are filled
            self.answer_widget(first_empty).focus()
            return
        graded = self.grade is not None and not self.grade.format_error
        before = (self.grade, self.typed) if graded else self.marked
        self.typed = answers
        self.grade = self.grade_answers(answers)
        self.marked = before if self.grade.format_error else None
        if getattr(self.study, "repeated", False):   # the core recorded nothing: say so, and the way on
            self.notify(tr("q.same_answer", self.app.lang), timeout=4)
        then = None
        if not self.grade.format_error:
            self.on_graded(self.grade)
        elif self.ask.fields:
            # the first cell the error is about has the keys, in view under the message: the pane
            # scrolled to the message and the focused cell was out of sight (typing went into it).
            # An option list is not scrolled to after the message: a tall one (40×12) hid it again
            bad = unreadable_fields(self.ask, answers, self.grade.format_error[self.app.lang])
            then = self.answer_widget(bad[0])
            then.focus(scroll_visible=False)
            if self._listed(bad[0]):
                then = None
        self.refresh_text()
        self.bring_into_view("#q-feedback", then=then)

    def bring_into_view(self, selector: str, then=None) -> None:
        """Scroll the answer pane so that the whole of ``selector`` shows (the feedback after Enter,
        the solution after F3): now, and again when its new text has been laid out and it has grown
        (:class:`Revealed`) — at once was a line short at 80×24, the rest of the feedback out of view
        with no key to reach it. ``then``: a widget scrolled into view after it (it wins on a small
        screen)."""
        widget = self.query_one(selector, Revealed)
        widget.reveal_on_resize = True
        widget.then = then
        self.call_after_refresh(widget.reveal)

    @on(Input.Changed)
    def _typed_in_view(self, event: Input.Changed) -> None:
        """A cell being typed in is in view (ctrl+↓ past the question's end, or a resize, had
        scrolled it out of sight, and the keys went on into it)."""
        if event.input.has_focus:
            event.input.scroll_visible(animate=False)
        if self.grade is not None and self.ask is not None:
            # a cell changed after its answer was marked: the mark was about the old text ("✓ 정답"
            # stood beside whatever was typed next); it is marked again at the next Enter
            for f in self.ask.fields:
                if _wid(f.name) == event.input.id and event.value != (self.typed or {}).get(f.name):
                    self.query_one(f"#{event.input.id}-mark", Label).update("")

    def on_resize(self, event) -> None:
        focused = self.focused
        # a resize keeps the focused cell in view (not an option list: scrolled to its top, the line
        # above it saying how to choose went out of sight at 40×12)
        if focused is not None and focused.id and not focused.has_class("choices"):
            self.call_after_refresh(focused.scroll_visible, animate=False)
        self.call_after_refresh(self._fit_panes)

    def action_hint(self) -> None:
        h = self.study.hint()
        if h is None:
            self.notify(tr("q.no_more_hints" if self.hints_shown else "q.no_hints", self.app.lang))
        else:
            self.hints_shown.append(h)
            self._render_feedback()
            self.bring_into_view("#q-hints")   # below the tables: F2 seemed to do nothing

    def action_solution(self) -> None:
        self.show_solution = True
        self._render_feedback()
        if self.ask is not None and self.ask.variant is not None and self.oracle is None:
            self.run_oracle(self.ask)
        self.bring_into_view("#q-solution")

    @work(thread=True, exclusive=True, group="oracle")
    def run_oracle(self, ask) -> None:
        """torch (imported lazily, off the UI thread) recomputes the exercise."""
        from engine.oracle import ORACLES, check, torch_available

        if ask.variant.generator not in ORACLES or not torch_available():
            return
        from engine.registry import get_generator

        result = check(get_generator(ask.variant.generator), ask.variant)
        if result is not None:
            self.app.call_from_thread(self._set_oracle, ask, result)

    def _set_oracle(self, ask, result: dict) -> None:
        if ask is self.ask:
            self.oracle = result
            self._render_feedback()

    async def action_new_variant(self) -> None:
        await self.load_item()

    async def action_next(self) -> None:
        if not self.may_leave_item("next"):
            return
        self.app.clear_notifications()   # the warning, if there was one, was about the item left
        if self.index < len(self.item_ids) - 1:
            self.index += 1
            await self.load_item()
        else:
            from tutor.learner import summary_lines

            lang = self.app.lang
            self.notify("\n".join(summary_lines(self.study.summary, lang)), title=tr("q.done_title", lang),
                        timeout=12)


def _wid(name: str) -> str:
    """A widget id from a field name such as resp_a[2] or m[0][1]."""
    return "f-" + "".join(c if c.isalnum() or c in "_-" else "_" for c in name)
