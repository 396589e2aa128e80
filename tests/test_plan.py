"""Exam-day readiness (tutor/plan.py, `tutor plan`, the Plan screen): predicted recall on the exam
date, the day-by-day plan, the weighted mock exam."""

import json
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tutor import clock
from tutor.cli import main
from tutor.content import load_catalog
from tutor.plan import (
    PlanError,
    build_plan,
    exam_status,
    local_date,
    mock_exam,
    parse_exam_date,
    predicted_recalls,
    spread_new,
)
from tutor.schedule import Scheduler
from tutor.session import Study
from tutor.store import Store

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "reliability"))
from reliability_answers import right_answers  # noqa: E402

START = "2026-12-07T09:00"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def _answer_right(study, item_id):
    ask = study.ask(item_id)
    g = study.submit(right_answers(study, ask))
    assert g.correct, item_id


def _set_day(monkeypatch, k: int, hour: int = 9):
    when = datetime.fromisoformat(START) + timedelta(days=k, hours=hour - 9)
    monkeypatch.setenv(clock.ENV, when.isoformat(timespec="minutes"))
    return clock.now()


def test_a_simulated_fortnight_raises_the_studied_topic_and_leaves_the_untouched_one_at_zero(
        tmp_path, monkeypatch, catalog):
    store = Store.open(tmp_path)
    exam = local_date(_set_day(monkeypatch, 0)) + timedelta(days=14)
    em = [q.id for q in catalog.topics["em"].questions]
    totals = {t.id: len(t.questions) for t in catalog.topics.values()}
    store.set_setting("exam_date", exam.isoformat())
    store.set_setting("exam_topics", ["kmeans", "em"])
    history = []
    for day in range(14):
        now = _set_day(monkeypatch, day)
        study = Study(catalog, store, seed=day)
        sched = Scheduler(store)
        todo = em if day == 0 else [i for i in sched.due(now, topics=["em"]) if i in em]
        for item_id in todo:
            _answer_right(study, item_id)
        plan = build_plan(catalog, store, exam, ["em", "kmeans"])
        recall = {t.id: t.predicted_recall for t in plan.topics}
        history.append((recall["em"], recall["kmeans"], plan.readiness))
        # the home line's figure is the plan's readiness
        assert exam_status(store, totals)["readiness"] == pytest.approx(plan.readiness)
        assert exam_status(store, totals)["days"] == 14 - day
    em_recall = [h[0] for h in history]
    assert all(h[1] == 0.0 for h in history), "kmeans was never studied"
    assert all(b >= a - 1e-12 for a, b in zip(em_recall, em_recall[1:])), em_recall
    assert em_recall[-1] > em_recall[0] + 0.05, em_recall
    assert em_recall[-1] >= 0.9
    # readiness is the mean over all the exam's questions: em's share of them
    n_em, n_km = len(em), len(catalog.topics["kmeans"].questions)
    assert history[-1][2] == pytest.approx(em_recall[-1] * n_em / (n_em + n_km))
    store.close()


def test_predicted_recall_is_fsrs_own_retrievability_with_the_stored_parameters(tmp_path, monkeypatch, catalog):
    from fsrs import Card
    from fsrs import Scheduler as FsrsScheduler
    from fsrs.scheduler import DEFAULT_PARAMETERS

    store = Store.open(tmp_path)
    params = list(DEFAULT_PARAMETERS)
    params[20] = 0.35                      # a re-fitted decay: the plan must use it
    store.set_setting("fsrs_parameters", params)
    items = [q.id for q in catalog.topics["gmm"].questions[:4]]
    for k, item_id in enumerate(items):   # cards reviewed on different days, some twice
        _set_day(monkeypatch, k)
        _answer_right(Study(catalog, store, seed=k), item_id)
        if k % 2:
            _set_day(monkeypatch, k + 3)
            for i in Scheduler(store).due(clock.now(), topics=["gmm"]):
                _answer_right(Study(catalog, store, seed=9), i)
    at = datetime.fromisoformat("2026-12-30T00:00").astimezone()
    ours = predicted_recalls(store, items + ["gmm.q.never-seen"], at)
    fsrs = FsrsScheduler(parameters=params)
    for item_id in items:
        card = Card.from_json(store.read_one("SELECT card FROM cards WHERE item_id = ?", (item_id,))[0])
        assert ours[item_id] == pytest.approx(fsrs.get_card_retrievability(card, at.astimezone(card.due.tzinfo)))
    assert 0 < min(ours[i] for i in items) < max(ours[i] for i in items) < 1
    assert ours["gmm.q.never-seen"] == 0.0
    store.close()


