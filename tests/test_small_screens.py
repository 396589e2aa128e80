"""Issue 17 at the design size (80×24) and the extremes (40×12, 300×80), through the app factory."""

import re

import pytest

from tutor.app import create_app
from tutor.i18n import tr


def _text(widget) -> str:
    """The widget's text as the screen shows it (a no-break space is a space there)."""
    r = widget.render()
    return getattr(r, "plain", str(r)).replace("\u00a0", " ")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_home_header_at_80_columns_shows_title_progress_due_uncut(tmp_path, lang):
    app = create_app(data_dir=tmp_path / "d", lang=lang, seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = app.screen.query_one("#topics").header   # the list's own first line
        for col in ("topic", "progress", "due"):
            assert tr("home.col." + col, lang) in header
        assert "…" not in header
        from rich.cells import cell_len

        assert cell_len(header) <= 80 - 2
        # every row fits: nothing is cut at the edge of the list
        rows = app.screen.query_one("#topics")
        assert all(cell_len(rows.row_text(t)) <= 78 for t in rows.topic_ids)
        # the highlighted topic's id is shown (for `tutor practice ID`)
        assert "tutor practice" in _text(app.screen.query_one("#topic-detail"))


@pytest.mark.slow
@pytest.mark.parametrize("size", [(40, 12), (300, 80)])
@pytest.mark.parametrize("keys", [[], ["enter"], ["enter", "p"], ["slash"], ["b"], ["g"], ["p"], ["e"],
                                  ["question_mark"], ["o"], ["s"]])
async def test_screens_do_not_crash_at_small_and_large_sizes(tmp_path, size, keys):
    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=size) as pilot:
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is not None


@pytest.mark.slow
@pytest.mark.parametrize("lang,query,topic", [("en", "lstm", "lstm"), ("ko", "어텐션", "attention"),
                                              ("en", "softmax", None)])
async def test_the_palette_finds_topics_cards_and_questions(tmp_path, lang, query, topic):
    from tutor.screens.browser import FindProvider

    app = create_app(data_dir=tmp_path / "d", lang=lang, seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        provider = FindProvider(app.screen)
        await provider.startup()
        hits = [h async for h in provider.search(query)]
        assert hits
        texts = [h.text for h in hits]
        if topic is not None:
            title = app.catalog.topics[topic].title[lang]
            assert texts[0] == tr("find.topic", lang) + " · " + title
        assert any(t.startswith(tr("find.card", lang)) for t in texts)
        # through the keys, as a person would: ctrl+p, type, Enter opens the best hit
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*query)
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        from tutor.screens.lesson import LessonScreen

        assert isinstance(app.screen, LessonScreen)
        if topic is not None:
            assert app.screen.topic_id == topic


@pytest.mark.slow
async def test_browser_filters_suspends_and_opens_an_item(tmp_path):
    from tutor.browse import suspended_ids
    from tutor.learner import review_queue
    from tutor.schedule import Scheduler
    from tutor.screens.browser import BrowserScreen
    from tutor.screens.question import QuestionScreen

    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowserScreen)
        total = len(screen.shown)
        assert total == sum(len(t.questions) for t in app.catalog.topics.values())
        await pilot.press("ctrl+t")
        await pilot.press(*"lstm")
        await pilot.pause()
        assert 0 < len(screen.shown) < total
        assert all("lstm" in (" ".join(r.text.values()) + " ".join(r.title.values())
                              + " ".join(r.topic_title.values())).lower() for r in screen.shown)
        screen.query_one("#b-text").value = ""
        screen.query_one("#b-topic").value = "em"
        await pilot.pause()
        assert screen.shown and all(r.topic == "em" for r in screen.shown)
        screen.query_one("#b-items").focus()
        first = screen.current().item_id
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert first in suspended_ids(app.store)
        assert screen.shown[0].suspended
        from tutor.learner import note_opened

        note_opened(app.store, "em", screen="lesson", card=0)
        assert first not in review_queue(app.catalog, app.store, Scheduler(app.store))
        screen.query_one("#b-state").value = "suspended"
        await pilot.pause()
        assert [r.item_id for r in screen.shown] == [first]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen) and app.screen.item_ids == [first]


async def _question(tmp_path, kind, lang="en"):
    app = create_app(data_dir=tmp_path / "d", lang=lang, seed=7)
    q = next(q for q in app.catalog.items() if getattr(q, "kind", "") == kind)
    return app, q


@pytest.mark.slow
@pytest.mark.parametrize("how", ["arrows", "number", "click"])
async def test_a_choice_is_answered_by_arrows_and_enter_a_number_key_or_the_mouse(tmp_path, how):
    from tutor.screens.options import ChoiceList
    from tutor.screens.question import QuestionScreen

    app, q = await _question(tmp_path, "choice")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(QuestionScreen([q.id], seed=7))
        await pilot.pause()
        screen = app.screen
        lst = screen.query_one(ChoiceList)
        assert app.focused is lst
        right = screen.ask.shown_position(int(q.data["answer"]))
        if how == "arrows":
            for _ in range(right):
                await pilot.press("down")
            await pilot.press("enter")
        elif how == "number":
            await pilot.press(str(right + 1))
        else:
            await pilot.click(lst, offset=(6, right))
        await pilot.pause()
        assert screen.grade is not None and screen.grade.correct
        assert screen.typed == {screen.ask.fields[0].name: str(right + 1)}


@pytest.mark.slow
async def test_multi_select_by_toggles_then_enter(tmp_path):
    from tutor.screens.options import MultiList
    from tutor.screens.question import QuestionScreen

    app, q = await _question(tmp_path, "multi")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(QuestionScreen([q.id], seed=7))
        await pilot.pause()
        screen = app.screen
        lst = screen.query_one(MultiList)
        want = sorted(screen.ask.shown_position(int(i)) for i in q.data["answer"])
        wrong = next(i for i in range(lst.option_count) if i not in want)
        await pilot.press(str(wrong + 1), str(wrong + 1))        # on, then off again
        for i in want:
            await pilot.press("home", *["down"] * i, "space")
        assert "[✓]" in str(lst.get_option_at_index(want[0]).prompt)
        assert "[ ]" in str(lst.get_option_at_index(wrong).prompt)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.grade is not None and screen.grade.correct


@pytest.mark.slow
async def test_the_question_stays_in_view_while_answering_and_scrolls_by_key(tmp_path):
    from textual.widgets import Input

    from tutor.screens.question import QuestionScreen

    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(QuestionScreen(["em.q.one-iteration"], seed=7))   # a long exercise, 7 cells
        await pilot.pause()
        screen = app.screen
        pane = screen.query_one("#q-scroll")
        inputs = list(screen.query("#q-fields Input"))
        assert len(inputs) > 1 and app.focused is inputs[0]
        for _ in inputs[1:]:
            await pilot.press("tab")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        # the prompt pane never scrolled away: its top is still at the top of the screen
        assert pane.region.y <= 2 and pane.region.height >= 5 and pane.scroll_y == 0
        if pane.max_scroll_y > 0:
            await pilot.press("pagedown")
            await pilot.pause()
            assert pane.scroll_y > 0 and isinstance(app.focused, Input)
            await pilot.press("pageup")
            await pilot.pause()
            assert pane.scroll_y == 0


