"""Progress, one definition everywhere (toast, home, stats, ``tutor stats``, the plan), per item and
topic — read from the store, never written here:

* **seen**: answered at least once;
* **learned**: answered right at least once without viewing the solution first;
* **mastered**: in FSRS's review state (past the first steps, not relearning a lapse) with
  retrievability now ≥ the desired retention.

Also what home shows besides: today's counts, where the learner left off, the topics met. No
textual, and no fsrs unless a card is mastered-checked: the home screen, drawn first, imports only
this module of the learner model (the write path and the queues are :mod:`tutor.learner`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterable

from tutor.clock import iso, local_day_start, parse_iso, utc
from tutor.record import Record

DEFAULT_DAILY_GOAL = 20
SUSPENDED = "suspended"       # setting: the items suspended in the browser
DEFAULT_NEW_PER_DAY = 10      # setting "new_per_day" (here, not in tutor.schedule: the home screen needs no fsrs)
UNSEEN_REPORT = "exam_unseen_report"   # setting: an exam graded when its time ran out, its report not yet shown


def exam_report_waiting(store) -> bool:
    """An exam was graded when its time ran out (tutor.review.finish_expired): home says "e for the report"."""
    return store.get_setting(UNSEEN_REPORT) is not None


def resume_point(store) -> dict | None:
    """{"topic", "screen" ("lesson" | "practice"), "card", "item"}: where the learner left off."""
    r = store.get_setting("resume")
    if isinstance(r, dict) and isinstance(r.get("topic"), str):
        return r
    last = store.last_activity()
    if last and last["mode"] in ("practice", "lesson"):
        return {"topic": last["topic"], "screen": "practice", "card": None, "item": last["item_id"]}
    return None


def studied_topics(store, topic_ids: Iterable[str], *, now: datetime | None = None) -> list[str]:
    """Topics being studied, in the given (curriculum) order: met (opened, answered, or with a
    scheduled card), and the topics of an exam planned for today or later (``tutor plan``: its
    day-by-day new questions come from them, so the review queue serves them and home counts
    them — a plan could promise 0% → 100% for a topic that review never served)."""
    topic_ids = list(topic_ids)
    met = set(store.get_setting("opened_topics") or [])
    met.update(r[0] for r in store.read("SELECT DISTINCT topic FROM item_progress"))
    met.update(r[0] for r in store.read("SELECT DISTINCT topic FROM cards"))
    met.update(planned_exam_topics(store, topic_ids, now))
    return [t for t in topic_ids if t in met]


def planned_exam_topics(store, topic_ids: list[str], now: datetime | None) -> list[str]:
    """The saved exam's topics (every topic when it names none) while its date is not past."""
    from tutor.exam_day import local_date, saved_exam

    day, topics = saved_exam(store)
    if day is None:
        return []
    try:
        if datetime.strptime(day, "%Y-%m-%d").date() < local_date(utc(now)):
            return []
    except ValueError:
        return []
    return topic_ids if topics is None else topics


class TopicProgress(Record):
    """A topic's figures, as every screen shows them. A :class:`~tutor.record.Record`, not a
    dataclass: home builds these for its first frame."""
    __slots__ = ("id", "title", "total", "seen", "learned", "mastered", "due")

    def __init__(self, id: str, title: dict, total: int, seen: int = 0, learned: int = 0,
                 mastered: int | None = 0, due: int = 0) -> None:
        self.id, self.title, self.total, self.seen, self.learned = id, title, total, seen, learned
        self.mastered = mastered   # None: not counted (the home screen does not show it)
        self.due = due

    def as_json(self) -> dict:
        return {"title": self.title, "seen": self.seen, "learned": self.learned, "mastered": self.mastered,
                "total": self.total, "due": self.due}

    def bar(self, width: int = 10) -> str:
        """Learned of total as a bar (:func:`progress_bar`)."""
        return progress_bar(self.learned, self.total, width)


def progress_bar(learned: int, total: int, width: int = 10) -> str:
    """Learned of total as a bar on a track ("███░░░░░░░"), the one picture of it on every screen
    (home, stats): an empty bar is still seen as a bar, and a narrower one is drawn again at its
    width (never cut, which would make a part look whole)."""
    full = round(learned / total * width) if total else 0
    return "█" * full + "░" * (width - full)


def progress(store, topics: Iterable[tuple[str, dict, int]], *, now: datetime | None = None,
             with_mastered: bool = True) -> dict[str, TopicProgress]:
    """Per topic: seen, learned, mastered, total, due now. ``topics`` = [(id, title, number of
    questions)] in curriculum order (from the catalog or its summary). Counts never exceed the total
    (progress stored for ids the content no longer has is ignored by the cap).

    ``with_mastered=False`` leaves ``mastered`` None: it is the one figure that needs FSRS (its
    import and a recall per reviewed card), and the home screen, drawn first, does not show it."""
    now = utc(now)
    tp = store.topic_progress()
    due = due_by_topic(store, now=now)
    mastered = mastered_counts(store, now=now) if with_mastered else None
    out = {}
    for tid, title, total in topics:
        p = tp.get(tid, {})
        out[tid] = TopicProgress(tid, title, total, seen=min(total, p.get("attempted", 0)),
                                 learned=min(total, p.get("learned", 0)),
                                 mastered=None if mastered is None else min(total, mastered.get(tid, 0)),
                                 due=due.get(tid, 0))
    return out


