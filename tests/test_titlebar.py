"""Every screen's title line (one widget, in place of Textual's Header of four): it draws what
Textual's Header draws, follows the title and the language, fits narrow screens, and its icon
opens the command palette."""

import pytest
from rich.cells import cell_len
from textual.app import App
from textual.command import CommandPalette
from textual.widgets import Header, Static

from tutor.app import create_app
from tutor.i18n import tr
from tutor.screens.base import shorten
from tutor.screens.titlebar import TitleBar


def _row(app, y: int = 0) -> list[tuple[str, object]]:
    """Row ``y`` of the screen as drawn: (character, style) per cell (the compositor's strips)."""
    strip = app.screen._compositor.render_strips()[y]
    return [(ch, seg.style) for seg in strip for ch in seg.text]


class _Titled(App):
    def __init__(self, bar, sub_title: str):
        super().__init__()
        self._bar, self._sub = bar, sub_title

    def on_mount(self) -> None:
        self.title = "ML 튜터"
        self.screen.sub_title = self._sub

    def compose(self):
        yield self._bar()
        yield Static("body")


@pytest.mark.asyncio
@pytest.mark.parametrize("size", [(100, 30), (80, 24), (40, 12), (24, 8)])
@pytest.mark.parametrize("sub_title", ["", "주제", "Practice — a very long sub-title that is cut at the edge"])
async def test_it_draws_what_textuals_header_draws(size, sub_title):
    rows = []
    for bar in (Header, TitleBar):
        app = _Titled(bar, sub_title)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            rows.append(_row(app))
    textual_header, title_bar = rows
    assert "".join(ch for ch, _ in title_bar) == "".join(ch for ch, _ in textual_header)
    # the same colours and text styles cell by cell (segments may be split differently; a blank
    # cell's foreground colour is not seen)
    def looks(row):
        return [(s.bgcolor,) if ch == " " else (s.color, s.bgcolor, bool(s.dim), bool(s.bold)) for ch, s in row]

    assert looks(title_bar) == looks(textual_header)


def test_a_long_title_is_cut_with_an_ellipsis_in_cells():
    assert shorten("ML Tutor", 20) == "ML Tutor"
    cut = shorten("ML 튜터 — 경사하강법", 10)
    assert cut.endswith("…") and cell_len(cut) <= 10


@pytest.mark.asyncio
async def test_the_title_follows_the_screen_and_the_language(tmp_path):
    app = create_app(data_dir=tmp_path / "d", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(TitleBar)
        assert bar.text == f"{tr('app.title', 'en')} — {tr('home.subtitle', 'en')}"
        assert tr("app.title", "en") in "".join(ch for ch, _ in _row(app))
        await pilot.press("l")
        await pilot.pause()
        assert bar.text == f"{tr('app.title', 'ko')} — {tr('home.subtitle', 'ko')}"
        drawn = "".join(ch for ch, _ in _row(app))
        assert tr("app.title", "ko") in drawn and tr("home.subtitle", "ko") in drawn
        await pilot.press("enter")   # a lesson: its own title line, with the topic's title
        await pilot.pause()
        lesson_bar = app.screen.query_one(TitleBar)
        assert lesson_bar is not bar and lesson_bar.text.endswith(app.screen.sub_title)
        assert app.screen.sub_title and app.screen.sub_title in "".join(ch for ch, _ in _row(app))


@pytest.mark.asyncio
async def test_the_icon_opens_the_palette_and_says_so_in_the_learners_language(tmp_path):
    app = create_app(data_dir=tmp_path / "d", lang="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(TitleBar)
        plain = _row(app)[1][1]
        await pilot.hover(TitleBar, offset=(1, 0))
        await pilot.pause()
        assert bar.tooltip == tr("header.palette_tip", "ko")
        assert _row(app)[1][1].bgcolor != plain.bgcolor          # the icon under the mouse is marked
        await pilot.hover(TitleBar, offset=(40, 0))              # the title: no hint, unmarked
        await pilot.pause()
        assert bar.tooltip is None and _row(app)[1][1] == plain
        await pilot.click(TitleBar, offset=(40, 0))              # a click on the title does nothing
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette)
        await pilot.click(TitleBar, offset=(1, 0))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.pause()
        await pilot.press("escape")   # closed before the test ends (not torn down half-mounted)
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette)
