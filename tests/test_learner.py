"""The learner model across days: one write path, what comes back when, one set of figures.

A simulated student lives through a fortnight with explicit times (and ``TUTOR_NOW`` for the CLI),
driven through the core (Study / ReviewSession) and through line mode.
"""

from __future__ import annotations

import io
import json
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tutor import learner, progress
from tutor.content import load_catalog
from tutor.grading import Grade
from tutor.review import ReviewSession
from tutor.schedule import AGAIN, EASY, Scheduler
from tutor.session import Study
from tutor.store import Store

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "reliability"))
from reliability_answers import right_answers  # noqa: E402

DAY1 = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)
DAY = timedelta(days=1)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path)
    yield s
    s.close()


def wrong_answers(study, ask) -> dict[str, str]:
    """A well-formed answer that is wrong in every field."""
    right = right_answers(study, ask)
    if ask.kind == "choice":
        return {"choice": "1" if right["choice"] != "1" else "2"}
    if ask.kind == "multi":
        n = len(ask.options)
        chosen = set(right["multi"].split())
        other = [str(i) for i in range(1, n + 1) if str(i) not in chosen]
        return {"multi": other[0] if other else "1"}
    if ask.kind == "order":
        return {"order": " ".join(reversed(right["order"].split()))}
    if ask.kind in ("text", "cloze"):
        return {k: "완전히 틀린 답 xyzzy" for k in right}
    return {k: "987654.321" for k in right}


def answer(study, item_id, *, right: bool, now, seed=None):
    ask = study.ask(item_id, seed=seed)
    g = study.submit((right_answers if right else wrong_answers)(study, ask), now=now)
    assert not g.format_error, (item_id, g.format_error)
    assert g.correct == right, (item_id, g.feedback("en"))
    return g


def questions(catalog, topic):
    return [q.id for q in catalog.topics[topic].questions]


# --------------------------------------------------------------------------- everything is scheduled


def test_practice_schedules_every_answer_wrong_comes_back_today_right_later(catalog, store):
    study = Study(catalog, store, mode="practice", seed=1)
    em = questions(catalog, "em")
    answer(study, em[0], right=False, now=DAY1)
    answer(study, em[1], right=True, now=DAY1)
    sched = Scheduler(store)
    wrong, right = sched.card_info(em[0]), sched.card_info(em[1])
    assert wrong is not None and right is not None, "practice introduces the FSRS card"
    assert wrong["due"] < (DAY1 + DAY).isoformat(), "a miss is due again within the day"
    assert right["due"] > wrong["due"], "an item answered right comes back later than one answered wrong"
    assert [r.rating for r in sched.review_logs()] == [AGAIN, EASY]   # fast and right: Easy


def test_a_second_try_in_the_same_asking_does_not_rate_again(catalog, store):
    study = Study(catalog, store, mode="practice", seed=1)
    item = questions(catalog, "em")[0]
    ask = study.ask(item)
    study.submit(wrong_answers(study, ask), now=DAY1)
    study.submit(right_answers(study, ask), now=DAY1)
    logs = Scheduler(store).review_logs()
    assert [r.rating for r in logs] == [AGAIN]
    assert store.item_progress()[item]["attempts"] == 2


def test_solution_viewed_first_counts_as_again_and_not_learned(catalog, store):
    study = Study(catalog, store, mode="practice", seed=1)
    item = next(i for i in questions(catalog, "em") if catalog.item(i).kind == "exercise")
    ask = study.ask(item)
    study.solution()                                  # F3 before answering
    g = study.submit(right_answers(study, ask), now=DAY1)
    assert g.correct
    assert [r.rating for r in Scheduler(store).review_logs()] == [AGAIN]
    p = store.item_progress()[item]
    assert (p["correct"], p["learned"]) == (1, 0)
    assert progress.progress(store, progress.catalog_topics(catalog), now=DAY1)["em"].learned == 0
    assert store.attempts(item)[0]["solution_viewed"]


