"""FSRS scheduling on the store, checked against the FSRS-6 formulas written out here."""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
from datetime import datetime, timedelta, timezone

import fsrs
import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS as W

from tutor.schedule import AGAIN, EASY, GOOD, HARD, Scheduler
from tutor.store import Store, StoreError

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
MIN = timedelta(minutes=1)
DAY = timedelta(days=1)

# ---------------------------------------------------------------- FSRS-6, from the published formulas
DECAY = -W[20]
FACTOR = 0.9 ** (1 / DECAY) - 1


def ref_interval(s: float, retention: float) -> int:
    return min(max(1, round(s / FACTOR * (retention ** (1 / DECAY) - 1))), 36500)  # fsrs maximum_interval


def ref_r(t_days: float, s: float) -> float:
    return (1 + FACTOR * t_days / s) ** DECAY


def ref_d0(g: int) -> float:
    return W[4] - math.exp(W[5] * (g - 1)) + 1


def ref_next_d(d: float, g: int) -> float:
    d2 = d + (10 - d) * (-W[6] * (g - 3)) / 9
    return min(max(W[7] * ref_d0(4) + (1 - W[7]) * d2, 1.0), 10.0)


def ref_s_recall(d: float, s: float, r: float, g: int) -> float:
    hard = W[15] if g == 2 else 1.0
    easy = W[16] if g == 4 else 1.0
    return s * (1 + math.exp(W[8]) * (11 - d) * s ** -W[9] * (math.exp((1 - r) * W[10]) - 1) * hard * easy)


def ref_s_forget(d: float, s: float, r: float) -> float:
    long_term = W[11] * d ** -W[12] * ((s + 1) ** W[13] - 1) * math.exp((1 - r) * W[14])
    return min(long_term, s / math.exp(W[17] * W[18]))


def ref_s_short(s: float, g: int) -> float:
    inc = math.exp(W[17] * (g - 3 + W[18])) * s ** -W[19]
    if g >= 2:
        inc = max(inc, 1.0)
    return s * inc


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path)
    yield s
    s.close()


def rows(store: Store, sql: str, params=()) -> list[sqlite3.Row]:
    """Read through a second connection (sees what was committed)."""
    conn = sqlite3.connect(store.path)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def card_row(store: Store, item_id: str) -> sqlite3.Row:
    return rows(store, "SELECT * FROM cards WHERE item_id = ?", (item_id,))[0]


# ---------------------------------------------------------------- scripted histories


@pytest.mark.parametrize("retention", [0.9, 0.8, 0.95])
def test_good_reviews_follow_fsrs6_and_intervals_grow(store, retention):
    sched = Scheduler(store, desired_retention=retention, fuzz=False)
    r = sched.review("em.q1", "em", GOOD, now=T0)
    assert r["due"] == T0 + 10 * MIN and r["state"] == "learning"  # 2nd learning step
    s, d = W[2], min(max(ref_d0(3), 1), 10)
    now = r["due"]
    r = sched.review("em.q1", "em", GOOD, now=now)  # same day: short-term stability, graduates
    s, d = ref_s_short(s, 3), ref_next_d(d, 3)
    ivl = ref_interval(s, retention)
    assert r["state"] == "review" and r["due"] == now + ivl * DAY
    intervals = [ivl]
    for _ in range(5):
        now = r["due"]
        s, d = ref_s_recall(d, s, ref_r(ivl, s), 3), ref_next_d(d, 3)
        ivl = ref_interval(s, retention)
        r = sched.review("em.q1", "em", GOOD, now=now)
        assert r["due"] == now + ivl * DAY, (intervals, ivl)
        intervals.append(ivl)
    assert all(b > a for a, b in zip(intervals, intervals[1:])), intervals
    card = sched.card("em.q1")
    assert card.stability == pytest.approx(s, rel=1e-9) and card.difficulty == pytest.approx(d, rel=1e-9)


def test_lower_retention_gives_longer_intervals(tmp_path):
    dues = {}
    for ret in (0.8, 0.9, 0.95):
        with Store.open(tmp_path / str(ret)) as s:
            sched = Scheduler(s, desired_retention=ret, fuzz=False)
            now = T0
            for _ in range(4):
                now = sched.review("x", "t", GOOD, now=now)["due"]
            dues[ret] = now
    assert dues[0.8] > dues[0.9] > dues[0.95]


