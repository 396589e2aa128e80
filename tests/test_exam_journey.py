"""An exam as a learner walks through it (QA's findings, `--lang ko`): a long question scrolls by
ctrl+↑/↓, an ordering question's solution says what to type, every chosen topic is asked, a perfect
report has no empty mistakes heading, a partly filled exercise is "partly answered" (not
unreadable), and at 40×12 the report's topic titles and the overview's header are read whole.

Core tests drive :class:`tutor.review.ExamSession` on a store; Pilot tests drive the real app
(create_app) on an exam started in its data dir, as `tutor exam` starts one.
"""

from __future__ import annotations

import random
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from tutor.clock import parse_iso
from tutor.content import load_catalog
from tutor.i18n import tr
from tutor.review import ExamSession, ItemState
from tutor.session import Study, order_answer
from tutor.store import Store

T0 = parse_iso("2026-12-07T00:00:00+00:00")
LONG = "em.q.one-iteration-short"   # a table of rounds under its text: taller than the question pane


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(None)


def _start(store, items, topics=("em", "kmeans"), now=T0) -> int:
    return store.start_exam(topics=list(topics), items=[{"item_id": i, "topic": i.split(".")[0], "variant_seed": 7 + k}
                                                        for k, i in enumerate(items)], minutes=30, now=now)


def _right(session, index: int) -> dict[str, str]:
    sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "reliability"))
    from reliability_answers import right_answers

    return right_answers(session.study, session.ask(index))


def _lines(widget) -> list[str]:
    """Every line ``widget`` draws (all of them, not only those in view)."""
    return [widget.render_line(y).text for y in range(widget.size.height)]


def _app(data_dir, lang):
    from tutor.app import create_app

    app = create_app(data_dir=data_dir, lang=lang, seed=7)
    app.open_exam = True   # as `tutor exam` opens it
    return app


# ----------------------------------------------------------------------------- the core


def test_an_exam_asks_every_chosen_topic_when_there_are_enough_questions(tmp_path, catalog):
    """`--topics em,kmeans --count 4` gave four K-means questions: with at least as many questions as
    topics, every topic is asked (then the rest are drawn as before), over many seeds."""
    cases = [(["em", "kmeans"], n) for n in (2, 3, 4, 6)] + [(["em", "kmeans", "pca"], 3), (["pca", "em"], 2)]
    with Store.open(tmp_path) as s:
        session = ExamSession(catalog, s)
        for topics, n in cases:
            for seed in range(60):
                session.start(topics, n, 10, seed=seed, now=T0)
                items = session.exam["items"]
                assert len(items) == n and len({it["item_id"] for it in items}) == n, (topics, n, seed)
                assert {it["topic"] for it in items} == set(topics), (topics, n, seed, items)
                assert all(it["item_id"].startswith(it["topic"] + ".") for it in items)
        session.start(["em", "kmeans", "pca"], 2, 10, seed=1, now=T0)   # fewer questions than topics
        assert len(session.exam["items"]) == 2


def test_a_draw_that_has_every_topic_is_kept_as_it_was(tmp_path, catalog):
    """Seeds whose draw had every topic give the same exam as before (the snapshots' seed 3)."""
    pool = [(q.id, tid) for tid in ("em", "kmeans") for q in catalog.topics[tid].questions]
    with Store.open(tmp_path) as s:
        session = ExamSession(catalog, s)
        for seed in range(40):
            before = random.Random(seed).sample(pool, 4)
            if len({t for _q, t in before}) == 2 and not _giveaways([catalog.item(q) for q, _t in before]):
                session.start(["em", "kmeans"], 4, 10, seed=seed, now=T0)
                assert [it["item_id"] for it in session.exam["items"]] == [q for q, _t in before]


