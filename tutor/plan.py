"""Exam-day readiness: predicted recall on the exam date, a day-by-day plan, a weighted mock exam.

No textual here: ``tutor plan`` and the Plan screen show what :func:`build_plan` computes.

**Predicted recall** of a question on the exam date is its FSRS retrievability then, from its card
as it is now (stability and last review; the same forgetting curve as
:func:`tutor.stats.retrievability` and ``fsrs.Scheduler.get_card_retrievability``, with the
scheduler's parameters). A question never learned (never answered right without the solution
first) counts 0, even when a wrong answer made its card. A topic's predicted recall is the
mean over its questions; **readiness** is the mean over the questions of all the exam's topics.
"The exam date" is the start of that local day (or now, on the day itself).

**The plan** covers the days from today to the day before the exam:

* *new*: the questions of the exam's topics not yet met, in curriculum order, spread evenly over
  the days, never more than the "new per day" setting on a day (today: minus what was already
  introduced today). What does not fit is reported (``unplanned``).
* *review*: the questions FSRS will ask for on each day, simulated with the scheduler itself
  (:meth:`tutor.schedule.Scheduler.next_card`, same fuzz) assuming every answer is Good: the
  cards already due or falling due, and those the plan's own new questions will produce. A card
  FSRS would next show only after the exam, but whose recall would be below the desired
  retention on exam day, is added to the last day (a last refresh).

Following the plan, every planned question is at or above the desired retention on the exam
day; ``planned_readiness`` is the readiness that the simulation ends with.

**The mock exam**: questions of the exam's topics sampled without replacement with weights
∝ 1 − predicted recall (at least a little, so a well-known topic can still appear): the weakest
topics get most of the questions.

Settings: ``exam_date`` (``YYYY-MM-DD``) and ``exam_topics`` (a list of topic ids; null = every
topic that has questions).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from tutor.clock import parse_iso, utc
from tutor.exam_day import _w20, exam_moment, exam_status, local_date, local_midnight, pct, saved_exam

MAX_DAYS_AHEAD = 2 * 366     # an exam further away than this is a typo
STUDY_HOUR = 9               # the simulated learner studies the new items of a future day at 09:00
MIN_WEIGHT = 0.02            # the mock exam's smallest weight (1 − recall, at least this)
DEFAULT_MOCK_SIZE = 10
MOCK_MINUTES_PER_QUESTION = 2
MOCK_TOPICS_NAMED = 3        # the mock exam's line names its three most frequent topics
GOOD = 3


class PlanError(ValueError):
    """A bad exam date or topic; ``str(e)`` is one line (English, for the command line); ``key``
    and ``kw`` give the same message in the UI language (``tr(e.key, lang, **e.kw)``)."""

    def __init__(self, message: str, key: str, **kw):
        super().__init__(message)
        self.key = key
        self.kw = kw


# --------------------------------------------------------------------------- dates and settings


def parse_exam_date(text: str, *, now: datetime | None = None) -> date:
    """``YYYY-MM-DD`` → a date today or later (at most two years ahead), else PlanError."""
    value = (text or "").strip()
    try:
        if len(value) != 10:
            raise ValueError
        d = date.fromisoformat(value)
    except ValueError:
        raise PlanError(f"exam date {text!r} is not a date: use YYYY-MM-DD, e.g. 2026-12-21",
                        "plan.err.not_date", value=text) from None
    today = local_date(now)
    if d < today:
        raise PlanError(f"exam date {d.isoformat()} is in the past (today is {today.isoformat()})",
                        "plan.err.past", date=d.isoformat(), today=today.isoformat())
    if (d - today).days > MAX_DAYS_AHEAD:
        raise PlanError(f"exam date {d.isoformat()} is more than two years away", "plan.err.far",
                        date=d.isoformat())
    return d


def exam_topic_ids(catalog, topics: list[str] | None) -> list[str]:
    """The exam's topics in curriculum order (None: every topic with questions); PlanError names
    the unknown ids."""
    if topics is None:
        return [tid for tid, t in catalog.topics.items() if t.questions]
    wanted = [t.strip() for t in topics if t and t.strip()]
    if not wanted:
        raise PlanError("no exam topics given", "plan.err.no_topics")
    unknown = [t for t in wanted if t not in catalog.topics]
    if unknown:
        raise PlanError(f"unknown topic{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}",
                        "plan.err.unknown", topics=", ".join(unknown))
    empty = [t for t in wanted if not catalog.topics[t].questions]
    if empty:
        raise PlanError(f"no questions in topic{'s' if len(empty) > 1 else ''}: {', '.join(empty)}",
                        "plan.err.empty", topics=", ".join(empty))
    return [tid for tid in catalog.topics if tid in set(wanted)]


def save_exam(store, exam_date: date, topics: list[str] | None) -> None:
    with store.tx():
        store.set_setting("exam_date", exam_date.isoformat())
        store.set_setting("exam_topics", None if topics is None else list(topics))


# --------------------------------------------------------------------------- predicted recall


# the cards whose recall counts: scheduled, of an item learned at least once (tutor.progress)
LEARNED_CARDS = ("stability IS NOT NULL AND last_review IS NOT NULL AND item_id NOT LIKE 'remedial:%'"
                 " AND item_id IN (SELECT item_id FROM item_progress WHERE learned > 0)")


def predicted_recalls(store, item_ids: list[str], at: datetime, *, w20: float | None = None) -> dict[str, float]:
    """item → FSRS retrievability at ``at`` from its card now; 0 for an item never learned (never
    answered right without the solution first: what was never known is not recalled — a failed
    exam made cards whose recall raised the readiness)."""
    from tutor.stats import retrievability

    out = dict.fromkeys(item_ids, 0.0)
    ids = set(item_ids)
    at = utc(at)
    rows = [r for r in store.read(f"SELECT item_id, stability, last_review FROM cards WHERE {LEARNED_CARDS}")
            if r[0] in ids]
    if rows and w20 is None:
        w20 = _w20(store)
    for item_id, stability, last_review in rows:
        out[item_id] = retrievability((at - parse_iso(last_review)).days, stability, w20)
    return out


# --------------------------------------------------------------------------- the plan


@dataclass
class TopicRecall:
    id: str
    title: dict
    items: int
    seen: int
    predicted_recall: float
    planned_recall: float

    def as_json(self) -> dict:
        return {"id": self.id, "title": self.title, "items": self.items, "seen": self.seen,
                "predicted_recall": round(self.predicted_recall, 4), "planned_recall": round(self.planned_recall, 4)}


@dataclass
class DayPlan:
    date: date
    new: int = 0
    review: int = 0

    def as_json(self) -> dict:
        return {"date": self.date.isoformat(), "new": self.new, "review": self.review}


@dataclass
class Plan:
    exam_date: date
    days_left: int
    topics: list[TopicRecall]
    days: list[DayPlan]
    readiness: float
    planned_readiness: float
    unseen: int                  # questions of the exam's topics never answered
    unplanned: int               # of those, how many do not fit under "new per day" before the exam
    new_per_day: int
    desired_retention: float
    mock_exam: list[str] = field(default_factory=list)

    @property
    def topic_ids(self) -> list[str]:
        return [t.id for t in self.topics]

    def as_json(self) -> dict:
        return {"exam_date": self.exam_date.isoformat(), "days_left": self.days_left,
                "readiness": round(self.readiness, 4), "planned_readiness": round(self.planned_readiness, 4),
                "desired_retention": self.desired_retention, "new_per_day": self.new_per_day,
                "unseen": self.unseen, "unplanned": self.unplanned,
                "topics": [t.as_json() for t in self.topics], "days": [d.as_json() for d in self.days],
                "mock_exam": list(self.mock_exam)}


def spread_new(unseen: int, days: int, per_day: int, today_cap: int) -> list[int]:
    """New items per day: as even as possible (earlier days take the remainder), at most
    ``per_day`` a day and ``today_cap`` on the first day; sums to what fits."""
    out = []
    left = unseen
    for k in range(days):
        cap = max(0, min(per_day, today_cap) if k == 0 else per_day)
        n = min(cap, math.ceil(left / (days - k))) if left > 0 else 0
        out.append(n)
        left -= n
    return out


def _simulate(sched, card, reps: int, start: datetime, end: datetime) -> tuple[list[datetime], object, int]:
    """Review ``card`` Good whenever it falls due from ``start`` until ``end``: (review times, the
    card after them, reps)."""
    times = []
    t = max(utc(card.due), start)
    while t < end:
        times.append(t)
        card = sched.next_card(card, GOOD, t, reps=reps)
        reps += 1
        t = max(utc(card.due), t + timedelta(seconds=1))
    return times, card, reps


def build_plan(catalog, store, exam_date: date, topics: list[str] | None = None, *,
               now: datetime | None = None, mock_size: int = DEFAULT_MOCK_SIZE, scheduler=None) -> Plan:
    """The plan for an exam on ``exam_date`` over ``topics`` (None: all with questions); see the
    module docstring. Raises PlanError for an unknown topic. Writes nothing."""
    from fsrs import Card

    from tutor.progress import DEFAULT_NEW_PER_DAY
    from tutor.schedule import Scheduler
    from tutor.stats import retrievability
    from tutor.store import card_id_for

    now = utc(now)
    topic_ids = exam_topic_ids(catalog, topics)
    sched = scheduler or Scheduler(store)
    w20, target = sched.fsrs.parameters[20], sched.desired_retention
    at = exam_moment(exam_date, now)
    today = local_date(now)
    day_dates = [today + timedelta(days=k) for k in range((exam_date - today).days)]
    last_day = day_dates[-1] if day_dates else None
    questions = [(q.id, tid) for tid in topic_ids for q in catalog.topics[tid].questions]
    ids = [i for i, _ in questions]
    recall = predicted_recalls(store, ids, at, w20=w20)

    from tutor.progress import suspended_ids

    # cards as they are now: those review serves (a suspended item is never served, nor introduced)
    suspended = suspended_ids(store)
    wanted = set(ids) - suspended
    cards = {}
    for item_id, card_json, reps in store.read("SELECT item_id, card, reps FROM cards WHERE item_id NOT LIKE"
                                                " 'remedial:%'"):
        if item_id in wanted:
            cards[item_id] = (Card.from_json(card_json), int(reps))
    unseen = [i for i in ids if i not in cards and i not in suspended]
    new_per_day = max(0, store.int_setting("new_per_day", DEFAULT_NEW_PER_DAY))
    today_cap = new_per_day - store.introduced_since(local_midnight(today))
    new_counts = spread_new(len(unseen), len(day_dates), new_per_day, today_cap)

    days = {d: DayPlan(d, new=n) for d, n in zip(day_dates, new_counts)}
    reviewed: dict[date, set] = {d: set() for d in day_dates}
    final_recall = dict.fromkeys(ids, 0.0)

    def run(item_id: str, card, reps: int, start: datetime, intro_day: date | None) -> None:
        times, card, reps = _simulate(sched, card, reps, start, at)
        for t in times:
            d = local_date(t)
            if d in reviewed and d != intro_day:
                reviewed[d].add(item_id)
        r = _recall_of(card, at)
        if r < target and last_day is not None and card.last_review is not None \
                and local_date(card.last_review) != last_day:
            t = max(now, local_midnight(last_day) + timedelta(hours=STUDY_HOUR))
            if t < at:   # a last refresh before the exam
                card = sched.next_card(card, GOOD, t, reps=reps)
                reviewed[last_day].add(item_id)
                r = _recall_of(card, at)
        final_recall[item_id] = r

    def _recall_of(card, when: datetime) -> float:
        if card.last_review is None or card.stability is None:
            return 0.0
        return retrievability((when - utc(card.last_review)).days, card.stability, w20)

    for item_id, (card, reps) in cards.items():
        run(item_id, card, reps, now, None)
    queue = iter(unseen)
    for d, n in zip(day_dates, new_counts):
        start = now if d == today else max(now, local_midnight(d) + timedelta(hours=STUDY_HOUR))
        for _ in range(n):
            item_id = next(queue)
            run(item_id, Card(card_id=card_id_for(item_id), due=start), 0, start, d)
    for d in day_dates:
        days[d].review = len(reviewed[d])

    by_topic: dict[str, list[str]] = {}
    for i, tid in questions:
        by_topic.setdefault(tid, []).append(i)
    rows = []
    for tid in topic_ids:
        its = by_topic.get(tid, [])
        rows.append(TopicRecall(tid, catalog.topics[tid].title, len(its), sum(1 for i in its if i in cards),
                                sum(recall[i] for i in its) / len(its), sum(final_recall[i] for i in its) / len(its)))
    n = len(ids)
    plan = Plan(exam_date=exam_date, days_left=(exam_date - today).days, topics=rows,
                days=[days[d] for d in day_dates], readiness=sum(recall.values()) / n if n else 0.0,
                planned_readiness=sum(final_recall.values()) / n if n else 0.0, unseen=len(unseen),
                unplanned=len(unseen) - sum(new_counts), new_per_day=new_per_day, desired_retention=target)
    seed = f"{exam_date.isoformat()}|{','.join(topic_ids)}|{store.read_one('SELECT count(*) FROM review_log')[0]}"
    # suspended in the browser: never served, in a mock exam neither
    plan.mock_exam = mock_exam([(i, t) for i, t in questions if i not in suspended], recall, mock_size, seed=seed)
    return plan


def mock_exam(questions: list[tuple[str, str]], recall: dict[str, float], n: int, *, seed=None) -> list[str]:
    """``n`` question ids sampled without replacement with weights ∝ 1 − predicted recall (at least
    MIN_WEIGHT); the same ``seed`` gives the same exam (Efraimidis–Spirakis: key u^(1/w), largest first)."""
    rng = random.Random(seed)
    keyed = []
    for item_id, _topic in questions:
        w = max(MIN_WEIGHT, 1.0 - recall.get(item_id, 0.0))
        keyed.append((rng.random() ** (1.0 / w), item_id))
    keyed.sort(reverse=True)
    return [i for _, i in keyed[:max(0, n)]]


def start_mock_exam(catalog, store, plan: Plan, *, lang: str = "en", now: datetime | None = None):
    """An :class:`~tutor.review.ExamSession` on the plan's mock exam (2 minutes a question)."""
    from tutor.review import ExamSession

    session = ExamSession(catalog, store, lang=lang)
    topics = [t for t in plan.topic_ids if any(catalog.item(i).topic == t for i in plan.mock_exam)]
    session.start(topics, len(plan.mock_exam), MOCK_MINUTES_PER_QUESTION * len(plan.mock_exam),
                  items=list(plan.mock_exam), now=now)
    return session


