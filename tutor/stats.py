"""Study statistics, computed from the store only (no textual; Rich for the printed report).

Days are local calendar days (the learner's clock); the store keeps UTC times.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from tutor.clock import iso, parse_iso, utc
from tutor.store import Store


def _today(now: datetime | None) -> date:
    return utc(now).astimezone().date()


def _local_midnight(d: date) -> datetime:
    """UTC instant of local midnight starting day ``d``."""
    return datetime.combine(d, time(0)).astimezone().astimezone(timezone.utc)


# --------------------------------------------------------------------------- numbers


def reviews_per_day(store: Store, days: int = 365, now: datetime | None = None) -> dict[date, int]:
    """{local date: number of reviews} for the ``days`` days ending today (oldest first, zeros included)."""
    today = _today(now)
    first = today - timedelta(days=days - 1)
    out = {first + timedelta(days=k): 0 for k in range(days)}
    rows = store.read("SELECT date(reviewed_at, 'localtime'), count(*) FROM review_log"
                       " WHERE reviewed_at >= ? AND reviewed_at < ? GROUP BY 1",
                       (iso(_local_midnight(first)), iso(_local_midnight(today + timedelta(days=1)))))
    for d, n in rows:
        day = date.fromisoformat(d)
        if day in out:
            out[day] = n
    return out


def true_retention(store: Store, now: datetime | None = None, *, days: int | None = None) -> float | None:
    """Share of reviews of cards that were in the review state (learned before) rated Hard or better.

    Over all reviews up to ``now`` (or the last ``days`` days). None when there is no such review.
    """
    now = utc(now)
    sql = "SELECT count(*), sum(rating >= 2) FROM review_log WHERE state_before = 2 AND reviewed_at <= ?"
    params: list[Any] = [iso(now)]
    if days is not None:
        sql += " AND reviewed_at >= ?"
        params.append(iso(now - timedelta(days=days)))
    n, ok = store.read_one(sql, params)
    return None if not n else ok / n


def retention_over_time(store: Store, weeks: int = 12, now: datetime | None = None) -> list[dict]:
    """The true retention of each of the last ``weeks`` local weeks (Monday first, oldest first):
    {"start": date, "reviews": n, "right": k, "share": k / n (None without reviews)} — the reviews
    :func:`true_retention` counts (cards learned before, rated Hard or better)."""
    today = _today(now)
    first = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    out = [{"start": first + timedelta(weeks=k), "reviews": 0, "right": 0, "share": None} for k in range(weeks)]
    rows = store.read("SELECT date(reviewed_at, 'localtime'), count(*), sum(rating >= 2) FROM review_log"
                      " WHERE state_before = 2 AND reviewed_at >= ? AND reviewed_at <= ? GROUP BY 1",
                      (iso(_local_midnight(first)), iso(utc(now))))
    for d, n, ok in rows:
        k = (date.fromisoformat(d) - first).days // 7
        if 0 <= k < weeks:
            out[k]["reviews"] += n
            out[k]["right"] += ok
    for w in out:
        w["share"] = w["right"] / w["reviews"] if w["reviews"] else None
    return out


def desired_retention(store: Store) -> float:
    """The desired retention the scheduler aims at (Settings; 0.9 by default)."""
    from tutor.schedule import DEFAULT_RETENTION

    try:
        return float(store.get_setting("desired_retention", DEFAULT_RETENTION))
    except (TypeError, ValueError):
        return DEFAULT_RETENTION


def _active(store: Store, start: datetime, end: datetime) -> bool:
    """Any attempt or review in [start, end)? Two index probes."""
    a, b = iso(start), iso(end)
    return store.read_one(
        "SELECT EXISTS(SELECT 1 FROM attempts WHERE at >= ? AND at < ?)"
        " OR EXISTS(SELECT 1 FROM review_log WHERE reviewed_at >= ? AND reviewed_at < ?)", (a, b, a, b))[0] == 1


def streak(store: Store, now: datetime | None = None) -> int:
    """Consecutive local days with at least one attempt or review, ending today — or yesterday, so
    the streak is not lost before today's study. (One pair of index probes per day.)"""
    now = utc(now)
    end = now + timedelta(microseconds=1)  # up to and including now
    day = _today(now)
    if not _active(store, _local_midnight(day), end):
        day -= timedelta(days=1)
    n = 0
    while _active(store, _local_midnight(day), min(end, _local_midnight(day + timedelta(days=1)))):
        n += 1
        day -= timedelta(days=1)
    return n