def test_again_resets_to_relearning_and_shrinks_the_interval(store):
    sched = Scheduler(store, fuzz=False)
    now = T0
    for _ in range(5):
        r = sched.review("em.q1", "em", GOOD, now=now)
        before_ivl, now = r["due"] - now, r["due"]
    card = sched.card("em.q1")
    s, d = card.stability, card.difficulty
    r = sched.review("em.q1", "em", AGAIN, now=now)
    assert r["state"] == "relearning" and r["due"] == now + 10 * MIN  # relearning step
    s_forget = ref_s_forget(d, s, ref_r(before_ivl.days, s))
    assert sched.card("em.q1").stability == pytest.approx(s_forget, rel=1e-9)
    assert card_row(store, "em.q1")["lapses"] == 1
    r2 = sched.review("em.q1", "em", GOOD, now=r["due"])
    assert r2["state"] == "review"
    assert r2["due"] - r["due"] == ref_interval(ref_s_short(s_forget, 3), 0.9) * DAY
    assert r2["due"] - r["due"] < before_ivl


def test_first_rating_sets_the_first_step(store):
    sched = Scheduler(store, fuzz=False)
    assert sched.review("a", "t", AGAIN, now=T0)["due"] == T0 + MIN
    assert sched.review("h", "t", HARD, now=T0)["due"] == T0 + 5.5 * MIN
    assert sched.review("g", "t", GOOD, now=T0)["due"] == T0 + 10 * MIN
    easy = sched.review("e", "t", EASY, now=T0)
    assert easy["state"] == "review" and easy["due"] == T0 + ref_interval(W[3], 0.9) * DAY


def test_retention_default_comes_from_the_setting(store):
    assert Scheduler(store).desired_retention == 0.9
    store.set_setting("desired_retention", 0.85)
    assert Scheduler(store).desired_retention == 0.85
    assert Scheduler(store, desired_retention=0.8).desired_retention == 0.8
    with pytest.raises(ValueError):
        Scheduler(store, desired_retention=1.2)


def test_fuzz_is_deterministic_and_inside_the_fsrs_range(tmp_path):
    def history(d):
        with Store.open(d) as s:
            sched = Scheduler(s)  # fuzz on
            now, out = T0, []
            for _ in range(7):
                r = sched.review("em.q1", "em", GOOD, now=now)
                out.append(r["due"] - now)
                now = r["due"]
            return out

    a, b = history(tmp_path / "a"), history(tmp_path / "b")
    assert a == b
    with Store.open(tmp_path / "c") as s:
        # same review times → same stability/difficulty: fsrs' unfuzzed interval at each step
        plain = Scheduler(s, fuzz=False)
        now, differs = T0, 0
        for k in range(7):
            want = (plain.review("em.q1", "em", GOOD, now=now)["due"] - now).days
            got = a[k].days
            if want >= 3:
                delta = 1 + 0.15 * (min(want, 7) - 2.5) + 0.1 * max(min(want, 20) - 7, 0) + 0.05 * max(want - 20, 0)
                assert round(want - delta) <= got <= round(want + delta), (k, want, got)
                differs += got != want
            else:
                assert a[k] == plain.card("em.q1").due - now
            now += a[k]
        assert differs >= 1


# ---------------------------------------------------------------- undo, log, card ids


def test_undo_restores_the_card_and_drops_the_log_row(store):
    sched = Scheduler(store, fuzz=False)
    now = T0
    for _ in range(3):
        now = sched.review("em.q1", "em", GOOD, now=now)["due"]
    row_before = tuple(card_row(store, "em.q1"))
    n_log = store.counts()["review_log"]
    r = sched.review("em.q1", "em", AGAIN, now=now, auto=False)
    assert tuple(card_row(store, "em.q1")) != row_before
    undone = sched.undo_last()
    assert undone["review_id"] == r["review_id"] and undone["rating"] == AGAIN and undone["auto"] is False
    assert tuple(card_row(store, "em.q1")) == row_before
    assert store.counts()["review_log"] == n_log
    # undo all the way: the item has no card again and is new
    for _ in range(3):
        assert sched.undo_last() is not None
    assert sched.card("em.q1") is None
    assert sched.undo_last() is None
    assert sched.due(now, all_items=[("em.q1", "em")]) == ["em.q1"]


