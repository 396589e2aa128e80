"""Every screen's footer (one widget drawing the screen's keys, in place of Textual's Footer of one
widget per key): what it shows follows the screen's keys, a click runs a key, the key under the
mouse is marked, a key that cannot act is dim."""

import pytest
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from tutor.app import create_app
from tutor.i18n import tr
from tutor.screens.footer import KeyFooter


def _line(footer: KeyFooter) -> str:
    return footer.render_line(0).text.rstrip()


def _styles(footer: KeyFooter, word: str) -> set:
    """The styles of the segments that draw ``word`` on the footer's line."""
    return {seg.style for seg in footer.render_line(0) if word in seg.text}


@pytest.mark.asyncio
async def test_the_footer_draws_the_screens_keys_and_follows_them(tmp_path):
    app = create_app(data_dir=tmp_path / "d", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        shown = [a.binding for a in app.screen.active_bindings.values() if a.binding.show]
        expected = " ".join(f"{app.get_key_display(b)} {b.description}" for b in shown)
        assert _line(footer) == footer.text == expected
        assert expected.startswith("⏎ Open r Review") and expected.endswith("q Quit")
        await pilot.press("l")        # the language switch re-labels the keys: the line follows
        await pilot.pause()
        assert tr("key.review", "ko") in _line(footer) and "Review" not in _line(footer)
        await pilot.press("enter")    # another screen: its own footer, its own keys
        await pilot.pause()
        lesson_footer = app.screen.query_one(KeyFooter)
        assert lesson_footer is not footer and tr("key.back", "ko") in _line(lesson_footer)


@pytest.mark.asyncio
async def test_a_click_on_a_key_runs_it_and_the_key_under_the_mouse_is_marked(tmp_path):
    app = create_app(data_dir=tmp_path / "d", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        x = _line(footer).index("s Stats")
        plain, review = _styles(footer, "Stats"), _styles(footer, "Review")
        await pilot.hover(KeyFooter, offset=(x + 3, 0))
        await pilot.pause()
        marked = _styles(footer, "Stats")
        assert marked != plain and {s.bgcolor for s in marked} != {s.bgcolor for s in plain}
        assert _styles(footer, "Review") == review     # only the key under the mouse
        await pilot.hover("#topics", offset=(2, 2))    # the mouse leaves the footer: unmarked
        await pilot.pause()
        assert _styles(footer, "Stats") == plain
        await pilot.click(KeyFooter, offset=(x - 1, 0))  # the margin before the key: nothing
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
        await pilot.click(KeyFooter, offset=(x + 3, 0))
        await pilot.pause()
        assert type(app.screen).__name__ == "StatsScreen"


class _Keys(Screen):
    BINDINGS = [Binding("a", "go", "Go"), Binding("b", "go", "Also go"), Binding("c", "stop", "Stop"),
                Binding("d", "hidden", "Hidden", show=False)]

    def compose(self):
        yield KeyFooter()

    def check_action(self, action, parameters):
        return None if action == "stop" else True   # None: shown, but cannot act now

    def action_go(self):
        self.app.went = getattr(self.app, "went", 0) + 1

    def action_stop(self):   # pragma: no cover - a disabled key never runs
        self.app.stopped = True


class _KeysApp(App):
    def on_mount(self):
        self.push_screen(_Keys())

    def bell(self):
        self.rang = True


@pytest.mark.asyncio
async def test_one_key_per_action_hidden_keys_left_out_and_a_key_that_cannot_act_is_dim():
    app = _KeysApp()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        assert _line(footer) == "a Go c Stop"      # b shares a's action; d is not shown
        assert all(s.dim for s in _styles(footer, "Stop")) and not any(s.dim for s in _styles(footer, "Go"))
        await pilot.click(KeyFooter, offset=(0, 0))
        await pilot.click(KeyFooter, offset=(_line(footer).index("Stop"), 0))
        await pilot.pause()
        assert app.went == 1 and not hasattr(app, "stopped") and app.rang


@pytest.mark.asyncio
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_at_40_columns_practice_keeps_the_way_on_back_and_the_key_that_lists_the_rest(tmp_path, lang):
    """At 40×12 the practice footer kept hint, solution and new variant and dropped ctrl+n, the one
    key to the next question after an answer."""
    app = create_app(data_dir=tmp_path / "d", lang=lang, seed=3)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        for key in ("enter", "p"):
            await pilot.press(key)
            await pilot.pause()
        line = _line(app.screen.query_one(KeyFooter))
        assert f"^n {tr('key.next', lang)}" in line and f"esc {tr('key.back', lang)}" in line, line
        from rich.cells import cell_len

        assert cell_len(line) <= 40