@pytest.mark.slow
@pytest.mark.parametrize("theme", ["textual-dark", "tutor-high-contrast", "tutor-mono"])
async def test_the_focused_answer_cell_has_a_bar_in_every_theme(tmp_path, theme):
    from textual.widgets import Input

    from tutor.screens.question import QuestionScreen

    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        await app.push_screen(QuestionScreen(["em.q.one-iteration"], seed=7))
        await pilot.pause()
        cells = list(app.screen.query("#q-fields Input"))
        focused, other = cells[0], cells[1]
        assert app.focused is focused and isinstance(focused, Input)
        assert focused.styles.border_left[0] == "thick" and other.styles.border_left[0] != "thick"
        assert focused.styles.text_style.bold and not other.styles.text_style.bold


@pytest.mark.slow
async def test_no_color_picks_the_monochrome_theme(tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = create_app(data_dir=tmp_path / "d", lang="en")
    assert app.theme == "tutor-mono"


@pytest.mark.slow
@pytest.mark.parametrize("width,columns", [(120, 2), (80, 1), (40, 1)])
async def test_help_groups_keys_by_screen_in_two_columns_when_wide(tmp_path, width, columns):
    from textual.widgets import Static

    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(width, 24 if width < 120 else 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.pause()
        groups = list(app.screen.query(".help-group"))
        assert len(groups) == len(app.screen.sections()) + 1          # one group per screen, and "everywhere"
        assert len({g.region.x for g in groups}) == columns
        if columns == 2:   # side by side: both columns start near the top, not one under the other
            tops = {}
            for g in groups:
                tops.setdefault(g.region.x, g.region.y)
            assert max(tops.values()) == min(tops.values())
        text = "\n".join(w.render_line(y).text for w in app.screen.query(Static) for y in range(w.size.height))
        for head in ("키", "기능", "어디서나"):
            assert head in text
        for internal in ("question_mark", "escape", "ctrl+", "pageup", "pagedown", "enter", "Key", "What it does"):
            assert internal not in text, internal


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["choice", "multi"])
async def test_only_the_highlighted_option_of_the_focused_list_is_marked(tmp_path, kind):
    from tutor.screens.question import QuestionScreen

    app, q = await _question(tmp_path, kind, lang="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(QuestionScreen([q.id], seed=7))
        await pilot.pause()
        lst = app.screen.query_one(".choices")
        assert app.focused is lst

        def marked():
            lines = [lst.render_line(y).text for y in range(lst.size.height)]
            assert not any("█" in line or "▌" in line for line in lines)   # no bar on every row
            return [i for i, line in enumerate(lines) if line.lstrip().startswith("▶")]

        assert lst.styles.border_left[0] in ("", "none", "hidden")
        assert marked() == [lst.highlighted] == [0]
        await pilot.press("down")
        await pilot.pause()
        assert marked() == [1] and lst.highlighted == 1
        lst.blur()
        await pilot.pause()
        assert marked() == []


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_the_review_footer_fits_80_columns_before_and_after_the_answer(tmp_path, lang):
    from rich.cells import cell_len

    from tutor.screens.options import ChoiceList

    app = create_app(data_dir=tmp_path / "d", lang=lang, seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("enter", "escape", "r"):   # a topic opened first: review serves only topics met
            await pilot.press(key)
            await pilot.pause()
        screen = app.screen

        def footer():
            shown = [b for b in (a.binding for a in screen.active_bindings.values()) if b.show]
            text = " ".join(f"{app.get_key_display(b)} {b.description}" for b in shown)
            assert cell_len(text) <= 80, text
            return {b.action for b in shown}

        before = footer()
        assert "hint" in before and not any(a.startswith("rate") or a == "undo" for a in before)
        if screen.query(ChoiceList):
            await pilot.press("1")
        else:
            for f in screen.ask.fields:
                screen.answer_widget(f).value = "0"
            screen.submit()
        await pilot.pause()
        assert screen.review.last is not None and screen.review.last.item_id == screen.ask.item_id
        after = footer()
        assert {"rate(1)", "rate(2)", "rate(3)", "rate(4)", "undo", "next", "solution"} <= after
        await pilot.press("3")     # the keys shown work: the rating becomes Good
        await pilot.pause()
        assert screen.review.last.rating == 3


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["choice", "multi"])
async def test_a_long_option_wraps_under_its_own_text_at_40x12(tmp_path, kind):
    """A wrapped option's next lines start under its text, not under the marker or the number."""
    from rich.cells import cell_len

    from tutor.screens.question import QuestionScreen

    app = create_app(data_dir=tmp_path / "d", lang="en", seed=7)
    q = max((q for q in app.catalog.items() if getattr(q, "kind", "") == kind),   # the longest option
            key=lambda q: max(len(c["en"]) for c in q.data["choices"]))
    async with app.run_test(size=(40, 12)) as pilot:
        await app.push_screen(QuestionScreen([q.id], seed=7))
        await pilot.pause()
        lst = app.screen.query_one(".choices")
        lst.styles.max_height = 40     # every row on screen, to read them all
        await pilot.pause()
        lines = [lst.render_line(y).text.rstrip() for y in range(lst.size.height)]
        starts = [y for y, line in enumerate(lines) if re.match(r"^\s*(▶\s*)?(\[[✓ ]\] )?\d+\. ", line)]
        assert len(starts) == lst.option_count
        wrapped = 0
        for first, nxt in zip(starts, starts[1:] + [len(lines)]):
            head = re.match(r"^\s*(▶\s*)?(\[[✓ ]\] )?\d+\. ", lines[first]).group(0)
            for line in lines[first + 1:nxt]:
                if line.strip():
                    wrapped += 1
                    assert cell_len(line) - cell_len(line.lstrip()) == cell_len(head), (lines[first], line)
        assert wrapped, "no option wrapped at 40 columns"


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_help_at_40x12_shows_keys_on_the_first_screen(tmp_path, lang):
    """A short terminal: the keys come first (the intro, which would fill the first screen, after
    them); a taller one keeps the intro on top."""
    app = create_app(data_dir=tmp_path / "d", lang=lang, seed=7)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        body = screen.query_one("#help").parent          # the scroll view
        assert body.scroll_y == 0
        visible = body.content_region
        first = screen.query(".help-group").first()
        assert first.region.y < visible.bottom and first.region.height > 0   # its title shows
        key_rows = first.region.intersection(visible).height
        assert key_rows >= 2                                 # the group's name and a key at least
        assert screen.query_one("#help-intro").region.y > first.region.y
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert screen.query_one("#help-intro").region.y < screen.query(".help-group").first().region.y


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_the_glossary_fits_80_columns_and_wraps_its_last_column(tmp_path, lang):
    """No term runs off the right edge at 80 columns: the avoided forms wrap (a row grows)."""
    from textual.widgets import DataTable

    app = create_app(data_dir=tmp_path / "d", lang=lang, seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        table = app.screen.query_one("#glossary-table", DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width
        text = "\n".join(table.render_line(y).text for y in range(table.size.height))
        assert tr("glossary.col.avoid", lang) in text
        longest = max((t for t in app.screen._glossary.terms), key=lambda t: len(", ".join(t.avoid)))
        await pilot.press(*longest.en)     # search it: its avoided forms are all there, over two lines
        await pilot.pause()
        assert table.row_count >= 1
        text = "".join(table.render_line(y).text for y in range(table.size.height))
        assert all(form in text.replace(" ", "") for form in (f.replace(" ", "") for f in longest.avoid))


def _footer_text(app) -> str:
    """The keys the footer shows, as the compact footer draws them (one space between keys)."""
    shown = [b for b in (a.binding for a in app.screen.active_bindings.values()) if b.show]
    return " ".join(f"{app.get_key_display(b)} {b.description}" for b in shown)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("width", [80, 40])
async def test_every_screens_footer_fits_80_columns(tmp_path, lang, width):
    """At the design size no screen's last key is cut off (the home screen's "q Quit" was, by one
    column, in both languages): the footer of every screen a learner reaches by keys fits 80 columns.
    At 40 columns lesser keys give way, never help, back or quit (the home footer ended "… p 계획 s":
    no way to learn the other keys, or to leave)."""
    from rich.cells import cell_len

    from tutor.screens.base import FOOTER_KEEPS

    walks = {   # screen: keys from the home screen
        "home": [], "lesson": ["enter"], "practice": ["enter", "p"], "formulas": ["enter", "f"],
        "review": ["enter", "escape", "r"], "exam setup": ["e"], "exam": ["e", "ctrl+s"], "labs": ["a"],
        "plan": ["p"], "stats": ["s"], "browse": ["b"], "help": ["question_mark"], "settings": ["o"],
        "glossary": ["g"],
    }
    over, reached = [], set()
    for name, keys in walks.items():
        app = create_app(data_dir=tmp_path / name, lang=lang, seed=7)
        async with app.run_test(size=(width, 24)) as pilot:
            await pilot.pause()
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
            text = _footer_text(app)
            assert text, name
            reached.add(type(app.screen).__name__)
            if cell_len(text) > width:
                over.append(f"{name}: {text} ({cell_len(text)} columns)")
            # a kept action (declared shown in the screen's KEYS) has one of its keys in the footer
            active = [a.binding for a in app.screen.active_bindings.values()]
            declared = {a for _k, a, _s, show in getattr(type(app.screen), "KEYS", []) if show} & FOOTER_KEEPS
            hidden = [a for a in declared if any(b.action == a for b in active)
                      and not any(b.action == a and b.show for b in active)]
            assert not hidden or width == 80, (name, hidden)
    assert not over, over
    assert len(reached) == len(walks), reached   # each walk reached its own screen


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_a_cells_mark_wraps_beside_it_at_80_columns(tmp_path, lang):
    """"✗ wrong (graded from your earlier answers)" beside a later cell is read in full at the design
    size: the mark takes the rest of the row and wraps there (it was cut at the screen's edge)."""
    from rich.cells import cell_len
    from textual.widgets import Label

    from tutor.screens.question import QuestionScreen

    app = create_app(data_dir=tmp_path / "d", lang=lang, seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(QuestionScreen(["em.q.one-iteration"], seed=7))
        await pilot.pause()
        screen = app.screen
        for f in screen.ask.fields:
            screen.answer_widget(f).value = "0.500"   # every cell wrong; the M-step graded from them
        screen.submit()
        await pilot.pause()
        notes = [m for m in screen.query(".field-row > .mark").results(Label) if "(" in str(m.render())]
        assert notes, "no mark with a note"
        for m in notes:
            text = str(m.render())
            assert m.region.right <= 80
            drawn = "".join(m.render_line(y).text.strip() for y in range(m.size.height))
            assert drawn.replace(" ", "") == text.replace(" ", ""), (drawn, text)
            assert cell_len(text) > m.size.width   # it did need more than one line


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_help_scrolls_to_its_last_keys_at_80x24(tmp_path, lang):
    """The help page is taller than 24 rows: page down and end reach its last group (the body was
    as tall as the screen, so nothing scrolled and the keys below "o Settings" were out of reach)."""
    app = create_app(data_dir=tmp_path / "d", lang=lang, seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        screen = app.screen
        body = screen.query_one("#help").parent
        assert body.max_scroll_y > 0, "the page is taller than the screen, so it scrolls"
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        last = list(screen.query(".help-group"))[-1]
        assert last.region.intersection(body.content_region).height == last.region.height, "the last group in view"


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["choice", "multi"])
async def test_switching_language_redraws_the_options_too(tmp_path, kind):
    """F4 on a question (answered or not) switches its options as well as its prompt and feedback
    (the options stayed in the first language)."""
    from tutor.content import load_catalog
    from tutor.screens.options import MarkedList
    from tutor.screens.question import QuestionScreen

    catalog = load_catalog()
    hangul = re.compile("[\uac00-\ud7a3]")
    q = next(q for q in catalog.items() if getattr(q, "kind", None) == kind
             and all(hangul.match(o["ko"]) and not hangul.search(o["en"]) for o in q.data["choices"]))
    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(QuestionScreen([q.id], seed=7))
        await pilot.pause()
        screen = app.screen
        lst = screen.query_one(MarkedList)
        shown = screen.ask.options
        assert [t.plain for t in lst.texts][0].startswith(shown[0]["ko"][:3])
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        assert app.lang == "en"
        lines = [lst.render_line(y).text for y in range(lst.size.height)]
        first_words = shown[0]["en"].split()[0]
        assert any(first_words in line for line in lines), lines
        assert not any(shown[0]["ko"][:4] in line for line in lines)


@pytest.mark.slow
async def test_settings_names_themes_in_the_learners_language_never_their_ids(tmp_path):
    from textual.widgets import Select

    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        sel = app.screen.query_one("#set-theme", Select)
        labels = {str(prompt): value for prompt, value in sel._options if value is not Select.BLANK}
        assert "기본 (어두움)" in labels and labels["기본 (어두움)"] == "textual-dark"
        assert not any("-" in label for label in labels), "no internal theme id shown"
        assert sel.value == app.theme
        sel.value = labels["흑백"]
        await pilot.pause()
        assert app.theme == "tutor-mono"
        app.action_toggle_lang()
        await pilot.pause()
        labels = {str(prompt): value for prompt, value in sel._options if value is not Select.BLANK}
        assert labels["Monochrome"] == "tutor-mono" and sel.value == "tutor-mono" and app.theme == "tutor-mono"


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_the_whole_feedback_is_in_view_after_enter_at_80x24(tmp_path, lang):
    """A long exercise's feedback sits below its cells: after Enter all of it is in view (it was
    scrolled a line short, the rest out of reach while the cursor is in a cell)."""
    import sys
    from pathlib import Path

    from tutor.screens.question import QuestionScreen

    sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "reliability"))
    from reliability_answers import right_answers

    app = create_app(data_dir=tmp_path / "d", lang=lang, seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(QuestionScreen(["backprop.q.exercise"], seed=7))
        await pilot.pause()
        screen = app.screen
        answers = right_answers(screen.study, screen.ask)
        answers[screen.ask.fields[-1].name] = "0.123"           # the last cell wrong
        for f in screen.ask.fields:
            screen.answer_widget(f).value = answers[f.name]
        screen.answer_widget(screen.ask.fields[-1]).focus()
        await pilot.pause()
        await pilot.press("enter")
        for _ in range(5):
            await pilot.pause()
        fb, pane = screen.query_one("#q-feedback"), screen.query_one("#q-answer")
        assert fb.region.height >= 2, "a feedback of more than one line"
        assert pane.content_region.contains_region(fb.region), (fb.region, pane.content_region)


@pytest.mark.slow
async def test_hint_and_mark_words_are_what_the_learner_expects(tmp_path):
    """F2 on a question without hints says it has none (not "no more hints"); a wrong multi-select
    is marked "✗ 오답" like a wrong choice, not a bare ✗."""
    from tutor.content import load_catalog
    from tutor.screens.question import QuestionScreen

    catalog = load_catalog()
    bare = next(q for q in catalog.items() if getattr(q, "kind", None) == "multi" and not q.hints)
    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(QuestionScreen([bare.id], seed=7))
        await pilot.pause()
        screen = app.screen
        await pilot.press("f2")
        await pilot.pause()
        assert any(n.message == tr("q.no_hints", "ko") for n in app._notifications)
        right = {screen.ask.shown_position(int(i)) for i in bare.data["answer"]}
        wrong = next(j for j in range(len(screen.ask.options)) if j not in right)
        screen.answer_widget(screen.ask.fields[0]).value = str(wrong + 1)
        screen.submit()
        await pilot.pause()
        mark = screen.query_one(".mark")
        assert "✗ " + tr("q.wrong", "ko") in str(mark.render())


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_an_exam_at_40_columns_shows_how_to_finish_and_leave(tmp_path, lang):
    """At 40×12 the exam's footer has room for its first keys only: those are finishing and leaving
    (they were cut off after pgup, pgdn, f6 and f7)."""
    from rich.cells import cell_len

    app = create_app(data_dir=tmp_path / "d", lang=lang, seed=7)
    async with app.run_test(size=(40, 12)) as pilot:
        for key in ("e", "ctrl+s"):
            await pilot.press(key)
            await pilot.pause()
        assert type(app.screen).__name__ == "ExamScreen"
        text = _footer_text(app)
        for action in ("key.finish", "key.leave"):
            at = text.index(tr(action, lang))
            assert cell_len(text[:at + len(tr(action, lang))]) <= 40, text


@pytest.mark.slow
async def test_the_next_question_starts_at_its_top_after_a_solution(tmp_path):
    """F3 scrolls down to the worked solution; ctrl+n then opens the next question at its top (it
    could open scrolled down, its counter and inputs out of view)."""
    from tutor.screens.question import QuestionScreen

    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(QuestionScreen(["backprop.q.exercise", "em.q.one-iteration"], seed=7))
        await pilot.pause()
        screen = app.screen
        pane = screen.query_one("#q-scroll")
        await pilot.press("f3")
        for _ in range(4):
            await pilot.pause()
        assert pane.scroll_y > 0, "the solution is below the question"
        await pilot.press("ctrl+n")
        for _ in range(4):
            await pilot.pause()
        assert screen.ask.item_id == "em.q.one-iteration"
        assert pane.scroll_y == 0


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_lesson_table_cells_are_never_cut_at_80_columns(tmp_path, lang):
    """A word longer than its table column breaks onto the next line; it was cut to "…" with no way
    to read the rest ("자기지도학습(self-supervis…")."""
    from textual.widgets._markdown import MarkdownTableContent

    from tutor.screens.lesson import LessonScreen

    app = create_app(data_dir=tmp_path / "d", lang=lang, seed=7)
    async with app.run_test(size=(80, 60)) as pilot:
        app.push_screen(LessonScreen("ml-basics", 1))
        await pilot.pause()
        await pilot.pause(0.2)
        assert list(app.screen.query(MarkdownTableContent)), "the card has a table"
        rows = [s.text for s in app.screen._compositor.render_strips() if "│" in s.text]
        assert rows and not any("…" in row for row in rows), rows


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_the_exam_overview_lists_several_questions_at_40x12(tmp_path, lang):
    from textual.widgets import OptionList

    app = create_app(data_dir=tmp_path / "d", lang=lang, seed=7)
    async with app.run_test(size=(40, 12)) as pilot:
        for key in ("e", "ctrl+s", "f6"):
            await pilot.press(key)
            await pilot.pause()
        assert type(app.screen).__name__ == "ExamOverview"
        lst = app.screen.query_one("#overview-list", OptionList)
        assert lst.content_region.height >= 5, lst.content_region   # it showed one row
        assert app.screen.query_one("#overview-head").region.height >= 1


@pytest.mark.slow
async def test_the_home_today_line_counts_due_now_and_says_what_comes_later(tmp_path, monkeypatch):
    from tutor.clock import parse_iso
    from tutor.content import load_catalog
    from tutor.learner import note_opened
    from tutor.session import Study
    from tutor.store import Store

    t0 = parse_iso("2026-12-07T09:00:00+09:00")
    catalog = load_catalog()
    with Store.open(tmp_path / "d") as store:
        note_opened(store, "em", screen="lesson", card=0)
        study = Study(catalog, store, seed=1)
        ask = study.ask("em.q.latent")
        right = ask.shown_position(int(catalog.item("em.q.latent").data["answer"]))
        study.submit({ask.fields[0].name: str((right + 1) % len(ask.options) + 1)}, now=t0)   # missed
    monkeypatch.setenv("TUTOR_NOW", "2026-12-07T09:00:30+09:00")
    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = _text(app.screen.query_one("#continue"))
        assert "복습 0개(오늘 중 1개 더)" in line, line


@pytest.mark.slow
async def test_after_a_wrong_answer_ctrl_n_opens_the_next_with_its_first_cell_in_view(tmp_path):
    """A long exercise answered (its feedback scrolled the answer pane down), then ctrl+n: the next
    exercise's answer pane starts at its top, the focused first cell in view (it stayed scrolled
    down: keystrokes went into a hidden box)."""
    from textual.widgets import Input

    from tutor.screens.question import QuestionScreen

    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(QuestionScreen(["em.q.one-iteration", "em.q.one-iteration-short"], seed=7))
        await pilot.pause()
        screen = app.screen
        for f in screen.ask.fields:
            screen.answer_widget(f).value = "0.123"
        screen.answer_widget(screen.ask.fields[-1]).focus()
        await pilot.press("enter")
        for _ in range(5):
            await pilot.pause()
        pane = screen.query_one("#q-answer")
        assert pane.scroll_y > 0, "the feedback below the cells scrolled the pane down"
        await pilot.press("ctrl+n")
        for _ in range(8):
            await pilot.pause()
        assert screen.ask.item_id == "em.q.one-iteration-short"
        assert pane.scroll_y == 0
        assert isinstance(app.focused, Input) and pane.content_region.contains_region(app.focused.region)


@pytest.mark.slow
async def test_f2_shows_the_hint_it_adds(tmp_path):
    """The hint is written under the question's tables: F2 scrolls the question pane to it (it was
    added out of view, and F2 seemed to do nothing)."""
    from tutor.screens.question import QuestionScreen

    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(QuestionScreen(["em.q.one-iteration"], seed=7))
        await pilot.pause()
        screen = app.screen
        await pilot.press("f2")
        for _ in range(5):
            await pilot.pause()
        hints, pane = screen.query_one("#q-hints"), screen.query_one("#q-scroll")
        assert hints.display and "💡" in _text(hints)
        assert pane.content_region.contains_region(hints.region), (hints.region, pane.content_region)


@pytest.mark.slow
@pytest.mark.parametrize("key", ["ctrl+down", "pagedown"])
async def test_at_40x12_the_rest_of_a_long_feedback_is_reached_by_the_scroll_keys(tmp_path, key):
    """At 40×12 a wrong choice's explanation is taller than the answer pane: the question's scroll
    keys, with nothing more of the question to show, scroll the answer pane to its end (no key
    reached it: Down, PgDn and End move the option list)."""
    from tutor.content import load_catalog
    from tutor.screens.question import QuestionScreen

    q = load_catalog().item("em.q.latent")
    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(40, 12)) as pilot:
        await app.push_screen(QuestionScreen([q.id], seed=7))
        await pilot.pause()
        screen = app.screen
        right = screen.ask.shown_position(int(q.data["answer"]))
        wrong = next(j for j in range(len(screen.ask.options)) if j != right)
        await pilot.press(str(wrong + 1), "enter")
        for _ in range(5):
            await pilot.pause()
        pane = screen.query_one("#q-answer")
        assert pane.max_scroll_y > 0, "the feedback does not fit at 40×12"
        for _ in range(6):
            await pilot.press(key)
            await pilot.pause()
        assert pane.scroll_y == pane.max_scroll_y
        fb = screen.query_one("#q-feedback")
        assert fb.region.bottom <= pane.content_region.bottom


@pytest.mark.slow
async def test_esc_with_an_answer_typed_and_not_submitted_warns_before_leaving(tmp_path):
    """Esc with cells typed and not submitted warns first (the answer was lost without a word, the
    item back later with new numbers); Esc again leaves. Nothing typed, or submitted: Esc leaves."""
    from tutor.screens.question import QuestionScreen

    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        for typed, submitted in (("", False), ("0.45", False), ("0.45", True)):
            await app.push_screen(QuestionScreen(["em.q.complete-theta-b"], seed=7))
            await pilot.pause()
            screen = app.screen
            app.clear_notifications()
            if typed:
                await pilot.press(*typed)
            if submitted:
                await pilot.press("enter")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            warned = any(n.message == tr("q.unsent", "ko") for n in app._notifications)
            if typed and not submitted:
                assert warned and app.screen is screen, "warned, still on the question"
                assert screen.answer_widget(screen.ask.fields[0]).value == typed   # nothing lost
                await pilot.press("escape")
                await pilot.pause()
            else:
                assert not warned
            assert app.screen is not screen, (typed, submitted)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_every_display_equation_of_every_lesson_card_shows_whole_at_80_columns(tmp_path, lang):
    """A display equation wider than the card wraps onto the next line; it was cut at the edge
    (EM's responsibility formula lost "θ_B^(hᵢ)(1−θ_B)^(tᵢ))", with no key to scroll it)."""
    import re

    from textual.widgets import Markdown

    from tutor.content import load_catalog
    from tutor.screens.lesson import LessonScreen

    catalog = load_catalog()
    app = create_app(data_dir=tmp_path / "d", lang=lang, seed=7)
    checked = 0
    async with app.run_test(size=(80, 200)) as pilot:
        for topic in catalog.topics.values():
            for i, card in enumerate(topic.cards):
                if "$$" not in card.body[lang]:
                    continue
                app.push_screen(LessonScreen(topic.id, i))
                await pilot.pause(0.1)
                source = app.screen.query_one("#card-body", Markdown).source   # displays as ``text`` fences
                eqs = [ln.strip() for block in re.findall(r"```text\n(.*?)\n\s*```", source, re.S)
                       for ln in block.split("\n") if len(ln.strip()) > 70]
                for _ in range(20):   # the card's Markdown is laid out over a few refreshes
                    shown = "".join("".join(s.text for s in app.screen._compositor.render_strips()).split())
                    if all("".join(eq.split()) in shown for eq in eqs):
                        break
                    await pilot.pause(0.05)
                for eq in eqs:
                    checked += 1
                    assert "".join(eq.split()) in shown, (topic.id, i, eq)
                app.pop_screen()
                await pilot.pause()
    assert checked, "some display equation is wider than the card"


@pytest.mark.slow
async def test_back_in_a_typed_cell_a_key_adds_to_the_answer_never_replaces_it(tmp_path):
    """Tab back to a typed cell: its text was selected, and one key replaced it all ("비지도" → "x")."""
    from tutor.screens.question import QuestionScreen

    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(QuestionScreen(["em.q.one-iteration"], seed=7))
        await pilot.pause()
        screen = app.screen
        first, second = (screen.answer_widget(f) for f in screen.ask.fields[:2])
        await pilot.press("0", ".", "4", "tab")
        await pilot.pause()
        assert app.focused is second
        await pilot.press("shift+tab", "5")
        await pilot.pause()
        assert app.focused is first and first.value == "0.45"


@pytest.mark.slow
async def test_ctrl_n_with_an_answer_typed_and_not_submitted_warns_before_skipping(tmp_path):
    """ctrl+n with a cell typed and not submitted warns first, as Esc does (the answer was lost
    without a word); ctrl+n again skips."""
    from tutor.screens.question import QuestionScreen

    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(QuestionScreen(["em.q.complete-theta-b", "em.q.latent"], seed=7))
        await pilot.pause()
        screen = app.screen
        await pilot.press("0", ".", "4", "ctrl+n")
        await pilot.pause()
        assert screen.ask.item_id == "em.q.complete-theta-b" and screen.answer_widget(screen.ask.fields[0]).value == "0.4"
        assert any(n.message == tr("q.unsent_next", "ko") for n in app._notifications)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.ask.item_id == "em.q.latent"


@pytest.mark.slow
async def test_skipping_a_repeated_mistake_card_records_nothing(tmp_path):
    """ctrl+n on a repeated-mistake card, unrated, rated it Good; :skip in line mode records nothing."""
    from engine.registry import get_generator
    from tutor.review import REMEDIAL
    from tutor.session import Study
    from tutor.store import Store

    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    with Store.open(tmp_path / "d") as store:
        study = Study(app.catalog, store, seed=3)
        for _ in range(2):
            ask = study.ask("em.q.one-iteration")
            wrong = get_generator("em.coins").mistakes(ask.variant)["em.hard-assignment"]
            study.submit({k: repr(x) for k, x in wrong.items()})
    rid = REMEDIAL + "em.hard-assignment"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        for _ in range(30):
            if app.screen.ask is not None and app.screen.ask.item_id == rid:
                break
            await pilot.press("ctrl+n")
            await pilot.pause()
        assert app.screen.ask.item_id == rid
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.store.read_one("SELECT count(*) FROM review_log WHERE card_id IN "
                                  "(SELECT card_id FROM cards WHERE item_id = ?)", (rid,))[0] == 0


@pytest.mark.slow
@pytest.mark.parametrize("mistakes", [False, True])
async def test_review_says_which_review_it_is_and_offers_no_keys_for_nothing(tmp_path, mistakes):
    """With nothing to review the footer offered hint, solution and a new variant (of nothing);
    "review my mistakes" (m) did not say which review it was."""
    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m" if mistakes else "r")
        await pilot.pause()
        assert app.screen.ask is None   # a new learner: nothing due, no mistakes
        shown = _footer_text(app)
        for key in ("key.hint", "key.solution", "key.new"):
            assert tr(key, "ko") not in shown, shown
        assert tr("key.back", "ko") in shown
        app.screen.ask = object()   # an item on screen (the counter is drawn with one)
        assert app.screen.counter_text().startswith(tr("key.mistakes", "ko")) == mistakes


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_settings_labels_stand_on_one_line(tmp_path, lang):
    """"목표 기억 / 유지율(0.5–0.99)": a label broke inside its term at 80 columns."""
    from textual.widgets import Label

    app = create_app(data_dir=tmp_path / "d", lang=lang, seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        labels = list(app.screen.query(".field-label").results(Label))
        assert len(labels) >= 4
        for label in labels:
            assert label.region.height == 1, _text(label)


@pytest.mark.slow
async def test_browse_filtered_by_a_topic_keeps_its_columns_readable(tmp_path):
    """A topic chosen in the browser's menu left every column as narrow as its header ("경사 경사
    연습 새"), the menu kept the keys (↑/↓ opened it again), and its key said "Dismiss menu"."""
    from textual.widgets import DataTable, Select

    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        menu = screen.query_one("#b-topic", Select)
        menu.focus()
        await pilot.press("enter")   # the menu open
        await pilot.pause()
        assert "Dismiss" not in _footer_text(app) and tr("key.close_menu", "ko") in _footer_text(app)
        await pilot.press("escape")
        menu.value = "gradient-descent"
        await pilot.pause()
        await pilot.pause(0.2)
        table = screen.query_one("#b-items", DataTable)
        assert app.focused is table
        assert 0 < table.row_count < 30
        title = table.columns[table.ordered_columns[0].key].width
        assert title >= 16, title   # the question's title, not "경사"
        shown = str(table.get_row_at(0)[0]).rstrip("…").strip()
        assert len(shown) > 4 and screen.shown[0].title["ko"].startswith(shown), shown


@pytest.mark.slow
async def test_at_300_columns_a_lesson_and_a_question_keep_a_readable_line(tmp_path):
    """At 300×80 a lesson's paragraph ran ~290 characters a line."""
    from tutor.screens.lesson import LessonScreen
    from tutor.screens.question import QuestionScreen

    app = create_app(data_dir=tmp_path / "d", lang="en", seed=7)
    async with app.run_test(size=(300, 80)) as pilot:
        app.push_screen(LessonScreen("em", 0))
        await pilot.pause(0.2)
        assert app.screen.query_one("#card-body").region.width <= 110
        await app.push_screen(QuestionScreen(["em.q.one-iteration"], seed=7))
        await pilot.pause()
        assert app.screen.query_one("#q-prompt").region.width <= 110


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_home_topic_summary_is_whole_or_marked_cut(tmp_path, lang):
    """The highlighted topic's summary was cut off mid-sentence below the list, without a sign:
    every topic's is shown whole, or its last line ends "…" (the lesson has it whole)."""
    from rich.cells import cell_len

    from tutor.screens.home import DETAIL_ROWS

    app = create_app(data_dir=tmp_path / "d", lang=lang, seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        topics = screen.query_one("#topics")
        detail = screen.query_one("#topic-detail")
        cut = 0
        for i, topic in enumerate(app.summary.topics.values()):
            topics.highlighted = i
            await pilot.pause()
            lines = _text(detail).split("\n")
            assert len(lines) <= DETAIL_ROWS, lines
            # each a line of the screen: a list of prerequisites wrapped into two lines took the
            # summary's last row ("…관련 있는 곳에" cut, no "…")
            assert all(cell_len(line) <= detail.content_region.width for line in lines), lines
            whole = "".join(topic.summary[lang].split())
            if whole not in "".join("".join(lines).split()):
                cut += 1
                assert lines[-1].endswith("…"), (topic.id, lines)
                assert "".join(lines[-1].rstrip("…").split()) in whole, (topic.id, lines)
        assert cut, "some summary is longer than the rows below the list"
        await pilot.resize_terminal(40, 12)   # one row: what the topic is, not its id cut at the edge
        await pilot.pause()
        topics.highlighted = 0
        await pilot.pause()
        line = _text(detail)
        first = next(iter(app.summary.topics.values()))
        assert "\n" not in line and cell_len(line) <= detail.content_region.width, line
        assert "".join(line.rstrip("…").split()) in "".join(first.summary[lang].split()), line


@pytest.mark.slow
async def test_a_partly_right_multi_select_is_marked_partly_right_not_wrong(tmp_path):
    """"✗ 오답" stood above "✗ 부분 정답: 67%" for the same answer; then "◐ 부분 정답" above "✗ 부분 정답"."""
    from tutor.content import load_catalog
    from tutor.screens.question import QuestionScreen

    q = next(q for q in load_catalog().items() if getattr(q, "kind", None) == "multi" and len(q.data["answer"]) >= 2)
    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(QuestionScreen([q.id], seed=7))
        await pilot.pause()
        screen = app.screen
        one = screen.ask.shown_position(int(q.data["answer"][0]))
        screen.answer_widget(screen.ask.fields[0]).value = str(one + 1)
        screen.submit()
        await pilot.pause()
        assert 0 < screen.grade.score < 1
        mark = str(screen.query_one(".mark").render())
        assert "◐ 부분 정답" in mark and "오답" not in mark, mark
        feedback = str(screen.query_one("#q-feedback").render())
        assert feedback.startswith("◐ 부분 정답"), feedback   # it began "✗" under the "◐" mark


@pytest.mark.slow
async def test_the_session_summary_does_not_follow_the_learner_out(tmp_path):
    """The end-of-practice summary ("학습 완료 (Esc로 돌아가기)") stayed over the lesson and home."""
    from tutor.screens.question import QuestionScreen

    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(QuestionScreen(["em.q.latent"], seed=7))
        await pilot.pause()
        await pilot.press("ctrl+n")   # the last question: the summary
        await pilot.pause()
        assert any(n.title == tr("q.done_title", "ko") for n in app._notifications)
        await pilot.press("escape")
        await pilot.pause()
        assert not any(n.title == tr("q.done_title", "ko") for n in app._notifications)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_settings_at_40_columns_put_each_label_above_its_field(tmp_path, lang):
    """At 40 columns a 32-cell label left a menu 8 cells wide: it showed "한" of "한국어"."""
    from textual.widgets import Select

    from tutor.screens.settings import SettingsScreen

    app = create_app(data_dir=tmp_path / "d", lang=lang, seed=7)
    async with app.run_test(size=(40, 12)) as pilot:
        await app.push_screen(SettingsScreen())
        await pilot.pause()
        screen = app.screen
        for field_id, label_id in (("#set-lang", "#lbl-lang"), ("#set-theme", "#lbl-theme"), ("#set-new", "#lbl-new")):
            field, label = screen.query_one(field_id), screen.query_one(label_id)
            assert field.region.y > label.region.y and field.region.width >= 20, (field_id, field.region)
            assert label.region.width >= 30, label.region
        lang_menu = screen.query_one("#set-lang", Select)
        shown = str(lang_menu.query_one("SelectCurrent").query_one("#label").render())
        assert shown.strip() in ("한국어", "English"), shown
        await pilot.resize_terminal(80, 24)   # wide enough again: side by side
        await pilot.pause()
        field, label = screen.query_one("#set-lang"), screen.query_one("#lbl-lang")
        assert field.region.y == label.region.y and field.region.x >= label.region.right


@pytest.mark.slow
async def test_browse_gives_the_titles_the_room_the_screen_has_and_follows_a_resize(tmp_path):
    """The topic column was 12 cells at every width ("머신러닝 기…" at 300 columns)."""
    from rich.cells import cell_len
    from textual.widgets import DataTable

    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#b-items", DataTable)

        def shown_width() -> int:
            return sum(c.get_render_width(table) for c in table.columns.values())

        assert shown_width() <= 80 - 2   # the scrollbar's cells
        await pilot.resize_terminal(300, 40)
        await pilot.pause()
        topics = {str(c) for c in table.get_column("topic")}
        assert {r.topic_title["ko"] for r in screen.shown} == topics   # every topic title whole
        questions = [str(c) for c in table.get_column("question")]
        assert sum(not q.endswith("…") for q in questions) > 0.9 * len(questions)
        assert shown_width() <= 300 - 2
        await pilot.resize_terminal(100, 24)   # narrower again: the table fits again
        await pilot.pause()
        assert shown_width() <= 100 - 2
        assert max(cell_len(str(c)) for c in table.get_column("topic")) >= 16


def _in_view(screen, widget) -> bool:
    pane = screen.query_one("#q-answer")
    return pane.region.contains_region(widget.region) and widget.region.height > 0


@pytest.mark.slow
@pytest.mark.parametrize("size", [(40, 12), (80, 24)])
async def test_the_answer_cell_being_typed_in_stays_in_view(tmp_path, size):
    """At 80×24 ctrl+↓ past the question's end, a format error or a resize scrolled the focused cell
    out of sight, and typing went on into it; a format error said "빈 답입니다 …" once per empty cell."""
    from tutor.screens.question import QuestionScreen

    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=size) as pilot:
        await app.push_screen(QuestionScreen(["lstm.q.gate-table"], seed=7))
        await pilot.pause()
        screen = app.screen
        cells = [screen.answer_widget(f) for f in screen.ask.fields]
        await pilot.press(*"abc")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert screen.grade.format_error and screen.focused is cells[0] and _in_view(screen, cells[0])
        message = screen.grade.format_error["ko"]
        assert message.count("빈 답입니다") == 1 and f"{len(cells) - 1}칸" in message, message
        marks = [str(screen.query_one(f"#{c.id}-mark").render()) for c in cells]
        assert "읽을 수 없음" in marks[0] and all("빈 칸" in m for m in marks[1:]), marks
        for _ in range(8):   # the question to its end, then the answer pane
            await pilot.press("ctrl+down")
            await pilot.pause()
        await pilot.press("0")
        await pilot.pause()
        assert screen.focused is cells[0] and _in_view(screen, cells[0])
        cells[-1].focus()
        await pilot.pause()
        await pilot.resize_terminal(size[0] + 20, size[1] + 6)
        await pilot.pause()
        await pilot.resize_terminal(*size)
        await pilot.pause()
        await pilot.pause()
        assert screen.focused is cells[-1] and _in_view(screen, cells[-1])


def test_study_settings_out_of_range_are_named_and_nothing_is_saved(tmp_path):
    from tutor.learner import SettingsError, save_study_settings
    from tutor.store import Store

    with Store.open(tmp_path) as s:
        with pytest.raises(SettingsError) as e:
            save_study_settings(s, new_per_day="10", daily_goal="x", desired_retention="1.5")
        assert e.value.bad == ["daily_goal", "desired_retention"]
        assert s.get_setting("new_per_day") is None   # all or nothing
        save_study_settings(s, new_per_day=" 12 ", daily_goal="30", desired_retention="0.85")
        assert (s.get_setting("new_per_day"), s.get_setting("daily_goal"), s.get_setting("desired_retention")) == (12, 30, 0.85)


@pytest.mark.slow
async def test_settings_say_which_value_is_out_of_range_and_focus_it(tmp_path):
    """"하루 새 문제 수는 0–1000, 하루 목표는 1–1000, 유지율은 0.5–0.99여야 합니다." for a retention of
    1.5: every range, no field named, the bad value unmarked."""
    from tutor.screens.settings import SettingsScreen

    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(SettingsScreen())
        await pilot.pause()
        app.screen.query_one("#set-ret").value = "1.5"
        await pilot.press("ctrl+s")
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert any("목표 기억률: 0.5–0.99" in m for m in said) and not any("하루 새 문제 수" in m for m in said), said
        assert app.screen.focused is app.screen.query_one("#set-ret")
        assert app.store.get_setting("desired_retention") is None


@pytest.mark.slow
async def test_browse_filters_are_all_on_the_screen_at_40_columns(tmp_path):
    """At 40×12 the state menu was off the screen: ctrl+t, Tab, Tab, Enter opened it unseen, and
    ↓ Enter changed the filter blind (338 → 330 questions)."""
    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        for wid in ("#b-text", "#b-topic", "#b-state"):
            w = screen.query_one(wid)
            assert w.region.width >= 12 and w.region.right <= 40 and w.region.height >= 1, (wid, w.region)
        assert screen.query_one("#b-items").region.height >= 4   # and the list keeps its rows
        await pilot.resize_terminal(80, 24)   # side by side again
        await pilot.pause()
        assert screen.query_one("#b-text").region.y == screen.query_one("#b-state").region.y


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_plan_at_40_columns_says_what_its_keys_and_figures_are_whole(tmp_path, lang):
    """"시험 주제 (스페이스: 넣기/빼기) ·…": the meaning of the "0% → 0%" figures was cut off, and
    the hint beside the date read "날짜를 입력하고"."""
    from rich.cells import cell_len

    from tutor.screens.plan import PlanScreen

    app = create_app(data_dir=tmp_path / "d", lang=lang, seed=7)
    async with app.run_test(size=(40, 12)) as pilot:
        await app.push_screen(PlanScreen())
        await pilot.pause()
        topics = app.screen.query_one("#plan-topics")
        room = topics.region.width - 6   # the corners and the spaces around a border's text
        assert cell_len(str(topics.border_title)) <= room and cell_len(str(topics.border_subtitle)) <= room
        assert tr("plan.topics_cols", lang) == str(topics.border_subtitle)
        assert not app.screen.query_one("#plan-date-help").display


@pytest.mark.slow
async def test_the_home_today_line_wraps_between_its_phrases_at_40x12(tmp_path):
    """At 40 columns the today line takes two rows; it broke inside "새 문제 0개", leaving "0개"
    alone on the second row. Each " · " phrase now stays whole."""
    app = create_app(data_dir=tmp_path / "d", lang="ko")
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        widget = app.screen.query_one("#continue")
        rows = [line.text.strip() for line in widget.render_lines(widget.region.reset_offset)]
        rows = [r.replace("\u00a0", " ") for r in rows if r]
        assert len(rows) == 2 and rows[0].startswith("오늘 풀이:"), rows
        for phrase in ("오늘 풀이: 0/20회", "새 문제 0개", "복습 0개", "ctrl+p 찾기"):
            assert any(phrase in r for r in rows), (phrase, rows)


async def test_browse_at_40_columns_keeps_every_column_on_screen(tmp_path):
    """At 40 columns the seven columns ran off the right edge: the kind cut in two ("객관"), the state,
    last result and due out of sight. Narrow, the topic (in the menu above) and the kind give way."""
    from textual.widgets import DataTable

    from tutor.browse import set_flagged, set_suspended
    from tutor.session import Study

    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    study = Study(app.catalog, app.store, seed=1)   # a week's marks: answered (a due day), flagged, suspended
    items = [q.id for q in app.catalog.topics["ml-basics"].questions[:3]]
    for item in items:
        ask = study.ask(item)
        study.submit({f.name: "1" for f in ask.fields})
    set_flagged(app.store, items[0])
    set_suspended(app.store, items[0])
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#b-items", DataTable)

        def shown() -> tuple[list[str], int]:
            return [str(k.value) for k in table.columns], sum(c.get_render_width(table) for c in table.columns.values())

        keys, width = shown()
        assert keys == ["question", "state", "due", "marks"] and width <= 40 - 2, (keys, width)
        assert any(str(c).strip() for c in table.get_column("due")) and any("⚑" in str(c) for c in table.get_column("marks"))
        assert all(len(str(c).rstrip("…")) >= 4 for c in table.get_column("question"))   # still readable
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        keys, width = shown()
        assert keys == ["question", "topic", "kind", "state", "last", "due", "marks"] and width <= 80 - 2


async def _question_screen(app, pilot, item_id: str):
    """The question screen on ``item_id``, laid out."""
    from tutor.screens.question import QuestionScreen

    await app.push_screen(QuestionScreen([item_id], seed=7))
    await pilot.pause()
    await pilot.pause()
    return app.screen


async def test_a_short_question_leaves_its_rows_to_the_answers(tmp_path):
    """A short multi-select at 40×12 showed one and a half options under three blank rows: the answer
    pane was capped at half the screen whatever the question needed. It takes the rows the question
    does not need; the question stays whole in view. A long question still gets half (em's tables)."""
    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(40, 12)) as pilot:
        screen = await _question_screen(app, pilot, "ml-basics.q.supervised")
        question, answer, prompt = (screen.query_one(w) for w in ("#q-scroll", "#q-answer", "#q-prompt"))
        room = question.outer_size.height + answer.outer_size.height
        assert answer.outer_size.height > room // 2 + 1, (question.outer_size, answer.outer_size)
        assert question.region.contains_region(prompt.region) and prompt.region.height >= 1
        assert answer.max_scroll_y > 0   # more options than rows: the cap is what it was about
    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _question_screen(app, pilot, "em.q.one-iteration")
        question, answer = screen.query_one("#q-scroll"), screen.query_one("#q-answer")
        assert answer.outer_size.height <= (question.outer_size.height + answer.outer_size.height) // 2 + 1


async def test_a_multi_select_at_40x12_shows_how_to_choose_and_an_empty_answers_message(tmp_path):
    """At 40×12 the option list was scrolled to its top: the line saying how to choose (space or a
    number, Enter) was out of sight; Enter with nothing ticked put its message below the list, seen
    only after several PgDn, and it spoke of typing numbers."""
    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(40, 12)) as pilot:
        screen = await _question_screen(app, pilot, "ml-basics.q.supervised")
        pane = screen.query_one("#q-answer")
        label = screen.query_one("#q-fields .field-label")
        assert pane.region.contains_region(label.region) and "스페이스" in str(label.render())
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        feedback = screen.query_one("#q-feedback")
        assert screen.grade.format_error and "고르세요" in screen.grade.format_error["ko"]
        assert feedback.region.height > 0 and pane.region.contains_region(feedback.region), (pane.region, feedback.region)
        assert app.store.attempts("ml-basics.q.supervised") == []
