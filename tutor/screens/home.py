"""Home: topics in curriculum order with progress, and how to continue."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from tutor.i18n import tr
from tutor.nobreak import NO_BREAK_SPACES
from tutor.screens.base import LangScreen, footer, shorten
from tutor.screens.titlebar import TitleBar
from tutor.screens.topic_list import TopicList

NO_BREAK = NO_BREAK_SPACES[0]
DETAIL_ROWS = 4     # the highlighted topic's lines below the list (#topic-detail's max-height, its border aside)
SHORT_HEIGHT = 18   # rows: below this the topic list keeps the room, detail and today's lines one row each


class HomeScreen(LangScreen):
    KEYS = [
        ("enter", "open", "key.open", True),
        ("r", "app.review", "key.review", True),
        ("m", "app.review_mistakes", "key.mistakes", False),
        ("e", "app.exam", "key.exam", True),
        ("a", "app.labs", "key.labs", True),
        ("p", "app.plan", "key.plan", True),
        ("s", "app.stats", "key.stats", True),
        ("b", "app.browse", "key.browse", True),
        ("g", "app.glossary", "key.glossary", False),   # in the palette and help
        ("c", "continue", "key.continue", False),   # named in the "continue" line as [c]
        ("o", "app.settings", "key.settings", False),   # in the palette and help: 80 columns
        ("question_mark", "app.help", "key.help", True),
        ("l", "app.toggle_lang", "key.lang", True),
        ("q", "app.quit", "key.quit", True),
    ]

    def compose(self) -> ComposeResult:
        yield TitleBar()
        # #problems (content that did not load) is mounted above the list only when there are any:
        # a widget costs ~2 M instructions of the first frame (benchmarks: first screen)
        # pre-aligned rows drawn line by line, not a DataTable or an OptionList: the same keys and
        # mouse, and the first frame is sooner (benchmarks: first screen)
        yield TopicList(id="topics")
        yield Static(id="topic-detail", classes="muted")   # the highlighted topic in full
        yield Static(id="continue", classes="muted")
        yield footer()

    def on_mount(self) -> None:
        self.query_one("#topics", TopicList).focus()
        self.call_after_refresh(self.app.first_screen_shown)
        # cards fall due while the app is open: the Due column and today's counts follow
        self.set_interval(30, self.refresh_text)
        self.set_interval(1, self._exam_line)   # an exam's clock runs while the learner is here

    def on_screen_resume(self) -> None:
        # also sent when the screen is first shown, and on coming back from a lesson (new progress)
        self.refresh_text()

    def refresh_text(self) -> None:
        lang = self.app.lang
        from tutor.progress import progress as learner_progress

        cat = self.app.summary
        figures = learner_progress(self.app.store, [(t.id, t.title, t.n_questions) for t in cat.topics.values()],
                                   with_mastered=False)   # not a column here; the one figure that needs FSRS
        cols = ("n", "topic", "cards", "progress", "due", "requires")
        header = [tr("home.col." + c, lang) for c in cols]
        rows = []
        for i, topic in enumerate(cat.topics.values(), 1):
            p = figures[topic.id]   # learned of total: the same figure as the session summary and stats
            rows.append([str(i), topic.title[lang], str(topic.n_cards),
                         f"{p.bar()} {p.learned}/{p.total}", str(p.due or ""),
                         _requires(cat, topic, lang)])
        self._table = ([header] + rows, cols)
        self._laid_out_at = None
        self._layout()
        self._show_problems(cat.problems, lang)
        from tutor.progress import resume_point, today_counts

        where = resume_point(self.app.store)
        today = today_counts(self.app.catalog if self.app.source.loaded else None, self.app.store)
        # due now, as the topic rows, the stats and the review queue count it; what falls due later today apart
        later = today["due_today"] - today["due_now"]
        today_line = tr("home.today", lang, later=tr("home.later", lang, n=later) if later > 0 else "", **today)
        lines = [_phrases(today_line) + "   " + tr("home.find", lang).replace(" ", NO_BREAK)]
        from tutor.exam_day import home_lines

        lines += home_lines(self.app, lang)   # "Exam in N days: readiness 63%" when an exam date is set
        if where and where.get("topic") in cat.topics:
            lines.append(tr("home.continue", lang, topic=cat.topics[where["topic"]].title[lang]) + "  [c]")
        elif not cat.topics:
            lines.append(tr("home.empty", lang))
        self._continue_lines = lines
        self._exam_line(force=True)
        self.sub_title = tr("home.subtitle", lang)

    def _show_problems(self, problems: list, lang: str) -> None:
        """The content files and items that did not load, above the topics; nothing when all loaded."""
        shown = self.query("#problems")
        if not problems:
            shown.remove()
            return
        text = Text("\n".join([tr("home.skipped", lang, n=len(problems))] + [f"  {p}" for p in problems[:5]]))
        if shown:
            shown.first(Static).update(text)
        else:
            self.mount(Static(text, id="problems", classes="notice"), before="#topics")

    def _exam_text(self) -> str | None:
        """"Exam in progress: 12:34 left" (or "time is up"), None without an exam in progress."""
        from tutor.clock import parse_iso, utc

        exam = self.app.store.exam_in_progress()
        if exam is None:
            from tutor.progress import exam_report_waiting

            return tr("exam.home_graded", self.app.lang) if exam_report_waiting(self.app.store) else None
        left = int((parse_iso(exam["deadline"]) - utc()).total_seconds())
        if left <= 0:
            if self.app.source.loaded and self.app.grade_expired_exam():   # graded now: every count has it
                return self._exam_text()
            return tr("exam.home_over", self.app.lang)
        return tr("exam.home", self.app.lang, time=f"{left // 60:d}:{left % 60:02d}")

    def _exam_line(self, force: bool = False) -> None:
        """The #continue lines, with the exam in progress (if any) first; every second."""
        lines = getattr(self, "_continue_lines", None)
        if lines is None:
            return
        exam = self._exam_text()
        if exam is None and not getattr(self, "_exam_shown", False) and not force:
            return
        self._exam_shown = exam is not None
        self.query_one("#continue", Static).update(Text("\n".join(([exam] if exam else []) + lines)))

    def _layout(self) -> None:
        """The topic table fitted to the screen's width (the figures are refresh_text's)."""
        # 80 columns is the design size: lesser columns go first (Requires: the detail line shows
        # it; then Cards), then the progress bar shrinks, then long titles are shortened with "…"
        table = getattr(self, "_table", None)
        if table is None:
            return
        width = max(20, (self.size.width or self.app.size.width or 80) - 4)
        if width == self._laid_out_at:
            return
        self._laid_out_at = width
        rows, cols = table
        lines = _fit(rows, cols, width)
        topics = self.query_one("#topics", TopicList)
        topics.set_rows(list(zip(self.app.summary.topics, lines[1:])), header=lines[0])
        if topics.highlighted is None:
            topics.highlighted = 0
        self._show_detail()

    def on_resize(self, event) -> None:
        self.set_class(self.size.height < SHORT_HEIGHT, "-short")   # see app.tcss
        self._layout()   # a new width: the same figures, fitted again (no queries)

    def on_topic_list_highlighted(self, event: TopicList.Highlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        """Summary and prerequisites of the highlighted topic (the row may be cut at the edge)."""
        cat, lang = self.app.summary, self.app.lang
        topic = cat.topics.get(self._selected_topic() or "")
        lines = []
        if topic is not None and self.has_class("-short"):
            # one row (40×12): what the topic is, not its id ("ID: ml-basics  (tutor practice" cut
            # at the edge, and no summary at all)
            width = max(20, (self.size.width or self.app.size.width or 80) - 4)
            lines = self._wrapped((topic.summary or {}).get(lang) or "", width, 1)
        elif topic is not None:
            width = max(20, (self.size.width or self.app.size.width or 80) - 4)
            id_line = tr("home.topic_id", lang, id=topic.id)
            # wrapped only when wider than the screen (Rich's wrapping is measurable on the first frame)
            lines.extend([id_line] if cell_len(id_line) <= width else self._wrapped(id_line, width, DETAIL_ROWS))
            if topic.requires:   # first: the row's own Requires column is the part cut at the edge
                req = tr("home.requires", lang, topics=_requires(cat, topic, lang))
                if len(lines) == 1 and cell_len(lines[0] + " · " + req) <= width:   # one line for both
                    lines[0] += " · " + req
                else:   # as the screen shows it: a long list of topics takes two lines (the summary one less)
                    lines.extend(self._wrapped(req, width, DETAIL_ROWS))
            if topic.summary:
                # the rows left (see app.tcss: 4 below the list), the cut marked "…": it was cut off
                # mid-sentence without a sign (the lesson has it whole)
                rows = DETAIL_ROWS - len(lines)
                if rows > 0:
                    lines.extend(self._wrapped(topic.summary.get(lang) or "", width, rows))
        detail = self.query_one("#topic-detail", Static)
        detail.update(Text("\n".join(line for line in lines if line)))
        detail.display = bool(lines)

    def _wrapped(self, text: str, width: int, rows: int) -> list[str]:
        """``text`` wrapped to ``width`` in at most ``rows`` lines, the last ending "…" when cut."""
        lines = [line.plain.rstrip() for line in Text(text).wrap(self.app.console, width)]
        if len(lines) <= rows:
            return lines
        return lines[:rows - 1] + [shorten(lines[rows - 1] + " " + lines[rows], width)]   # over width: "…"

    def row_text(self, topic_id: str) -> str:
        """A topic's line as shown."""
        return self.query_one("#topics", TopicList).row_text(topic_id)

    def _selected_topic(self) -> str | None:
        return self.query_one("#topics", TopicList).highlighted_id

    def action_open(self) -> None:
        self._open(self._selected_topic())

    def _open(self, topic: str | None) -> None:
        if not topic:
            return
        if topic not in self.app.catalog.topics:   # the content changed since the list was drawn
            self.refresh_text()
            return
        from tutor.screens.lesson import LessonScreen

        self.app.push_screen(LessonScreen(topic))

    def on_topic_list_selected(self, event: TopicList.Selected) -> None:
        self._open(event.topic_id)

    def action_continue(self) -> None:
        """Back to exactly where the learner left off: the lesson card, or the practice question."""
        from tutor.progress import resume_point

        where = resume_point(self.app.store)
        topic = where and where.get("topic")
        if not topic or topic not in self.app.catalog.topics:
            return
        from tutor.screens.lesson import LessonScreen

        lesson = LessonScreen(topic, card=where.get("card") or 0)
        self.app.push_screen(lesson)
        if where.get("screen") == "practice":
            lesson.start_practice(item=where.get("item"))


def _phrases(line: str) -> str:
    """``line``'s " · "-separated phrases, each kept whole where the line wraps (no-break spaces inside
    them: at 40 columns "새 문제 0개" was split, its "0개" alone on the next row)."""
    return " · ".join(part.replace(" ", NO_BREAK) for part in line.split(" · "))


def _requires(cat, topic, lang: str) -> str:
    """The topic's prerequisites by title (the id of one that did not load)."""
    return ", ".join(cat.topics[r].title[lang] if r in cat.topics else r for r in topic.requires)


def _fit(table: list[list[str]], cols: tuple[str, ...], width: int) -> list[str]:
    """Lines of ``table`` (header first) no wider than ``width`` cells: drop Requires, then Cards,
    then shorten the progress bar, then shorten the topic titles (never the header).

    Each cell is measured once; the width of the widest line is the sum of the column widths and
    the gaps (it runs at every start and every resize)."""
    names = list(cols)
    table = [list(r) for r in table]   # the caller's table is laid out again at the next width
    cells = [[cell_len(c) for c in r] for r in table]

    def widest() -> int:
        return sum(max(r[i] for r in cells) for i in range(len(names))) + 2 * (len(names) - 1)

    for drop in ("requires", "cards"):
        if widest() <= width or drop not in names:
            continue
        j = names.index(drop)
        for r in (*table, *cells):
            del r[j]
        del names[j]
    over = widest() - width
    if over > 0 and "progress" in names:
        from tutor.progress import progress_bar

        j = names.index("progress")
        for r, w in zip(table[1:], cells[1:]):
            bar, _, count = r[j].partition(" ")
            learned, _, total = count.partition("/")
            narrower = progress_bar(int(learned), int(total), max(0, len(bar) - over))   # drawn again, not cut
            r[j] = (narrower + " " + count).strip()
            w[j] = cell_len(r[j])
        over = widest() - width
    if over > 0:
        j = names.index("topic")
        longest = max(w[j] for w in cells)
        cap = max(cells[0][j], longest - over, 4)
        for r in table[1:]:
            r[j] = shorten(r[j], cap)
    return _columns(table, right_aligned={0})


def _columns(rows: list[list[str]], right_aligned: set[int] = frozenset(), gap: int = 2) -> list[str]:
    """Rows of cells as lines of aligned columns, measured in terminal cells (Korean is 2 wide)."""
    widths = [max(cell_len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for r in rows:
        cells = [" " * (w - cell_len(c)) + c if i in right_aligned else c + " " * (w - cell_len(c))
                 for i, (c, w) in enumerate(zip(r, widths))]
        out.append((" " * gap).join(cells).rstrip())
    return out
