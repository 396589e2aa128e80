"""Statistics from scripted histories (expected values worked out by hand from the script)."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS as W
from rich.console import Console

from tutor import stats
from tutor.schedule import AGAIN, GOOD, HARD, Scheduler
from tutor.store import Store

DAY = timedelta(days=1)
MIN = timedelta(minutes=1)
# local noon today: every "k days ago" below falls on an unambiguous local calendar day
NOON = datetime.now().astimezone().replace(hour=12, minute=0, second=0, microsecond=0)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path)
    yield s
    s.close()


def attempt(store: Store, item_id: str, when: datetime, correct: bool = True, topic: str | None = None) -> None:
    store.record_attempt(item_id=item_id, topic=topic or item_id.split(".")[0], kind="choice", mode="practice",
                         variant_seed=None, answer="1", score=1.0 if correct else 0.0, correct=correct, now=when)


def set_due(store: Store, item_id: str, when: datetime) -> None:
    from tutor.clock import iso

    store.conn.execute("UPDATE cards SET due = ? WHERE item_id = ?", (iso(when), item_id))


def test_reviews_per_day_counts_local_days(store):
    sched = Scheduler(store, fuzz=False)
    for k, n in [(0, 2), (1, 1), (3, 3), (20, 1)]:
        for j in range(n):
            sched.review(f"x.{k}.{j}", "x", GOOD, now=NOON - k * DAY + j * MIN)
    per_day = stats.reviews_per_day(store, days=14, now=NOON)
    today = NOON.date()
    assert list(per_day) == [today - (13 - i) * DAY for i in range(14)]  # oldest first, zeros included
    assert per_day[today] == 2 and per_day[today - DAY] == 1 and per_day[today - 3 * DAY] == 3
    assert sum(per_day.values()) == 6  # the review 20 days ago is outside the window
    assert sum(stats.reviews_per_day(store, days=30, now=NOON).values()) == 7


def test_true_retention_counts_only_learned_cards(store):
    sched = Scheduler(store, fuzz=False)
    assert stats.true_retention(store, NOON) is None
    now = NOON - 60 * DAY
    for rating in (GOOD, GOOD):  # learning → review: not counted
        now = sched.review("a", "t", rating, now=now)["due"]
    assert stats.true_retention(store, NOON) is None
    # reviews of the review-state card: Good ✓, Hard ✓, Again ✗ ; then relearning (not counted), back to review: Good ✓
    for rating in (GOOD, HARD, AGAIN, GOOD, GOOD):
        now = sched.review("a", "t", rating, now=now)["due"]
    assert stats.true_retention(store, now) == pytest.approx(3 / 4)
    sched.review("b", "t", AGAIN, now=now)  # a new card failing does not count
    assert stats.true_retention(store, now) == pytest.approx(3 / 4)


@pytest.mark.parametrize("days_ago,want", [
    ([0, 1, 2, 4, 5], 3),
    ([1, 2, 3, 7], 3),          # nothing yet today: the streak up to yesterday still counts
    ([2, 3, 4], 0),             # yesterday missed: broken
    ([0], 1),
    ([], 0),
    (list(range(1, 101)), 100),  # longer than the first look-back window
])
def test_streak(store, days_ago, want):
    for k in days_ago:
        attempt(store, "em.q1", NOON - k * DAY)
    assert stats.streak(store, NOON) == want


def test_streak_counts_reviews_too(store):
    attempt(store, "em.q1", NOON - 2 * DAY)
    Scheduler(store).review("em.q1", "em", GOOD, now=NOON - DAY)  # a review-only day
    attempt(store, "em.q1", NOON)
    assert stats.streak(store, NOON) == 3


def test_mastered_means_retained_in_the_review_state(store):
    from tutor.progress import mastered_counts

    sched = Scheduler(store, fuzz=False)
    sched.review("em.b", "em", GOOD, now=NOON - 10 * DAY - 10 * MIN)
    sched.review("em.b", "em", GOOD, now=NOON - 10 * DAY)       # review state, reviewed 10 days ago
    sched.review("em.c", "em", AGAIN, now=NOON)                  # just failed: R = 1 now, but not retained
    sched.review("lstm.a", "lstm", GOOD, now=NOON - 10 * MIN)
    sched.review("lstm.a", "lstm", GOOD, now=NOON)               # review state, just now
    s = sched.card("em.b").stability
    r_b = stats.retrievability(10, s, W[20])
    assert sched.card_info("em.b")["state"] == 2 and sched.card_info("em.c")["state"] != 2
    # em.b counts exactly when its recall today reaches the desired retention (0.9)
    assert mastered_counts(store, now=NOON) == ({"em": 1} if r_b >= 0.9 else {}) | {"lstm": 1}
    later = NOON + 400 * DAY                                     # long after: recall has decayed
    assert mastered_counts(store, now=later) == {}


def test_due_forecast(store):
    sched = Scheduler(store)
    for item, offset in [("a", -2 * DAY), ("b", timedelta(hours=1)), ("c", DAY), ("d", DAY + MIN), ("e", 5 * DAY),
                         ("f", 40 * DAY)]:
        sched.review(item, "t", GOOD, now=NOON - 50 * DAY)
        set_due(store, item, NOON + offset)
    fc = stats.due_forecast(store, days=30, now=NOON)
    assert len(fc) == 30
    assert fc[0] == 2 and fc[1] == 2 and fc[5] == 1 and sum(fc) == 5


def test_exam_history_lists_finished_exams(store):
    a = store.start_exam(topics=["em"], items=[{"item_id": "em.q1", "variant_seed": 1}], minutes=5, now=NOON - DAY)
    store.record_exam_answer(a, 0, answer="1", score=1.0, correct=True, mistake=None, now=NOON - DAY)
    store.finish_exam(a, now=NOON - DAY + 3 * MIN)
    store.start_exam(topics=["em"], items=[{"item_id": "em.q2", "variant_seed": 2}], minutes=5, now=NOON)
    hist = stats.exam_history(store)
    assert [e["id"] for e in hist] == [a]
    assert hist[0]["score"] == 1.0 and hist[0]["correct"] == 1 and hist[0]["total"] == 1


def _render(store, lang, width=110):
    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=False, color_system=None)
    from types import SimpleNamespace as NS

    def topic(tid, en, ko, ids):
        return NS(id=tid, title={"en": en, "ko": ko}, questions=[NS(id=i) for i in ids])

    catalog = NS(topics={"em": topic("em", "The EM algorithm (the two-coin example)", "EM 알고리즘 (두 동전 예제)",
                               ["em.a", "em.b"]),
                         "lstm": topic("lstm", "LSTM", "LSTM", ["lstm.a"])})
    stats.render_stats(store, catalog, lang=lang, console=console, now=NOON)
    return buf.getvalue()


def test_render_stats_in_both_languages(store):
    assert "No study data yet" in _render(store, "en")
    assert "학습 기록이 없습니다" in _render(store, "ko")
    sched = Scheduler(store)
    attempt(store, "em.a", NOON - DAY)
    attempt(store, "old.gone", NOON - DAY)
    sched.review("em.a", "em", GOOD, now=NOON - DAY)
    sched.review("em.a", "em", GOOD, now=NOON)
    ex = store.start_exam(topics=["em"], items=[{"item_id": "em.a", "variant_seed": 1}], minutes=5, now=NOON)
    store.finish_exam(ex, now=NOON + MIN)
    en = _render(store, "en")
    for word in ("Study statistics", "Streak", "Learned", "Mastered", "Cards rated per day", "Recent exams",
                 "The EM algorithm", "█"):
        assert word in en, word
    assert "old" not in en.split()     # progress of ids the content lost is kept, not listed as a topic
    ko = _render(store, "ko")
    for word in ("학습 통계", "연속 학습", "익힘", "숙달", "EM 알고리즘", "일별 평가한 카드", "최근 시험", "오늘"):
        assert word in ko, word


def test_retrievability_agrees_with_fsrs():
    import random

    import fsrs

    sched = fsrs.Scheduler()
    rng = random.Random(0)
    for _ in range(50):
        s, t = rng.uniform(0.1, 300), rng.randint(0, 400)
        card = fsrs.Card(card_id=1, state=fsrs.State.Review, stability=s, difficulty=5.0,
                         last_review=NOON - t * DAY, due=NOON)
        want = sched.get_card_retrievability(card, NOON.astimezone(fsrs.scheduler.timezone.utc))
        assert stats.retrievability(t, s, W[20]) == pytest.approx(want, rel=1e-12)
    assert stats.retrievability(10, 10.0, W[20]) == pytest.approx(0.9)  # R(S) = 90 % by definition


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_stats_at_40_columns_keep_titles_whole_and_name_every_figure(store, lang):
    """At 40×12 the per-topic table had "…" for every header and a title one letter a line: a
    narrow screen gets the title, then its figures named on one line."""
    from rich.cells import cell_len

    attempt(store, "em.a", NOON - DAY)
    Scheduler(store).review("em.a", "em", GOOD, now=NOON - DAY)
    ex = store.start_exam(topics=["em"], items=[{"item_id": "em.a", "variant_seed": 1}], minutes=5, now=NOON)
    store.finish_exam(ex, now=NOON + MIN)
    out = _render(store, lang, width=36)
    exams = out[out.index("최근 시험" if lang == "ko" else "Recent exams"):]
    assert f"{NOON:%m-%d}" in exams, exams          # the date whole (it was "2026-1…")
    assert " em " not in exams and "EM" in exams, exams   # the topic's title, not its id
    assert all(cell_len(line) <= 36 for line in out.splitlines()), out
    title = "EM 알고리즘 (두 동전 예제)" if lang == "ko" else "The EM algorithm (the two-coin example)"
    assert title in out.splitlines() or title.split(" (")[0] in out, out
    words = ("문항 2", "푼 문항 1", "익힘", "숙달", "복습") if lang == "ko" else ("Items 2", "Seen 1", "Learned", "Mastered", "Due")
    flat = " ".join(out.split())
    assert all(w in flat for w in words), out
    assert "…" not in out, out
