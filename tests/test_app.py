"""The vertical slice through the real app factory, driven with Textual's Pilot."""

import pytest
from textual.widgets import Input, Markdown, Static

from engine.registry import get_generator
from tutor.app import create_app
from tutor.screens.topic_list import TopicList
from tutor.store import Store


def _rendered(widget) -> str:
    r = widget.render()
    return str(getattr(r, "plain", r))


async def _open_topic(pilot, topic_id: str):
    app = pilot.app
    topics = app.screen.query_one("#topics", TopicList)
    topics.highlighted = topics.index_of(topic_id)
    await pilot.press("enter")
    await pilot.pause()


async def _fill(pilot, values: dict[str, str]):
    screen = pilot.app.screen
    from tutor.screens.question import _wid

    for name, value in values.items():
        screen.query_one(f"#{_wid(name)}", Input).value = value
    last = list(values)[-1]
    screen.query_one(f"#{_wid(last)}", Input).focus()
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.slow
@pytest.mark.asyncio
async def test_em_slice_cards_exercise_and_progress(data_dir):
    app = create_app(data_dir=data_dir, lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        home = app.screen
        assert "The EM algorithm" in home.row_text("em")
        await _open_topic(pilot, "em")
        lesson = app.screen
        assert lesson.__class__.__name__ == "LessonScreen"
        # card 1: the complete-data MLE numbers come from the engine (24/30 = 0.80, 9/20 = 0.45)
        body = lesson.query_one("#card-body", Markdown).source
        assert "0.80" in body and "0.45" in body and "24" in body
        assert "{{" not in body
        for _ in range(len(app.catalog.topics["em"].cards) - 1):
            await pilot.press("right")
        await pilot.press("p")
        await pilot.pause()
        q = app.screen
        assert q.__class__.__name__ == "QuestionScreen"
        assert q.ask.item_id == "em.q.one-iteration"
        gen = get_generator("em.coins")
        right = gen.expected(q.ask.variant)
        # malformed: a format error, nothing recorded
        await _fill(pilot, {**{k: f"{v:.3f}" for k, v in right.items()}, "theta_a": "zero point seven"})
        assert q.grade.format_error
        store = app.store
        assert store.attempts("em.q.one-iteration") == []
        # wrong: recorded with score < 1
        await _fill(pilot, {**{k: f"{v:.3f}" for k, v in right.items()}, "theta_b": "0.999"})
        assert not q.grade.correct and q.grade.score < 1
        assert "◐" in _rendered(q.query_one("#q-feedback", Static))   # partly right: 6 of 7 cells
        # right, typed as fractions/percentages the parser accepts
        await _fill(pilot, {k: f"{v * 100:.3f}%" for k, v in right.items()})
        assert q.grade.correct
        # the worked solution renders from the engine trace
        await pilot.press("f3")
        await pilot.pause()
        assert "θ_A" in _rendered(q.query_one("#q-solution", Static))
        rows = store.attempts("em.q.one-iteration")
        assert [r["correct"] for r in rows] == [False, True]
        assert all(r["variant_seed"] == q.ask.seed for r in rows)
        await pilot.press("escape", "escape")
        await pilot.pause()
        await pilot.press("q")
    # quit and reopen: the home screen shows the progress
    s = Store.open(data_dir)
    assert s.topic_progress()["em"]["correct"] == 1
    s.close()
    app2 = create_app(data_dir=data_dir, lang="en")
    async with app2.run_test(size=(100, 40)) as pilot:
        row = app2.screen.row_text("em")
        n_q = len(app2.catalog.topics["em"].questions)
        assert f" 1/{n_q}" in row


@pytest.mark.asyncio
async def test_korean_home_and_language_switch(data_dir):
    app = create_app(data_dir=data_dir, lang="ko")
    async with app.run_test(size=(100, 30)) as pilot:
        assert "EM 알고리즘" in app.screen.row_text("em")
        await pilot.press("l")
        await pilot.pause()
        assert app.lang == "en"
        assert "The EM algorithm" in app.screen.row_text("em")
    # the language choice is saved between runs
    app2 = create_app(data_dir=data_dir)
    assert app2.lang == "en"
    app2.store.close()


@pytest.mark.slow
@pytest.mark.asyncio
async def test_q_quits_from_home_but_types_in_a_text_field(data_dir):
    app = create_app(data_dir=data_dir, lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        await _open_topic(pilot, "em")
        await pilot.press("p")
        await pilot.pause()
        q = app.screen
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running
        assert q.query(Input).first().value == "q"
        await pilot.press("escape", "escape")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


@pytest.mark.asyncio
async def test_home_detail_line_shows_the_highlighted_topic_in_full(data_dir):
    app = create_app(data_dir=data_dir, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:   # narrow: the row's Requires column is cut
        topics = app.screen.query_one("#topics", TopicList)
        topics.highlighted = topics.index_of("gmm")
        await pilot.pause()
        detail = " ".join(_rendered(app.screen.query_one("#topic-detail", Static)).split())   # as lines of the screen
        gmm = app.catalog.topics["gmm"]
        assert gmm.summary["en"][:40] in detail
        for req in gmm.requires:
            assert app.catalog.topics[req].title["en"] in detail
        await pilot.press("l")
        await pilot.pause()
        assert app.catalog.topics[gmm.requires[0]].title["ko"] in " ".join(
            _rendered(app.screen.query_one("#topic-detail", Static)).split())


@pytest.mark.asyncio
@pytest.mark.parametrize("size, rows_at_least, detail_rows", [((40, 12), 5, 2), ((80, 24), 12, 5)])
async def test_a_short_terminal_keeps_room_for_the_topics(data_dir, size, rows_at_least, detail_rows):
    """At 40×12 the topic detail and today's lines took seven of twelve rows: one topic showed.
    A short screen gives them a row each and the list keeps the room; 80×24 keeps the full detail."""
    app = create_app(data_dir=data_dir, lang="ko")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        topics = app.screen.query_one("#topics", TopicList)
        assert topics.size.height >= rows_at_least, topics.size
        assert app.screen.query_one("#topic-detail", Static).outer_size.height == detail_rows


@pytest.mark.asyncio
async def test_tab_goes_round_the_answer_cells_and_a_click_on_the_question_keeps_the_keys(tmp_path):
    """Tab from the last cell came to the question pane, then the answer pane: Enter did nothing
    there and the numbers typed were lost. Tab now goes round the cells; a click on the question
    (to read it) leaves the keys in the cell being typed in; Enter submits."""
    app = create_app(data_dir=tmp_path / "d", lang="en", seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_topic(pilot, "em")
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        cells = [screen.answer_widget(f) for f in screen.ask.fields]
        assert len(cells) > 2 and app.focused is cells[0]
        seen = []
        for _ in range(len(cells)):
            await pilot.press("tab")
            await pilot.pause()
            seen.append(app.focused)
        assert seen == cells[1:] + cells[:1]
        await pilot.press("shift+tab")                  # back to the last cell
        await pilot.pause()
        await pilot.click("#q-scroll", offset=(5, 2))
        await pilot.press("0", ".", "5")
        await pilot.pause()
        assert app.focused is cells[-1] and cells[-1].value == "0.5"
        for cell in cells:
            cell.value = "0.5"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.grade is not None and screen.grade.format_error is None


@pytest.mark.asyncio
@pytest.mark.parametrize("key", ["e", "s", "o"])
async def test_a_key_typed_right_after_quit_opens_nothing(tmp_path, key):
    """"qe" in one burst (a fast typist, a paste) opened the exam setup while the app was closing,
    and it ended with a traceback (NoMatches) and exit code 1."""
    app = create_app(data_dir=tmp_path / "d", lang="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.simulate_key("q")
        app.simulate_key(key)       # queued before "q" is handled
        await pilot.pause()
    assert app.closing and not app.check_action("stats", ())
    assert app._exception is None and (app.return_code or 0) == 0


@pytest.mark.asyncio
async def test_the_unsent_answer_warning_names_a_key_that_submits(tmp_path):
    """The warning said Enter submits; in a part-filled exercise Enter goes to the next empty cell.
    It names ctrl+s, which submits from any cell."""
    from tutor.i18n import tr
    from tutor.screens.question import QuestionScreen

    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(QuestionScreen(["em.q.complete-theta-b"], seed=7))
        await pilot.pause()
        screen = app.screen
        await pilot.press("0", ".", "4", "5", "escape")
        await pilot.pause()
        assert any(n.message == tr("q.unsent", "ko") for n in app._notifications)
        assert "ctrl+s" in tr("q.unsent", "ko") and "ctrl+s" in tr("q.unsent_next", "en")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen and screen.grade is not None and screen.grade.correct


@pytest.mark.asyncio
async def test_a_cell_changed_after_its_answer_was_marked_loses_the_mark(tmp_path):
    """After a graded exercise, a cell that is edited kept "✓ right" beside the new text."""
    from textual.widgets import Label

    from tutor.screens.question import QuestionScreen, _wid

    app = create_app(data_dir=tmp_path / "d", lang="en", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(QuestionScreen(["em.q.complete-theta-b"], seed=7))
        await pilot.pause()
        screen = app.screen
        await pilot.press("9", "/", "2", "0", "enter")
        await pilot.pause()
        mark = screen.query_one(f"#{_wid('value')}-mark", Label)
        assert "right" in str(mark.render())
        await pilot.press("backspace", "1")
        await pilot.pause()
        assert str(mark.render()).strip() == ""
        await pilot.press("enter")                      # marked again for the new text
        await pilot.pause()
        assert "wrong" in str(mark.render())


@pytest.mark.asyncio
async def test_settings_open_with_the_first_setting_focused(tmp_path):
    """Settings opened with the keys on the page's scroll pane: the first Tab only reached the
    language menu, and Enter did nothing."""
    app = create_app(data_dir=tmp_path / "d", lang="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert type(app.screen).__name__ == "SettingsScreen" and app.focused.id == "set-lang"
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused.id == "set-theme"


@pytest.mark.asyncio
async def test_a_format_error_after_a_graded_answer_keeps_its_marks(tmp_path):
    """A format error records nothing, yet it cleared every cell's mark and the table's column: the
    earlier grade vanished from view. The cells not changed since keep their marks; the table too."""
    from textual.widgets import Label

    from tutor.screens.question import QuestionScreen, _wid

    app = create_app(data_dir=tmp_path / "d", lang="en", seed=7)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(QuestionScreen(["em.q.one-iteration"], seed=7))
        await pilot.pause()
        screen = app.screen
        right = get_generator("em.coins").expected(screen.ask.variant)
        names = list(right)
        wrong = names[-1]
        await _fill(pilot, {**{k: f"{v:.3f}" for k, v in right.items()}, wrong: "0.999"})
        assert not screen.grade.format_error and not screen.grade.correct

        def marks():
            return {n: str(screen.query_one(f"#{_wid(n)}-mark", Label).render()) for n in names}

        def table():
            import io

            from rich.console import Console

            console = Console(width=100, file=io.StringIO(), color_system=None)
            console.print(screen.query_one("#q-tables", Static).content)
            return console.file.getvalue()

        graded, graded_table = marks(), table()
        assert "wrong" in graded[wrong] and all("right" in graded[n] for n in names[:-1])
        changed = names[0]
        await _fill(pilot, {changed: "zero point seven"})   # unreadable: a format error
        assert screen.grade.format_error
        assert app.store.attempts("em.q.one-iteration") and len(app.store.attempts("em.q.one-iteration")) == 1
        now = marks()
        assert "cannot be read" in now[changed]
        assert all(now[n] == graded[n] for n in names[1:])   # the grade of the unchanged cells stands
        assert "✓" in graded_table   # the rounds' P(A | round) column, graded
        if changed.startswith("resp_a["):   # the changed cell is one of the table's: '?' again, the rest as graded
            row = int(changed[len("resp_a["):-1])
            now_rows, graded_rows = table().splitlines(), graded_table.splitlines()
            changed_rows = [k for k, (a, b) in enumerate(zip(now_rows, graded_rows)) if a != b]
            assert len(changed_rows) == 1 and "?" in now_rows[changed_rows[0]] and "✓" not in now_rows[changed_rows[0]]
            assert f"│ {row + 1} " in now_rows[changed_rows[0]]
        else:
            assert table() == graded_table
        await _fill(pilot, {changed: f"{right[changed]:.3f}"})   # readable again: graded afresh
        assert not screen.grade.format_error and marks() == graded


@pytest.mark.asyncio
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_the_palettes_commands_are_in_one_language_and_name_their_key(tmp_path, lang):
    """The palette's own commands said "Help / 도움말", "My mistakes / 내 실수 복습" whatever the
    language: each says its key on home instead, in the learner's language, and that key does it."""
    import re

    from tutor.i18n import tr
    from tutor.screens.home import HomeScreen

    app = create_app(data_dir=tmp_path / "d", lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        keys = {k: a for k, a, *_ in HomeScreen.KEYS}
        ours = [c for c in app.get_system_commands(app.screen) if getattr(c.callback, "__self__", None) is app
                and c.callback.__name__.startswith("action_") and " / " not in c.help]
        assert len(ours) >= 11
        pattern = re.escape(tr("palette.key", lang, press="KEY")).replace("KEY", "(.)")
        for c in ours:
            found = re.fullmatch(pattern, c.help)
            if found is None:   # one of Textual's own commands (quit, theme …): its help in our language
                continue
            press = {"?": "question_mark"}.get(found.group(1), found.group(1))
            assert keys[press] == "app." + c.callback.__name__.removeprefix("action_"), (c.title, c.help)
            said = c.help if c.callback.__name__ == "action_toggle_lang" else c.title + c.help   # "한국어" in English
            assert (re.search("[가-힣]", said) is not None) == (lang == "ko"), (c.title, c.help)
