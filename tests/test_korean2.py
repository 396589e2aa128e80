"""Issue 22 (parts 2, 4, 6): display equations, the formula sheet, the glossary screen, particles in messages."""

from __future__ import annotations

import re

import pytest
from textual.widgets import DataTable, Input

from tutor.app import create_app
from tutor.cli import main
from tutor.mathtext import render_markdown_math

LSTM_LHS = ("fₜ = σ(", "iₜ = σ(", "oₜ = σ(", "c̃ₜ = tanh(", "cₜ = fₜ ⊙ cₜ₋₁ + iₜ ⊙ c̃ₜ", "hₜ = oₜ ⊙ tanh(cₜ)")


def test_display_lines_become_one_block_one_equation_per_line():
    md = "Text before.\n$$a = b + c \\quad \\text{first}$$\n$$d = \\frac{1}{2} e \\quad \\text{second}$$\nAfter."
    out = render_markdown_math(md, display_blocks=True)
    lines = out.split("\n")
    assert "```text" in lines and lines.count("```") == 1
    eq = [ln for ln in lines if "=" in ln]
    assert len(eq) == 2 and eq[0].strip().startswith("a = b + c") and eq[1].strip().startswith("d = ½ e")
    assert eq[0].index("first") == eq[1].index("second")          # the names start in one column
    assert render_markdown_math(md) .count("```") == 0                   # other callers unchanged


async def _lesson_screen_text(data_dir, lang: str, width: int = 80) -> list[str]:
    from tutor.screens.lesson import LessonScreen

    app = create_app(data_dir=data_dir, lang=lang)
    async with app.run_test(size=(width, 60)) as pilot:
        await pilot.pause()
        app.push_screen(LessonScreen("lstm", 1))
        await pilot.pause()
        await pilot.pause(0.2)
        return [s.text for s in app.screen._compositor.render_strips() if "│" not in s.text]   # not the note box


@pytest.mark.slow
@pytest.mark.asyncio
@pytest.mark.parametrize("lang, names", [("ko", ("망각 게이트", "입력 게이트", "출력 게이트", "셀 상태", "은닉 상태")),
                                         ("en", ("forget gate", "input gate", "output gate", "cell state", "hidden state"))])
async def test_lstm_card_at_80_columns_has_each_equation_whole_on_its_own_line(data_dir, lang, names):
    lines = await _lesson_screen_text(data_dir, lang)
    for lhs in LSTM_LHS:
        hits = [ln for ln in lines if lhs in ln]
        assert len(hits) == 1, (lhs, hits)
        ln = hits[0]
        assert ln.count(" = ") == 1, ln                          # not run into the next equation
        assert ln.count("(") == ln.count(")"), ln               # not broken mid-expression
    for name in names:
        assert any(name in ln and " = " in ln for ln in lines), name   # each equation with its name


def test_sheet_prints_the_lstm_equations(capsys):
    assert main(["sheet", "lstm", "--lang", "ko"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# 공식 정리")
    for lhs in LSTM_LHS:
        assert lhs in out
    assert "망각 게이트(forget gate)" in out
    assert "{{" not in out and "$" not in out                   # placeholders and LaTeX rendered
    assert main(["sheet", "lstm", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Formula sheet") and "forget gate" in out


def test_sheet_unknown_topic_is_a_one_line_error(capsys):
    assert main(["sheet", "no-such-topic"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no-such-topic" in err and "lstm" in err


def test_sheet_fills_placeholders_with_engine_values(capsys):
    assert main(["sheet", "attention", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "S = (Q Kᵀ)/√dₖ" in out
    assert re.search(r"α = \[0\.\d{3}", out)                     # {{dot.weights:.3f}} filled by the engine


@pytest.mark.slow
@pytest.mark.asyncio
@pytest.mark.parametrize("query, want, not_want", [("기울기", "vanishing gradient", "overfitting"),
                                                   ("Vanishing-Gradient", "기울기 소실", "과적합"),
                                                   ("과적합", "overfitting", "vanishing gradient")])
async def test_glossary_screen_filters_in_both_languages(data_dir, query, want, not_want):
    app = create_app(data_dir=data_dir, lang="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "GlossaryScreen"
        table = app.screen.query_one(DataTable)
        total = table.row_count
        app.screen.query_one(Input).value = query
        await pilot.pause()
        cells = [str(c) for r in range(table.row_count) for c in table.get_row_at(r)]
        assert 0 < table.row_count < total
        assert want in cells and not_want not in cells
        assert [str(c.label) for c in table.columns.values()][0] == "한국어"


def test_messages_about_a_known_word_pick_the_particle():
    from tutor.grading import FormatError, parse_number
    from tutor.i18n import STRINGS, tr

    assert tr("plan.err.past", "ko", date="2026-12-01", today="2026-12-07").startswith("2026-12-01은 ")
    assert tr("plan.err.past", "ko", date="2026-12-02", today="2026-12-07").startswith("2026-12-02는 ")
    assert tr("plan.err.not_date", "ko", value="내일").startswith('"내일"은 ')
    assert tr("plan.err.not_date", "en", value="내일").startswith('"내일" is not')
    # no template writes the both-forms fallback after an inserted word
    fallback = re.compile(r"\}[\"']?\s*(은\(는\)|이\(가\)|을\(를\)|과\(와\)|으로\(로\))")
    assert not [k for k, v in STRINGS.items() if fallback.search(v.get("ko", ""))]
    with pytest.raises(FormatError) as e:
        parse_number("12a")
    assert "'12a'를 " in str(e.value.text["ko"]) and "(를)" not in str(e.value.text["ko"])
