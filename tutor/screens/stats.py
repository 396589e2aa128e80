"""Statistics: reviews per day (calendar heatmap), retention, mastery, due forecast, exams."""

from __future__ import annotations

import io

from rich.console import Console, Group
from rich.text import Text
from textual.widgets import Static

from tutor.i18n import tr
from tutor.screens.base import ReadingScreen


class StatsScreen(ReadingScreen):
    BODY_ID = "stats"

    def refresh_text(self) -> None:
        from tutor.stats import calendar_heatmap, render_stats, reviews_per_day

        lang = self.app.lang
        self.sub_title = tr("stats.title", lang)
        width = max(40, self.size.width - 4)
        console = Console(file=io.StringIO(), record=True, width=width, force_terminal=True, color_system="truecolor")
        render_stats(self.app.store, self.app.catalog, lang=lang, console=console)
        text = Text.from_ansi(console.export_text(styles=True))
        per_day = reviews_per_day(self.app.store, days=7 * 20)
        parts = [calendar_heatmap(per_day, lang=lang)] if any(per_day.values()) else []
        self.query_one("#stats", Static).update(Group(*parts, text))