def test_new_items_fit_under_new_per_day_and_sum_to_the_unseen(tmp_path, monkeypatch, catalog):
    store = Store.open(tmp_path)
    now = _set_day(monkeypatch, 0)
    today = local_date(now)
    topics = ["em", "kmeans", "gmm"]
    unseen = sum(len(catalog.topics[t].questions) for t in topics)
    # plenty of days: everything fits, never more than new_per_day
    store.set_setting("new_per_day", 4)
    plan = build_plan(catalog, store, today + timedelta(days=20), topics)
    assert plan.unseen == unseen and plan.unplanned == 0
    assert sum(d.new for d in plan.days) == unseen
    assert max(d.new for d in plan.days) <= 4
    assert [d.date for d in plan.days] == [today + timedelta(days=k) for k in range(20)]
    # a new item's learning steps on its first day are part of learning it, not reviews; FSRS
    # asks for it again on a later day
    assert plan.days[0].review == 0 and sum(d.review for d in plan.days) >= unseen
    # too few days: what fits under new_per_day, and the rest is reported
    plan = build_plan(catalog, store, today + timedelta(days=5), topics)
    assert [d.new for d in plan.days] == [4] * 5 and plan.unplanned == unseen - 20
    # items introduced today count against today's quota
    study = Study(catalog, store, seed=1)
    for q in catalog.topics["em"].questions[:3]:
        _answer_right(study, q.id)
    plan = build_plan(catalog, store, today + timedelta(days=5), topics)
    assert plan.days[0].new == 1 and all(d.new <= 4 for d in plan.days)
    assert sum(d.new for d in plan.days) == 1 + 4 * 4
    store.close()


def test_spread_new_is_even_and_capped():
    assert spread_new(10, 4, 5, 5) == [3, 3, 2, 2]
    assert spread_new(30, 4, 5, 2) == [2, 5, 5, 5]
    assert spread_new(0, 3, 5, 5) == [0, 0, 0]
    assert spread_new(7, 0, 5, 5) == []
    for unseen in range(40):
        out = spread_new(unseen, 6, 5, 3)
        assert sum(out) == min(unseen, 3 + 5 * 5) and max(out) <= 5 and out[0] <= 3


def test_reviews_are_planned_on_the_days_fsrs_makes_the_cards_due(tmp_path, monkeypatch, catalog):
    store = Store.open(tmp_path)
    now = _set_day(monkeypatch, 0)
    study = Study(catalog, store, seed=2)
    em = [q.id for q in catalog.topics["em"].questions]
    for item_id in em:
        _answer_right(study, item_id)
    exam = local_date(now) + timedelta(days=30)
    plan = build_plan(catalog, store, exam, ["em"])
    assert plan.unseen == 0 and all(d.new == 0 for d in plan.days)
    by_day = {d.date: d.review for d in plan.days}
    due_days = [local_date(datetime.fromisoformat(r[0])) for r in store.read("SELECT due FROM cards")]
    first = min(due_days)
    assert all(by_day[d] == 0 for d in by_day if d < first)
    for d in set(due_days):
        assert by_day[d] >= due_days.count(d)
    # following the plan keeps every card at or above the desired retention on the exam day
    assert plan.planned_readiness >= plan.desired_retention
    assert plan.planned_readiness > plan.readiness
    store.close()