def test_one_answer_is_one_transaction(catalog, store, monkeypatch):
    study = Study(catalog, store, mode="practice", seed=1)
    item = questions(catalog, "em")[0]
    ask = study.ask(item)

    def broken(*a, **k):
        raise RuntimeError("the review could not be written")

    monkeypatch.setattr(study.scheduler, "review", broken)
    with pytest.raises(RuntimeError):
        study.submit(right_answers(study, ask), now=DAY1)
    assert store.attempts() == [] and store.item_progress() == {}, "no attempt without its review"


def test_exam_rows_attempts_and_ratings_through_the_one_path(catalog, store):
    from tutor.review import ExamSession

    exam = ExamSession(catalog, store)
    exam.start(["em"], 3, 10, seed=4, now=DAY1)
    ask = exam.ask(0)
    exam.answer(wrong_answers(exam.study, ask), now=DAY1 + timedelta(minutes=1))
    assert store.exam(exam.exam["id"])["answers"][0]["correct"] is False
    assert len(store.attempts()) == 1 and Scheduler(store).review_logs() == [], "rated at the end"
    report = exam.finish(now=DAY1 + timedelta(minutes=5))
    assert report["answered"] == 1
    ratings = dict(store.read("SELECT item_id, rating FROM review_log"))
    assert len(ratings) == 3 and set(ratings.values()) == {AGAIN}, "missed and unanswered: due again today"
    due = learner.review_queue(catalog, store, Scheduler(store), now=DAY1 + timedelta(hours=1))
    assert set(due[:3]) == set(ratings)


# --------------------------------------------------------------------------- undo


def test_undo_then_retry_is_a_second_try_never_easy(catalog, store):
    learner.note_opened(store, "ml-basics", screen="lesson", card=0)
    review = ReviewSession(catalog, store, Scheduler(store), seed=3)
    ask = review.next()
    review.submit(wrong_answers(review.study, ask))
    assert review.last.rating == AGAIN
    assert review.undo() == ask.item_id
    retry = review.next()
    assert retry.item_id == ask.item_id
    review.submit(right_answers(review.study, retry))
    assert review.last.rating == 2, "a retry after undo is a second try: Hard at best"
    assert len(Scheduler(store).review_logs()) == 1


def _figures(catalog, store, item_id: str, topic: str, now) -> dict:
    """Everything an answer changes that a learner reads: today's counts, the topic's progress, the
    item's attempts and card, the mistakes list and the repeated-mistake counts and cards."""
    p = progress.progress(store, [(topic, catalog.topics[topic].title, len(catalog.topics[topic].questions))],
                          now=now)[topic]
    return {"today": progress.today_counts(catalog, store, now=now),
            "progress": (p.seen, p.learned, p.mastered, p.due),
            "attempts": len(store.attempts(item_id)),
            "card": store.read_one("SELECT due, reps FROM cards WHERE item_id = ?", (item_id,)),
            "mistakes": learner.mistakes_queue(store, now=now),
            "mistake_counts": Scheduler(store).mistake_counts(),
            "remedial": store.read("SELECT item_id FROM cards WHERE item_id LIKE 'remedial:%'")}


@pytest.mark.parametrize("answer", ["right", "wrong"])
def test_undo_takes_the_answer_back_from_every_figure(catalog, store, monkeypatch, answer):
    """Undo took back the rating only: the answer stayed, so home's today count, the topic's progress
    ("learned" for an item the queue called new), the mistakes list and the attempts kept it."""
    monkeypatch.setenv("TUTOR_NOW", DAY1.isoformat())
    learner.note_opened(store, "ml-basics", screen="lesson", card=0)
    review = ReviewSession(catalog, store, Scheduler(store), seed=3)
    ask = review.next()
    before = _figures(catalog, store, ask.item_id, ask.topic, DAY1)
    review.submit((right_answers if answer == "right" else wrong_answers)(review.study, ask))
    assert _figures(catalog, store, ask.item_id, ask.topic, DAY1) != before
    assert review.undo() == ask.item_id
    assert _figures(catalog, store, ask.item_id, ask.topic, DAY1) == before


