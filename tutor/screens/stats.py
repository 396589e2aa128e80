"""Statistics: reviews per day (calendar heatmap), retention, mastery, due forecast, exams."""

from __future__ import annotations

import io

from rich.console import Console, Group
from rich.text import Text
from textual.widgets import Static

from tutor.i18n import tr
from tutor.screens.reading import ReadingScreen


class StatsScreen(ReadingScreen):
    BODY_ID = "stats"

    def refresh_text(self) -> None:
        from tutor.stats import calendar_heatmap, render_stats, reviews_per_day

        lang = self.app.lang
        self.sub_title = tr("stats.title", lang)
        width = max(20, self.size.width - 4)   # the screen's own width: wider, every line wrapped
        console = Console(file=io.StringIO(), record=True, width=width, force_terminal=True, color_system="truecolor")
        render_stats(self.app.store, self.app.catalog, lang=lang, console=console, plots=False)
        text = Text.from_ansi(console.export_text(styles=True))
        per_day = reviews_per_day(self.app.store, days=7 * 20)
        parts = [calendar_heatmap(per_day, lang=lang)] if any(per_day.values()) else []
        pictures = self._pictures(per_day, lang, width)
        self.query_one("#stats", Static).update(Group(*parts, text, *pictures))

    def _pictures(self, per_day, lang: str, width: int) -> list:
        """Plots of reviews per day, the due forecast and exam scores (numbers from tutor.stats)."""
        from tutor import plots
        from tutor.stats import desired_retention, due_forecast, exam_history, retention_over_time

        last = sorted(per_day.items())[-30:]
        days = [(d.strftime("%m-%d"), n) for d, n in last]
        exams = [(e["started"], 100.0 * e["score"]) for e in exam_history(self.app.store) if e.get("score") is not None]
        charts = plots.stats_charts(days, due_forecast(self.app.store, days=14), exams, lang=lang)
        retention = plots.retention_chart(retention_over_time(self.app.store), desired_retention(self.app.store), lang)
        if retention is not None:
            charts.insert(1, retention)
        pic = plots.stats_picture(charts, min(width, 100), color=self.app.pictures_in_color())
        return [pic] if pic is not None else []
