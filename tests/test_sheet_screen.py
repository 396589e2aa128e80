"""Issue 22, formula sheet in the app: the lesson's key and the command palette open a topic's
formula sheet (공식 정리), every formula laid out for the terminal's width; `tutor sheet --all`."""

from __future__ import annotations

import re

import pytest

from tutor.app import create_app
from tutor.cli import main
from tutor.i18n import tr
from tutor.sheet import cells, sheet_sections, wrap_formula

LSTM_GATE = "fₜ = σ(W_f xₜ + U_f hₜ₋₁ + b_f)      망각 게이트(forget gate)"
VECTOR = "hₜ = o ⊙ tanh(cₜ) = [−0.005, 0.008, 0.073, 0.099, 0.185, 0.003, 0.226, 0.699, 0.035, 0.365]"
PEEPHOLE = "fₜ = σ(W_f xₜ + U_f hₜ₋₁ + w_cf ⊙ cₜ₋₁ + b_f),   iₜ = σ(… + w_ci ⊙ cₜ₋₁)"


# ----------------------------------------------------------------------------- wrapping (core)

@pytest.mark.parametrize("formula", [LSTM_GATE, VECTOR, PEEPHOLE, "cₜ = f · 0.8 + i · c̃ = 0.6417 − 0.3203 = 0.9620",
                                     "E = ½ Σₖ (tₖ − oₖ)²"])
@pytest.mark.parametrize("width", [76, 34, 20])
def test_a_long_formula_breaks_between_tokens_and_loses_nothing(formula, width):
    lines = wrap_formula(formula, width)
    assert " ".join(ln.strip() for ln in lines).split() == formula.split()    # every token, whole, in order
    for ln in lines:
        assert cells(ln) <= width or " " not in ln.strip(), (width, ln)     # too long only when it cannot break
        assert not re.search(r"[=≈+−⊙·(\[]$", ln.rstrip()), ln               # never ends on an operator
    assert all(ln.startswith("    ") for ln in lines[1:])                    # continuations indented


def test_a_formula_that_fits_stays_on_one_line():
    assert wrap_formula("E = ½ Σₖ (tₖ − oₖ)²", 34) == ["E = ½ Σₖ (tₖ − oₖ)²"]
    assert wrap_formula(LSTM_GATE, 76) == [LSTM_GATE]


def test_breaks_come_at_sensible_places():
    # the name of a gate goes under its equation, whole
    assert wrap_formula(LSTM_GATE, 34) == ["fₜ = σ(W_f xₜ + U_f hₜ₋₁ + b_f)", "    망각 게이트(forget gate)"]
    # before "=", not inside the brackets, where that makes the rest fit
    assert wrap_formula(VECTOR, 80)[0] == "hₜ = o ⊙ tanh(cₜ)"
    # not an equation's left side alone when the rest would not fit anyway
    assert wrap_formula(PEEPHOLE, 44)[0] != "fₜ"
    # between the two equations of a line, not before the ⊙ of a product
    assert "    iₜ = σ(… + w_ci ⊙ cₜ₋₁)" in wrap_formula(PEEPHOLE, 34)
    # a minus sign of a number is not an operator to break before
    vec = wrap_formula("f ⊙ cₜ₋₁ = [0.00, 0.02, 0.45, 0.07, 0.90, −0.06, −0.11, 1.80, 0.24, 0.07]", 32)
    assert all(ln.rstrip().endswith((",", "]")) for ln in vec[1:-1])


# ----------------------------------------------------------------------------- CLI

def test_sheet_all_prints_every_topic_in_course_order(data_dir, capsys):
    from tutor.content.catalog import load_catalog

    assert main(["sheet", "--all", "--lang", "ko"]) == 0
    out = capsys.readouterr().out
    catalog = load_catalog()
    heads = [ln[2:] for ln in out.splitlines() if ln.startswith("# ")]
    assert heads == [tr("sheet.title", "ko", title=t.title["ko"]) for t in catalog.topics.values()]
    assert "fₜ = σ(W_f xₜ + U_f hₜ₋₁ + b_f)" in out


def test_sheet_needs_a_topic_or_all(data_dir, capsys):
    assert main(["sheet"]) == 2
    assert main(["sheet", "lstm", "--all"]) == 2


# ----------------------------------------------------------------------------- the screen

def _screen_lines(app) -> list[str]:
    return [s.text for s in app.screen._compositor.render_strips()]