def test_undo_takes_back_the_mistake_it_noted_and_the_remedial_card_it_queued(catalog, store):
    """A diagnosed mistake noted twice queues a repeated-mistake card; undoing the second answer takes
    back the note and that card (never reviewed), not the first note."""
    sched = Scheduler(store)
    ids = [q.id for q in catalog.topics["em"].questions][:2]
    recs = []
    for k, item in enumerate(ids):
        g = Grade(score=0.0, mistake="em.swap-coins")
        recs.append(learner.record_answer(store, sched, item_id=item, topic="em", kind="exercise", mode="review",
                                          variant_seed=1, answers={"x": "1"}, grade=g, now=DAY1 + k * timedelta(minutes=1)))
    assert recs[1].remedial == "remedial:em.swap-coins" and sched.mistake_counts() == {"em.swap-coins": 2}
    learner.undo_answer(store, sched, ids[1], review_id=recs[1].review["review_id"], attempt_id=recs[1].attempt_id)
    assert sched.mistake_counts() == {"em.swap-coins": 1}
    assert store.read_one("SELECT 1 FROM cards WHERE item_id = 'remedial:em.swap-coins'") is None
    assert [a["item_id"] for a in store.attempts()] == [ids[0]]


def test_an_undone_item_asked_again_is_not_counted_as_skipped(catalog, store):
    """"My mistakes" ended with "1 solved, 4 skipped" for a list of 4 when one answer was undone and
    given again: the undone item was counted as left without a rating."""
    items = [q.id for q in catalog.topics["ml-basics"].questions][:4]
    review = ReviewSession(catalog, store, Scheduler(store), seed=3, items=items)
    ask = review.next()
    review.submit(right_answers(review.study, ask))
    review.undo()
    again = review.next()
    assert again.item_id == ask.item_id and review.left() == 4
    review.submit(right_answers(review.study, again))
    while review.next() is not None:   # the other three left without an answer
        pass
    assert (review.done, review.skipped) == (1, 3)


def test_an_automatic_rating_says_why(catalog, store):
    """A right answer after the worked solution was rated "Again (automatic)" beside "✓ right", with
    no word why: the core gives the reason with the rating, and the review screen says it."""
    from tutor.i18n import tr

    learner.note_opened(store, "ml-basics", screen="lesson", card=0)
    review = ReviewSession(catalog, store, Scheduler(store), seed=3)
    ask = review.next()
    review.study.solution()
    review.submit(right_answers(review.study, ask))
    assert (review.last.rating, review.last.reason) == (AGAIN, "solution")
    ask = review.next()
    review.submit(wrong_answers(review.study, ask))
    assert (review.last.rating, review.last.reason) == (AGAIN, "wrong")
    for reason in ("wrong", "partly", "solution", "hint", "retry", "slow", "fast", "right"):
        assert tr(f"review.why.{reason}", "ko") != tr(f"review.why.{reason}", "en")


def test_a_retry_after_undo_stays_a_second_try_in_another_session(catalog, store):
    """Undo, Esc, r again: the retry was a first try in the new session ("Easy, next review in 7
    days" for an answer just undone as wrong). The mark is kept with the progress until the item is
    rated again."""
    learner.note_opened(store, "ml-basics", screen="lesson", card=0)
    review = ReviewSession(catalog, store, Scheduler(store), seed=3)
    ask = review.next()
    review.submit(wrong_answers(review.study, ask))
    review.undo()
    later = ReviewSession(catalog, store, Scheduler(store), seed=4, items=[ask.item_id])
    again = later.next()
    later.submit(right_answers(later.study, again))
    assert (later.last.rating, later.last.reason) == (2, "retry")
    assert not learner.retry_after_undo(store, ask.item_id)   # settled: the next asking is a first try
    fresh = Study(catalog, store, seed=5)
    fresh.ask(ask.item_id)
    assert fresh.tries_before == 0


