"""The home screen's topic list (a Line-API widget in place of an OptionList): the keys and the
mouse of an option list, the highlight always on screen, the detail line following it."""

import pytest

from tutor.app import create_app
from tutor.i18n import tr
from tutor.screens.topic_list import TopicList


@pytest.mark.asyncio
async def test_keys_move_the_highlight_like_an_option_list(tmp_path):
    app = create_app(data_dir=tmp_path / "d", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        topics = app.screen.query_one("#topics", TopicList)
        ids = list(app.summary.topics)
        assert topics.has_focus and topics.highlighted == 0 and topics.topic_ids == ids
        await pilot.press("up")                       # wraps to the last topic, scrolled into view
        await pilot.pause()
        assert topics.highlighted_id == ids[-1]
        # in view below the header (line 0 of the list, which stays)
        assert topics.scroll_offset.y <= len(ids) - 1 <= topics.scroll_offset.y + topics.scrollable_content_region.height - 2
        await pilot.press("down")                     # and back round to the first
        await pilot.pause()
        assert topics.highlighted == 0 and topics.scroll_offset.y == 0
        page = topics.scrollable_content_region.height - 1   # the rows under the header
        await pilot.press("pagedown")
        await pilot.pause()
        assert topics.highlighted == page
        await pilot.press("end")
        await pilot.pause()
        assert topics.highlighted == len(ids) - 1
        await pilot.press("pagedown")                 # stays on the last row
        await pilot.pause()
        assert topics.highlighted == len(ids) - 1
        await pilot.press("home")
        await pilot.pause()
        assert topics.highlighted == 0
        await pilot.press("down", "down")
        await pilot.pause()
        # the detail line names the highlighted topic
        assert f"id: {ids[2]}" in str(app.screen.query_one("#topic-detail").render())
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "LessonScreen" and app.screen.topic_id == ids[2]


@pytest.mark.asyncio
async def test_a_click_opens_the_topic_under_the_mouse(tmp_path):
    app = create_app(data_dir=tmp_path / "d", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        topics = app.screen.query_one("#topics", TopicList)
        ids = list(app.summary.topics)
        await pilot.hover("#topics", offset=(5, 0))   # the header: no row
        await pilot.pause()
        assert topics._hover is None
        await pilot.click("#topics", offset=(5, 0))
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HomeScreen"
        await pilot.hover("#topics", offset=(5, 4))   # the row under the mouse is marked
        await pilot.pause()
        assert topics._hover == 3
        await pilot.click("#topics", offset=(5, 4))  # line 4 of the list: row 3 (the header is line 0)
        await pilot.pause()
        assert app.screen.__class__.__name__ == "LessonScreen" and app.screen.topic_id == ids[3]


@pytest.mark.asyncio
async def test_rows_are_drawn_with_the_highlight_and_fitted_to_the_width(tmp_path):
    app = create_app(data_dir=tmp_path / "d", lang="ko")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        topics = app.screen.query_one("#topics", TopicList)
        width = topics.scrollable_content_region.width
        header = topics.render_line(0)   # the column names, in bold, above the rows
        assert header.cell_length == width and header.text.rstrip() == topics.header.rstrip()
        assert all(tr("home.col." + c, "ko") in header.text for c in ("topic", "progress", "due"))
        assert all(seg.style.bold for seg in header if seg.text.strip())
        first = topics.render_line(1)
        assert first.cell_length == width and first.text.rstrip() == topics.row_text(topics.topic_ids[0]).rstrip()
        second = topics.render_line(2)
        first, second = list(first)[0], list(second)[0]
        assert first.style.bold and not second.style.bold                     # highlighted, focused
        assert first.style.bgcolor != second.style.bgcolor
        assert topics.render_line(len(topics.topic_ids) + 5).text.strip() == ""   # past the last row


def test_a_narrowed_progress_bar_is_drawn_again_at_its_width_never_cut():
    """At 80 columns in English the bar gives up cells: "█████░░░░░ 5/11" cut to two cells read
    "██ 5/11", a full bar for half the topic. It is drawn again at the narrower width."""
    from rich.cells import cell_len

    from tutor.progress import progress_bar
    from tutor.screens.home import _fit

    cols = ("n", "topic", "progress", "due")
    header = ["#", "Topic", "Progress", "Due"]
    rows = [["1", "A rather long topic title of some length", f"{progress_bar(5, 11)} 5/11", "3"],
            ["2", "Short", f"{progress_bar(11, 11)} 11/11", ""],
            ["3", "Another", f"{progress_bar(0, 11)} 0/11", ""]]
    full = _fit([header] + rows, cols, 200)
    narrow = _fit([header] + rows, cols, cell_len(full[0]) - 6)   # the bars give up cells
    bars = [next(w for w in line.split() if set(w) <= set("█░")) for line in narrow[1:]]
    assert all(0 < len(b) < 10 for b in bars), bars
    assert bars[0] == progress_bar(5, 11, len(bars[0])) and "░" in bars[0], "half learned shows half a bar"
    assert set(bars[1]) == {"█"} and set(bars[2]) == {"░"}


@pytest.mark.asyncio
async def test_load_problems_are_shown_above_the_topics_only_while_there_are_any(tmp_path):
    """The notice of content that did not load is mounted when there is some (not an empty hidden
    widget on every first frame), above the list, and leaves when the content loads cleanly."""
    from textual.widgets import Static

    from tutor.catalog_summary import Problem
    from tutor.i18n import tr

    app = create_app(data_dir=tmp_path / "d", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert not screen.query("#problems")
        app.summary.problems.append(Problem("broken.yaml", 3, "topic", "missing"))
        screen.refresh_text()
        await pilot.pause()
        notice = screen.query_one("#problems", Static)
        assert tr("home.skipped", "en", n=1) in str(notice.content) and "broken.yaml:3: topic: missing" in str(notice.content)
        assert notice.region.y < screen.query_one("#topics").region.y and notice.region.height == 2
        app.summary.problems.append(Problem("other.yaml", None, "file", "empty file"))
        screen.refresh_text()           # updated in place, not a second notice
        await pilot.pause()
        assert len(screen.query("#problems")) == 1 and "other.yaml" in str(screen.query_one("#problems", Static).content)
        app.summary.problems.clear()
        screen.refresh_text()
        await pilot.pause()
        assert not screen.query("#problems")
