"""Exams (issue 15): every keystroke is kept (drafts), navigation and flags, leaving and finishing
ask first, the report speaks the UI language, `tutor exam` opens the app on a new exam.

The core tests drive :class:`tutor.review.ExamSession` on a store; the Pilot tests drive the real
app (create_app) and type without pressing Enter; one test kills the app with SIGKILL mid-typing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Static

from tutor.clock import parse_iso
from tutor.content import load_catalog
from tutor.review import ExamSession
from tutor.screens.question import _wid
from tutor.store import Store

T0 = parse_iso("2026-12-07T00:00:00+00:00")
ITEMS = ["em.q.cloze", "em.q.complete-theta-b", "em.q.latent", "em.q.term"]
HANGUL = re.compile("[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(None)


def _start(store, items=ITEMS, minutes=30.0, now=T0) -> int:
    return store.start_exam(topics=["em"], items=[{"item_id": i, "topic": i.split(".")[0], "variant_seed": 7 + k}
                                                  for k, i in enumerate(items)], minutes=minutes, now=now)


def _right(session, index: int) -> dict[str, str]:
    sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "reliability"))
    from reliability_answers import right_answers

    ask = session.ask(index)
    return right_answers(session.study, ask)


# ----------------------------------------------------------------------------- the core


def test_drafts_and_flags_survive_reopening(tmp_path, catalog):
    with Store.open(tmp_path) as s:
        exam_id = _start(s)
        session = ExamSession.resume(catalog, s)
        assert session.save_draft(0, {"blank[1]": "E", "blank[2]": ""}, now=T0)
        assert not session.save_draft(0, {"blank[1]": "E", "blank[2]": ""}, now=T0), "the same text is not rewritten"
        assert session.toggle_flag(2, now=T0) is True
    with Store.open(tmp_path) as s:
        session = ExamSession.resume(catalog, s)
        assert session.exam["id"] == exam_id
        assert session.typed(0) == {"blank[1]": "E", "blank[2]": ""}
        assert session.flagged(2) and not session.flagged(0)
        assert session.answered(0) and not session.answered(1)
        assert session.index == 1, "resumes at the first question with nothing typed"
        # the second blank left empty: partly answered, not unreadable
        assert session.counts() == {"answered": 1, "unanswered": 3, "flagged": 1, "partial": 1, "unreadable": 0}
        assert session.toggle_flag(2, now=T0) is False


def test_finish_grades_every_draft_through_the_write_path_and_schedules_every_item(tmp_path, catalog):
    with Store.open(tmp_path) as s:
        exam_id = _start(s)
        session = ExamSession.resume(catalog, s)
        session.save_draft(0, _right(session, 0), now=T0)          # right, never Enter
        session.save_draft(1, {"value": "0.5 +"}, now=T0)          # cannot be read
        session.save_draft(2, {"choice": "9"}, now=T0)             # out of range: cannot be read either
        wrong = {"text": "definitely not it"}
        session.save_draft(3, wrong, now=T0)                       # readable and wrong
        assert s.attempts() == [], "nothing is graded while the exam runs"
        report = session.finish(now=T0 + timedelta(minutes=5))
        # answered: something typed, readable or not (as the exam's own counts say it)
        assert report["answered"] == 4 and report["correct"] == 1
        rows = {r["item_id"]: r for r in report["items"]}
        assert rows["em.q.complete-theta-b"]["unreadable"] == {"value": "0.5 +"}
        assert not rows["em.q.cloze"]["unreadable"] and rows["em.q.cloze"]["correct"]
        # the one write path: an attempt (with the exam id) and an exam row per graded draft
        atts = s.attempts()
        assert sorted(a["item_id"] for a in atts) == ["em.q.cloze", "em.q.term"]
        assert all(a["exam_id"] == exam_id and a["mode"] == "exam" for a in atts)
        assert sorted(s.exam(exam_id)["answers"]) == [0, 3]
        # every item is scheduled: right → Good, wrong / unreadable / unanswered → Again (due today)
        ratings = dict(s.read("SELECT item_id, rating FROM review_log"))
        assert ratings == {"em.q.cloze": 3, "em.q.complete-theta-b": 1, "em.q.latent": 1, "em.q.term": 1}
        due = dict(s.read("SELECT item_id, due FROM cards"))
        for item in ("em.q.complete-theta-b", "em.q.latent", "em.q.term"):
            assert parse_iso(due[item]) <= T0 + timedelta(days=1)
        assert s.unfinished_exam() is None
        # a finished exam takes no more drafts
        s.save_exam_draft(exam_id, 1, {"value": "1"}, now=T0)
        assert s.exam(exam_id)["drafts"][1]["answer"] == {"value": "0.5 +"}


def test_exam_grading_is_final_a_slip_is_wrong_and_a_part_left_empty_costs_only_that_part(tmp_path, catalog):
    """An exam has no second try: practice's free tries (a one-letter slip, an empty blank, a
    malformed cell) are graded — the slip wrong, the empty or unreadable cell wrong and the other
    cells graded — and nothing the exam says while it runs tells how close an answer is."""
    from tutor.session import Study

    items = ["em.q.term", "em.q.cloze", "em.q.one-iteration-short", "em.q.latent"]
    with Store.open(tmp_path) as s:
        _start(s, items=items)
        session = ExamSession.resume(catalog, s)
        slip = {"text": "responsibilty"}                       # one letter off
        session.save_draft(0, slip, now=T0)
        assert session.check(0) is None, "the exam does not say the slip is almost right"
        practice = Study(catalog, None, mode="practice")
        practice.ask("em.q.term")
        assert practice.grade(slip).format_error, "practice still gives the free try"
        session.save_draft(1, {"blank[1]": "E", "blank[2]": ""}, now=T0)   # the second blank left empty
        assert "2" in session.check(1)["en"], "an empty blank can be read as a problem while there is time"
        right = _right(session, 2)
        cells = list(right)
        bad = dict(right, **{cells[1]: "0.5.3"})               # one malformed cell, the rest right
        session.save_draft(2, bad, now=T0)
        problem = session.check(2)
        assert problem and "0.5.3" in problem["en"]
        session.save_draft(3, {"choice": "one"}, now=T0)       # nothing readable at all
        counts = session.counts()
        report = session.finish(now=T0 + timedelta(minutes=5))
    rows = report["items"]
    assert rows[0]["answered"] and not rows[0]["correct"] and rows[0]["score"] == 0.0 and not rows[0]["unreadable"]
    assert rows[1]["score"] == 0.5 and not rows[1]["unreadable"], "blank 1 right: half, not unreadable"
    assert rows[2]["score"] == (len(cells) - 1) / len(cells) and not rows[2]["unreadable"]
    assert rows[3]["unreadable"] == {"choice": "one"} and rows[3]["answered"]
    # one count of "answered" from the overview to the report
    assert report["answered"] == counts["answered"] == 4


def test_unanswered_items_are_scheduled_too(tmp_path, catalog):
    with Store.open(tmp_path) as s:
        _start(s)
        report = ExamSession.resume(catalog, s).finish(now=T0 + timedelta(minutes=1))
        assert report["answered"] == 0
        ratings = dict(s.read("SELECT item_id, rating FROM review_log"))
        assert ratings == {i: 1 for i in ITEMS}


def test_unreadable_draft_is_in_the_walkthrough_with_its_reason_in_both_languages(tmp_path, catalog):
    with Store.open(tmp_path) as s:
        _start(s)
        session = ExamSession.resume(catalog, s)
        session.save_draft(0, {"blank[1]": "E", "blank[2]": ""}, now=T0)   # a blank left empty: graded
        session.save_draft(1, {"value": "0.5 +"}, now=T0)                  # nothing readable
        session.finish(now=T0 + timedelta(minutes=1))
        walk = {w["item_id"]: w for w in session.walkthrough()}
        w = walk["em.q.cloze"]
        assert w["answer"] == {"blank[1]": "E", "blank[2]": ""} and w["score"] == 0.5 and w["unreadable"] is None
        w = walk["em.q.complete-theta-b"]
        assert w["answer"] is None and w["unreadable"] == {"value": "0.5 +"}
        assert "0.5 +" in w["problem"]["en"] and HANGUL.search(w["problem"]["ko"])
        assert walk["em.q.latent"]["unreadable"] is None and walk["em.q.latent"]["answer"] is None


def test_a_wrong_choice_in_the_walkthrough_has_its_options_and_its_why(tmp_path, catalog):
    """The report reads a picked number as its option's text, and says why that option is wrong."""
    with Store.open(tmp_path) as s:
        _start(s, items=["em.q.latent"])
        session = ExamSession.resume(catalog, s)
        ask = session.ask(0)
        right = ask.shown_position(int(catalog.item("em.q.latent").data["answer"]))
        wrong = next(j for j in range(len(ask.options)) if j != right)
        session.save_draft(0, {ask.fields[0].name: str(wrong + 1)}, now=T0)
        session.finish(now=T0 + timedelta(minutes=1))
        (w,) = session.walkthrough()
        assert w["options"] == ask.options
        why = catalog.item("em.q.latent").data["why"][ask.params["shown"][wrong]]
        assert w["mistake_text"] is not None and w["mistake_text"]["en"] == why["en"]
        assert HANGUL.search(w["mistake_text"]["ko"])