def test_mock_exam_leans_on_the_weakest_topic_and_starts_as_an_exam(tmp_path, monkeypatch, catalog):
    from tutor.plan import start_mock_exam

    store = Store.open(tmp_path)
    now = _set_day(monkeypatch, 0)
    study = Study(catalog, store, seed=3)
    for q in catalog.topics["em"].questions:
        _answer_right(study, q.id)
    plan = build_plan(catalog, store, local_date(now) + timedelta(days=3), ["em", "kmeans"], mock_size=8)
    topics = [catalog.item(i).topic for i in plan.mock_exam]
    assert len(plan.mock_exam) == 8 == len(set(plan.mock_exam))
    assert topics.count("kmeans") >= 6, topics
    # the same state gives the same mock exam
    assert build_plan(catalog, store, plan.exam_date, ["em", "kmeans"], mock_size=8).mock_exam == plan.mock_exam
    session = start_mock_exam(catalog, store, plan)
    assert [it["item_id"] for it in session.exam["items"]] == plan.mock_exam
    assert session.exam["minutes"] == 16
    store.close()


def test_mock_exam_weights_follow_one_minus_recall():
    questions = [("a1", "a"), ("a2", "a"), ("b1", "b"), ("b2", "b")]
    recall = {"a1": 0.99, "a2": 0.99, "b1": 0.0, "b2": 0.0}
    firsts = [mock_exam(questions, recall, 1, seed=s)[0] for s in range(400)]
    share_a = sum(f.startswith("a") for f in firsts) / len(firsts)
    assert share_a < 0.1       # weight 0.02 each against 1.0 each: about 2 %
    assert share_a > 0          # never excluded entirely


def test_parse_exam_date_errors(monkeypatch):
    _set_day(monkeypatch, 0)
    today = local_date(clock.now())
    assert parse_exam_date(today.isoformat()) == today
    for bad in ("tomorrow", "2026-13-01", "2026-12-7", "", (today - timedelta(days=1)).isoformat(),
                (today + timedelta(days=800)).isoformat()):
        with pytest.raises(PlanError) as e:
            parse_exam_date(bad)
        assert "\n" not in str(e.value) and e.value.key.startswith("plan.err.")


# --------------------------------------------------------------------------- the command