def _giveaways(questions) -> list[tuple[str, str, str]]:
    """(asked, shown by, term): a short-answer question's accepted term (4 characters or more) printed
    as a word, or a word's start, in another question's text or options — in either language."""
    found = []
    for a in questions:
        terms = a.data.get("answers") if a.kind == "text" else \
            [t for blank in a.data.get("blanks", []) for t in blank] if a.kind == "cloze" else []
        for b in questions:
            if b is a:
                continue
            texts = list((b.prompt or {}).values()) + [v for key in ("choices", "items")
                                                       for o in b.data.get(key) or [] if isinstance(o, dict)
                                                       for v in o.values()]
            text = " ".join(texts).lower()
            for term in terms:
                term = term.strip().lower()
                at = text.find(term) if len(term) >= 4 else -1
                while at >= 0:
                    if at == 0 or not text[at - 1].isalnum():
                        found.append((a.id, b.id, term))
                        break
                    at = text.find(term, at + 1)
    return found


def test_no_exam_question_shows_the_answer_of_another(tmp_path, catalog):
    """"망각 게이트" was both the answer of "what is this gate called?" and printed in another question
    of the same exam. A draw replaces one of the two by a question of its topic (over many seeds)."""
    everything = list(catalog.topics)
    cases = [(["lstm", "gru"], 6), (["time-series"], 5), (["information", "mle"], 6), (everything, 25)]
    swapped = 0
    with Store.open(tmp_path) as s:
        session = ExamSession(catalog, s)
        for topics, n in cases:
            for seed in range(25):
                drawn = random.Random(seed).sample([(q.id, t) for t in topics for q in catalog.topics[t].questions], n)
                session.start(topics, n, 10, seed=seed, now=T0)
                items = session.exam["items"]
                assert len({it["item_id"] for it in items}) == n and {it["topic"] for it in items} >= \
                    ({t for _q, t in drawn} if len(topics) > n else set(topics))
                assert _giveaways([catalog.item(it["item_id"]) for it in items]) == [], (topics, seed)
                swapped += [it["item_id"] for it in items] != [q for q, _t in drawn]
    assert swapped, "some draw had a give-away to replace"


def test_a_topic_asked_whole_keeps_every_question_even_when_two_clash(tmp_path, catalog):
    """Nothing to replace a clashing question with: it stays (a question is never dropped for it)."""
    questions = [q.id for q in catalog.topics["lstm"].questions]
    assert _giveaways([catalog.item(q) for q in questions])
    with Store.open(tmp_path) as s:
        session = ExamSession(catalog, s)
        session.start(["lstm"], len(questions), 10, seed=1, now=T0)
        assert sorted(it["item_id"] for it in session.exam["items"]) == sorted(questions)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_an_ordering_solution_says_what_to_type_in_the_questions_numbering(catalog, lang):
    study = Study(catalog, None, lang=lang)
    for seed in range(1, 30):
        ask = study.ask("em.q.order", seed=seed)
        typed = " ".join(str(ask.params["shown"].index(k) + 1) for k in range(len(ask.options)))
        assert order_answer(ask) == typed
        assert study.grade({"order": typed}).correct
        lines = [line for line, _marked in study.solution()]
        assert lines[0] == ("정답 순서: " if lang == "ko" else "Right order: ") + typed
        # each option under the number it is shown with, in the right order
        assert lines[1:1 + len(ask.options)] == [f"{j}. {ask.options[int(j) - 1][lang]}" for j in typed.split()]
    ask = study.ask("em.q.order", seed=7)
    assert order_answer(ask) != "1 2 3 4", "the options are shown out of order"