def test_report_answer_keys_speak_the_ui_language(tmp_path, catalog):
    # kmeans' cloze lists Korean answers first: the English key must not be Korean
    with Store.open(tmp_path) as s:
        _start(s, items=["kmeans.q.cloze", "attention.q.general-name"])
        session = ExamSession.resume(catalog, s, lang="en")
        session.finish(now=T0 + timedelta(minutes=1))
        walk = session.walkthrough()
        cloze = [line for line, _ in walk[0]["solution"]["en"] if line[:2] in ("1:", "2:")]
        assert cloze == ["1: unsupervised", "2: supervised"]
        ko = [line for line, _ in walk[0]["solution"]["ko"] if line[:2] in ("1:", "2:")]
        assert all(HANGUL.search(line) for line in ko)
        key_en = walk[1]["solution"]["en"][0][0]
        assert "general" in key_en and not HANGUL.search(key_en)


def test_answer_key_helper():
    from tutor.grading import answer_key, answer_keys

    assert answer_key(["비지도", "unsupervised"], "en") == "unsupervised"
    assert answer_key(["softmax", "소프트맥스"], "ko") == "소프트맥스"
    assert answer_key(["15", "15%"], "ko") == "15"           # nothing in Hangul: the first
    assert answer_keys(["GELU", "겔루", "gelu"], "en") == ["GELU", "gelu"]
    assert answer_keys(["겔루"], "en") == ["겔루"]              # nothing else to show