def _run(args, capsys):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_plan_json_has_the_documented_keys_and_saves_the_exam(tmp_path, monkeypatch, capsys, catalog):
    _set_day(monkeypatch, 0)
    code, out, err = _run(["plan", "--exam", "2026-12-21", "--topics", "em,kmeans", "--json",
                           "--data-dir", str(tmp_path)], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["exam_date"] == "2026-12-21"
    assert 0.0 <= data["readiness"] <= 1.0
    assert [t["id"] for t in data["topics"]] == [t for t in catalog.topics if t in ("em", "kmeans")]
    for t in data["topics"]:
        assert {"id", "title", "items", "predicted_recall"} <= set(t)
        assert t["items"] == len(catalog.topics[t["id"]].questions) and t["title"]["ko"] and t["title"]["en"]
    assert len(data["days"]) == 14
    for d in data["days"]:
        assert {"date", "new", "review"} <= set(d)
    assert sum(d["new"] for d in data["days"]) == sum(t["items"] for t in data["topics"])
    store = Store.open(tmp_path)
    assert store.get_setting("exam_date") == "2026-12-21"
    assert store.get_setting("exam_topics") == [t for t in catalog.topics if t in ("em", "kmeans")]
    store.close()
    # without --exam: the saved exam; in Korean
    code, out, _ = _run(["plan", "--lang", "ko", "--data-dir", str(tmp_path)], capsys)
    assert code == 0 and "2026-12-21" in out and "준비도" in out and "모의고사" in out
    assert "em.q." not in out and "kmeans.q." not in out   # no internal ids in the report


@pytest.mark.parametrize("args", [
    ["--exam", "2026-12-01"],                       # in the past
    ["--exam", "21.12.2026"],                       # not a date
    ["--exam", "2026-02-30"],
    ["--exam", "2026-12-21", "--topics", "em,no-such-topic"],
    ["--exam", "2026-12-21", "--topics", ","],
    [],                                             # no exam date saved yet
])
def test_plan_errors_are_one_line_exit_2(tmp_path, monkeypatch, capsys, args):
    _set_day(monkeypatch, 0)
    code, out, err = _run(["plan", *args, "--data-dir", str(tmp_path)], capsys)
    assert code == 2 and out == ""
    assert err.startswith("tutor plan") and err.count("\n") == 1
    store = Store.open(tmp_path)
    assert store.get_setting("exam_date") is None     # nothing saved by a refused command
    store.close()


def test_plan_honours_tutor_now(tmp_path, monkeypatch, capsys):
    _set_day(monkeypatch, 0)
    assert _run(["plan", "--exam", "2026-12-10", "--json", "--data-dir", str(tmp_path)], capsys)[0] == 0
    _set_day(monkeypatch, 2)
    code, out, _ = _run(["plan", "--json", "--data-dir", str(tmp_path)], capsys)
    assert code == 0 and [d["date"] for d in json.loads(out)["days"]] == ["2026-12-09"]
    _set_day(monkeypatch, 5)                          # the saved exam has passed
    code, _, err = _run(["plan", "--data-dir", str(tmp_path)], capsys)
    assert code == 2 and "past" in err


# --------------------------------------------------------------------------- the screen


def _static_text(widget) -> str:
    import io

    from rich.console import Console

    console = Console(file=io.StringIO(), width=200, record=True)
    console.print(widget.render())
    return console.export_text()


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_plan_screen_at_80x24(data_dir, monkeypatch, lang, catalog):
    from textual.widgets import Input, SelectionList, Static

    from tutor.app import create_app
    from tutor.screens.exam import ExamScreen
    from tutor.screens.plan import PlanScreen

    _set_day(monkeypatch, 0)
    app = create_app(data_dir=data_dir, lang=lang)
    words = {"ko": ("준비도", "시험까지", "모의고사"), "en": ("Readiness", "Exam in", "Mock exam")}[lang]
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        continue_text = _static_text(app.screen.query_one("#continue", Static))
        assert words[1] not in continue_text                      # no exam set: no line
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        assert app.focused is screen.query_one("#plan-date", Input)
        # a bad date: a message in the UI language, nothing saved, the typed text kept
        await pilot.press(*"2026-02-30", "enter")
        await pilot.pause()
        assert app.store.get_setting("exam_date") is None
        assert screen.query_one("#plan-date", Input).value == "2026-02-30"
        assert any(("날짜가 아닙니다" if lang == "ko" else "is not a date") in str(n.message)
                   for n in app._notifications)
        screen.query_one("#plan-date", Input).value = ""
        await pilot.press(*"2026-12-21", "enter")
        await pilot.pause()
        assert app.store.get_setting("exam_date") == "2026-12-21"
        summary = _static_text(screen.query_one("#plan-summary", Static))
        assert words[0].lower() in summary.lower() and "2026-12-21" in summary
        body = _static_text(screen.query_one("#plan-days", Static))
        assert words[2] in body and "2026-12-07" in body and ".q." not in body
        # leave out the first topic with space: saved, and the plan follows
        topics = screen.query_one("#plan-topics", SelectionList)
        assert app.focused is topics
        first = catalog.topics[next(iter(catalog.topics))].id
        def rows():
            return [topics.render_line(y).text.strip() for y in range(topics.size.height)]

        # at 80 columns every shown recall fits (long titles give way), each row marked ☑ (no ▐X▌ box)
        assert all(r.startswith("☑ ") and r.endswith("%") for r in rows())
        await pilot.press("space")
        await pilot.pause()
        assert rows()[0].startswith("☐ ") and not rows()[0].endswith("%")
        saved = app.store.get_setting("exam_topics")
        assert saved and first not in saved
        assert first not in screen.plan.topic_ids
        # answer in another session: the plan is recomputed when the screen is shown again
        before = screen.plan.readiness
        study = Study(app.catalog, app.store, seed=1)
        for q in app.catalog.topics["em"].questions:
            _answer_right(study, q.id)
        await pilot.press("ctrl+o")                                # the mock exam
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        assert [it["item_id"] for it in app.screen.session.exam["items"]] == screen.plan.mock_exam
        await pilot.press("escape")                               # leave the exam? (it keeps running)
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is screen and screen.plan.readiness > before
        await pilot.press("escape")
        await pilot.pause()
        continue_text = _static_text(app.screen.query_one("#continue", Static))
        assert words[1] in continue_text and "%" in continue_text
    store = Store.open(data_dir)
    assert store.get_setting("exam_date") == "2026-12-21"
    store.close()


def test_exam_status_ignores_a_passed_exam_and_needs_a_date(tmp_path, monkeypatch):
    store = Store.open(tmp_path)
    _set_day(monkeypatch, 0)
    assert exam_status(store, {"em": 8}) is None
    store.set_setting("exam_date", "2026-12-08")
    assert exam_status(store, {"em": 8}) == {"days": 1, "date": "2026-12-08", "readiness": 0.0}
    _set_day(monkeypatch, 2)
    assert exam_status(store, {"em": 8}) is None
    store.close()


def test_cards_below_the_target_on_exam_day_are_refreshed_on_the_last_day(tmp_path, monkeypatch, catalog):
    store = Store.open(tmp_path)
    now = _set_day(monkeypatch, 0)
    store.set_setting("desired_retention", 0.7)      # learned with long intervals …
    study = Study(catalog, store, seed=4)
    em = [q.id for q in catalog.topics["em"].questions]
    for item_id in em:
        _answer_right(study, item_id)
    store.set_setting("desired_retention", 0.97)     # … then the target was raised before the exam
    exam = local_date(now) + timedelta(days=6)
    at = datetime.combine(exam, datetime.min.time()).astimezone()
    low = [i for i, r in predicted_recalls(store, em, at).items() if r < 0.97]
    assert low, "the setup leaves cards below the target on exam day"
    assert all(datetime.fromisoformat(store.read_one("SELECT due FROM cards WHERE item_id = ?", (i,))[0])
               > at for i in low), "FSRS alone would not show them before the exam"
    plan = build_plan(catalog, store, exam, ["em"])
    assert plan.days[-1].review >= len(low)
    assert all(t.planned_recall >= 0.97 for t in plan.topics)
    store.close()


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_plan_percentages_are_written_as_the_rest_of_the_app_writes_them(tmp_path, monkeypatch, capsys, lang):
    """The plan said "준비도 23 %" while the exam report and stats say "50%"."""
    import re

    _set_day(monkeypatch, 0)
    code, out, _ = _run(["plan", "--exam", "2026-12-20", "--lang", lang, "--data-dir", str(tmp_path)], capsys)
    assert code == 0 and re.search(r"\d%", out)
    assert not re.search(r"\d %", out), out[:300]


def test_a_failed_exam_does_not_raise_the_readiness(tmp_path, monkeypatch, catalog):
    """Every answer wrong made cards whose recall counted: readiness 0 % → 50 % after an exam with
    no right answer. An item never learned counts 0, in the plan and on the home line alike."""
    store = Store.open(tmp_path)
    exam = local_date(_set_day(monkeypatch, 0)) + timedelta(days=1)
    totals = {t.id: len(t.questions) for t in catalog.topics.values()}
    store.set_setting("exam_date", exam.isoformat())
    store.set_setting("exam_topics", ["gmm"])
    assert build_plan(catalog, store, exam, ["gmm"]).readiness == 0.0
    study = Study(catalog, store, seed=1)
    items = [q.id for q in catalog.topics["gmm"].questions[:5]]
    for item_id in items:
        ask = study.ask(item_id)
        right = right_answers(study, ask)
        wrong = {k: ("1" if v != "1" else "2") if ask.kind in ("choice", "order", "multi") else "완전히 틀린 답 xyz"
                 if ask.kind in ("text", "cloze") else "987654.321" for k, v in right.items()}
        assert not study.submit(wrong).correct, item_id
    assert store.read_one("SELECT count(*) FROM cards WHERE topic = 'gmm'")[0] == len(items)   # rated Again
    assert build_plan(catalog, store, exam, ["gmm"]).readiness == 0.0
    assert exam_status(store, totals)["readiness"] == 0.0
    _answer_right(Study(catalog, store, seed=2), items[0])   # one learned: it counts
    assert build_plan(catalog, store, exam, ["gmm"]).readiness == pytest.approx(exam_status(store, totals)["readiness"])
    assert exam_status(store, totals)["readiness"] > 0
    store.close()