def suspended_ids(store) -> set[str]:
    """Items suspended in the browser: never served, so never counted as due."""
    return set(store.get_setting(SUSPENDED) or [])


# the cards review serves: every scheduled item and repeated-mistake card, not a suspended item's (the
# one place that filter is written: the due counts, the review queue's count and the forecast). In
# SQL: the counts are made by SQLite, not by fetching every due card (a learner with months of
# history has thousands; benchmarks: first screen, 20,000 reviews)
NOT_SUSPENDED = ("item_id NOT IN (SELECT value FROM json_each((SELECT value FROM settings"
                 f" WHERE key = '{SUSPENDED}' AND json_valid(value))))")


def served_cards(store, sql: str, params: tuple = ()) -> list[tuple]:
    """The rows of ``sql`` — a query of the cards ending in its WHERE clause — over the cards review
    serves (:data:`NOT_SUSPENDED` added to that clause)."""
    return store.read(f"{sql} AND {NOT_SUSPENDED}", params)


def due_by_topic(store, *, now: datetime | None = None) -> dict[str, int]:
    """topic -> cards due now: the one "due" figure of home's rows and today line, the stats, ``tutor
    stats`` and the review queue (which serves exactly these, most overdue first). Every scheduled
    item and repeated-mistake card (under the topic where the mistake was made), not the suspended."""
    return dict(store.read(f"SELECT topic, count(*) FROM cards WHERE due <= ? AND {NOT_SUSPENDED} GROUP BY topic",
                           (iso(utc(now)),)))


def catalog_topics(catalog) -> list[tuple[str, dict, int]]:
    return [(t.id, t.title, len(t.questions)) for t in catalog.topics.values()]


def mastered_counts(store, *, now: datetime | None = None) -> dict[str, int]:
    """topic -> items whose FSRS retrievability now is at least the desired retention. fsrs is
    imported only when there is a reviewed card (a new learner's first screen stays light)."""
    out: dict[str, int] = {}
    for topic in mastered_items(store, now=now).values():
        out[topic] = out.get(topic, 0) + 1
    return out


def mastered_items(store, *, now: datetime | None = None) -> dict[str, str]:
    """item -> topic of every mastered item (the definition in the module docstring)."""
    # only cards in the review state: a card just failed (relearning) or still in its first steps
    # has R = 1 for a moment but has not been retained over any interval yet
    rows = store.read("SELECT item_id, topic, stability, last_review FROM cards WHERE state = 2"
                      " AND stability IS NOT NULL AND last_review IS NOT NULL AND item_id NOT LIKE 'remedial:%'")
    if not rows:
        return {}
    from tutor.schedule import Scheduler
    from tutor.stats import retrievability

    sched = Scheduler(store)
    w20, target = sched.fsrs.parameters[20], sched.desired_retention
    now = utc(now)
    return {item: topic for item, topic, stability, last_review in rows
            if retrievability((now - parse_iso(last_review)).days, stability, w20) >= target}


def today_counts(catalog, store, *, now: datetime | None = None) -> dict[str, int]:
    """{"due_today": cards due by the end of the local day, "due_now": of those, due now, "new_today": new items still to
    introduce today (the "new per day" quota left, at most what the studied topics hold; 0 while
    ``catalog`` is None), "done_today": answers today, "goal": the daily goal}. No fsrs: the home
    screen shows these."""
    now = utc(now)
    day = local_day_start(now)
    # due now: what the topic rows, the stats and the review queue count (a card missed today
    # comes back minutes later: due today, not yet now); one pass over the cards for both
    due_today, due_now = served_cards(store, "SELECT count(*), total(due <= ?) FROM cards WHERE due < ?",
                                      (iso(now), iso(day + timedelta(days=1))))[0]
    new_today = 0
    if catalog is not None:
        quota = store.int_setting("new_per_day", DEFAULT_NEW_PER_DAY) - store.introduced_since(day)
        candidates = [q.id for tid in studied_topics(store, catalog.topics, now=now)
                      for q in catalog.topics[tid].questions]
        new_today = len(store.without_cards(candidates, quota))
    done = store.read_one("SELECT count(*) FROM attempts WHERE at >= ? AND at <= ?", (iso(day), iso(now)))[0]
    return {"due_today": int(due_today), "due_now": int(due_now), "new_today": new_today, "done_today": int(done),
            "goal": store.int_setting("daily_goal", DEFAULT_DAILY_GOAL)}
