"""Spaced review with FSRS (the ``fsrs`` package, 6.x) on top of the :class:`~tutor.store.Store`.

Each item that has been reviewed once has a row in ``cards``: the fsrs ``Card`` as JSON and its
``due`` time in an indexed column, so "what is due" is an index range scan. Every review appends a
``review_log`` row with the card row before (for :meth:`Scheduler.undo_last`), the card after, the
rating, whether the tutor chose it (``auto``) or the learner overrode it, the time and the duration:
everything the fsrs ``Optimizer`` needs to re-fit the parameters later (:meth:`Scheduler.review_logs`).

Card ids are stable integers derived from the item id (first 8 bytes of sha256, 63 bits), never the
``Card()`` default (the creation time, which also sleeps 1 ms).

Intervals are fuzzed like fsrs does (so cards learned together spread out), but with a random
generator seeded from the card id and its review count instead of the global ``random`` state:
the same history always gives the same schedule.

How an answer becomes a rating (:meth:`Scheduler.rating_for`):

====================================================  =========
not fully right (score < 1)                            Again (1)
right, but after a hint, a second try, or slow         Hard (2)
right first try, no hint                               Good (3)
right first try, no hint, very fast                    Easy (4)
====================================================  =========

"Slow" is more than ``slow_ms`` (setting ``slow_ms``, default 3 minutes: the exercises are
computations done by hand), "very fast" is under ``easy_ms`` (setting ``easy_ms``, default 8 s:
in practice only choice questions). An unknown duration never makes it Hard or Easy.

Store settings read here: ``desired_retention`` (0.9), ``new_per_day`` (10), ``slow_ms``, ``easy_ms``,
``fsrs_parameters`` (the 21 weights from ``fsrs.Optimizer(Scheduler(store).review_logs())
.compute_optimal_parameters()``; the fsrs defaults when unset).
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone

from fsrs import Card, Rating, ReviewLog, State
from fsrs import Scheduler as FsrsScheduler
from fsrs.scheduler import DEFAULT_PARAMETERS, FUZZ_RANGES

from tutor.clock import iso, local_day_start, parse_iso, utc
from tutor.progress import DEFAULT_NEW_PER_DAY
from tutor.store import Store, card_id_for

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RIGHT_SCORE = 0.999          # a score at least this counts as fully right
DEFAULT_SLOW_MS = 180_000
DEFAULT_EASY_MS = 8_000
DEFAULT_RETENTION = 0.9
REMEDIAL_PREFIX = "remedial:"
_CARD_COLS = ("item_id", "topic", "card_id", "state", "due", "stability", "last_review", "reps", "lapses",
              "introduced", "card")


def _put_card(c, item_id: str, topic: str, card: Card, *, reps: int, lapses: int, introduced: str | None) -> None:
    """Write the item's card row (the fsrs Card as JSON, plus the columns queries and statistics use)."""
    values = (item_id, topic, card.card_id, int(card.state), iso(card.due), card.stability, iso(card.last_review),
              reps, lapses, introduced, card.to_json())
    c.execute(f"INSERT OR REPLACE INTO cards({', '.join(_CARD_COLS)}) VALUES ({','.join('?' * len(_CARD_COLS))})",
              values)


def _fuzz_days(interval_days: int, seed: str, maximum_interval: int) -> int:
    """fsrs' fuzz range (same FUZZ_RANGES), drawn from a seeded generator instead of global random."""
    if interval_days < 2.5:
        return interval_days
    delta = 1.0
    for r in FUZZ_RANGES:
        delta += r["factor"] * max(min(float(interval_days), r["end"]) - r["start"], 0.0)
    lo = max(2, round(interval_days - delta))
    hi = min(round(interval_days + delta), maximum_interval)
    lo = min(lo, hi)
    return min(random.Random(seed).randint(lo, hi), maximum_interval)


