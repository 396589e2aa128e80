"""Snapshots (pytest-textual-snapshot) of each screen in both languages, through the app factory.

Regenerate after a deliberate UI or content change:  pytest tests/test_snapshots.py --snapshot-update
"""

import shutil

import pytest

from tutor.app import create_app
from tutor.i18n import tr

SCREENS = {
    "home": [],
    "lesson": ["enter"],
    "practice": ["enter", "p"],
    "review": ["enter", "escape", "r"],   # a topic opened first: review serves only topics met
    "exam-setup": ["e"],
    "labs": ["a"],
    "stats": ["s"],
    "settings": ["o"],
    "help": ["question_mark"],
}


# The topics the snapshots show, so that adding a topic (docs/CONTRIBUTING.md) changes no snapshot:
# the home and exam screens list every topic. Extend it together with a deliberate --snapshot-update.
SNAPSHOT_TOPICS = (
    "activations", "attention", "backprop", "batching", "bert", "cnn", "dbscan", "deep-training", "em",
    "glossary", "gmm", "gradient-descent", "gru", "information", "kmeans", "linear-regression",
    "logistic-regression", "losses", "lstm", "metrics", "ml-basics", "mle", "mlp", "pca", "perceptron",
    "rnn", "seq2seq", "time-series", "transformer", "vit",
)


def _snapshot_content(dest):
    """A copy of the shipped lessons of SNAPSHOT_TOPICS only (a topic may be a file or a folder)."""
    from tutor.model import default_content_dir

    src = default_content_dir()
    dest.mkdir()
    for topic in SNAPSHOT_TOPICS:
        if (src / topic).is_dir():
            shutil.copytree(src / topic, dest / topic)
        else:
            shutil.copy2(src / f"{topic}.yaml", dest / f"{topic}.yaml")
    return dest


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen_snapshot(snap_compare, tmp_path, screen, lang):
    app = create_app(data_dir=tmp_path / "data", lang=lang, seed=7, content=[_snapshot_content(tmp_path / "content")])

    async def go(pilot):
        for key in SCREENS[screen]:
            await pilot.press(key)
            await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 32), run_before=go)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("screen", ["home", "lesson", "practice", "browser"])
def test_screen_snapshot_at_80x24(snap_compare, tmp_path, screen, lang):
    """80×24 is the design size (issue 17)."""
    app = create_app(data_dir=tmp_path / "data", lang=lang, seed=7)
    keys = {**SCREENS, "browser": ["b"]}[screen]

    async def go(pilot):
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=go)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_formula_sheet_snapshot_at_80x24(snap_compare, tmp_path, lang):
    """Issue 22: the LSTM formula sheet (공식 정리) at the design size, in both languages."""
    app = create_app(data_dir=tmp_path / "data", lang=lang, seed=7, content=[_snapshot_content(tmp_path / "content")])

    async def go(pilot):
        from tutor.screens.sheet import FormulaSheetScreen

        pilot.app.push_screen(FormulaSheetScreen("lstm"))
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=go)


# --------------------------------------------------------------------------- 80×24 with a study history

SNAPSHOT_NOW = "2026-12-07T09:00"   # TUTOR_NOW of the history snapshots (local time: the days read the same anywhere)


