"""Retention over time: the share of reviews of learned cards answered right per week (tutor.stats),
plotted against the desired retention — the plotted values are the core's figures."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from types import SimpleNamespace as NS

from rich.console import Console

from tutor import plots
from tutor.clock import iso, utc
from tutor.stats import desired_retention, render_stats, retention_over_time, true_retention
from tutor.store import Store

NOW = datetime(2026, 12, 7, 12, 0)          # a Monday, local time


def _log(store, when: datetime, rating: int, state_before: int | None = 2) -> None:
    with store.tx() as conn:
        conn.execute("INSERT INTO review_log (item_id, topic, card_id, rating, auto, state_before, after, due,"
                     " reviewed_at) VALUES ('x.1', 'x', 1, ?, 1, ?, '{}', ?, ?)",
                     (rating, state_before, iso(utc(when)), iso(utc(when))))


def _store(tmp_path):
    s = Store.open(tmp_path)
    # this week: 3 of 4 right (Again = 1 is wrong; Hard = 2 counts as right)
    for r in (3, 2, 1, 4):
        _log(s, NOW - timedelta(hours=1), r)
    # the week starting 11-23: 1 of 2; a first review (state_before NULL) and a learning one (1) are not counted
    _log(s, NOW - timedelta(days=14), 3)
    _log(s, NOW - timedelta(days=13), 1)
    _log(s, NOW - timedelta(days=13), 1, state_before=None)
    _log(s, NOW - timedelta(days=13), 1, state_before=1)
    return s


def test_retention_per_week_counts_the_reviews_true_retention_counts(tmp_path):
    s = _store(tmp_path)
    weeks = retention_over_time(s, weeks=4, now=NOW)
    assert [w["start"].isoformat() for w in weeks] == ["2026-11-16", "2026-11-23", "2026-11-30", "2026-12-07"]
    assert [(w["reviews"], w["right"]) for w in weeks] == [(0, 0), (2, 1), (0, 0), (4, 3)]
    assert [w["share"] for w in weeks] == [None, 0.5, None, 0.75]
    # the weeks together are the true retention over the same span
    total = sum(w["right"] for w in weeks) / sum(w["reviews"] for w in weeks)
    assert abs(total - true_retention(s, NOW, days=28)) < 1e-12
    s.close()


def test_the_retention_chart_plots_the_cores_figures_against_the_desired_retention(tmp_path):
    s = _store(tmp_path)
    s.set_setting("desired_retention", 0.85)
    weeks = retention_over_time(s, weeks=4, now=NOW)
    ch = plots.retention_chart(weeks, desired_retention(s), "ko")
    right = next(x for x in ch.series if x.kind == "scatter")
    assert list(zip(right.x, right.y)) == [(1, 50.0), (3, 75.0)]
    line = next(x for x in ch.series if "85%" in x.label)
    assert line.y == [85.0, 85.0] and line.x == [0, 3]
    assert ch.xticks[1][0] == "11-16" and "목표" in ch.title
    assert plots.retention_chart([{"start": NOW.date(), "reviews": 0, "right": 0, "share": None}], 0.9) is None
    s.close()


def test_tutor_stats_draws_the_retention_chart_on_a_terminal_only(tmp_path):
    s = _store(tmp_path)
    _log(s, NOW - timedelta(hours=2), 3, state_before=None)

    def text(terminal: bool) -> str:
        buf = io.StringIO()
        console = Console(file=buf, width=90, force_terminal=terminal, color_system=None)
        render_stats(s, NS(topics={}), lang="en", console=console, now=NOW)
        return buf.getvalue()

    assert "desired retention" in text(True) and "R* = 90%" in text(True)
    assert "desired retention" not in text(False)
    s.close()