def test_a_partly_filled_exercise_is_partly_answered_not_unreadable(tmp_path, catalog):
    with Store.open(tmp_path) as s:
        _start(s, [LONG, "em.q.cloze", "em.q.complete-theta-b", "kmeans.q.step"])
        session = ExamSession.resume(catalog, s)
        names = [f.name for f in session.ask(0).fields]
        some = dict.fromkeys(names, "")
        some.update({names[0]: "0.5", names[1]: "0.6"})
        session.save_draft(0, some, now=T0)                                  # 2 of 5 cells, both readable
        session.save_draft(1, {"blank[1]": "E", "blank[2]": ""}, now=T0)     # 1 of 2 blanks
        session.save_draft(2, {"value": "0.5 +"}, now=T0)                    # cannot be read
        cells = [f.name for f in session.ask(3).fields]
        bad = dict.fromkeys(cells, "")
        bad[cells[0]] = "x?"                                                 # partly filled and unreadable
        session.save_draft(3, bad, now=T0)
        assert session.state(0) == ItemState("partial", filled=2, cells=5)
        assert session.state(1) == ItemState("partial", filled=1, cells=2)
        assert session.state(2).state == "unreadable"
        assert session.state(3).state == "unreadable", "what is typed and cannot be read still says so"
        session.save_draft(1, _right(session, 1), now=T0)
        assert session.state(1) == ItemState("answered")
        assert session.counts() == {"answered": 4, "unanswered": 0, "flagged": 0, "partial": 1, "unreadable": 2}