def test_undo_after_a_merged_import_takes_back_this_sessions_review_not_the_imported_one(catalog, store, tmp_path):
    """A backup merged in between (tutor import) adds newer review rows; undo and override still
    act on the review this session made."""
    from tutor.backup import export_progress_json, import_progress_json

    learner.note_opened(store, "ml-basics", screen="lesson", card=0)
    review = ReviewSession(catalog, store, Scheduler(store), seed=3)
    ask = review.next()
    review.submit(wrong_answers(review.study, ask))
    other_item = next(q.id for q in catalog.topics["em"].questions)
    other = Store.open(tmp_path / "other-device")
    Scheduler(other).review(other_item, "em", 3, auto=False)
    export_progress_json(other, tmp_path / "other.json")
    other.close()
    import_progress_json(store, tmp_path / "other.json")
    assert [r for r, in store.read("SELECT item_id FROM review_log ORDER BY id")] == [ask.item_id, other_item]

    review.rate(4)      # override: replaces this session's review only
    assert sorted(r for r, in store.read("SELECT item_id FROM review_log")) == sorted([ask.item_id, other_item])
    assert review.undo() == ask.item_id
    assert [r for r, in store.read("SELECT item_id FROM review_log")] == [other_item]
    assert store.read_one("SELECT 1 FROM cards WHERE item_id = ?", (other_item,)) is not None


def test_override_replaces_the_rating_in_one_review(catalog, store):
    learner.note_opened(store, "ml-basics", screen="lesson", card=0)
    review = ReviewSession(catalog, store, Scheduler(store), seed=3)
    ask = review.next()
    review.submit(right_answers(review.study, ask))
    assert set(review.last.previews) == {1, 2, 3, 4}
    assert review.last.previews[1] < review.last.previews[3] <= review.last.previews[4]
    review.rate(1)
    logs = Scheduler(store).review_logs()
    assert [r.rating for r in logs] == [1] and not review.last.auto


# --------------------------------------------------------------------------- the queue over a fortnight


def test_fortnight_misses_come_back_before_new_items(catalog, store):
    sched = Scheduler(store)
    learner.note_opened(store, "em", screen="lesson", card=0)
    learner.note_opened(store, "kmeans", screen="lesson", card=0)
    study = Study(catalog, store, mode="practice", seed=5)
    em = questions(catalog, "em")
    missed = em[::2]
    for item in em:
        answer(study, item, right=item not in missed, now=DAY1)
    opened = {"em", "kmeans"}
    seen_again: set[str] = set()
    history: dict[str, list[datetime]] = {}
    for day in range(14):
        now = DAY1 + day * DAY + timedelta(hours=10)
        queue = learner.review_queue(catalog, store, sched, now=now)
        assert all(catalog.item(i).topic in opened for i in queue if not i.startswith("remedial:")), \
            "never an item of a topic the learner has not opened"
        if day == 0:
            assert set(queue[:len(missed)]) == set(missed), "every miss of day 1 is served again first"
            new = [i for i in queue if store.item_progress([i]) == {}]
            assert new and all(queue.index(n) > queue.index(m) for n in new for m in missed)
        review = ReviewSession(catalog, store, sched, seed=day, items=queue)
        while (ask := review.next()) is not None:
            if ask.kind == "remedial":
                review.rate(3, now=now)
                continue
            review.study.submit(right_answers(review.study, ask), now=now)
            seen_again.add(ask.item_id)
            history.setdefault(ask.item_id, []).append(now)
    assert set(missed) <= seen_again
    # an item answered right on day 1 came back later than any item missed on day 1
    right_first = [i for i in em if i not in missed]
    first_back = {i: min(history[i]) for i in em if i in history}
    assert all(first_back[m] == DAY1 + timedelta(hours=10) for m in missed)
    assert all(first_back.get(r, DAY1 + 99 * DAY) > DAY1 + timedelta(hours=10) for r in right_first)
    # new items per day never exceeded the daily limit
    intro = store.read("SELECT substr(introduced, 1, 10), count(*) FROM cards WHERE introduced IS NOT NULL"
                       " AND introduced > ? GROUP BY 1", (DAY1.isoformat(),))
    assert all(n <= 10 for _, n in intro)