def test_help_lists_no_key_that_does_something_else():
    from textual.widgets import Input as TextInput

    from tutor.app import TutorApp
    from tutor.screens.base import LangScreen
    from tutor.screens.exam import ExamScreen
    from tutor.screens.help import key_rows, real_bindings

    class Clashing(LangScreen):
        KEYS = [("ctrl+p", "prev", "key.prev", True), ("f6", "x", "key.next", True), ("u", "y", "key.undo", True)]

    app = TutorApp(store=None, catalog=load_catalog(None), lang="en")
    rows = dict(key_rows(app, Clashing, "en", TextInput))
    assert "^p" not in rows, "ctrl+p opens the command palette: it is not listed as Previous"
    assert rows["f6"] == "Next" and rows["u"].endswith("(outside a text field)")
    exam = dict(key_rows(app, ExamScreen, "en", TextInput))
    assert exam["pgdn / ^n"] == "Next" and exam["pgup"] == "Prev" and exam["f6"] == "List"
    assert exam["f7"] == "Flag" and exam["f8"] == "Finish" and exam["esc"] == "Leave"
    assert not any("outside" in d for d in exam.values()), "every exam key works while typing"
    # the real map: PgUp/PgDn take priority over the scroll view around the answer fields
    typing = {k for k, _ in TextInput._merge_bindings()}
    palette = {k for k, b in app._bindings if b.priority}
    for b in real_bindings(ExamScreen):
        if b.action in ("app.focus_next", "app.focus_previous", "screen.copy_text"):
            continue   # Textual's own (Tab, Shift-Tab, copy)
        assert b.key not in palette
        assert b.key not in typing or b.priority
    assert all(b.priority for b in real_bindings(ExamScreen) if b.key in ("pageup", "pagedown"))


