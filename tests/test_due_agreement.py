"""One "due" figure across the journey: home's rows and today line, the stats screen, ``tutor stats``
(text and --json) and the review queue count the same cards — a repeated-mistake card included
(under the topic where the mistake was made), a suspended item left out — and a repeated-mistake
card is rated as what it is (the learner's own rating, not "correct")."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import pytest
from rich.console import Console

from engine.registry import get_generator
from tutor.browse import set_suspended
from tutor.content import load_catalog
from tutor.learner import review_queue
from tutor.progress import catalog_topics, due_by_topic, progress, today_counts
from tutor.review import REMEDIAL, ReviewSession
from tutor.schedule import Scheduler
from tutor.session import Study
from tutor.stats import render_stats, stats_json
from tutor.store import Store

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)
RID = REMEDIAL + "em.hard-assignment"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path)
    yield s
    s.close()


def _journey(catalog, store) -> datetime:
    """Day 1: the same EM mistake twice (a repeated-mistake card is queued), three choice items
    answered wrong, one of them then suspended in the browser. Returns the next morning."""
    study = Study(catalog, store, seed=3)
    gen = get_generator("em.coins")
    for k in range(2):
        ask = study.ask("em.q.one-iteration")
        wrong = gen.mistakes(ask.variant)["em.hard-assignment"]
        assert study.submit({kk: repr(x) for kk, x in wrong.items()}, now=T0 + timedelta(minutes=k)).mistake
    others = [q.id for q in catalog.items() if getattr(q, "kind", "") == "choice"][:3]
    assert len(others) == 3
    for i, item in enumerate(others):
        ask = study.ask(item)
        right = ask.shown_position(int(catalog.item(item).data["answer"]))
        wrong = next(j for j in range(len(ask.options)) if j != right)
        assert not study.submit({"choice": str(wrong + 1)}, now=T0 + timedelta(minutes=5 + i)).correct
    set_suspended(store, others[0], True)
    return T0 + timedelta(days=1)


def test_every_place_counts_the_same_cards_due(catalog, store):
    now = _journey(catalog, store)
    sched = Scheduler(store)
    assert RID in sched.due(now, limit=50)
    by_topic = due_by_topic(store, now=now)
    total = sum(by_topic.values())
    assert total >= 2   # the repeated-mistake card and at least one item
    # home: the today line and the topic rows
    today = today_counts(catalog, store, now=now)
    rows = progress(store, catalog_topics(catalog), now=now, with_mastered=False)
    assert today["due_now"] == sum(p.due for p in rows.values()) == total
    assert rows["em"].due == by_topic["em"]   # the repeated-mistake card counts in EM's row
    # tutor stats --json
    js = stats_json(store, catalog, now=now)
    assert js["due_now"] == sum(t["due"] for t in js["topics"].values()) == total
    # tutor stats / the stats screen
    out = io.StringIO()
    render_stats(store, catalog, lang="ko", console=Console(file=out, width=100), now=now, plots=False)
    line = next(ln for ln in out.getvalue().splitlines() if "지금 복습할 항목" in ln)
    assert line.split()[-1] == str(total), line
    # the forecast's today (stats screen, tutor stats) is today's due, and the suspended item, missed,
    # is not in "review my mistakes" either
    from tutor.learner import mistakes_queue
    from tutor.stats import due_forecast

    assert due_forecast(store, days=7, now=now)[0] == today["due_today"]
    choices = [q.id for q in catalog.items() if getattr(q, "kind", "") == "choice"][:3]
    assert set(mistakes_queue(store, now=now)) == {"em.q.one-iteration", *choices[1:]}   # not choices[0]
    # the review queue serves exactly these before any new item
    queue = review_queue(catalog, store, sched, now=now)
    assert len([i for i in queue if sched.card(i) is not None and i in sched.due(now, limit=500)]) == total


def test_a_repeated_mistake_card_keeps_its_topic_and_says_what_was_recorded(catalog, store, monkeypatch):
    now = _journey(catalog, store)
    monkeypatch.setenv("TUTOR_NOW", now.isoformat())   # the review queue is filled at "now"
    review = ReviewSession(catalog, store, Scheduler(store), seed=1, lang="ko")
    ask = review.next()
    while ask is not None and ask.item_id != RID:
        assert review.left() == len(review.queue) + 1   # the item on screen is still to do
        review.rate(3, now=now)
        assert review.left() == len(review.queue)
        ask = review.next()
    assert ask is not None and ask.topic == "em"   # the title bar names the topic
    assert "1 다시" in ask.prompt["ko"] and "4 쉬움" in ask.prompt["ko"] and "4 Easy" in ask.prompt["en"]
    assert ask.fields[0].label["ko"] == "평가 1–4"   # short: it fits the label column
    bad = review.rate_remedial({"rating": "5"}, now=now)
    assert bad.format_error is not None and review.left() == len(review.queue) + 1   # rated nothing
    g = review.rate_remedial({"rating": "2"}, now=now)
    assert g.feedback("ko") == "평가했습니다: 어려움." and "정답" not in g.feedback("ko")
    assert g.feedback("en") == "Rated: Hard."
    assert store.read_one("SELECT topic FROM cards WHERE item_id = ?", (RID,))[0] == "em"


def test_an_exam_plans_topics_that_review_then_serves_and_home_counts(catalog, store):
    """`tutor plan --exam … --topics em,kmeans` spreads the new questions of both topics over the
    days; the review queue served new items only from opened topics, so following the app never
    reached K-means (the plan promised 0 % → 100 %) and home said 0 new while the plan said 10."""
    from tutor.plan import build_plan

    now = T0
    with store.tx():
        store.set_setting("opened_topics", ["em"])
        store.set_setting("new_per_day", 40)
    kmeans = {q.id for q in catalog.topics["kmeans"].questions}
    sched = Scheduler(store)
    assert not kmeans & set(review_queue(catalog, store, sched, now=now)), "not opened, not planned"
    with store.tx():
        store.set_setting("exam_date", "2026-12-14")
        store.set_setting("exam_topics", ["em", "kmeans"])
    queue = review_queue(catalog, store, sched, now=now)
    assert kmeans <= set(queue)   # planned: served, in curriculum order with EM's
    em = {q.id for q in catalog.topics["em"].questions}
    first, second = (kmeans, em) if list(catalog.topics).index("kmeans") < list(catalog.topics).index("em") else (em, kmeans)
    assert max(queue.index(i) for i in first) < min(queue.index(i) for i in second)
    from datetime import date

    plan = build_plan(catalog, store, date(2026, 12, 14), ["em", "kmeans"], now=now)
    # the same new questions: the plan spreads them over the days, home offers them today (quota 40)
    assert sum(d.new for d in plan.days) == today_counts(catalog, store, now=now)["new_today"] == len(em | kmeans)
    # an opened topic outside the exam waits behind the exam's new questions (the daily quota went
    # to a topic merely looked at in the browser)
    with store.tx():
        store.set_setting("opened_topics", ["ml-basics", "em"])
    queue = review_queue(catalog, store, sched, now=now)
    basics = {q.id for q in catalog.topics["ml-basics"].questions}
    assert max(queue.index(i) for i in em | kmeans) < min(queue.index(i) for i in basics)
    after = datetime(2026, 12, 15, 9, 0, tzinfo=timezone.utc)   # the exam is past: back to what was met
    assert not kmeans & set(review_queue(catalog, store, sched, now=after))


def test_a_suspended_item_is_in_no_exam_and_no_mock_exam(catalog, store):
    """Suspended in the browser ("보류: 복습에 나오지 않습니다") — yet an exam and the plan's mock exam
    still asked it."""
    from datetime import date

    from tutor.plan import build_plan
    from tutor.review import ExamSession

    em = [q.id for q in catalog.topics["em"].questions]
    for item in em[:-2]:
        set_suspended(store, item, True)
    for seed in range(10):
        exam = ExamSession(catalog, store, lang="ko")
        exam.start(["em"], 5, 5, seed=seed, now=T0)
        assert {i["item_id"] for i in exam.exam["items"]} <= set(em[-2:])
        store.finish_exam(exam.exam["id"], now=T0)
    plan = build_plan(catalog, store, date(2026, 12, 14), ["em"], now=T0, mock_size=5)
    assert plan.mock_exam and set(plan.mock_exam) <= set(em[-2:])


def test_the_review_queue_says_how_many_of_its_items_are_due_and_how_many_new(catalog, store, monkeypatch):
    """Home said "복습 9개 · 새 문제 10개"; the review screen "남은 항목 19개", and nothing said
    that 10 of them were new: its due part is home's due count."""
    from tutor.learner import note_opened

    now = _journey(catalog, store)
    note_opened(store, "kmeans", screen="lesson", card=0)   # a topic being studied: its new items are served
    monkeypatch.setenv("TUTOR_NOW", now.isoformat())
    review = ReviewSession(catalog, store, Scheduler(store), seed=1, lang="ko")
    ask = review.next()
    today = today_counts(catalog, store, now=now)
    assert review.left_new() > 0 and review.left() - review.left_new() == today["due_now"]
    assert review.left_new() == today["new_today"]
    new_before = review.left_new()
    while ask is not None and review.store.read_one("SELECT 1 FROM cards WHERE item_id = ?", (ask.item_id,)):
        review.rate(3, now=now)   # a due item done: the due part goes down, the new part stays
        assert review.left_new() == new_before
        ask = review.next()
    assert ask is not None and review.left() == review.left_new() == new_before   # now the new items