def test_review_serves_nothing_from_unopened_topics_unless_asked(catalog, store):
    sched = Scheduler(store)
    assert learner.review_queue(catalog, store, sched, now=DAY1) == []
    assert learner.review_queue(catalog, store, sched, now=DAY1, include_unopened=True)[0] == \
        questions(catalog, next(iter(catalog.topics)))[0]


def test_mistakes_queue_lists_recent_misses_not_yet_fixed(catalog, store):
    study = Study(catalog, store, mode="practice", seed=2)
    em = questions(catalog, "em")
    answer(study, em[0], right=False, now=DAY1)
    answer(study, em[1], right=False, now=DAY1 + timedelta(minutes=1))
    answer(study, em[1], right=True, now=DAY1 + timedelta(minutes=2))
    answer(study, em[2], right=False, now=DAY1 - 10 * DAY)
    assert learner.mistakes_queue(store, days=7, now=DAY1 + DAY) == [em[0]]


# --------------------------------------------------------------------------- one set of figures


def test_figures_agree_between_core_stats_json_and_summary(catalog, store):
    from tutor.stats import stats_json

    study = Study(catalog, store, mode="practice", seed=1)
    em = questions(catalog, "em")
    for k, item in enumerate(em[:5]):
        answer(study, item, right=k % 2 == 0, now=DAY1)
    fig = progress.progress(store, progress.catalog_topics(catalog), now=DAY1)["em"]
    js = stats_json(store, catalog, now=DAY1)["topics"]["em"]
    assert js == fig.as_json()
    assert (fig.seen, fig.learned, fig.total) == (5, 3, len(em))
    assert study.summary.answered == 5 and study.summary.right_first == 3 and study.summary.new == 5
    lines = learner.summary_lines(study.summary, "ko")
    assert lines[0] == "답한 문제 5개 · 첫 시도에 정답 3개 · 새 문제 5개"


def test_home_and_stats_draw_the_same_progress_bar(catalog, store):
    """Learned of total is one picture on both screens: a bar on its track (the stats table had a bar
    of its own without a track, blank for a topic with nothing learned yet)."""
    import io

    from rich.console import Console

    from tutor.stats import render_stats

    study = Study(catalog, store, mode="practice", seed=1)
    em = questions(catalog, "em")
    for k, item in enumerate(em[:3]):
        answer(study, item, right=k != 1, now=DAY1)   # two learned
    fig = progress.progress(store, progress.catalog_topics(catalog), now=DAY1)["em"]
    assert fig.learned == 2
    full = round(2 / fig.total * 10)
    assert fig.bar() == "█" * full + "░" * (10 - full)
    assert progress.TopicProgress("x", {}, 4).bar() == "░" * 10   # nothing learned: still a bar
    out = io.StringIO()
    render_stats(store, catalog, lang="en", console=Console(file=out, width=120), now=DAY1)
    assert fig.bar() in out.getvalue()


def test_today_counts(catalog, store):
    learner.note_opened(store, "em", screen="lesson", card=0)
    study = Study(catalog, store, mode="practice", seed=1)
    em = questions(catalog, "em")
    answer(study, em[0], right=False, now=DAY1)
    t = progress.today_counts(catalog, store, now=DAY1 + timedelta(minutes=30))
    assert t["due_today"] == 1 and t["done_today"] == 1 and t["goal"] == progress.DEFAULT_DAILY_GOAL
    assert t["new_today"] == min(len(em) - 1, progress.DEFAULT_NEW_PER_DAY - 1)