def test_review_log_has_what_the_optimizer_needs(store):
    sched = Scheduler(store, fuzz=False)
    now = T0
    for rating, auto in [(GOOD, True), (GOOD, True), (AGAIN, False), (HARD, True), (GOOD, True)]:
        r = sched.review("em.q1", "em", rating, now=now, auto=auto, duration_ms=4200)
        now = r["due"]
    log = rows(store, "SELECT rating, auto, state_before, before, after, duration_ms FROM review_log ORDER BY id")
    assert [r["rating"] for r in log] == [GOOD, GOOD, AGAIN, HARD, GOOD]
    assert [r["auto"] for r in log] == [1, 1, 0, 1, 1]
    # new, learning, review, relearning, relearning (Hard keeps the relearning step)
    assert [r["state_before"] for r in log] == [None, 1, 2, 3, 3]
    assert log[0]["before"] is None and json.loads(log[1]["before"])["reps"] == 1
    assert all(r["duration_ms"] == 4200 for r in log)
    logs = sched.review_logs()
    assert len(logs) == 5 and all(isinstance(x, fsrs.ReviewLog) for x in logs)
    # replaying the log with plain fsrs reproduces the stored card
    replay = fsrs.Scheduler(enable_fuzzing=False).reschedule_card(
        fsrs.Card(card_id=logs[0].card_id, due=T0), logs)
    card = sched.card("em.q1")
    assert replay.stability == pytest.approx(card.stability) and replay.difficulty == pytest.approx(card.difficulty)
    assert replay.due == card.due and replay.state == card.state


def test_card_ids_are_stable_hashes_of_the_item_id(tmp_path):
    ids = []
    for sub in ("a", "b"):
        with Store.open(tmp_path / sub) as s:
            sched = Scheduler(s)
            sched.review("attention.q.weights", "attention", GOOD, now=T0)
            ids.append(sched.card("attention.q.weights").card_id)
            assert rows(s, "SELECT card_id FROM review_log")[0][0] == ids[-1]
    want = int.from_bytes(hashlib.sha256(b"attention.q.weights").digest()[:8], "big") & (2**63 - 1)
    assert ids == [want, want]


# ---------------------------------------------------------------- answer → rating


@pytest.mark.parametrize("score,hints,first,ms,want", [
    (0.0, 0, True, 20_000, AGAIN),
    (0.75, 0, True, 20_000, AGAIN),      # partly right is not recalled
    (1.0, 1, True, 20_000, HARD),        # after a hint
    (1.0, 0, False, 20_000, HARD),       # on the second try
    (1.0, 0, True, 400_000, HARD),       # slow
    (1.0, 0, True, 20_000, GOOD),
    (1.0, 0, True, None, GOOD),
    (1.0, 0, True, 3_000, EASY),         # very fast
    (1.0, 2, True, 3_000, HARD),
])
def test_rating_for(store, score, hints, first, ms, want):
    assert Scheduler(store).rating_for(score=score, hints_used=hints, first_try=first, duration_ms=ms) == want


def test_rating_thresholds_are_settings(store):
    store.set_setting("slow_ms", 10_000)
    store.set_setting("easy_ms", 0)
    sched = Scheduler(store)
    assert sched.rating_for(score=1, hints_used=0, first_try=True, duration_ms=20_000) == HARD
    assert sched.rating_for(score=1, hints_used=0, first_try=True, duration_ms=3_000) == GOOD


# ---------------------------------------------------------------- what is due


def _schedule(sched: Scheduler, item: str, topic: str, due_in: timedelta, now=T0):
    """Give ``item`` a card due at ``now + due_in`` (set directly: the due query is under test)."""
    sched.review(item, topic, GOOD, now=now - 30 * DAY)
    sched.store.conn.execute("UPDATE cards SET due = ? WHERE item_id = ?",
                             ((now + due_in).isoformat(timespec="microseconds"), item))


def test_due_orders_overdue_first_and_filters(store):
    sched = Scheduler(store, fuzz=False)
    _schedule(sched, "em.a", "em", -3 * DAY)
    _schedule(sched, "em.b", "em", -10 * DAY)
    _schedule(sched, "lstm.a", "lstm", -5 * DAY)
    _schedule(sched, "em.c", "em", 2 * DAY)     # not due yet
    _schedule(sched, "lstm.b", "lstm", 0 * DAY)  # due exactly now
    assert sched.due(T0) == ["em.b", "lstm.a", "em.a", "lstm.b"]
    assert sched.due(T0, limit=2) == ["em.b", "lstm.a"]
    assert sched.due(T0, topics=["lstm"]) == ["lstm.a", "lstm.b"]
    assert sched.due(T0, topics=[]) == []
    assert sched.due(T0 + 3 * DAY)[-1] == "em.c"
    assert sched.due_counts(T0) == {"em": 2, "lstm": 2}
    assert sched.due_counts(T0 - 20 * DAY) == {}