class Scheduler:
    """FSRS scheduling for the items of one :class:`Store`."""

    def __init__(self, store: Store, *, desired_retention: float | None = None, fuzz: bool = True,
                 parameters: list[float] | None = None):
        self.store = store
        if desired_retention is None:
            desired_retention = store.get_setting("desired_retention", DEFAULT_RETENTION)
        desired_retention = float(desired_retention)
        if not 0.5 <= desired_retention < 1.0:
            raise ValueError(f"desired_retention must be in [0.5, 1), got {desired_retention}")
        if parameters is None:
            parameters = store.get_setting("fsrs_parameters") or list(DEFAULT_PARAMETERS)
        self.fuzz = fuzz
        # fsrs fuzzing uses the global random state: off, we fuzz deterministically ourselves
        self.fsrs = FsrsScheduler(parameters=parameters, desired_retention=desired_retention, enable_fuzzing=False)

    @property
    def desired_retention(self) -> float:
        return self.fsrs.desired_retention

    # ------------------------------------------------------------------ answer → rating
    def rating_for(self, *, score: float, hints_used: int, first_try: bool, duration_ms: int | None) -> int:
        """1..4 (Again/Hard/Good/Easy) from how the item was answered; see the module docstring."""
        return self.rating_and_reason(score=score, hints_used=hints_used, first_try=first_try,
                                      duration_ms=duration_ms)[0]

    def rating_and_reason(self, *, score: float, hints_used: int, first_try: bool,
                          duration_ms: int | None) -> tuple[int, str]:
        """:meth:`rating_for` and why: wrong, partly, hint, retry, slow, fast or right (the review
        screen says it beside the rating)."""
        if score < RIGHT_SCORE:
            return AGAIN, "partly" if score > 0 else "wrong"
        if hints_used > 0:
            return HARD, "hint"
        if not first_try:
            return HARD, "retry"
        if duration_ms is not None:
            if duration_ms > int(self.store.get_setting("slow_ms", DEFAULT_SLOW_MS)):
                return HARD, "slow"
            if duration_ms < int(self.store.get_setting("easy_ms", DEFAULT_EASY_MS)):
                return EASY, "fast"
        return GOOD, "right"

    # ------------------------------------------------------------------ cards
    def _card_id(self, c, item_id: str) -> int:
        row = c.execute("SELECT card_id FROM cards WHERE item_id = ?", (item_id,)).fetchone()
        if row:
            return row[0]
        salt = 0
        while True:  # a sha256 collision in 63 bits will not happen, but never share a card id
            cid = card_id_for(item_id, salt)
            other = c.execute("SELECT item_id FROM cards WHERE card_id = ?", (cid,)).fetchone()
            if other is None or other[0] == item_id:
                return cid
            salt += 1

    def card(self, item_id: str) -> Card | None:
        row = self.store.read_one("SELECT card FROM cards WHERE item_id = ?", (item_id,))
        return None if row is None else Card.from_json(row[0])

    def card_info(self, item_id: str) -> dict | None:
        """The cards row as a dict ("card" is the fsrs Card), or None if never scheduled."""
        row = self.store.read_one(f"SELECT {', '.join(_CARD_COLS)} FROM cards WHERE item_id = ?", (item_id,))
        if row is None:
            return None
        d = dict(zip(_CARD_COLS, row))
        d["card"] = Card.from_json(d["card"])
        return d

    def review(self, item_id: str, topic: str, rating: int, *, now: datetime | None = None, auto: bool = True,
               duration_ms: int | None = None) -> dict:
        """Apply one review to the item's card and log it, in one transaction.

        Returns {"due": aware UTC datetime, "rating", "review_id", "state": "learning"|"review"|"relearning",
        "interval_days": float}.
        """
        rating = Rating(int(rating))
        now = utc(now)
        with self.store.tx() as c:
            row = c.execute(f"SELECT {', '.join(_CARD_COLS)} FROM cards WHERE item_id = ?", (item_id,)).fetchone()
            if row is None:
                before = None
                card = Card(card_id=self._card_id(c, item_id), due=now)
                reps = lapses = 0
                introduced = None
                state_before = None
            else:
                before = dict(zip(_CARD_COLS, row))
                card = Card.from_json(before["card"])
                reps, lapses, introduced = before["reps"], before["lapses"], before["introduced"]
                state_before = int(card.state) if before["reps"] > 0 else None
            new = self._next(card, rating, now, reps, duration_ms)
            if card.state == State.Review and rating == Rating.Again:
                lapses += 1
            _put_card(c, item_id, topic, new, reps=reps + 1, lapses=lapses, introduced=introduced or iso(now))
            cur = c.execute("INSERT INTO review_log(item_id, topic, card_id, rating, auto, state_before, before, after,"
                            " due, reviewed_at, duration_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                            (item_id, topic, new.card_id, int(rating), 1 if auto else 0, state_before,
                             None if before is None else json.dumps(before, ensure_ascii=False), new.to_json(),
                             iso(new.due), iso(now), duration_ms))
            review_id = int(cur.lastrowid)
        return {"due": new.due.astimezone(timezone.utc), "rating": int(rating), "review_id": review_id,
                "first": before is None or not before["reps"],
                "state": new.state.name.lower(), "interval_days": (new.due - now).total_seconds() / 86400}

    def _next(self, card: Card, rating: Rating, now: datetime, reps: int, duration_ms: int | None = None) -> Card:
        """The card after one review (fsrs, then our seeded fuzz); changes nothing stored."""
        new, _log = self.fsrs.review_card(card, rating, review_datetime=now, review_duration=duration_ms)
        if self.fuzz and new.state == State.Review:
            days = round((new.due - now).total_seconds() / 86400)
            fuzzed = _fuzz_days(days, f"{new.card_id}:{reps}", self.fsrs.maximum_interval)
            new.due = now + timedelta(days=fuzzed)
        return new

    def next_card(self, card: Card, rating: int, now: datetime | None = None, *, reps: int = 0) -> Card:
        """The card after one review with ``rating`` at ``now`` (fsrs, then the same seeded fuzz as
        :meth:`review`; ``reps`` = reviews before this one, the fuzz seed). Writes nothing: for
        simulations such as the exam plan (tutor.plan)."""
        return self._next(card, Rating(int(rating)), utc(now), reps)

    def preview(self, item_id: str, *, now: datetime | None = None) -> dict[int, float]:
        """{rating: interval in days} that each rating would give the item now (the rating keys'
        previews: 1 Again <10m · 2 Hard 1d · 3 Good 3d · 4 Easy 8d). Writes nothing."""
        now = utc(now)
        row = self.store.read_one("SELECT card, reps FROM cards WHERE item_id = ?", (item_id,))
        if row is None:
            card, reps = Card(card_id=card_id_for(item_id), due=now), 0
        else:
            card, reps = Card.from_json(row[0]), row[1]
        return {int(r): (self._next(card, r, now, reps).due - now).total_seconds() / 86400
                for r in (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy)}

    def undo_last(self, review_id: int | None = None, *, item_id: str | None = None) -> dict | None:
        """Undo a review: restore the card row from before it and delete its log row.

        ``review_id``: that review (the one this session made), only while it is still its item's
        latest — reviews merged in by ``tutor import`` get newer ids and must never be undone in its
        place; ``item_id``: that item's latest review; neither: the most recent review.
        Returns {"review_id", "item_id", "rating", "auto", "due"} of the undone review (``due`` is the
        restored due time, None if the item had no card before), or None if there is nothing to undo.
        """
        with self.store.tx() as c:
            cols = "SELECT id, item_id, rating, auto, before FROM review_log"
            if review_id is not None:
                row = c.execute(f"{cols} WHERE id = ?", (int(review_id),)).fetchone()
                newer = row is not None and c.execute(
                    "SELECT 1 FROM review_log WHERE item_id = ? AND id > ? LIMIT 1", (row[1], row[0])).fetchone()
                if newer:
                    return None
            elif item_id is not None:
                row = c.execute(f"{cols} WHERE item_id = ? ORDER BY id DESC LIMIT 1", (item_id,)).fetchone()
            else:
                row = c.execute(f"{cols} ORDER BY id DESC LIMIT 1").fetchone()
            if row is None:
                return None
            review_id, item_id, rating, auto, before = row
            restored_due = None
            if before is None:
                c.execute("DELETE FROM cards WHERE item_id = ?", (item_id,))
            else:
                b = json.loads(before)
                c.execute(f"INSERT OR REPLACE INTO cards({', '.join(_CARD_COLS)})"
                          f" VALUES ({','.join('?' * len(_CARD_COLS))})", tuple(b.get(k) for k in _CARD_COLS))
                restored_due = b["due"]
            c.execute("DELETE FROM review_log WHERE id = ?", (review_id,))
        return {"review_id": review_id, "item_id": item_id, "rating": rating, "auto": bool(auto),
                "due": restored_due}

    # ------------------------------------------------------------------ what to study
    def due(self, now: datetime | None = None, *, limit: int = 50, topics: list[str] | None = None,
            new_per_day: int | None = None, all_items: list[tuple[str, str]] | None = None) -> list[str]:
        """Item ids to study now: due cards (most overdue first, at most ``limit``), then new items.

        New items are items of ``all_items`` [(item_id, topic)] (in the given order) that have no card
        yet, at most ``new_per_day`` (setting "new_per_day", default 10) minus the items already
        introduced (first reviewed) today. ``topics`` restricts both parts.
        """
        now = utc(now)
        topic_sql, topic_params = "", []
        if topics is not None:
            topics = list(topics)
            if not topics:
                return []
            topic_sql = f" AND topic IN ({','.join('?' * len(topics))})"
            topic_params = topics
        out = [r[0] for r in self.store.read(
            f"SELECT item_id FROM cards WHERE due <= ?{topic_sql} ORDER BY due, item_id LIMIT ?",
            [iso(now), *topic_params, int(limit)])]
        if not all_items:
            return out
        if new_per_day is None:
            new_per_day = self.store.int_setting("new_per_day", DEFAULT_NEW_PER_DAY)
        quota = new_per_day - self.introduced_today(now)
        if quota <= 0:
            return out
        wanted = set(topics) if topics is not None else None
        taken = set(out)
        candidates = [i for i, t in all_items if (wanted is None or t in wanted) and i not in taken]
        out += self.store.without_cards(candidates, quota)
        return out

    def introduced_today(self, now: datetime | None = None) -> int:
        """How many items had their first review since the start of the local day."""
        return self.store.introduced_since(local_day_start(now))

    def due_counts(self, now: datetime | None = None) -> dict[str, int]:
        """topic -> number of cards due now."""
        return self.store.due_counts(now)

    # ------------------------------------------------------------------ mistakes → remedial items
    def note_mistake(self, item_id: str, topic: str, mistake_id: str, now: datetime | None = None) -> str | None:
        """Record a diagnosed misconception. From its 2nd diagnosis on (any item), queue the remedial
        item ``remedial:<mistake_id>`` due now; returns that id when it was queued (or re-queued),
        None if this was the first time or it is already due."""
        now = utc(now)
        rid = REMEDIAL_PREFIX + mistake_id
        with self.store.tx() as c:
            c.execute("INSERT INTO mistakes(item_id, topic, mistake_id, at) VALUES (?,?,?,?)",
                      (item_id, topic, mistake_id, iso(now)))
            n = c.execute("SELECT count(*) FROM mistakes WHERE mistake_id = ?", (mistake_id,)).fetchone()[0]
            if n < 2:
                return None
            row = c.execute("SELECT due, card FROM cards WHERE item_id = ?", (rid,)).fetchone()
            if row is None:
                _put_card(c, rid, topic, Card(card_id=self._card_id(c, rid), due=now), reps=0, lapses=0,
                          introduced=None)
                return rid
            if row[0] <= iso(now):
                return None  # already waiting
            card = Card.from_json(row[1])
            card.due = now
            c.execute("UPDATE cards SET due = ?, card = ? WHERE item_id = ?", (iso(now), card.to_json(), rid))
            return rid

    def forget_mistake(self, item_id: str, mistake_id: str, at: str) -> None:
        """Take back a mistake noted at ``at`` (its answer was undone), and the remedial card it
        queued if the mistake is no longer a repeated one and the card was never reviewed."""
        rid = REMEDIAL_PREFIX + mistake_id
        with self.store.tx() as c:
            c.execute("DELETE FROM mistakes WHERE id = (SELECT id FROM mistakes WHERE item_id = ? AND mistake_id = ?"
                      " AND at = ? ORDER BY id DESC LIMIT 1)", (item_id, mistake_id, at))
            if c.execute("SELECT count(*) FROM mistakes WHERE mistake_id = ?", (mistake_id,)).fetchone()[0] < 2:
                c.execute("DELETE FROM cards WHERE item_id = ? AND reps = 0 AND introduced IS NULL", (rid,))

    def mistake_counts(self) -> dict[str, int]:
        return dict(self.store.read("SELECT mistake_id, count(*) FROM mistakes GROUP BY mistake_id"))

    # ------------------------------------------------------------------ re-fitting
    def review_logs(self) -> list[ReviewLog]:
        """The review history as fsrs ``ReviewLog`` objects (input of ``fsrs.Optimizer``)."""
        return [ReviewLog(card_id=cid, rating=Rating(r), review_datetime=parse_iso(at), review_duration=d)
                for cid, r, at, d in self.store.read(
                    "SELECT card_id, rating, reviewed_at, duration_ms FROM review_log ORDER BY reviewed_at, id")]

    def retrievability(self, item_id: str, now: datetime | None = None) -> float | None:
        card = self.card(item_id)
        if card is None or card.last_review is None:
            return None
        return float(self.fsrs.get_card_retrievability(card, utc(now)))


__all__ = ["Scheduler", "AGAIN", "HARD", "GOOD", "EASY", "REMEDIAL_PREFIX"]
