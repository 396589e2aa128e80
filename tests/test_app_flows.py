"""Pilot tests of each flow through the app factory: review, exam (timer + resume), labs,
language switch, settings, stats, help, and the layouts at small and large sizes."""

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from textual.widgets import Input, Static, TextArea

from tutor.app import create_app
from tutor.screens.question import _wid
from tutor.screens.topic_list import TopicList
from tutor.store import Store

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "reliability"))
from reliability_answers import right_answers  # noqa: E402


def _text(widget) -> str:
    """What a Static shows, as plain text (Rich renderables rendered at width 200)."""
    import io

    from rich.console import Console

    content = widget.content
    if isinstance(content, str):
        return content
    console = Console(file=io.StringIO(), width=200, record=True)
    console.print(content)
    return console.export_text()


async def _answer_right(pilot, screen):
    vals = right_answers(screen.study, screen.ask)
    for name, value in vals.items():   # a typed cell, or a choice list (its value is the option number)
        screen.query_one(f"#{_wid(name)}").value = value
    screen.query_one(f"#{_wid(list(vals)[-1])}").focus()
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.slow
async def test_review_auto_rates_override_and_undo(data_dir):
    app = create_app(data_dir=data_dir, lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert app.screen.ask is None, "nothing from a topic never opened"
        await pilot.press("escape")
        from tutor.learner import note_opened

        note_opened(app.store, "em", screen="lesson", card=0)
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert screen.__class__.__name__ == "ReviewScreen"
        assert screen.ask is not None, "new items of an opened topic are served on the first day"
        assert screen.ask.topic == "em"
        first = screen.ask.item_id
        await _answer_right(pilot, screen)
        assert screen.grade.correct
        last = screen.review.last
        assert last.item_id == first and last.auto and last.rating in (3, 4)
        from tutor.schedule import Scheduler

        logs = Scheduler(app.store).review_logs()
        assert len(logs) == 1
        # override with 1 (Again): the auto review is replaced, not added
        await pilot.press("1")
        await pilot.pause()
        assert screen.review.last.rating == 1 and not screen.review.last.auto
        assert len(Scheduler(app.store).review_logs()) == 1
        # undo: the rating is gone and the item comes again
        await pilot.press("u")
        await pilot.pause()
        assert len(Scheduler(app.store).review_logs()) == 0
        assert screen.ask.item_id == first
        # the retry after undo is a second try: right again gives Hard at best, never Easy
        await _answer_right(pilot, screen)
        assert screen.review.last.item_id == first and screen.review.last.rating == 2
        assert "Hard" in str(screen.query_one("#q-counter").render())
        assert "automatic: right on a second try" in str(screen.query_one("#q-counter").render())   # and why


@pytest.mark.slow
async def test_the_rating_is_said_in_the_counter_line_not_over_the_feedback(data_dir):
    """After an answer the rating was shown as a notice too: it stayed for seconds over the next
    question's options, and at 80×24 over the feedback's last lines ("틀린 칸: …") while the learner
    read them. The counter line says it, and leaves with its question."""
    from tutor.learner import note_opened

    app = create_app(data_dir=data_dir, lang="ko")
    note_opened(app.store, "em", screen="lesson", card=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        first = screen.ask.item_id
        await _answer_right(pilot, screen)
        await pilot.pause()
        assert "평가" in str(screen.query_one("#q-counter").render()), "the rating is said"
        assert not any("평가" in n.message for n in app._notifications), "nothing over the feedback"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.ask.item_id != first
        assert "평가:" not in str(screen.query_one("#q-counter").render()), "it leaves with its question"


@pytest.mark.slow
async def test_review_and_exam_draw_their_first_item_once(data_dir):
    # Textual runs both ReviewScreen/ExamScreen.on_mount and QuestionScreen.on_mount; the first item
    # used to be drawn twice (review: the first due item was skipped; exam: a second, unused Study)
    app = create_app(data_dir=data_dir, lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        from tutor.learner import note_opened
        from tutor.review import ReviewSession
        from tutor.schedule import Scheduler

        note_opened(app.store, "em", screen="lesson", card=0)
        expected = ReviewSession(app.catalog, app.store, Scheduler(app.store)).refill()
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert screen.study is screen.review.study
        assert screen.ask.item_id == expected[0] and screen.review.queue == expected[1:]
        await pilot.press("escape")
        await pilot.press("e")
        await pilot.pause()
        setup = app.screen
        setup.query_one("#exam-topics").select("em")
        setup.query_one("#exam-count", Input).value = "4"
        await pilot.press("ctrl+s")
        await pilot.pause()
        exam = app.screen
        assert exam.study is exam.session.study
        assert exam.ask.item_id == exam.session.exam["items"][0]["item_id"] == exam.study.current.item_id


@pytest.mark.slow
async def test_exam_timer_expiry_report_and_resume(data_dir):
    app = create_app(data_dir=data_dir, lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        setup = app.screen
        assert setup.__class__.__name__ == "ExamSetupScreen"
        sel = setup.query_one("#exam-topics")
        sel.select("em")
        setup.query_one("#exam-count", Input).value = "3"
        setup.query_one("#exam-minutes", Input).value = "5"
        await pilot.press("ctrl+s")
        await pilot.pause()
        exam = app.screen
        assert exam.__class__.__name__ == "ExamScreen"
        await _answer_right(pilot, exam)
        assert "Saved" in _text(exam.query_one("#q-feedback", Static)) or exam.index == 1
        exam_id = exam.session.exam["id"]
        # kept as a draft, graded when the exam ends
        assert len(app.store.unfinished_exam()["drafts"]) == 1
    # quit mid-exam and reopen: the exam resumes with its answer
    app2 = create_app(data_dir=data_dir, lang="en")
    async with app2.run_test(size=(100, 40)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        exam = app2.screen
        assert exam.__class__.__name__ == "ExamScreen" and exam.session.exam["id"] == exam_id
        assert exam.index == 1
        # the timer runs out: the exam finishes by itself and the report shows
        exam.session.exam["deadline"] = (datetime.now(timezone.utc) - timedelta(seconds=1)).isoformat()
        exam._tick()
        await pilot.pause()
        report = app2.screen
        assert report.__class__.__name__ == "ExamReportScreen"
        text = _text(report.query_one("#report", Static))
        assert "of 3 right" in text and "Your mistakes" in text
    s = Store.open(data_dir)
    assert s.unfinished_exam() is None and s.exams()[-1]["score"] is not None
    s.close()


@pytest.mark.slow
async def test_lab_input_change_updates_trace_and_steps(data_dir):
    app = create_app(data_dir=data_dir, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        lab = app.screen
        await app.workers.wait_for_complete()
        await pilot.pause()
        lab.action_next_lab(lab.names.index("em-coins") - lab.lab_index)   # EM coins
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert lab.out is not None and round(lab.out["theta_a"], 2) == 0.80
        area = lab.query_one("#lab-input", TextArea)
        area.load_text(area.text.replace("theta_a: 0.6", "theta_a: 0.3"))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert lab.out["iterations"][0]["theta_a_before"] == 0.3
        await pilot.press("f3", "f3")
        assert lab.step == 2
        await pilot.press("f2")
        assert lab.step == 1
        # a bad input shows an error and keeps the last good trace
        area.load_text("theta_a: [oops")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert lab.error and lab.out is not None
        for _ in range(3):   # every lab renders
            await pilot.press("f5")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert lab.error is None and lab.out is not None, lab.lab_name


@pytest.mark.slow
async def test_language_switch_takes_effect_at_once_on_every_screen(data_dir):
    app = create_app(data_dir=data_dir, lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        topics = app.screen.query_one("#topics", TopicList)
        topics.highlighted = topics.index_of("em")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        assert app.lang == "ko"
        assert "카드" in _text(app.screen.query_one("#card-pos", Static))
        await pilot.press("escape")
        await pilot.pause()
        assert "EM 알고리즘" in app.screen.row_text("em")


async def test_settings_saved_between_runs(data_dir):
    app = create_app(data_dir=data_dir, lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        s = app.screen
        s.query_one("#set-new", Input).value = "25"
        s.query_one("#set-ret", Input).value = "0.85"
        await pilot.press("ctrl+s")
        await pilot.pause()
    st = Store.open(data_dir)
    assert st.get_setting("new_per_day") == 25 and st.get_setting("desired_retention") == 0.85
    st.close()


@pytest.mark.slow
@pytest.mark.parametrize("size", [(40, 12), (80, 24), (300, 80)])
async def test_every_screen_at_small_and_large_sizes(data_dir, size):
    app = create_app(data_dir=data_dir, lang="ko")
    async with app.run_test(size=size) as pilot:
        for key in ("s", "escape", "?", "escape", "o", "escape", "a", "escape", "r", "escape", "e", "escape",
                    "enter", "p", "escape", "escape"):
            await pilot.press(key)
            await pilot.pause()
        await pilot.resize_terminal(size[0] // 2 + 20, size[1] // 2 + 6)
        await pilot.pause()
        assert app.is_running


@pytest.mark.slow
async def test_solution_shows_that_torch_agrees(data_dir, tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "att.yaml").write_text("""
topic: att
order: 1
title: {ko: 어텐션, en: Attention}
requires: []
source: []
cards:
  - id: att.card
    title: {ko: 카드, en: Card}
    body: {ko: 본문, en: Body}
questions:
  - id: att.q.weights
    kind: exercise
    generator: attention.weights
    prompt: {ko: 가중치를 구하세요, en: Find the weights}
""", encoding="utf-8")
    app = create_app(data_dir=data_dir, lang="en", content=[content])
    assert not app.catalog.problems, app.catalog.problems
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        q = app.screen
        await pilot.press("f3")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert q.oracle is not None and q.oracle["agrees"]
        assert "scaled_dot_product_attention" in _text(q.query_one("#q-solution", Static))


@pytest.mark.slow
async def test_the_rating_line_is_in_view_after_the_answer_even_when_the_question_was_scrolled(data_dir):
    """The learner scrolled the question down to a table to answer; the rating, in the counter line
    at the pane's top, was out of sight, and 1–4 changed a rating no one could see."""
    from tutor.learner import note_opened

    app = create_app(data_dir=data_dir, lang="ko")
    note_opened(app.store, "em", screen="lesson", card=0)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        pane = screen.query_one("#q-scroll")
        await pilot.press("ctrl+down")
        await pilot.pause()
        assert pane.scroll_y > 0, "the question was scrolled"
        await _answer_right(pilot, screen)
        await pilot.pause()
        assert pane.scroll_y == 0 and "평가" in str(screen.query_one("#q-counter").render())
        pane.scroll_end(animate=False)
        await pilot.press("1")                       # a new rating: in view again
        await pilot.pause()
        assert screen.review.last.rating == 1 and pane.scroll_y == 0


async def test_the_end_of_a_review_says_what_was_done(tmp_path):
    """Redoing every mistake without skipping one ended on "no mistakes to review from the last 7
    days", one of them still wrong: the end says how many were redone (and reviewed, for r)."""
    from tutor.learner import note_opened
    from tutor.screens.review import ReviewScreen

    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    note_opened(app.store, "ml-basics", screen="lesson", card=0)
    app.store.set_setting("new_per_day", 1)   # a queue of one
    async with app.run_test(size=(100, 40)) as pilot:
        for mistakes in (False, True):
            if mistakes:   # one item missed in practice, then redone in "my mistakes"
                from tutor.session import Study

                study = Study(app.catalog, app.store, seed=1)
                item = app.catalog.topics["ml-basics"].questions[0].id
                ask = study.ask(item)
                right = right_answers(study, ask)
                study.submit({k: ("2" if v == "1" else "1") for k, v in right.items()})
            await app.push_screen(ReviewScreen(mistakes=mistakes, seed=7))
            await pilot.pause()
            screen = app.screen
            await _answer_right(pilot, screen)
            await pilot.press("ctrl+n")
            await pilot.pause()
            end = str(screen.query_one("#q-counter").render())
            assert screen.ask is None and "1개" in end and ("다시 풂" if mistakes else "복습했습니다") in end, end
            await pilot.press("escape")
            await pilot.pause()