def test_new_items_in_order_up_to_the_daily_quota(store):
    sched = Scheduler(store, fuzz=False)
    _schedule(sched, "em.old", "em", -DAY)
    all_items = [("em.old", "em")] + [(f"em.n{i}", "em") for i in range(6)] + [("lstm.n0", "lstm")]
    assert sched.due(T0, all_items=all_items, new_per_day=3) == ["em.old", "em.n0", "em.n1", "em.n2"]
    store.set_setting("new_per_day", 2)
    assert sched.due(T0, all_items=all_items) == ["em.old", "em.n0", "em.n1"]
    # two new items introduced today use up today's quota of 3 minus 2
    sched.review("em.n0", "em", GOOD, now=T0)
    sched.review("em.n1", "em", AGAIN, now=T0)
    got = sched.due(T0 + 2 * MIN, all_items=all_items, new_per_day=3)
    assert got == ["em.old", "em.n1", "em.n2"]  # em.n1 is due again (1 min), one new item left
    assert sched.due(T0 + 2 * MIN, all_items=all_items, new_per_day=2) == ["em.old", "em.n1"]
    # a new local day resets the quota
    later = T0 + 2 * DAY
    assert sched.due(later, all_items=all_items, new_per_day=2, limit=0) == ["em.n2", "em.n3"]
    assert sched.due(T0, all_items=all_items, topics=["lstm"], new_per_day=5) == ["lstm.n0"]


def test_second_diagnosis_of_a_mistake_queues_a_remedial_item(store):
    sched = Scheduler(store, fuzz=False)
    assert sched.note_mistake("em.q1", "em", "em.resp-unnormalised", now=T0) is None
    assert sched.due(T0) == []
    rid = sched.note_mistake("em.q2", "em", "em.resp-unnormalised", now=T0 + MIN)
    assert rid == "remedial:em.resp-unnormalised"
    assert sched.due(T0 + MIN) == [rid] and sched.due_counts(T0 + MIN) == {"em": 1}
    assert sched.note_mistake("em.q3", "em", "em.resp-unnormalised", now=T0 + 2 * MIN) is None  # already waiting
    assert sched.note_mistake("em.q1", "em", "em.other", now=T0) is None
    # the remedial item is studied (not new: it is not counted as introduced), then the mistake recurs
    assert sched.introduced_today(T0 + MIN) == 0
    r = sched.review(rid, "em", GOOD, now=T0 + 3 * MIN)
    assert r["due"] > T0 + 3 * MIN
    assert sched.note_mistake("em.q4", "em", "em.resp-unnormalised", now=T0 + 4 * MIN) == rid
    assert sched.due(T0 + 4 * MIN) == [rid]
    assert sched.mistake_counts() == {"em.resp-unnormalised": 4, "em.other": 1}


def test_review_reads_and_writes_in_one_locked_transaction(tmp_path, monkeypatch):
    """Between reading the card and writing it back, no other process can write (no lost update)."""
    a = Store.open(tmp_path)
    b = Store.open(tmp_path, busy_timeout=0.1)
    try:
        sched_a, sched_b = Scheduler(a, fuzz=False), Scheduler(b, fuzz=False)
        sched_a.review("em.q1", "em", GOOD, now=T0)
        real = sched_a.fsrs.review_card
        seen = []

        def meddle(*args, **kw):  # runs after sched_a read the card, before it writes
            try:
                sched_b.review("em.q1", "em", AGAIN, now=T0 + MIN)
                seen.append("wrote")
            except StoreError as e:
                seen.append(str(e))
            return real(*args, **kw)

        monkeypatch.setattr(sched_a.fsrs, "review_card", meddle)
        sched_a.review("em.q1", "em", GOOD, now=T0 + 10 * MIN)
        assert len(seen) == 1 and "locked" in seen[0]
        assert card_row(a, "em.q1")["reps"] == 2 and a.counts()["review_log"] == 2
    finally:
        a.close()
        b.close()