async def _open_lesson(app, pilot, topic: str):
    from tutor.screens.lesson import LessonScreen

    await pilot.pause()
    app.push_screen(LessonScreen(topic, 0))
    await pilot.pause()


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_the_lesson_key_opens_the_topics_formulas_and_escape_returns(tmp_path, lang):
    from tutor.screens.lesson import LessonScreen
    from tutor.screens.sheet import FormulaSheetScreen

    app = create_app(data_dir=tmp_path / "d", lang=lang, seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_lesson(app, pilot, "lstm")
        assert any(tr("key.sheet", lang) in ln for ln in _screen_lines(app)[-1:])   # named in the footer
        await pilot.press("f")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FormulaSheetScreen) and screen.topic_id == "lstm"
        sections = sheet_sections(app.catalog, "lstm", lang)     # what the core lists
        first = sections[0]
        shown = "\n".join(_screen_lines(app))
        assert first.title in shown
        assert first.formulas[0].split("   ")[0] in shown          # the first equation, on screen
        assert tr("sheet.title", lang, title=app.catalog.topics["lstm"].title[lang])[:8] in shown
        assert "lstm" not in shown                                  # no internal id
        # every formula of every card is on the page (scrolling down), every token whole
        body = screen.body_text()
        for section in sections:
            assert section.title in body
            for formula in section.formulas:
                assert formula.split()[0] in body and formula.split()[-1] in body
        # it scrolls: the last card's title comes into view
        for _ in range(12):
            await pilot.press("pagedown")
        await pilot.pause()
        assert sections[-1].title in "\n".join(_screen_lines(app))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)


@pytest.mark.slow
async def test_help_lists_the_formula_key_of_the_lesson(tmp_path):
    from tutor.screens.help import key_rows
    from tutor.screens.lesson import LessonScreen

    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(80, 24)):
        assert ("f", tr("key.sheet", "ko")) in key_rows(app, LessonScreen, "ko")


@pytest.mark.slow
@pytest.mark.parametrize("lang,query,topic", [("ko", "공식 어텐션", "attention"), ("en", "formula lstm", "lstm"),
                                              ("ko", "공식 lstm", "lstm")])
async def test_the_palette_finds_a_formula_sheet(tmp_path, lang, query, topic):
    from tutor.screens.home import HomeScreen
    from tutor.screens.sheet import FormulaSheetScreen, SheetProvider

    app = create_app(data_dir=tmp_path / "d", lang=lang, seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        hits = [h async for h in SheetProvider(app.screen).search(query)]
        want = tr("sheet.title", lang, title=app.catalog.topics[topic].title[lang])
        assert max(hits, key=lambda h: h.score).text == want
        # a plain topic search is left to the lesson (the palette's first hit stays the topic)
        assert not [h async for h in SheetProvider(app.screen).search(app.catalog.topics[topic].title[lang])]
        # as a person would: ctrl+p, type, Enter
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*("space" if ch == " " else ch for ch in query))
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FormulaSheetScreen) and app.screen.topic_id == topic
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_the_palette_opens_every_topics_formulas_at_once(tmp_path, lang):
    from tutor.screens.sheet import FormulaSheetScreen, SheetProvider

    app = create_app(data_dir=tmp_path / "d", lang=lang, seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        word = tr("key.sheet", lang).split()[0]
        hits = sorted([h async for h in SheetProvider(app.screen).search(word)], key=lambda h: -h.score)
        assert hits[0].text == tr("sheet.all_title", lang)
        hits[0].command()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FormulaSheetScreen) and screen.topic_id is None
        body = screen.body_text()
        titles = [t.title[lang] for t in app.catalog.topics.values()]
        headings = [ln for ln in body.splitlines() if re.match(r"\d+\. ", ln)]
        assert headings == [f"{i}. {t}" for i, t in enumerate(titles, 1)]   # every topic, in course order


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_a_topic_without_formulas_says_so(tmp_path, lang):
    content = tmp_path / "c"
    content.mkdir()
    (content / "words.yaml").write_text("""\
topic: words
order: 10
title: {ko: "말로만 된 주제", en: "A topic of words only"}
summary: {ko: "공식이 없습니다.", en: "No formulas."}
requires: []
cards:
  - id: words.one
    title: {ko: "첫 카드", en: "First card"}
    body: {ko: "공식 없이 말로만 설명합니다.", en: "Explained in words only."}
questions: []
""", encoding="utf-8")
    app = create_app(data_dir=tmp_path / "d", lang=lang, seed=7, content=[content])
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_lesson(app, pilot, "words")
        await pilot.press("f")
        await pilot.pause()
        assert tr("sheet.empty", lang) in "\n".join(_screen_lines(app))


@pytest.mark.slow
@pytest.mark.parametrize("size", [(40, 12), (80, 24)])
async def test_the_sheet_fits_the_width_and_scrolls_sideways_only_for_what_cannot_break(tmp_path, size):
    from textual.containers import ScrollableContainer

    from tutor.screens.sheet import FormulaSheetScreen

    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.push_screen(FormulaSheetScreen("lstm"))
        await pilot.pause()
        width = app.screen.text_width()
        lines = app.screen.body_text().splitlines()
        assert all(cells(ln) <= width for ln in lines), [ln for ln in lines if cells(ln) > width]
        assert app.screen.query_one(ScrollableContainer).max_scroll_x == 0
        # EM has a fraction that cannot be broken: it is whole and the page scrolls sideways for it
        app.pop_screen()
        app.push_screen(FormulaSheetScreen("em"))
        await pilot.pause()
        long = [ln for ln in app.screen.body_text().splitlines() if cells(ln) > app.screen.text_width()]
        if size[0] == 40:
            assert long and all("(θ_A^(hᵢ)(1−θ_A)^(tᵢ)" in ln for ln in long)
            assert app.screen.query_one(ScrollableContainer).max_scroll_x > 0