def test_home_says_due_now_as_its_rows_the_stats_and_the_review_queue_do(catalog, store):
    """The home's today line said "7 due" (by the end of the day) over topic rows summing to 4 (due
    now), and stats said 4: one figure, due now, with what falls due later today apart."""
    from tutor.schedule import Scheduler

    learner.note_opened(store, "em", screen="lesson", card=0)
    study = Study(catalog, store, mode="practice", seed=1)
    em = questions(catalog, "em")
    answer(study, em[0], right=False, now=DAY1)          # missed: back in minutes, today
    soon = DAY1 + timedelta(seconds=30)
    t = progress.today_counts(catalog, store, now=soon)
    rows = progress.progress(store, progress.catalog_topics(catalog), now=soon, with_mastered=False)
    assert t["due_today"] == 1 and t["due_now"] == 0 == sum(p.due for p in rows.values())
    later = DAY1 + timedelta(hours=2)
    t = progress.today_counts(catalog, store, now=later)
    rows = progress.progress(store, progress.catalog_topics(catalog), now=later, with_mastered=False)
    queue = learner.review_queue(catalog, store, Scheduler(store), now=later)
    assert t["due_now"] == 1 == sum(p.due for p in rows.values()) and em[0] in queue


# --------------------------------------------------------------------------- line mode and TUTOR_NOW