# ----------------------------------------------------------------------------- tutor exam (CLI)


@pytest.mark.parametrize("argv, needle", [
    (["--topics", "nope"], "unknown topic"),
    (["--topics", "em", "--count", "0"], "--count"),
    (["--topics", "em", "--minutes", "0"], "--minutes"),
    (["--topics", "em", "--minutes", "-5"], "--minutes"),
    (["--topics", ","], "--topics"),
])
def test_tutor_exam_bad_arguments_are_one_line_exit_2(data_dir, capsys, argv, needle):
    from tutor.cli import main

    assert main(["exam", *argv]) == 2
    err = capsys.readouterr().err
    assert needle in err and len(err.strip().splitlines()) == 1


def test_tutor_exam_does_not_replace_a_running_exam(data_dir, capsys, catalog):
    from tutor.cli import main

    with Store.open(data_dir) as s:
        _start(s, now=None)
    assert main(["exam", "--topics", "em"]) == 2
    assert "in progress" in capsys.readouterr().err


# ----------------------------------------------------------------------------- the app (Pilot)


def _args(data_dir, **kw) -> argparse.Namespace:
    base = dict(topics="em", count=4, minutes=30.0, seed=3, sub_lang="en", data_dir=str(data_dir), content=None)
    base.update(kw)
    return argparse.Namespace(**base)


def _text(widget) -> str:
    import io

    from rich.console import Console

    content = widget.content if hasattr(widget, "content") else widget.render()
    if isinstance(content, str):
        return content
    console = Console(file=io.StringIO(), width=200, record=True)
    console.print(content)
    return console.export_text()


async def _type(pilot, text: str) -> None:
    for ch in text:
        await pilot.press({" ": "space", ".": "full_stop"}.get(ch, ch))


async def _wait_for(pilot, cond, timeout: float = 8.0) -> None:
    t0 = time.monotonic()
    while not cond():
        if time.monotonic() - t0 > timeout:
            raise AssertionError("timed out")
        await pilot.pause(0.1)


@pytest.mark.slow
async def test_tutor_exam_opens_the_app_on_a_new_exam(data_dir):
    from tutor.cli import exam_app

    app = exam_app(_args(data_dir, topics="em,kmeans", count=5, minutes=10.0))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.__class__.__name__ == "ExamScreen"
        assert screen.session.total == 5 and screen.session.exam["topics"] == ["em", "kmeans"]
        assert screen.session.exam["minutes"] == 10.0
        assert "Question 1 of 5" in _text(screen.query_one("#q-counter", Static))