def _studied(data_dir, catalog):
    """Three weeks of study before SNAPSHOT_NOW, through the core's own write path (Study.submit):
    the choice questions of four topics answered at fixed times, right except every third one,
    then one finished exam. The first item falls due first, so review opens on it."""
    from datetime import timedelta

    from tutor.clock import parse_now
    from tutor.review import ExamSession
    from tutor.session import Study
    from tutor.store import Store

    now = parse_now(SNAPSHOT_NOW)
    store = Store.open(data_dir)
    items = [q for tid in ("em", "kmeans", "ml-basics", "pca") for q in catalog.topics[tid].questions
             if q.kind == "choice"]
    for n, q in enumerate(items):
        for day in (21 - n, 9 - n // 2):      # each item twice: a first try, then a review days later
            study = Study(catalog, store, lang="ko", seed=n)
            ask = study.ask(q.id, seed=n)
            pos = ask.shown_position(int(q.data["answer"]))
            pick = pos if n % 3 else (pos + 1) % len(ask.options)
            study.submit({ask.fields[0].name: str(pick + 1)}, now=now - timedelta(days=day, hours=n % 5))
    exam = ExamSession(catalog, store, lang="ko")
    exam.start(["em", "kmeans"], 4, 20, seed=3, now=now - timedelta(days=2))
    for i in range(2):
        a = exam.ask(i)
        exam.save_draft(i, {f.name: "1" for f in a.fields}, now=now - timedelta(days=2, minutes=-5 - i))
    exam.finish(now=now - timedelta(days=2, minutes=-15))
    store.close()


def _running_exam(data_dir, catalog):
    """An exam started at SNAPSHOT_NOW on a choice question (as `tutor exam` starts one)."""
    from tutor.clock import parse_now
    from tutor.review import ExamSession
    from tutor.store import Store

    store = Store.open(data_dir)
    items = ["em.q.latent", "em.q.one-iteration-short", "kmeans.q.vs-knn"]
    ExamSession(catalog, store, lang="ko").start(["em", "kmeans"], len(items), 20, seed=3, items=items,
                                                 now=parse_now(SNAPSHOT_NOW))
    store.close()


def _short_exam(data_dir, catalog):
    """A short exam (two questions, one minute) started at SNAPSHOT_NOW, as the setup screen starts one."""
    from tutor.clock import parse_now
    from tutor.review import ExamSession
    from tutor.store import Store

    store = Store.open(data_dir)
    items = ["em.q.latent", "kmeans.q.vs-knn"]
    ExamSession(catalog, store, lang="ko").start(["em", "kmeans"], len(items), 1, seed=3, items=items,
                                                 now=parse_now(SNAPSHOT_NOW))
    store.close()


def _exam_planned(data_dir, catalog):
    """The study history, and an exam on four topics two weeks after SNAPSHOT_NOW (the plan screen's)."""
    from datetime import date

    from tutor.plan import save_exam
    from tutor.store import Store

    _studied(data_dir, catalog)
    store = Store.open(data_dir)
    save_exam(store, date(2026, 12, 21), ["em", "kmeans", "ml-basics", "pca"])
    store.close()


async def _time_runs_out(pilot, monkeypatch):
    """The learner waits: the clock passes the exam's deadline, and the exam ends by itself."""
    monkeypatch.setenv("TUTOR_NOW", "2026-12-07T09:02")
    for _ in range(40):   # the exam screen looks at the clock every second
        if pilot.app.screen.__class__.__name__ == "ExamReportScreen":
            break
        await pilot.pause(0.1)
    assert pilot.app.screen.__class__.__name__ == "ExamReportScreen"
    # the "time is up" notice is a message to the app, posted in the same tick as the switch to the
    # report: wait until it has arrived (a tick at the end of the last pause would otherwise bring it
    # after it was cleared, and into the picture)
    for _ in range(40):
        await pilot.pause()
        if any(n.message == tr("exam.time_up", pilot.app.lang) for n in pilot.app._notifications):
            break
    else:
        raise AssertionError("the exam ended by time without saying so")
    # it fades after seconds (the report says it too): not in the picture, which would otherwise
    # depend on how fast the machine is
    pilot.app.clear_notifications()


async def _formula_sheet(pilot, monkeypatch):
    from tutor.screens.sheet import FormulaSheetScreen

    pilot.app.push_screen(FormulaSheetScreen("lstm"))


HISTORY_SCREENS = {   # name: (keys — a key's name, or an async step(pilot, monkeypatch) —, data)
    "exam-setup": (["e"], _studied),
    "exam": ([], _running_exam),
    "exam-overview": (["f6"], _running_exam),     # F6: every question with its state
    "exam-confirm": (["f8"], _running_exam),      # F8 with questions unanswered: asks first
    # the journey "sit a short exam and let it expire": one question answered (key 1), then the time runs out
    "exam-report": (["1", _time_runs_out], _short_exam),
    "labs": (["a"], None),
    "help": (["question_mark"], None),
    "stats": (["s"], _studied),
    "stats-pictures": (["s", "end"], _studied),   # the plots below the tables
    "settings": (["o"], None),
    "review": (["r"], _studied),
    "glossary": (["g"], None),
    "plan": (["p"], _exam_planned),
}


@pytest.mark.slow
@pytest.mark.parametrize("screen,lang", [(s, lang) for s in HISTORY_SCREENS for lang in ("ko", "en")])
def test_more_screens_at_80x24(snap_compare, tmp_path, monkeypatch, screen, lang):
    """Every other screen at the design size, in both languages, on a fixed day with a fixed
    history; the clock stands still (the exam timer shows 20:00) unless a step moves it."""
    from tutor import clock
    from tutor.catalog_cache import open_catalog

    monkeypatch.setenv("TUTOR_NOW", SNAPSHOT_NOW)
    monkeypatch.setattr(clock, "run_on", lambda: None)
    content = [_snapshot_content(tmp_path / "content")]
    keys, setup = HISTORY_SCREENS[screen]
    if setup is not None:
        setup(tmp_path / "data", open_catalog(content, tmp_path / "cache.json").catalog)
    app = create_app(data_dir=tmp_path / "data", lang=lang, seed=7, content=content)
    app.open_exam = setup in (_running_exam, _short_exam)

    async def go(pilot):
        await pilot.pause()   # the first answer field has its focus (as a person sees the screen first)
        for key in keys:
            if callable(key):
                await key(pilot, monkeypatch)
            else:
                await pilot.press(key)
            await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=go)