@pytest.mark.slow
def test_line_mode_review_serves_the_misses_with_tutor_now(tmp_path, monkeypatch, capsys):
    from tutor.cli import main

    data = tmp_path / "d"
    monkeypatch.setenv("TUTOR_NOW", "2026-12-07T09:00:00+00:00")
    cat = load_catalog()
    items = questions(cat, "ml-basics")[:4]
    # practice the first four: wrong, right, wrong, right
    s = Store.open(data)
    st = Study(cat, s, mode="practice", seed=7)
    for k, item in enumerate(items):
        answer(st, item, right=k % 2 == 1, now=datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc))
    s.close()
    monkeypatch.setenv("TUTOR_NOW", "2026-12-07T09:30:00+00:00")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["review", "--plain", "--json", "--count", "5", "--data-dir", str(data), "--lang", "en"]) == 0
    events = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    lines = [e for e in events if e["event"] == "question"]
    assert lines and lines[0]["id"] in (items[0], items[2])
    assert events[-1]["event"] == "summary"
    assert main(["stats", "--json", "--data-dir", str(data)]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["due_today"] == 2 and d["topics"]["ml-basics"]["seen"] == 4   # the two misses


# --------------------------------------------------------------------------- the app


@pytest.mark.slow
async def test_continue_returns_to_the_exact_card_and_home_shows_learned(tmp_path):
    from tutor.app import create_app

    app = create_app(data_dir=tmp_path / "d", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        topics = app.screen.query_one("#topics")
        topics.highlighted = list(app.summary.topics).index("em")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("right", "right")
        await pilot.pause()
        assert app.screen.index == 2
        await pilot.press("escape")
        await pilot.pause()
        topics.highlighted = 0
        await pilot.press("c")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "LessonScreen"
        assert (app.screen.topic_id, app.screen.index) == ("em", 2)
        await pilot.press("escape")
        await pilot.pause()
        study = Study(app.catalog, app.store, mode="practice", seed=1)
        answer(study, questions(app.catalog, "em")[0], right=True, now=None)
        app.screen.refresh_text()
        fig = progress.progress(app.store, progress.catalog_topics(app.catalog))["em"]
        row = app.screen.row_text("em")
        assert f"{fig.learned}/{fig.total}" in row and fig.learned == 1


@pytest.mark.slow
async def test_mistakes_mode_summary_toast_and_daily_goal(tmp_path):
    from textual.widgets import Input

    from tutor.app import create_app

    app = create_app(data_dir=tmp_path / "d", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        study = Study(app.catalog, app.store, mode="practice", seed=1)
        missed = questions(app.catalog, "ml-basics")[0]
        answer(study, missed, right=False, now=None)
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert screen.__class__.__name__ == "ReviewScreen" and screen.ask.item_id == missed
        await pilot.press("escape")
        await pilot.press("o")
        await pilot.pause()
        app.screen.query_one("#set-goal", Input).value = "35"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.store.get_setting("daily_goal") == 35
        app.screen.query_one("#set-goal", Input).value = "0"       # out of range: nothing saved
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.store.get_setting("daily_goal") == 35
        await pilot.press("escape")
        await pilot.pause()
        assert "/35" in str(app.screen.query_one("#continue").render())
        # the last question of a practice session ends with the summary
        from tutor.screens.question import QuestionScreen

        items = questions(app.catalog, "em")[:1]
        q = QuestionScreen(items, mode="practice", seed=3)
        app.push_screen(q)
        await pilot.pause()
        for name, value in wrong_answers(q.study, q.ask).items():
            q.query_one(f"#f-{''.join(c if c.isalnum() or c in '_-' else '_' for c in name)}", Input).value = value
        q.submit()
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        texts = [str(n.message) for n in app._notifications]
        assert any("Answered 1 · right first try 0 · new 1" in t for t in texts), texts


@pytest.mark.slow
async def test_exam_setup_starts_from_the_topics_studied_and_remembers_the_last_choice(tmp_path):
    from textual.widgets import Input, SelectionList

    from tutor.app import create_app

    app = create_app(data_dir=tmp_path / "d", lang="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        learner.note_opened(app.store, "kmeans", screen="lesson", card=0)
        await pilot.press("e")
        await pilot.pause()
        sel = app.screen.query_one("#exam-topics", SelectionList)
        assert list(sel.selected) == ["kmeans"], "the topics being studied, not an empty list"
        shown = [str(sel.get_option_at_index(i).prompt) for i in range(sel.option_count)]
        assert sum(p.startswith("☑") for p in shown) == 1 and all(p[0] in "☑☐" for p in shown)
        await pilot.press("f2")
        await pilot.pause()
        assert len(sel.selected) == sel.option_count
        await pilot.press("f3")
        await pilot.pause()
        assert list(sel.selected) == []
        sel.select("em")
        sel.select("pca")
        await pilot.pause()
        app.screen.query_one("#exam-count", Input).value = "2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ExamScreen"
        assert set(app.screen.session.exam["topics"]) == {"em", "pca"}
        assert set(learner.exam_topics_default(app.store, app.catalog)) == {"em", "pca"}   # remembered


@pytest.mark.slow
async def test_home_counts_new_items_once_the_catalog_is_read(tmp_path):
    from tutor.app import create_app

    data = tmp_path / "d"
    create_app(data_dir=data, lang="en").store.close()     # first start: caches written
    s = Store.open(data)
    learner.note_opened(s, "em", screen="lesson", card=0)
    s.close()
    app = create_app(data_dir=data, lang="en")               # second start: home from the summary first
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(50):
            await pilot.pause(0.05)
            if app.source.loaded:
                break
        await pilot.pause()
        text = str(app.screen.query_one("#continue").render()).replace("\u00a0", " ")   # as shown
        assert f"{len(questions(app.catalog, 'em'))} new" in text, text


def test_a_new_learners_exam_setup_starts_with_the_first_topic_never_none(catalog, store):
    """Issue 17: exam setup started with no topic selected for someone who has studied nothing."""
    first = next(t for t, tp in catalog.topics.items() if tp.questions)
    assert learner.exam_topics_default(store, catalog) == [first]
    learner.note_opened(store, "em", screen="lesson", card=0)
    assert learner.exam_topics_default(store, catalog) == ["em"]
