"""The exam's report: the score, per topic, and a walk through every question not fully right, with
the learner's answer (or why it could not be read) and the worked solution; it follows a language
switch. Scheduling the missed questions happened when the exam ended (:class:`tutor.review.ExamSession`)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from tutor.i18n import tr
from tutor.screens.options import Hanging
from tutor.screens.reading import ReadingScreen


class ExamReportScreen(ReadingScreen):
    BODY_ID = "report"

    def __init__(self, report: dict, walk: list[dict], *, by_time: bool = False):
        super().__init__()
        self.report = report
        self.walk = walk
        self.by_time = by_time   # the time ran out (the report says so: the notice fades)

    def _topic(self, topic: str, lang: str) -> str:
        topics = self.app.catalog.topics
        return topics[topic].title[lang] if topic in topics else topic

    def _typed(self, answer: dict, labels: dict, lang: str, options: list | None = None) -> str:
        if options:   # a choice or multi-select: the picked options by number and text
            from tutor.mathtext import render_markdown_math

            picked = [int(p) for v in answer.values() for p in str(v).replace(",", " ").split()
                      if p.isdigit() and 0 < int(p) <= len(options)]
            if picked:
                return "; ".join(f"{p}. {render_markdown_math(options[p - 1][lang])}" for p in picked)
        return ", ".join(f"{labels[k][lang] if k in labels else k} = {v}" for k, v in answer.items()
                         if str(v).strip())

    def _per_topic(self, lang: str):
        """The per-topic table; where it does not fit (40 columns: a title was cut mid-word,
        "군집화와 K-N…"), each topic's whole title on its own lines, then its figures by name."""
        from rich.measure import Measurement

        cols = [tr("exam.col." + c, lang) for c in ("topic", "answered", "right", "score")]
        rows = [(self._topic(topic, lang), str(row["answered"]), f"{row['correct']}/{row['total']}",
                 f"{row['score']:.0%}") for topic, row in self.report["per_topic"].items()]
        tab = Table(title=tr("exam.per_topic", lang), title_justify="left")
        tab.add_column(cols[0], overflow="fold")
        for col in cols[1:]:
            tab.add_column(col, no_wrap=True)
        for row in rows:
            tab.add_row(*row)
        console = self.app.console
        width = self.query_one("#report", Static).content_region.width or self.app.size.width - 2
        if Measurement.get(console, console.options.update_width(10 * width), tab).minimum <= width:
            return tab
        lines = [Text(tr("exam.per_topic", lang), style="italic")]
        for title, *figures in rows:
            lines += [Text(title, style="bold"),
                      Text("  " + " · ".join(f"{c} {v}" for c, v in zip(cols[1:], figures)))]
        return Group(*lines)

    def on_resize(self) -> None:   # the table or the narrow list, as the width allows
        self.refresh_text()

    def refresh_text(self) -> None:
        from tutor.mathtext import render_markdown_math

        lang = self.app.lang
        r = self.report
        self.sub_title = tr("exam.report", lang)
        parts = [Text(tr("exam.score", lang, score=r["score"], correct=r["correct"], total=r["total"],
                         answered=r["answered"]), style="bold")]
        if self.by_time:
            parts.insert(0, Text(tr("exam.ended_by_time", lang), style="yellow"))
        missed = r["total"] - r["correct"]
        if missed:
            parts.append(Text(tr("exam.scheduled", lang, n=missed)))
        tab = self._per_topic(lang)
        # the walk through the mistakes; with none, a line that says so (not a heading over nothing)
        parts += [tab, Text("\n" + tr("exam.mistakes", lang), style="bold underline") if self.walk
                  else Text("\n" + tr("exam.all_right", lang), style="bold green")]
        for w in self.walk:
            parts.append(Text(f"\n✗ {w['index'] + 1}. {self._topic(w['topic'], lang)} — {w['score']:.0%}",
                              style="bold red"))
            parts.append(Text(render_markdown_math(w["prompt"][lang])))
            if w["answer"]:
                said = self._typed(w["answer"], w["labels"], lang, w.get("options"))
            elif w["unreadable"]:
                problem = w["problem"][lang] if w["problem"] else ""
                said = tr("exam.unreadable", lang, typed=self._typed(w["unreadable"], w["labels"], lang),
                          problem=problem)
            else:
                said = tr("exam.unanswered", lang)
            parts.append(Text(tr("exam.your_answer", lang) + ": " + said))
            if w["mistake_text"]:
                parts.append(Hanging(Text("→ ", style="yellow"),
                                     Text(render_markdown_math(w["mistake_text"][lang]), style="yellow")))
            if w["solution"][lang]:
                parts.append(Text(tr("q.solution", lang) + ":", style="bold"))
            for line, marked in w["solution"][lang]:   # a long line wraps under its own text
                style = "bold yellow" if marked else ""
                parts.append(Hanging(Text("▶ " if marked else "  ", style=style),
                                     Text(render_markdown_math(line), style=style)))
        self.query_one("#report", Static).update(Group(*parts))