@pytest.mark.parametrize("width", [100, 40])
def test_stats_say_why_a_topic_has_more_due_than_seen(catalog, store, width):
    """"K-means: 푼 문항 6 · 복습 7" read as a wrong count: a repeated mistake's card (and an exam
    question left unanswered) is due without being an answered item. The table says so, only then."""
    def shown(now):
        out = io.StringIO()
        render_stats(store, catalog, lang="ko", console=Console(file=out, width=width), now=now, plots=False)
        return " ".join(out.getvalue().split())

    study = Study(catalog, store, seed=3)
    item = next(q.id for q in catalog.items() if getattr(q, "kind", "") == "choice")
    ask = study.ask(item)
    assert study.submit({"choice": str(ask.shown_position(int(catalog.item(item).data["answer"])) + 1)}, now=T0).correct
    assert "시험에서 답하지 못한 문제" not in shown(T0 + timedelta(days=30))   # due 1, seen 1: nothing to explain
    now = _journey(catalog, store)   # EM: one item seen, due with its repeated-mistake card (2)
    rows = progress(store, catalog_topics(catalog), now=now)
    assert rows["em"].due > rows["em"].seen
    assert "복습에는 시험에서 답하지 못한 문제와 반복된 실수 카드도 들어갑니다." in shown(now)