def retrievability(elapsed_days: int, stability: float, w20: float) -> float:
    """FSRS-6 forgetting curve R(t, S) = (1 + factor·t/S)^(−w20), factor = 0.9^(−1/w20) − 1
    (as ``fsrs.Scheduler.get_card_retrievability``: t in whole days; R(S, S) = 0.9)."""
    factor = 0.9 ** (-1 / w20) - 1
    return (1 + factor * max(0, elapsed_days) / stability) ** -w20


def due_forecast(store: Store, days: int = 30, now: datetime | None = None) -> list[int]:
    """Cards due per local day: [today (overdue included), tomorrow, …] — ``days`` numbers; the
    cards review serves (:func:`tutor.progress.served_cards`: a suspended item is not due)."""
    from tutor.progress import served_cards

    today = _today(now)
    out = [0] * days
    end = _local_midnight(today + timedelta(days=days))
    for d, _item in served_cards(store, "SELECT date(due, 'localtime'), item_id FROM cards WHERE due < ?", (iso(end),)):
        k = max(0, (date.fromisoformat(d) - today).days)
        if k < days:
            out[k] += 1
    return out


def exam_history(store: Store) -> list[dict]:
    """Finished exams, oldest first: {"id", "started", "finished", "topics", "minutes", "total",
    "answered", "correct", "score" (0..1), "per_topic"}."""
    return [e for e in store.exams() if e["finished"] is not None]


# --------------------------------------------------------------------------- the printed report