@pytest.mark.slow
async def test_typing_without_enter_is_kept_and_graded_when_the_timer_runs_out(data_dir, monkeypatch):
    monkeypatch.setenv("TUTOR_NOW", "2026-12-07T09:00:00+09:00")
    with Store.open(data_dir) as s:
        exam_id = _start(s, minutes=1, now=None)     # one minute from TUTOR_NOW
    from tutor.app import create_app

    app = create_app(data_dir=data_dir, lang="en")
    app.open_exam = True
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        exam = app.screen
        assert exam.ask.item_id == "em.q.cloze"
        await _type(pilot, "E")
        await pilot.press("tab")
        await _type(pilot, "M")            # both blanks right, no Enter
        await pilot.press("pagedown")
        assert exam.ask.item_id == "em.q.complete-theta-b"
        await _type(pilot, "2")            # readable, no Enter, and at once …
        monkeypatch.setenv("TUTOR_NOW", "2026-12-07T09:01:00+09:00")   # … the minute is over
        await _wait_for(pilot, lambda: app.screen.__class__.__name__ == "ExamReportScreen")
        await pilot.pause()
        text = _text(app.screen.query_one("#report", Static))
        assert "2 answered" in text
        from tutor.i18n import tr

        assert tr("exam.ended_by_time", "en") in text   # the report says why it ended (the notice fades)
    with Store.open(data_dir) as s:
        ex = s.exam(exam_id)
        assert ex["finished"] is not None
        assert ex["answers"][0]["correct"] and ex["answers"][0]["answer"] == {"blank[1]": "E", "blank[2]": "M"}
        assert ex["answers"][1]["answer"] == {"value": "2"}
        assert ex["report"]["answered"] == 2


@pytest.mark.slow
async def test_navigate_back_and_forth_flag_and_jump(data_dir):
    with Store.open(data_dir) as s:
        exam_id = _start(s, now=None)
    from tutor.app import create_app

    app = create_app(data_dir=data_dir, lang="en")
    app.open_exam = True
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        exam = app.screen
        await _type(pilot, "E")
        await pilot.press("pagedown")                 # moving on keeps what was typed (no pause needed)
        assert exam.index == 1
        await _type(pilot, "0.25")
        await pilot.press("pageup")
        assert exam.index == 0
        assert exam.query_one(f"#{_wid('blank[1]')}", Input).value == "E"
        await pilot.press("ctrl+n")
        assert exam.index == 1 and exam.query_one(f"#{_wid('value')}", Input).value == "0.25"
        await pilot.press("f7")                       # flag for later
        assert "flagged" in _text(exam.query_one("#q-counter", Static))
        await pilot.press("f6")                       # the overview
        await pilot.pause()
        overview = app.screen
        assert overview.__class__.__name__ == "ExamOverview"
        lines = [str(overview.query_one(OptionList).get_option_at_index(i).prompt) for i in range(4)]
        assert "◐ partly answered (1/2 filled)" in lines[0]   # one blank is empty: not "cannot be read"
        assert "✎ answered" in lines[1] and "for later" in lines[1]
        assert "not answered" in lines[2] and "not answered" in lines[3]
        await pilot.press("4", "enter")               # go to question 4
        await pilot.pause()
        assert app.screen is exam and exam.index == 3
        await pilot.press("pagedown")                 # the last question: stays
        assert exam.index == 3
    with Store.open(data_dir) as s:
        drafts = s.exam(exam_id)["drafts"]
        assert drafts[0]["answer"]["blank[1]"] == "E"
        assert drafts[1]["answer"] == {"value": "0.25"} and drafts[1]["flagged"]


