"""Snapshots (pytest-textual-snapshot) of each screen in both languages, through the app factory.

Regenerate after a deliberate UI or content change:  pytest tests/test_snapshots.py --snapshot-update
"""

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


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen_snapshot(snap_compare, tmp_path, screen, lang):
    app = create_app(data_dir=tmp_path / "data", lang=lang, seed=7)

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
