"""The exam line of the home screen: days to the exam and readiness, from the settings and the
cards, without the plan. Its rules are those of :mod:`tutor.plan` (which re-exports these names);
apart from it so that the first screen does not import the plan's dataclasses and simulation
(benchmarks: first screen).
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone

from tutor.clock import parse_iso, utc


def local_date(when: datetime | None = None) -> date:
    return utc(when).astimezone().date()


def local_midnight(d: date) -> datetime:
    """The UTC instant at which local day ``d`` starts."""
    return datetime.combine(d, time(0)).astimezone().astimezone(timezone.utc)


def saved_exam(store) -> tuple[str | None, list[str] | None]:
    """The settings (``exam_date`` as stored, ``exam_topics`` or None for all)."""
    d = store.get_setting("exam_date")
    topics = store.get_setting("exam_topics")
    return (d if isinstance(d, str) else None,
            [t for t in topics if isinstance(t, str)] if isinstance(topics, list) else None)


def exam_moment(exam_date: date, now: datetime | None = None) -> datetime:
    """When recall is predicted: the start of the exam's local day, or now on that day."""
    return max(local_midnight(exam_date), utc(now))


def _w20(store) -> float:
    params = store.get_setting("fsrs_parameters")
    if params:
        return float(params[20])
    from fsrs.scheduler import DEFAULT_PARAMETERS

    return float(DEFAULT_PARAMETERS[20])


def _card_rows(store, topics: list[str]) -> list[tuple]:
    if not topics:
        return []
    # the cards whose recall counts, as the plan's (tutor.plan.LEARNED_CARDS: an item never learned counts 0)
    return store.read(f"SELECT item_id, topic, stability, last_review FROM cards WHERE topic IN"
                      f" ({','.join('?' * len(topics))}) AND item_id NOT LIKE 'remedial:%'"
                      " AND item_id IN (SELECT item_id FROM item_progress WHERE learned > 0)", list(topics))


def exam_status(store, totals: dict[str, int], *, known: set[str] | None = None,
                now: datetime | None = None) -> dict | None:
    """For the home screen, without the full catalog: {"days": days to the exam, "readiness": 0–1}
    from the settings, or None when no exam is set or its date has passed. ``totals`` = topic →
    number of questions (the catalog summary); ``known`` = the question ids, when the catalog is
    loaded (cards of questions the content no longer has are then ignored)."""
    saved, topics = saved_exam(store)
    if saved is None:
        return None
    from tutor.stats import retrievability

    try:
        d = date.fromisoformat(saved)
    except ValueError:
        return None
    today = local_date(now)
    if d < today:
        return None
    chosen = [t for t in (topics if topics is not None else totals) if totals.get(t)]
    total = sum(totals[t] for t in chosen)
    if not total:
        return None
    at = exam_moment(d, now)
    rows = [r for r in _card_rows(store, chosen) if r[2] is not None and r[3] is not None
            and (known is None or r[0] in known)]
    recall = {t: 0.0 for t in chosen}
    if rows:
        w20 = _w20(store)
        for _item, topic, stability, last_review in rows:
            recall[topic] += retrievability((at - parse_iso(last_review)).days, stability, w20)
    # a topic's sum never exceeds its number of questions (cards of ids the content lost, when ``known`` is None)
    return {"days": (d - today).days, "date": d.isoformat(),
            "readiness": sum(min(recall[t], totals[t]) for t in chosen) / total}


def home_lines(app, lang: str) -> list[str]:
    """The home screen's line "Exam in N days: readiness 63%  [p]" (none when no exam is set).
    Uses the catalog summary; the question ids too once the full catalog is loaded."""
    from tutor.i18n import tr

    known = None
    if app.source.loaded:
        known = {q.id for t in app.catalog.topics.values() for q in t.questions}
    status = exam_status(app.store, {t.id: t.n_questions for t in app.summary.topics.values()}, known=known)
    if status is None:
        return []
    key = "plan.home_today" if status["days"] == 0 else "plan.home"
    return [tr(key, lang, n=status["days"], r=pct(status["readiness"])) + "  [p]"]


def pct(x: float) -> str:
    return f"{round(100 * x)}%"   # as everywhere else in the app (점수 50%)