@pytest.mark.slow
async def test_escape_and_finish_ask_first_and_the_clock_runs_while_away(data_dir):
    with Store.open(data_dir) as s:
        _start(s, now=None)
    from tutor.app import create_app

    app = create_app(data_dir=data_dir, lang="en")
    app.open_exam = True
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        exam = app.screen
        await _type(pilot, "E")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ExamConfirm"
        assert "keeps running" in _text(app.screen.query_one("#confirm-text", Static))
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is exam
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        home = app.screen
        assert home.__class__.__name__ == "HomeScreen"
        line = _text(home.query_one("#continue", Static))
        assert re.search(r"Exam in progress: \d+:\d\d left", line), line
        await pilot.press("e")
        await pilot.pause()
        exam = app.screen
        assert exam.__class__.__name__ == "ExamScreen"
        assert exam.index == 1                        # the first question with nothing typed
        await pilot.press("pageup")
        assert exam.query_one(f"#{_wid('blank[1]')}", Input).value == "E"
        await pilot.press("f8")                       # 3 not answered, 1 partly answered (a blank is empty)
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ExamConfirm"
        q = _text(app.screen.query_one("#confirm-text", Static))
        assert "3 not answered" in q and "1 partly answered" in q and "cannot be read" not in q
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is exam and app.store.unfinished_exam() is not None
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        report = app.screen
        assert report.__class__.__name__ == "ExamReportScreen"
        text = _text(report.query_one("#report", Static))
        # the empty blank is graded wrong, the other graded (an exam has no second try)
        assert "Blank 1 = E" in text and "unreadable" not in text and "— 50%" in text
        assert "(not answered)" in text and "today's review queue" in text
        assert "em.q." not in text, "no internal ids in the report"


@pytest.mark.slow
async def test_finish_without_a_question_when_everything_is_answered(data_dir):
    with Store.open(data_dir) as s:
        _start(s, items=["em.q.term"], now=None)
    from tutor.app import create_app

    app = create_app(data_dir=data_dir, lang="ko")
    app.open_exam = True
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await _type(pilot, "EM")
        await pilot.press("f8")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ExamReportScreen"
        text = _text(app.screen.query_one("#report", Static))
        assert "점수" in text and "Score" not in text


KILL_CHILD = r"""
import asyncio, sys
from tutor.app import create_app
data = sys.argv[1]
async def main():
    app = create_app(data_dir=data, lang="en")
    app.open_exam = True
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for ch in "0.5":
            await pilot.press({".": "full_stop"}.get(ch, ch))
        await pilot.pause(0.6)               # a pause: the draft is written
        print("paused", flush=True)
        n = 0
        while True:                          # then typing without a pause, until killed
            await pilot.press(str(n % 10))
            n += 1
            print(n, flush=True)
            await pilot.pause(0.05)
asyncio.run(main())
"""


@pytest.mark.slow
def test_kill_9_mid_typing_keeps_the_draft(data_dir):
    with Store.open(data_dir) as s:
        exam_id = _start(s, items=["em.q.complete-theta-b", "em.q.term"], now=None)
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=str(root))
    p = subprocess.Popen([sys.executable, "-c", KILL_CHILD, str(data_dir)], stdout=subprocess.PIPE, text=True,
                         env=env, cwd=str(root))
    try:
        typed = 0
        deadline = time.monotonic() + 60
        for line in p.stdout:
            if line.strip().isdigit():
                typed = int(line)
            if typed >= 40 or time.monotonic() > deadline:
                break
        os.kill(p.pid, signal.SIGKILL)
        p.wait(timeout=10)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == -signal.SIGKILL and typed >= 40
    full = "0.5" + "".join(str(n % 10) for n in range(typed + 5))
    with Store.open(data_dir) as s:
        draft = s.exam(exam_id)["drafts"][0]["answer"]["value"]
    assert full.startswith(draft), "the draft is what was typed"
    # typed without a pause, it is still written at least once a second (40 keys ≈ 2–4 s)
    assert len(draft) > len("0.5"), draft

    # restarted, the exam comes back with the text in its field
    async def reopen():
        from tutor.app import create_app

        app = create_app(data_dir=data_dir, lang="en")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("e")
            await pilot.pause()
            assert app.screen.__class__.__name__ == "ExamScreen"
            await pilot.press("pageup")
            assert app.screen.query_one(f"#{_wid('value')}", Input).value == draft

    asyncio.run(reopen())