@pytest.mark.slow
async def test_a_repeated_mistake_card_has_no_solution_key_and_its_rating_keys_work(catalog, tmp_path, monkeypatch):
    """F3 on this card crashed the app (or showed the previous question's solution); after rating it,
    the keys the counter names (1–4 change, u undo) typed into the rating field ("3u", "32")."""
    from tutor.app import create_app

    with Store.open(tmp_path) as s:
        now = _journey(catalog, s)
    monkeypatch.setenv("TUTOR_NOW", now.isoformat())
    app = create_app(data_dir=tmp_path, lang="ko", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        for _ in range(10):
            if screen.ask.kind == "remedial":
                break
            await pilot.press("ctrl+n")   # the next item, nothing recorded
            await pilot.pause()
        assert screen.ask.kind == "remedial"
        shown = {a.binding.action for a in screen.active_bindings.values() if a.binding.show}
        assert not {"hint", "solution", "new_variant"} & shown, shown
        await pilot.press("f3", "f2")
        await pilot.pause()
        assert not screen.show_solution and not screen.hints_shown and app.is_running
        await pilot.press("3", "enter")
        await pilot.pause()
        assert screen.review.last.item_id == RID and screen.review.last.rating == 3
        await pilot.press("2")   # change the rating, as the counter line says
        await pilot.pause()
        assert screen.review.last.rating == 2
        assert store_rating(app.store) == 2
        await pilot.press("u")
        await pilot.pause()
        assert app.store.read_one("SELECT count(*) FROM review_log WHERE item_id = ?", (RID,))[0] == 0


def store_rating(store) -> int:
    return store.read_one("SELECT rating FROM review_log WHERE item_id = ? ORDER BY id DESC LIMIT 1", (RID,))[0]


@pytest.mark.slow
async def test_skipping_every_mistake_ends_with_what_was_skipped_not_no_mistakes(catalog, tmp_path, monkeypatch):
    """m, then ctrl+n past every item: the end said "최근 7일 동안 복습할 실수가 없습니다"."""
    from tutor.app import create_app
    from tutor.learner import mistakes_queue

    with Store.open(tmp_path) as s:
        now = _journey(catalog, s)
        n = len(mistakes_queue(s, now=now))
    assert n >= 2
    monkeypatch.setenv("TUTOR_NOW", now.isoformat())
    app = create_app(data_dir=tmp_path, lang="ko", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        for _ in range(n):
            await pilot.press("ctrl+n")
            await pilot.pause()
        assert screen.ask is None
        end = str(screen.query_one("#q-counter").render())
        assert f"{n}개 건너뜀" in end and "없습니다" not in end, end
        with Store.open(tmp_path) as s:
            assert len(mistakes_queue(s, now=now)) == n   # nothing recorded: they are all still there


def test_the_exam_plan_leaves_a_suspended_item_out_of_its_reviews(catalog, store):
    """The plan's days count the reviews review will serve: a suspended item is never served (its
    day table counted it while home, stats and the queue did not)."""
    from datetime import date

    from tutor.plan import build_plan

    now = _journey(catalog, store)
    choices = [q.id for q in catalog.items() if getattr(q, "kind", "") == "choice"][:3]
    topics = sorted({catalog.item(i).topic for i in choices})
    exam = date(now.year, now.month, now.day) + timedelta(days=10)

    def reviews() -> tuple[int, int]:
        plan = build_plan(catalog, store, exam, topics, now=now)
        return sum(d.review for d in plan.days), plan.unseen

    suspended = reviews()
    set_suspended(store, choices[0], False)
    served = reviews()
    assert served[0] > suspended[0]        # the item, due, is reviewed once it is served again
    set_suspended(store, choices[1], True)  # seen and due: out of the reviews; never introduced as new either
    fewer = reviews()
    assert fewer[0] < served[0] and fewer[1] == served[1]
    never_seen = next(q.id for q in catalog.topics[topics[0]].questions if store.read_one(
        "SELECT count(*) FROM cards WHERE item_id = ?", (q.id,))[0] == 0)
    set_suspended(store, never_seen, True)  # not planned as a new question either
    assert reviews()[1] == fewer[1] - 1