# ----------------------------------------------------------------------------- the app


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_ctrl_arrows_scroll_a_long_question_then_the_answers_in_the_exam(tmp_path, lang):
    """At 80×24 the short-rounds EM exercise stopped at its table's header, and no key of the exam
    showed the rows: ctrl+↓ scrolls the question (then the answer pane, once the question is at its
    end), ctrl+↑ back; the footer names the key, within 80 columns."""
    from rich.cells import cell_len

    with Store.open(tmp_path) as s:
        _start(s, [LONG, "em.q.order"], now=None)
    app = _app(tmp_path, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "ExamScreen" and screen.ask.item_id == LONG
        question, answers = screen.query_one("#q-scroll"), screen.query_one("#q-answer")
        assert question.max_scroll_y > 0 and answers.max_scroll_y > 0, "taller than its panes at 80×24"
        await pilot.press("ctrl+down")
        await pilot.pause()
        assert question.scroll_y > 0 and screen.ask.item_id == LONG, "the question scrolled, not the next one"
        for _ in range(10):
            await pilot.press("ctrl+down")
            await pilot.pause()
        assert question.scroll_y == question.max_scroll_y
        assert answers.scroll_y > 0, "at the question's end the answer pane scrolls"
        for _ in range(20):
            await pilot.press("ctrl+up")
            await pilot.pause()
        assert question.scroll_y == 0 and answers.scroll_y == 0
        shown = [a.binding for a in screen.active_bindings.values() if a.binding.show]
        text = " ".join(f"{app.get_key_display(b)} {b.description}" for b in shown)
        assert tr("key.scroll_q", lang) in text and cell_len(text) <= 80, text
        from tutor.screens.exam import ExamScreen
        from tutor.screens.help import key_rows

        assert any(tr("key.scroll_q", lang) in desc for _k, desc in key_rows(app, ExamScreen, lang))


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_the_overview_and_the_finish_dialog_say_partly_answered(tmp_path, lang, catalog):
    with Store.open(tmp_path) as s:
        _start(s, [LONG, "em.q.order"], now=None)
        session = ExamSession.resume(catalog, s)
        names = [f.name for f in session.ask(0).fields]
        session.save_draft(0, {n: ("0.5" if k < 3 else "") for k, n in enumerate(names)})
        session.save_draft(1, {"order": "1 2 3 4"})
    app = _app(tmp_path, lang)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        lst = app.screen.query_one("#overview-list", OptionList)
        first = lst.get_option_at_index(0).prompt.plain
        assert tr("exam.st.partial", lang, k=3, n=5) in first, first
        assert tr("exam.st.unreadable", lang) not in first
        # the header counts it as partly answered, not answered (it said "답함 2" above it)
        head = str(app.screen.query_one("#overview-head").render())
        assert tr("exam.overview", lang, a=1, p=1, u=0, f=0) == head, head
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        said = str(app.screen.query_one("#confirm-text", Static).render())
        assert tr("exam.finish_partial", lang, n=1) in said, said
        assert tr("exam.finish_unreadable", lang, n=1) not in said


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_the_overview_header_is_read_whole_at_40x12(tmp_path, lang):
    """It ended "Enter로 이동, Esc로" ("닫기." cut off by a two-line cap)."""
    with Store.open(tmp_path) as s:
        _start(s, [LONG, "em.q.order", "kmeans.q.step", "em.q.cloze"], now=None)
    app = _app(tmp_path, lang)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        head = app.screen.query_one("#overview-head", Static)
        want = tr("exam.overview", lang, a=0, p=0, u=4, f=0)
        assert "".join(_lines(head)).replace(" ", "") == want.replace(" ", "")
        assert head.region.height == head.size.height, "every line of the header is on the screen"
        assert app.screen.query_one("#overview-list", OptionList).content_region.height >= 5


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_the_report_at_40x12_wraps_topic_titles_whole_and_shows_the_order_to_type(tmp_path, lang, catalog):
    with Store.open(tmp_path) as s:
        _start(s, ["kmeans.q.centroid", "em.q.order"], now=None)
        session = ExamSession.resume(catalog, s)
        typed = order_answer(session.ask(1))
    app = _app(tmp_path, lang)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert type(app.screen).__name__ == "ExamReportScreen"
        lines = _lines(app.screen.query_one("#report", Static))
        start = next(k for k, line in enumerate(lines) if line.strip() == tr("exam.per_topic", lang))
        part = lines[start:lines.index(next(x for x in lines if tr("exam.mistakes", lang) in x))]
        assert not any("…" in line for line in part), part
        # a table's first column, or (where the table does not fit) the topic's own lines
        cells = " ".join(line.split("│")[1] if line.startswith("│") else line for line in part).split()
        for title in (catalog.topics["kmeans"].title[lang], catalog.topics["em"].title[lang]):
            words = title.split()
            assert any(cells[k:k + len(words)] == words for k in range(len(cells))), (title, cells)
        text = "\n".join(lines)
        assert ("정답 순서: " if lang == "ko" else "Right order: ") + typed in text


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_a_perfect_exam_report_has_no_empty_mistakes_heading(tmp_path, lang, catalog):
    with Store.open(tmp_path) as s:
        _start(s, ["em.q.cloze", "em.q.order"], topics=["em"], now=None)
        session = ExamSession.resume(catalog, s)
        for i in range(2):
            session.save_draft(i, _right(session, i))
    app = _app(tmp_path, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        assert type(app.screen).__name__ == "ExamReportScreen"
        text = "\n".join(_lines(app.screen.query_one("#report", Static)))
        assert "100%" in text
        assert tr("exam.mistakes", lang) not in text
        assert tr("exam.all_right", lang) in text


# ----------------------------------------------------------------------------- an exam whose time ran out


def test_an_exam_whose_time_ran_out_is_graded_once_and_its_report_kept(tmp_path, catalog):
    """The learner typed an answer and left; the time ran out. Nothing was graded or due until the
    app was opened and e pressed (`tutor stats` meanwhile showed neither the exam nor its items)."""
    from tutor.progress import exam_report_waiting, today_counts
    from tutor.review import finish_expired, unseen_report

    with Store.open(tmp_path) as s:
        _start(s, ["em.q.order", "kmeans.q.cloze"], now=T0)   # 30 minutes
        session = ExamSession.resume(catalog, s)
        session.save_draft(0, _right(session, 0), now=T0)
        assert finish_expired(catalog, s, now=T0 + timedelta(minutes=10)) is None   # still running
        assert s.unfinished_exam() is not None and not exam_report_waiting(s)
        later = T0 + timedelta(hours=2)
        report = finish_expired(catalog, s, now=later)
        assert report is not None and (report["correct"], report["total"], report["answered"]) == (1, 2, 1)
        assert s.unfinished_exam() is None and exam_report_waiting(s)
        assert finish_expired(catalog, s, now=later) is None   # once
        # both items are scheduled now: the missed one is due within the day, as every count says
        assert {r[0] for r in s.read("SELECT item_id FROM cards")} == {"em.q.order", "kmeans.q.cloze"}
        assert today_counts(catalog, s, now=later + timedelta(minutes=20))["due_now"] >= 1
        shown = unseen_report(catalog, s, lang="ko")
        assert shown is not None and shown[0]["score"] == report["score"]
        assert [w["item_id"] for w in shown[1]] == ["kmeans.q.cloze"]   # the walk-through of the miss
        assert unseen_report(catalog, s) is None and not exam_report_waiting(s)   # shown once


def test_a_new_exam_forgets_the_report_no_one_looked_at(tmp_path, catalog):
    from tutor.progress import exam_report_waiting
    from tutor.review import finish_expired

    with Store.open(tmp_path) as s:
        _start(s, ["em.q.order"], now=T0)
        finish_expired(catalog, s, now=T0 + timedelta(hours=1))
        assert exam_report_waiting(s)
        ExamSession(catalog, s).start(["em"], 1, 5, seed=1, now=T0 + timedelta(hours=2))
        assert not exam_report_waiting(s)   # e now opens the new exam, not the old report


@pytest.mark.slow
async def test_the_app_grades_an_exam_whose_time_ran_out_and_e_shows_its_report(tmp_path, monkeypatch):
    from tutor.screens.exam_report import ExamReportScreen

    with Store.open(tmp_path) as s:
        _start(s, ["em.q.order", "kmeans.q.cloze"], now=T0)
    monkeypatch.setenv("TUTOR_NOW", (T0 + timedelta(hours=3)).isoformat())
    from tutor.app import create_app

    app = create_app(data_dir=tmp_path, lang="ko", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(50):   # the catalog is read after the first frame; then the exam is graded
            await pilot.pause(0.05)
            if app.store.unfinished_exam() is None:
                break
        await pilot.pause()
        assert app.store.unfinished_exam() is None
        line = str(app.screen.query_one("#continue").render())
        assert tr("exam.home_graded", "ko") in line, line
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExamReportScreen) and app.screen.by_time
        await pilot.press("escape")
        await pilot.pause()
        assert tr("exam.home_graded", "ko") not in str(app.screen.query_one("#continue").render())


@pytest.mark.slow
def test_tutor_stats_grades_an_exam_whose_time_ran_out_first(tmp_path):
    import os
    import subprocess

    with Store.open(tmp_path) as s:
        _start(s, ["em.q.order"], now=T0)
    env = {**os.environ, "TUTOR_NOW": (T0 + timedelta(hours=1)).isoformat()}
    p = subprocess.run([sys.executable, "-m", "tutor", "stats", "--lang", "ko", "--data-dir", str(tmp_path)],
                       capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 0, p.stderr
    assert "시간이 끝난 시험을 채점했습니다(점수 0%)" in p.stderr
    assert "최근 시험" in p.stdout   # the exam is in the history at once


def test_an_exam_found_expired_the_next_day_counts_on_the_day_it_ended(tmp_path, catalog):
    """Graded the next morning, an expired exam was dated then: it counted in that day's answers
    and streak, "took" 33 hours, and its items were scheduled from the morning. It is graded as of
    its deadline: the new day starts at 0 answered."""
    from tutor.clock import parse_iso
    from tutor.progress import today_counts
    from tutor.review import finish_expired

    with Store.open(tmp_path) as s:
        _start(s, ["em.q.order", "kmeans.q.cloze"], now=T0)   # 30 minutes
        session = ExamSession.resume(catalog, s)
        session.save_draft(0, _right(session, 0), now=T0 + timedelta(minutes=3))
        deadline = parse_iso(session.exam["deadline"])
        next_day = T0 + timedelta(hours=33)   # 09:00 the next day
        assert finish_expired(catalog, s, now=next_day) is not None
        exam = s.exam(session.exam["id"])
        assert parse_iso(exam["finished"]) == deadline
        at = [parse_iso(r[0]) for r in s.read("SELECT at FROM attempts")]
        reviewed = [parse_iso(r[0]) for r in s.read("SELECT reviewed_at FROM review_log")]
        assert at and reviewed and max(at + reviewed) <= deadline
        assert today_counts(catalog, s, now=next_day)["done_today"] == 0
        assert today_counts(catalog, s, now=next_day)["due_now"] >= 1   # the missed item waits
