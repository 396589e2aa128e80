"""Snapshots (pytest-textual-snapshot) of each screen in both languages, through the app factory.

Regenerate after a deliberate UI or content change:  pytest tests/test_snapshots.py --snapshot-update
"""

import shutil

import pytest

from tutor.app import create_app

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
def test_formula_sheet_snapshot_at_80x24(snap_compare, tmp_path):
    """Issue 22: the LSTM formula sheet (공식 정리) in Korean at the design size."""
    app = create_app(data_dir=tmp_path / "data", lang="ko", seed=7, content=[_snapshot_content(tmp_path / "content")])

    async def go(pilot):
        from tutor.screens.sheet import FormulaSheetScreen

        pilot.app.push_screen(FormulaSheetScreen("lstm"))
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=go)