@pytest.mark.slow
async def test_choice_and_multi_answers_in_an_exam_are_kept_as_drafts(tmp_path):
    from tutor.app import create_app
    from tutor.review import ExamSession

    app = create_app(data_dir=tmp_path / "d", lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        cat = app.catalog
        picks = [q.id for q in cat.topics["ml-basics"].questions if q.kind in ("choice", "multi")][:2]
        kinds = {cat.item(i).kind for i in picks}
        assert kinds == {"choice", "multi"}
        session = ExamSession(cat, app.store, lang="en")
        session.start(["ml-basics"], 2, 10, items=picks)
        from tutor.screens.exam import ExamScreen

        app.push_screen(ExamScreen(session))
        await pilot.pause()
        screen = app.screen

        def widget(field):
            return screen.query_one("#" + "".join(c if c.isalnum() or c in "_-" else "_" for c in "f-" + field))

        assert screen.ask.kind == "choice"
        widget("choice").focus()
        await pilot.press("1")                   # chosen: kept (and the exam goes on to the next question)
        await pilot.pause(0.5)
        assert app.store.unfinished_exam()["drafts"][0]["answer"] == {"choice": "1"}
        if screen.index == 0:
            await pilot.press("pagedown")
            await pilot.pause()
        assert screen.index == 1 and screen.ask.kind == "multi"
        widget("multi").focus()
        await pilot.press("1", "3")              # ticked: kept at once, no Enter needed
        await pilot.pause(0.5)
        assert app.store.unfinished_exam()["drafts"][1]["answer"] == {"multi": "1 3"}


def test_exam_setup_marks_chosen_topics_with_a_check_not_an_x_on_every_row(tmp_path):
    """Issue 17: the topic rows read ☑ chosen / ☐ not, without Textual's ▐X▌ box (an X on every row)."""
    from tutor.app import create_app
    from tutor.screens.exam import ExamSetupScreen

    async def go():
        app = create_app(data_dir=tmp_path / "d", lang="ko")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            app.push_screen(ExamSetupScreen())
            await pilot.pause()
            sel = app.screen.query_one("#exam-topics")
            n = min(sel.option_count, 8)
            rows = [sel.render_line(y).text for y in range(n)]
            chosen = [sel.get_option_at_index(i).value in app.screen._chosen for i in range(n)]
            return rows, chosen

    rows, chosen = asyncio.run(go())
    assert rows and not any("X" in r for r in rows), rows
    assert [r.strip()[:1] for r in rows] == ["☑" if c else "☐" for c in chosen], rows


@pytest.mark.parametrize("minutes_later, says_resumed", [(0.5, True), (5, False)])
async def test_reopening_an_exam_says_resumed_only_while_time_is_left(data_dir, monkeypatch, minutes_later, says_resumed):
    """Coming back to an exam whose time ran out while away ends it at once: "resumed" would
    contradict the "time is up" beside it."""
    monkeypatch.setenv("TUTOR_NOW", "2026-12-07T09:00:00+09:00")
    with Store.open(data_dir) as s:
        _start(s, minutes=1, now=None)
    monkeypatch.setenv("TUTOR_NOW", (datetime(2026, 12, 7, 0, 0, tzinfo=timezone.utc)
                                      + timedelta(minutes=minutes_later)).isoformat())
    from tutor.app import create_app
    from tutor.i18n import tr

    app = create_app(data_dir=data_dir, lang="en")
    said: list[str] = []
    real = app.notify
    app.notify = lambda message, *a, **k: (said.append(str(message)), real(message, *a, **k))[1]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e")
        await _wait_for(pilot, lambda: app.screen.__class__.__name__ in (
            ("ExamScreen",) if says_resumed else ("ExamReportScreen",)))
        await pilot.pause()
    assert (tr("exam.resumed", "en") in said) is says_resumed


def test_the_next_exam_setup_starts_from_the_last_exams_topics_count_and_minutes(tmp_path, catalog):
    from tutor.learner import exam_setup_defaults

    with Store.open(tmp_path) as s:
        first = exam_setup_defaults(s, catalog)
        assert (first["count"], first["minutes"]) == (10, 20) and first["topics"]
        ExamSession(catalog, s, lang="en").start(["em"], 3, 7.5, seed=1)
        assert exam_setup_defaults(s, catalog) == {"topics": ["em"], "count": 3, "minutes": 7.5}
        s.set_setting("exam_last_size", {"count": -2, "minutes": "soon"})    # a damaged setting: the defaults
        assert exam_setup_defaults(s, catalog)["count"] == 10 and exam_setup_defaults(s, catalog)["minutes"] == 20

    from tutor.app import create_app
    from tutor.screens.exam import ExamSetupScreen

    async def go():
        with Store.open(tmp_path) as s:
            s.set_setting("exam_last_size", {"count": 4, "minutes": 15})
        app = create_app(data_dir=tmp_path, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            app.push_screen(ExamSetupScreen())
            await pilot.pause()
            return (app.screen.query_one("#exam-count", Input).value, app.screen.query_one("#exam-minutes", Input).value,
                    sorted(app.screen.query_one("#exam-topics").selected))

    assert asyncio.run(go()) == ("4", "15", ["em"])


def test_the_language_given_before_the_exam_command_is_the_apps(data_dir):
    """`tutor --lang ko exam …` opened the exam in the saved or the locale's language."""
    from tutor.cli import exam_app, parse_args

    args = parse_args(["--lang", "ko", "exam", "--topics", "em", "--data-dir", str(data_dir)])
    app = exam_app(args)
    try:
        assert app.lang == "ko"
    finally:
        app.store.close()


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_the_reports_why_renders_its_math(tmp_path, catalog, lang):
    """A named mistake's "why" is written with $…$ math in the content; the report shows it as math
    (n − 1 = 7, σ²), as practice does — not as LaTeX source."""
    from tutor.app import create_app
    from tutor.screens.exam_report import ExamReportScreen

    with Store.open(tmp_path / "d") as s:
        _start(s, items=["mle.q.variance"])
        session = ExamSession.resume(catalog, s, lang=lang)
        session.save_draft(0, {"value": "4.571"}, now=T0)   # divides by n − 1: the named mistake
        report = session.finish(now=T0 + timedelta(minutes=1))
        walk = session.walkthrough()
    assert walk[0]["mistake_text"] and "$" in walk[0]["mistake_text"][lang]
    app = create_app(data_dir=tmp_path / "d", lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ExamReportScreen(report, walk))
        await pilot.pause()
        text = _text(app.screen.query_one("#report", Static)).replace("\xa0", " ")   # a formula is one word
    assert "n − 1 = 7" in text and "σ²" in text
    assert "$" not in text and "\\sigma" not in text


def test_help_lists_every_screen_that_has_keys_of_its_own():
    """Browse (^s suspend, ^f flag, ^t search), plan (^o mock exam), settings (^s save, ^o fit FSRS)
    and the glossary were in no help section, although the help is "every key of every screen"."""
    import importlib
    import pkgutil

    import tutor.screens
    from tutor.screens.base import LangScreen
    from tutor.screens.help import HelpScreen

    for mod in pkgutil.iter_modules(tutor.screens.__path__):
        importlib.import_module(f"tutor.screens.{mod.name}")

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    listed = {cls for _title, cls, _field in HelpScreen.sections(None)}
    own = {cls for cls in subclasses(LangScreen) if cls.__module__.startswith("tutor.screens")
           and "KEYS" in vars(cls) and cls.KEYS and cls is not HelpScreen}
    # a screen whose keys are a base's listed section's keys, or that is listed itself
    missing = [cls.__name__ for cls in own if not any(issubclass(cls, c) and
                                                      {k for k, *_ in cls.KEYS} <= {k for k, *_ in c.KEYS}
                                                      for c in listed)]
    assert missing == [], missing