LABELS = {
    "en": {
        "title": "Study statistics", "nothing": "No study data yet: answer a few questions first.",
        "summary": "Summary", "streak": "Streak", "days": "days", "reviews_today": "Cards rated today",
        "due_now": "Due now", "retention": "True retention", "attempts": "Attempts", "seen": "Seen",
        "learned": "Learned", "mastered": "Mastered", "topics": "Topics", "topic": "Topic", "items": "Items",
        "right": "Right",
        "due": "Due", "per_day": "Cards rated per day (last {n} days)", "forecast": "Due in the next {n} days",
        "exams": "Recent exams", "date": "Date", "score": "Score", "none": "—",
        "unknown": "(not in the content)", "today": "today", "tomorrow": "tomorrow",
        "due_note": "Due also counts exam questions left unanswered and cards for a repeated mistake.",
        "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    },
    "ko": {
        "title": "학습 통계", "nothing": "아직 학습 기록이 없습니다. 먼저 문제를 몇 개 풀어 보세요.",
        "summary": "요약", "streak": "연속 학습", "days": "일", "reviews_today": "오늘 평가한 카드",
        "due_now": "지금 복습할 항목", "retention": "실제 기억률", "attempts": "풀이 횟수",
        "seen": "푼 문항", "learned": "익힘", "mastered": "숙달", "topics": "주제별 진도", "topic": "주제",
        "items": "문항", "right": "정답", "due": "복습", "per_day": "일별 평가한 카드 (최근 {n}일)",
        "forecast": "앞으로 {n}일 복습 예정", "exams": "최근 시험", "date": "날짜", "score": "점수",
        "none": "—", "unknown": "(콘텐츠에 없음)", "today": "오늘", "tomorrow": "내일",
        "due_note": "복습에는 시험에서 답하지 못한 문제와 반복된 실수 카드도 들어갑니다.",
        "weekdays": ["월", "화", "수", "목", "금", "토", "일"],
    },
}


def _bar(frac: float, width: int) -> str:
    """A horizontal bar of ``width`` cells with eighth-block resolution."""
    frac = min(max(frac, 0.0), 1.0)
    eighths = round(frac * width * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + ("▏▎▍▌▋▊▉"[part - 1] if part else "")).ljust(width)


def stats_json(store: Store, catalog, *, now: datetime | None = None) -> dict:
    """``tutor stats --json``: due_today, new_today, done_today, goal, streak, and per topic
    {title, seen, learned, mastered, total, due} — the learner model's figures (tutor.learner)."""
    from tutor.progress import catalog_topics, progress, today_counts

    now = utc(now)
    out: dict[str, Any] = dict(today_counts(catalog, store, now=now))
    out["streak"] = streak(store, now)
    out["topics"] = {tid: p.as_json() for tid, p in progress(store, catalog_topics(catalog), now=now).items()}
    return out


NARROW = 60   # columns: below this the per-topic table is a title and a line of figures per topic


def _topic_lines(console, shown: list, L: dict, lang: str) -> None:
    """The per-topic figures on a narrow screen (40×12): the title whole, then "문항 13 · 푼 문항 6 ·
    익힘 6 · 숙달 5 · 복습 1" under it — as a table every header was "…" and a title one letter a line."""
    from rich.text import Text

    console.print(Text(L["topics"], style="italic"))
    for p in shown:
        figures = " · ".join(f"{L[key]} {getattr(p, attr)}" for key, attr in
                             (("items", "total"), ("seen", "seen"), ("learned", "learned"),
                              ("mastered", "mastered"), ("due", "due")))
        console.print(Text(p.title[lang], style="bold"))
        console.print(Text(f"  {p.bar()} {figures}"))
    if _due_beyond_seen(shown):
        console.print(Text(L["due_note"], style="dim"))


def _due_beyond_seen(shown: list) -> bool:
    """A topic shows more due than seen (an exam question not answered is due; so is a repeated
    mistake's card): the table says why, else "복습 7" beside "푼 문항 6" reads as a wrong count."""
    return any(p.due > p.seen for p in shown)


def _exams(console, history: list[dict], names: dict[str, str], L: dict) -> None:
    """The recent exams, newest first, their topics by title (never the topics' ids): a table, or
    on a narrow screen a line per exam ("12-06 12:00  3/4  75%") and its topics under it."""
    from rich.table import Table
    from rich.text import Text

    rows = []
    for e in reversed(history):
        started = parse_iso(e["started"]).astimezone()
        rows.append((started, ", ".join(names.get(t, L["unknown"]) for t in e["topics"]),
                     f"{e['correct']}/{e['total']}", f"{(e['score'] or 0):.0%}"))
    if console.width < NARROW:
        console.print(Text(L["exams"], style="italic"))
        for started, topics, right, score in rows:
            console.print(Text(f"{started:%m-%d %H:%M}  {right}  {score}", style="bold"))
            console.print(Text(f"  {topics}"))
        return
    ex = Table(title=L["exams"], title_justify="left")
    ex.add_column(L["date"], no_wrap=True)
    ex.add_column(L["topic"], overflow="fold", ratio=1)   # a title wraps whole, never "…"
    ex.add_column(L["right"], justify="right")
    ex.add_column(L["score"], justify="right")
    for started, topics, right, score in rows:
        ex.add_row(f"{started:%Y-%m-%d %H:%M}", topics, right, score)
    console.print(ex)


def render_stats(store: Store, catalog, *, lang: str = "en", console=None,
                 now: datetime | None = None, days: int = 14, plots: bool | None = None) -> None:
    """Print the statistics with Rich: summary, per-topic progress (seen / learned / mastered, the
    figures home and the session summary show), a bar plot of reviews per day, the due forecast
    and recent exams. Korean or English labels; topics by title. ``plots`` (default: when the
    console is a terminal): the retention over time as a chart as well."""
    from rich.console import Console
    from rich.table import Table

    from tutor.progress import catalog_topics, due_by_topic, progress

    L = LABELS.get(lang, LABELS["en"])
    console = console or Console()
    now = utc(now)
    counts = store.counts()
    if not (counts["attempts"] or counts["review_log"] or counts["exams"]):
        console.print(f"[bold]{L['title']}[/bold]")
        console.print(L["nothing"])
        return
    due_now = sum(due_by_topic(store, now=now).values())   # as home and review count it
    per_day = reviews_per_day(store, days=days, now=now)
    figures = progress(store, catalog_topics(catalog), now=now)
    ret = true_retention(store, now)

    summary = Table(title=L["title"], show_header=False, title_justify="left", box=None, padding=(0, 2))
    summary.add_column(style="bold")
    summary.add_column(justify="right")
    n_streak = streak(store, now)
    summary.add_row(L["streak"], f"{n_streak}일" if lang == "ko" else f"{n_streak} day{'s' * (n_streak != 1)}")
    summary.add_row(L["reviews_today"], str(per_day[max(per_day)]))
    summary.add_row(L["due_now"], str(due_now))
    summary.add_row(L["retention"], L["none"] if ret is None else f"{ret:.0%}")
    summary.add_row(L["attempts"], str(counts["attempts"]))
    summary.add_row(L["seen"], str(sum(p.seen for p in figures.values())))
    console.print(summary)

    shown = [p for p in figures.values() if p.seen or p.due]
    if shown and console.width < NARROW:
        _topic_lines(console, shown, L, lang)
    elif shown:
        table = Table(title=L["topics"], title_justify="left", caption_justify="left",
                      caption=L["due_note"] if _due_beyond_seen(shown) else None)
        table.add_column(L["topic"], overflow="fold", ratio=1)   # a long title wraps whole, never "…"
        for key in ("items", "seen", "learned", "mastered", "due"):
            table.add_column(L[key], justify="right")
        table.add_column("")
        for p in shown:
            table.add_row(p.title[lang], str(p.total), str(p.seen), str(p.learned), str(p.mastered), str(p.due),
                          p.bar())
        console.print(table)

    peak = max(per_day.values()) or 1
    bar_w = max(6, min(24, console.width - 18))   # beside "12-05 토" and the count, never cut to "…"
    plot = Table(title=L["per_day"].format(n=days), title_justify="left", show_header=False, box=None,
                 padding=(0, 1))
    plot.add_column(style="dim")
    plot.add_column()
    plot.add_column(justify="right")
    for d, n in per_day.items():
        plot.add_row(f"{d:%m-%d} {L['weekdays'][d.weekday()]}", f"[green]{_bar(n / peak, bar_w)}[/green]", str(n))
    console.print(plot)

    fc = due_forecast(store, days=7, now=now)
    fpeak = max(fc) or 1
    forecast = Table(title=L["forecast"].format(n=7), title_justify="left", show_header=False, box=None,
                     padding=(0, 1))
    forecast.add_column(style="dim")
    forecast.add_column()
    forecast.add_column(justify="right")
    today = _today(now)
    for k, n in enumerate(fc):
        d = today + timedelta(days=k)
        name = L["today"] if k == 0 else L["tomorrow"] if k == 1 else f"{d:%m-%d} {L['weekdays'][d.weekday()]}"
        forecast.add_row(name, f"[cyan]{_bar(n / fpeak, bar_w)}[/cyan]", str(n))
    console.print(forecast)

    history = exam_history(store)[-5:]
    if history:
        _exams(console, history, {tid: t.title[lang] for tid, t in catalog.topics.items()}, L)

    if plots if plots is not None else console.is_terminal:
        from tutor import plots as pictures

        chart = pictures.retention_chart(retention_over_time(store, now=now), desired_retention(store), lang)
        if chart is not None:
            console.print(pictures.stats_picture([chart], min(console.width, 100) - 1,
                                                 color=not console.no_color and pictures.use_color()))


__all__ = ["reviews_per_day", "true_retention", "retention_over_time", "desired_retention", "streak",
           "due_forecast", "exam_history",
           "render_stats", "stats_json", "LABELS"]


def calendar_heatmap(per_day: dict[date, int], *, lang: str = "en"):
    """A GitHub-style calendar: one column per week, one row per weekday, shade by reviews.

    The shade is a character as well as a colour (· ░ ▒ ▓ █), so it reads without colour too.
    """
    from rich.text import Text

    days = sorted(per_day)
    if not days:
        return Text("")
    top = max(per_day.values()) or 1
    shades = [("·", "grey35"), ("░", "green4"), ("▒", "green3"), ("▓", "green1"), ("█", "bright_green")]
    first = days[0] - timedelta(days=days[0].weekday())
    weeks = (days[-1] - first).days // 7 + 1
    names = {"en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], "ko": ["월", "화", "수", "목", "금", "토", "일"]}
    title = {"en": "Cards rated per day", "ko": "일별 평가한 카드"}.get(lang, "Cards rated per day")
    most = {"en": f"(max {top})", "ko": f"(최대 {top}회)"}.get(lang, f"(max {top})")
    out = Text(f"{title} {most}\n", style="bold")
    for wd in range(7):
        label = names.get(lang, names["en"])[wd]
        out.append(f"{label:<4}" if lang == "en" else f"{label}  ")
        for w in range(weeks):
            d = first + timedelta(days=7 * w + wd)
            n = per_day.get(d)
            if n is None:
                out.append(" ")
                continue
            level = 0 if n == 0 else 1 + min(3, int(3 * n / top))
            ch, style = shades[level]
            out.append(ch, style=style)
        out.append("\n")
    return out
