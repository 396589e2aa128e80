"""The learner model: one write path per answer, one definition of progress, what to study next.

No textual here. Every mode — lesson questions, practice, review, exam, line mode — records an
answer through :func:`record_answer`, which writes in **one transaction**: the attempt row, the
exam row (in an exam), the FSRS review (the first graded answer of an asking rates the item) and
the diagnosed mistake (which may queue a remedial card).

How an answer becomes a rating (:func:`rating_for`, on top of :meth:`Scheduler.rating_for`):

* wrong (score < 1) → Again: due again within the day;
* right, but the worked solution was shown first → Again (solved only after viewing it);
* right after a hint, on a second try (a retry after undo included), or slowly → Hard;
* right first try → Good, Easy when fast.

Progress (seen, learned, mastered) and today's counts are defined in :mod:`tutor.progress`.

What to study (:func:`review_queue`): due items of the topics the learner has met, most overdue
first; then remedial cards for repeated mistakes; then new items from the topics being studied
(opened, with answers, or in an exam planned with ``tutor plan``), in curriculum order, up to "new
per day". Any other topic is not served unless asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Mapping

from tutor.clock import iso, parse_iso, utc
from tutor.progress import planned_exam_topics, studied_topics, suspended_ids

REMEDIAL = "remedial:"
RIGHT_SCORE = 0.999
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
DEFAULT_MISTAKE_DAYS = 7
RETRY_AFTER_UNDO = "retry_after_undo"   # setting: items whose answer was undone, not rated since


# --------------------------------------------------------------------------- the write path


@dataclass
class Recorded:
    """What one answer wrote: the attempt id, the review it made (if it rated the item), the
    remedial card it queued (if any)."""
    attempt_id: int
    rating: int | None = None
    reason: str | None = None      # why that rating (:func:`rating_and_reason`)
    review: dict | None = None
    remedial: str | None = None
    previews: dict[int, float] = field(default_factory=dict)   # rating -> interval in days, before rating
    saved: bool = True     # False: the disk is full; the answer is kept and written when space returns


NOT_SAVED = {
    "en": "Not saved yet: the disk is full. Your answer is kept and will be saved as soon as there is space.",
    "ko": "아직 저장하지 못했습니다: 디스크가 가득 찼습니다. 답은 보관해 두었다가 공간이 생기면 바로 저장합니다.",
}


def rating_for(scheduler, *, score: float, hints_used: int, first_try: bool, solution_viewed: bool,
               duration_ms: int | None) -> int:
    """1..4 from how the item was answered (see the module docstring)."""
    return rating_and_reason(scheduler, score=score, hints_used=hints_used, first_try=first_try,
                             solution_viewed=solution_viewed, duration_ms=duration_ms)[0]


def rating_and_reason(scheduler, *, score: float, hints_used: int, first_try: bool, solution_viewed: bool,
                      duration_ms: int | None) -> tuple[int, str]:
    """:func:`rating_for` and why (:meth:`Scheduler.rating_and_reason`, or "solution": right after
    the worked solution, rated Again beside "✓ right" with no word why)."""
    if score >= RIGHT_SCORE and solution_viewed:
        return AGAIN, "solution"
    return scheduler.rating_and_reason(score=score, hints_used=hints_used, first_try=first_try,
                                       duration_ms=duration_ms)


def record_answer(store, scheduler, *, item_id: str, topic: str, kind: str, mode: str,
                  variant_seed: int | None, answers: Mapping[str, Any] | None, grade, hints_used: int = 0,
                  duration_ms: int | None = None, solution_viewed: bool = False, rate: bool = True,
                  first_try: bool = True, exam: tuple[int, int] | None = None,
                  now: datetime | None = None) -> Recorded:
    """Write one graded answer: attempt, exam row, FSRS review (when ``rate``), mistake — one transaction.

    ``rate`` is true for the first graded answer of an asking (an exam rates at its end instead);
    ``first_try`` is false for a retry (a second attempt, or an item asked again after undo).

    On a full disk nothing is lost: the answer is kept (:meth:`Store.defer`, with its own time)
    and written, before anything else, by the next write or when the store closes; the grade
    gets a one-line warning (:data:`NOT_SAVED`) and the result says ``saved=False``.
    """
    from tutor.store import DiskFull

    kw = dict(item_id=item_id, topic=topic, kind=kind, mode=mode, variant_seed=variant_seed,
              answers=None if answers is None else dict(answers), grade=grade, hints_used=hints_used,
              duration_ms=duration_ms, solution_viewed=solution_viewed, rate=rate, first_try=first_try,
              exam=exam, now=utc(now))
    try:
        if getattr(store, "pending", None) and store.replay_pending():
            raise DiskFull("earlier answers are still waiting for space")   # keep the order
        return _record_answer(store, scheduler, **kw)
    except DiskFull:
        store.defer(lambda: _record_answer(store, scheduler, **kw))
        if NOT_SAVED not in grade.warnings:
            grade.warnings.append(NOT_SAVED)
        return Recorded(0, saved=False)


def _record_answer(store, scheduler, *, item_id: str, topic: str, kind: str, mode: str,
                   variant_seed: int | None, answers: Mapping[str, Any] | None, grade, hints_used: int,
                   duration_ms: int | None, solution_viewed: bool, rate: bool, first_try: bool,
                   exam: tuple[int, int] | None, now: datetime) -> Recorded:
    answer = None if answers is None else dict(answers)
    with store.tx():
        out = Recorded(store.record_attempt(
            item_id=item_id, topic=topic, kind=kind, mode=mode, variant_seed=variant_seed, answer=answer,
            score=grade.score, correct=grade.correct, hints_used=hints_used, mistake=grade.mistake,
            duration_ms=duration_ms, exam_id=exam[0] if exam else None, solution_viewed=solution_viewed, now=now))
        if exam is not None:
            store.record_exam_answer(exam[0], exam[1], answer=answer, score=grade.score, correct=grade.correct,
                                     mistake=grade.mistake, now=now)
        if rate:
            out.previews = scheduler.preview(item_id, now=now)
            out.rating, out.reason = rating_and_reason(
                scheduler, score=grade.score, hints_used=hints_used, first_try=first_try,
                solution_viewed=solution_viewed, duration_ms=duration_ms)
            out.review = scheduler.review(item_id, topic, out.rating, now=now, auto=True, duration_ms=duration_ms)
            # rated again as a second try: an undo waiting on it is settled (a first try, the usual
            # answer, has none to settle and reads nothing more)
            waiting = [] if first_try else store.get_setting(RETRY_AFTER_UNDO) or []
            if item_id in waiting:
                store.set_setting(RETRY_AFTER_UNDO, [i for i in waiting if i != item_id])
        if grade.mistake:
            out.remedial = scheduler.note_mistake(item_id, topic, grade.mistake, now=now)
    return out


def undo_answer(store, scheduler, item_id: str, *, review_id: int | None = None,
                attempt_id: int | None = None) -> dict | None:
    """Take back the answer that rated ``item_id`` (review ``review_id``, attempt ``attempt_id``), in one
    transaction: the card as it was before, the review, the attempt (the item's progress made again
    without it) and the mistake it noted — every count, the progress and the mistakes list as if it
    had not been given. The next answer to it is still a second try (undo restores, it does not
    reward): :func:`retry_after_undo`, kept with the progress. None when there is nothing to undo."""
    with store.tx():
        undone = scheduler.undo_last(review_id, item_id=item_id)
        if undone is None:
            return None
        attempt = store.forget_attempt(attempt_id) if attempt_id is not None else None
        if attempt is not None and attempt["mistake"]:
            scheduler.forget_mistake(attempt["item_id"], attempt["mistake"], attempt["at"])
        if attempt is not None:   # the next answer to it is a second try, in any session (it was only in this one)
            waiting = store.get_setting(RETRY_AFTER_UNDO) or []
            if item_id not in waiting:
                store.set_setting(RETRY_AFTER_UNDO, [*waiting, item_id])
    return undone


def retry_after_undo(store, item_id: str) -> bool:
    """Whether ``item_id``'s last answer was undone and it has not been rated since: its next answer
    is a second try (Hard at best), wherever it is given."""
    return store is not None and item_id in (store.get_setting(RETRY_AFTER_UNDO) or [])   # None: an export


def rerate(store, scheduler, item_id: str, topic: str, rating: int, *, now: datetime | None = None,
           review_id: int | None = None) -> dict:
    """The learner overrides the rating the tutor chose for ``item_id`` (``review_id``, else the
    item's latest review): the review is replaced, in one transaction."""
    with store.tx():
        scheduler.undo_last(review_id, item_id=item_id)
        return scheduler.review(item_id, topic, int(rating), now=now, auto=False)


def finish_exam(store, scheduler, exam_id: int, *, now: datetime | None = None) -> dict:
    """Close an exam and schedule every item of it in the same transaction: right → Good, wrong or
    unanswered → Again (so what the exam showed you cannot do comes back today)."""
    with store.tx():
        already = store.exam(exam_id)
        report = store.finish_exam(exam_id, now=now)
        if already is None or already.get("finished") is None:
            for row in report["items"]:
                scheduler.review(row["item_id"], row["topic"], GOOD if row["correct"] else AGAIN, now=now, auto=True)
    return report


# --------------------------------------------------------------------------- where the learner is


def note_opened(store, topic: str, *, screen: str, card: int | None = None, item: str | None = None) -> None:
    """Remember that ``topic`` was opened, and where the learner is (for "continue")."""
    with store.tx():
        opened = store.get_setting("opened_topics") or []
        if topic not in opened:
            store.set_setting("opened_topics", [*opened, topic])
        store.set_setting("resume", {"topic": topic, "screen": screen, "card": card, "item": item})


def exam_topics_default(store, catalog) -> list[str]:
    """The topics an exam setup starts with: the last exam's (setting ``exam_last_topics``), else
    the topics being studied, else (a new learner) the first topic of the curriculum — never none;
    only topics that have questions."""
    with_questions = [t for t, tp in catalog.topics.items() if tp.questions]
    last = store.get_setting("exam_last_topics")
    if isinstance(last, list):
        kept = [t for t in with_questions if t in last]
        if kept:
            return kept
    return [t for t in studied_topics(store, with_questions)] or with_questions[:1]


EXAM_SIZE_DEFAULT = {"count": 10, "minutes": 20}


def exam_setup_defaults(store, catalog) -> dict:
    """What an exam setup starts with: {"topics", "count", "minutes"} — the last exam's (settings
    ``exam_last_topics`` and ``exam_last_size``), else the topics being studied, 10 questions, 20 min."""
    from tutor.backup_check import valid_setting  # the same check a backup's setting passes

    size = valid_setting("exam_last_size", store.get_setting("exam_last_size")) or EXAM_SIZE_DEFAULT
    minutes = size["minutes"]
    return {"topics": exam_topics_default(store, catalog), "count": size["count"],
            "minutes": int(minutes) if float(minutes).is_integer() else minutes}


def remember_exam_setup(store, topics: list[str], count: int, minutes: float) -> None:
    """The next exam setup starts from this one (see :func:`exam_setup_defaults`)."""
    with store.tx():
        store.set_setting("exam_last_topics", list(topics))
        store.set_setting("exam_last_size", {"count": int(count), "minutes": minutes})


# --------------------------------------------------------------------------- what to study


def review_queue(catalog, store, scheduler, *, now: datetime | None = None, topics: list[str] | None = None,
                 limit: int = 200, include_unopened: bool = False) -> list[str]:
    """Item ids to review now: due items (most overdue first), then remedial cards, then new items
    of the topics being studied (those of a planned exam first, then curriculum order), at most
    "new per day" of them today."""
    now = utc(now)
    known = {q.id for t in catalog.topics.values() for q in t.questions}
    due = scheduler.due(now, limit=limit, topics=topics)
    items = [i for i in due if i in known]
    remedial = [i for i in due if i.startswith(REMEDIAL) and _mistake_known(i[len(REMEDIAL):])]
    pool = list(catalog.topics) if include_unopened else studied_topics(store, catalog.topics, now=now)
    planned = set(planned_exam_topics(store, list(catalog.topics), now))
    pool = [t for t in pool if t in planned] + [t for t in pool if t not in planned]   # the exam's first
    if topics is not None:
        pool = [t for t in pool if t in topics]
    candidates = [(q.id, tid) for tid in pool for q in catalog.topics[tid].questions]
    new = scheduler.due(now, limit=0, topics=topics, all_items=candidates)
    suspended = suspended_ids(store)   # suspended in the browser: never served
    return [i for i in items + remedial + [i for i in new if i not in due] if i not in suspended]


def mistakes_queue(store, *, days: int = DEFAULT_MISTAKE_DAYS, now: datetime | None = None,
                   known: set[str] | None = None) -> list[str]:
    """Items answered wrong in the last ``days`` days that were not answered right since, most
    recent miss first ("review my mistakes"); never a suspended one."""
    now = utc(now)
    since = iso(now - timedelta(days=days))
    suspended = suspended_ids(store)
    rows = store.read(
        "SELECT item_id, MAX(at) AS last_miss FROM attempts WHERE correct = 0 AND at >= ? AND at <= ?"
        " AND mode != 'remedial' GROUP BY item_id ORDER BY last_miss DESC", (since, iso(now)))
    out = []
    for item_id, last_miss in rows:
        fixed = store.read_one("SELECT 1 FROM attempts WHERE item_id = ? AND correct = 1 AND at > ? LIMIT 1",
                               (item_id, last_miss))
        if fixed is None and (known is None or item_id in known) and item_id not in suspended:
            out.append(item_id)
    return out


def _mistake_known(mistake_id: str) -> bool:
    from tutor.review import mistake_text

    return mistake_text(mistake_id) is not None


# each study setting: how it is read and its range
STUDY_SETTINGS = {"new_per_day": (int, 0, 1000), "daily_goal": (int, 1, 1000), "desired_retention": (float, 0.5, 0.99)}


class SettingsError(ValueError):
    """Study settings that are not numbers in their range: ``bad`` names them (STUDY_SETTINGS' keys)."""

    def __init__(self, bad: list[str]):
        super().__init__("out of range: " + ", ".join(bad))
        self.bad = bad


def save_study_settings(store, *, new_per_day, daily_goal, desired_retention) -> None:
    """Check and save the study settings together (one transaction); :class:`SettingsError` naming
    each one that is not a number in its range (see :data:`STUDY_SETTINGS`) — nothing is saved then."""
    given = {"new_per_day": new_per_day, "daily_goal": daily_goal, "desired_retention": desired_retention}
    values, bad = {}, []
    for key, (kind, lo, hi) in STUDY_SETTINGS.items():
        try:
            values[key] = kind(str(given[key]).strip())
        except ValueError:
            bad.append(key)
            continue
        if not lo <= values[key] <= hi:
            bad.append(key)
    if bad:
        raise SettingsError(bad)
    with store.tx():
        for key, value in values.items():
            store.set_setting(key, value)


# --------------------------------------------------------------------------- a session's summary


@dataclass
class SessionSummary:
    """Kept by a :class:`~tutor.session.Study` as answers are recorded; shown at the end."""
    answered: int = 0            # items graded at least once
    right_first: int = 0         # right on the first try, without the solution
    new: int = 0                 # items met for the first time (their card introduced)
    mistakes: dict[str, int] = field(default_factory=dict)   # mistake id -> times named
    next_due: str | None = None  # ISO time of the earliest due among the items answered
    _items: set = field(default_factory=set)

    def add(self, item_id: str, *, first_answer: bool, right_first: bool, was_new: bool,
            mistake: str | None, due: datetime | None) -> None:
        if first_answer and item_id not in self._items:
            self._items.add(item_id)
            self.answered += 1
            self.right_first += right_first
            self.new += was_new
        if mistake:
            self.mistakes[mistake] = self.mistakes.get(mistake, 0) + 1
        if due is not None and (self.next_due is None or iso(due) < self.next_due):
            self.next_due = iso(due)

    def as_json(self) -> dict:
        return {"answered": self.answered, "right_first_try": self.right_first, "new": self.new,
                "mistakes": dict(self.mistakes), "next_due": self.next_due}


def summary_lines(summary: SessionSummary | None, lang: str) -> list[str]:
    """The end-of-session summary as lines in ``lang``: answered, right, new, next review, mistakes."""
    ko = lang == "ko"
    s = summary or SessionSummary()
    lines = [f"답한 문제 {s.answered}개 · 첫 시도에 정답 {s.right_first}개 · 새 문제 {s.new}개" if ko else
             f"Answered {s.answered} · right first try {s.right_first} · new {s.new}"]
    if s.next_due:
        when = parse_iso(s.next_due).astimezone().strftime("%Y-%m-%d %H:%M")
        lines.append(f"다음 복습: {when}" if ko else f"Next review: {when}")
    if s.mistakes:
        from tutor.review import mistake_text

        for mid, n in sorted(s.mistakes.items(), key=lambda kv: -kv[1]):
            text = (mistake_text(mid) or {}).get(lang) or ""
            first = text.split("\n")[0].split(". ")[0].rstrip(".")
            lines.append(("실수" if ko else "Mistake") + f" ×{n}: {first[:90]}")
    return lines


def format_interval(days: float, lang: str) -> str:
    """<10m · 1h · 1d · 3d · 2mo: the interval a rating would give, as the rating keys show it."""
    minutes = days * 1440
    if minutes < 60:
        return f"{max(1, round(minutes))}{'분' if lang == 'ko' else 'm'}"
    if days < 1:
        return f"{round(minutes / 60)}{'시간' if lang == 'ko' else 'h'}"
    if days < 31:
        return f"{round(days)}{'일' if lang == 'ko' else 'd'}"
    if days < 365:
        return f"{round(days / 30)}{'개월' if lang == 'ko' else 'mo'}"
    return f"{days / 365:.1f}{'년' if lang == 'ko' else 'y'}"


__all__ = ["Recorded", "record_answer", "rerate", "finish_exam", "rating_for", "note_opened",
           "exam_topics_default", "review_queue", "mistakes_queue", "save_study_settings", "SettingsError", "STUDY_SETTINGS", "SessionSummary",
           "summary_lines", "format_interval"]