# --------------------------------------------------------------------------- as text (CLI and screen)


def summary_lines(plan: Plan, lang: str) -> list[str]:
    """The plan's headline: date, days left, readiness now and with the plan, what does not fit."""
    from tutor.i18n import tr

    key = "plan.summary_today" if plan.days_left == 0 else "plan.summary"
    lines = [tr(key, lang, date=plan.exam_date.isoformat(), n=plan.days_left, r=pct(plan.readiness),
                p=pct(plan.planned_readiness), t=pct(plan.desired_retention))]
    if plan.unplanned and plan.days:
        lines.append(tr("plan.unplanned", lang, n=plan.unplanned, per_day=plan.new_per_day))
    return lines


def topic_table(plan: Plan, lang: str) -> list[list[str]]:
    """Rows [topic, questions, seen, recall on exam day, with the plan] (the first is the header)."""
    from tutor.i18n import tr

    head = [tr(f"plan.col.{c}", lang) for c in ("topic", "items", "seen", "recall", "planned")]
    return [head] + [[t.title.get(lang) or t.title.get("en") or "", str(t.items), str(t.seen),
                      pct(t.predicted_recall), pct(t.planned_recall)] for t in plan.topics]


WEEKDAYS = {"en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], "ko": ["월", "화", "수", "목", "금", "토", "일"]}


def day_table(plan: Plan, lang: str) -> list[list[str]]:
    """Rows [day, new, review, total] (the first is the header)."""
    from tutor.i18n import tr

    head = [tr(f"plan.col.{c}", lang) for c in ("date", "new", "review", "total")]
    rows = [head]
    for d in plan.days:
        rows.append([f"{d.date.isoformat()} {WEEKDAYS.get(lang, WEEKDAYS['en'])[d.date.weekday()]}", str(d.new),
                     str(d.review), str(d.new + d.review)])
    return rows


def mock_line(plan: Plan, catalog, lang: str) -> str:
    """"Mock exam: 10 questions, weighted towards your weakest topics (EM 4, GMM 3, …)" — by title."""
    from tutor.i18n import tr

    counts: dict[str, int] = {}
    for i in plan.mock_exam:
        tid = catalog.item(i).topic
        counts[tid] = counts.get(tid, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    parts = ", ".join(f"{catalog.topics[t].title.get(lang) or t} {n}" for t, n in ranked[:MOCK_TOPICS_NAMED])
    if len(ranked) > MOCK_TOPICS_NAMED:
        parts += ", …"
    return tr("plan.mock", lang, n=len(plan.mock_exam), topics=parts,
              m=MOCK_MINUTES_PER_QUESTION * len(plan.mock_exam))


def columns(rows: list[list[str]], right_aligned: set[int] = frozenset(), gap: int = 2) -> list[str]:
    """Rows of cells as aligned lines, measured in terminal cells (Korean is 2 wide)."""
    from rich.cells import cell_len

    widths = [max(cell_len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [(" " * gap).join(" " * (w - cell_len(c)) + c if i in right_aligned else c + " " * (w - cell_len(c))
                             for i, (c, w) in enumerate(zip(r, widths))).rstrip() for r in rows]


def report_lines(plan: Plan, catalog, lang: str) -> list[str]:
    """The whole plan as lines of text (``tutor plan``)."""
    from tutor.i18n import tr

    out = summary_lines(plan, lang) + [""]
    out += columns(topic_table(plan, lang), right_aligned={1, 2, 3, 4})
    out.append("")
    if plan.days:
        out.append(tr("plan.days_title", lang))
        out += columns(day_table(plan, lang), right_aligned={1, 2, 3})
    else:
        out.append(tr("plan.exam_today", lang))
    out += ["", mock_line(plan, catalog, lang)]
    return out


__all__ = ["PlanError", "Plan", "TopicRecall", "DayPlan", "parse_exam_date", "exam_topic_ids", "saved_exam",
           "save_exam", "exam_moment", "predicted_recalls", "exam_status", "build_plan", "spread_new",
           "mock_exam", "start_mock_exam", "local_date", "local_midnight", "summary_lines", "topic_table",
           "day_table", "mock_line", "columns", "report_lines", "pct"]
