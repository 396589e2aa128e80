"""Issue 17 at the design size (80×24) and the extremes (40×12, 300×80), through the app factory."""

import pytest

from tutor.app import create_app
from tutor.i18n import tr


def _text(widget) -> str:
    r = widget.render()
    return getattr(r, "plain", str(r))


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_home_header_at_80_columns_shows_title_progress_due_uncut(tmp_path, lang):
    app = create_app(data_dir=tmp_path / "d", lang=lang, seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = _text(app.screen.query_one("#topics-header"))
        for col in ("topic", "progress", "due"):
            assert tr("home.col." + col, lang) in header
        assert "…" not in header
        from rich.cells import cell_len

        assert cell_len(header) <= 80 - 2
        # every row fits: nothing is cut at the edge of the list
        rows = app.screen.query_one("#topics")
        assert all(cell_len(str(rows.get_option_at_index(i).prompt)) <= 78 for i in range(rows.option_count))
        # the highlighted topic's id is shown (for `tutor practice ID`)
        assert "tutor practice" in _text(app.screen.query_one("#topic-detail"))


@pytest.mark.slow
@pytest.mark.parametrize("size", [(40, 12), (300, 80)])
@pytest.mark.parametrize("keys", [[], ["enter"], ["enter", "p"], ["slash"], ["b"]])
async def test_screens_do_not_crash_at_small_and_large_sizes(tmp_path, size, keys):
    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=size) as pilot:
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is not None
