"""Issue 22 (parts 2, 4, 6): display equations, the formula sheet, the glossary screen, particles in messages."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
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
    from tutor.i18n import all_strings, tr

    STRINGS = all_strings()

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


# --------------------------------------------------------------------------- line mode: Markdown emphasis

EMPHASIS_TOPIC = """topic: emph
order: 1
title: {ko: "강조", en: "Emphasis"}
questions:
  - id: emph.q.one
    kind: choice
    prompt:
      ko: "LSTM 후보값 $\\\\tilde c_t$로 **나올 수 없는** 값은?"
      en: "Which value can $\\\\tilde c_t$ **not** take?"
    hints:
      - {ko: "후보값은 **tanh** 값입니다.", en: "It is a **tanh** value."}
    choices:
      - {ko: "0.6", en: "0.6", why: {ko: "0.6은 *범위 안*에 있습니다.", en: "0.6 is *inside* the range."}}
      - {ko: "2.1", en: "2.1"}
    answer: 1
    explain:
      ko: "범위는 **(−1, 1)**이고 `**코드**`는 그대로입니다."
      en: "The range is **(−1, 1)**; `**code**` stays."
"""


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _plain_session(tmp_path, out, answers=(":hint", "1")):
    from types import SimpleNamespace

    from tutor.linemode import run_practice

    (tmp_path / "c").mkdir(parents=True, exist_ok=True)
    (tmp_path / "c" / "emph.yaml").write_text(EMPHASIS_TOPIC, encoding="utf-8")
    args = SimpleNamespace(topic="emph", lang="ko", seed=1, count=None, json=False, data_dir=str(tmp_path / "d"),
                           content=[str(tmp_path / "c")])
    assert run_practice(args, stdin=io.StringIO("".join(a + "\n" for a in answers)), stdout=out) == 0
    return out.getvalue()


def test_line_mode_prints_emphasis_without_asterisks_to_a_pipe(tmp_path, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    text = _plain_session(tmp_path, io.StringIO())
    assert "후보값 c̃ₜ로 나올 수 없는 값은?" in text                       # prompt
    assert "후보값은 tanh 값입니다." in text                                # hint
    assert "0.6은 범위 안에 있습니다." in text                              # the wrong choice's why (feedback)
    assert "범위는 (−1, 1)이고 `**코드**`는" in text                        # explanation; code kept as written
    assert "**나올" not in text and "*범위" not in text and "\x1b[" not in text


def test_line_mode_prints_emphasis_bold_on_a_terminal_unless_no_color(tmp_path, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    text = _plain_session(tmp_path, _Tty())
    assert "\x1b[1m나올 수 없는\x1b[22m" in text and "\x1b[1mtanh\x1b[22m" in text
    assert "\x1b[3m범위 안\x1b[23m" in text and "**" not in text.replace("`**코드**`", "")
    monkeypatch.setenv("NO_COLOR", "1")
    text = _plain_session(tmp_path / "nc", _Tty())
    assert "나올 수 없는 값은?" in text and "\x1b[" not in text and "**나올" not in text


@pytest.mark.parametrize("md, plain", [
    ("**굵게**와 *기울임*, __밑줄식__", "굵게와 기울임, 밑줄식"),
    ("x_i와 y_j, a * b, 2 \\* 3", "x_i와 y_j, a * b, 2 * 3"),           # not emphasis
    ("$a_1 * b$와 **$\\theta_A$는**", "a₁\u00a0*\u00a0b와 θ_A는"),        # math rendered, then emphasis
    ("`**code**` **x**", "`**code**` x"),
])
def test_plain_markdown(md, plain):
    from tutor.mathtext import plain_markdown

    assert plain_markdown(md) == plain


# --------------------------------------------------------------------------- inline math is one unit when wrapped

FORMULA = "$\\hat\\theta_A = \\frac{h_A}{n_A} = 0.8$"
PARAGRAPH = ("E 단계에서 두 동전의 책임값을 구하고, M 단계에서 동전 A의 추정값을 다시 계산하면 " + FORMULA +
             "이 되고, 이 값은 처음 추정값보다 참값에 더 가깝습니다. 반복하면 수렴합니다.")


def _rendered_formula() -> str:
    return render_markdown_math(FORMULA)


def test_inline_math_has_no_breaking_space_and_display_math_keeps_its_spaces():
    f = _rendered_formula()
    assert "\u00a0" in f and " " not in f and "=" in f
    assert not [c for c in f if c.isspace() and c not in "\u00a0\u202f\u2007"]
    display = render_markdown_math("$$" + FORMULA.strip("$") + "$$")
    assert " = " in display                                         # display math: ordinary spaces
    from tutor.anki_html import md_html

    html = md_html(PARAGRAPH)
    assert "\u00a0" not in html and "&nbsp;" not in html and "\\frac{h_A}{n_A}" in html   # Anki gets the LaTeX


def _lines_holding_formula(lines: list[str], formula: str) -> None:
    joined = [ln.rstrip() for ln in lines]
    assert any(formula in ln for ln in joined), joined               # whole on one line
    head = formula.split("\u00a0")[0]
    assert sum(head in ln for ln in joined) == 1


@pytest.mark.parametrize("width", [30, 40, 52])
def test_a_paragraph_wrapped_by_textwrap_never_splits_inline_math(width):
    import textwrap

    text = render_markdown_math(PARAGRAPH)
    _lines_holding_formula(textwrap.wrap(text, width), _rendered_formula())


@pytest.mark.parametrize("width", [30, 40, 52])
def test_a_paragraph_wrapped_by_rich_and_textual_never_splits_inline_math(width):
    from rich.console import Console
    from rich.markdown import Markdown
    from textual.content import Content

    from tutor.nobreak import install

    assert install()
    text = render_markdown_math(PARAGRAPH)
    console = Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)
    with console.capture() as cap:
        console.print(Markdown(text))
    lines = cap.get().splitlines()
    assert max(len(ln.rstrip()) for ln in lines) <= width            # it did wrap
    _lines_holding_formula(lines, _rendered_formula())
    wrapped = Content(text).wrap(width)                               # what the TUI's Markdown widget does
    _lines_holding_formula([c.plain for c in wrapped], _rendered_formula())
    # other spaces still break: the Korean words around the formula are wrapped as usual
    assert len(wrapped) >= 4


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \t\n\u00a0\u2007\u202f\u3000ab가θ=.", max_size=40))
def test_the_word_matcher_is_the_no_break_pattern(text):
    """Rich's words with the no-break spaces kept inside words: the same spans and words as the
    pattern that says so (whitespace but the three no-break spaces breaks; U+3000 still does)."""
    from rich._wrap import re_word

    from tutor.nobreak import NO_BREAK_SPACES, NoBreakWords

    rich_pattern = re_word.pattern if isinstance(re_word, NoBreakWords) else re_word
    spaces = NO_BREAK_SPACES
    reference = re.compile(rf"[^\S{spaces}]*[\S{spaces}]+[^\S{spaces}]*")
    matcher = NoBreakWords(rich_pattern)

    def words(match):
        out, found = [], match(text, 0)
        while found is not None:
            out.append((found.span(), found.group(0)))
            found = match(text, found.span()[1])
        return out

    assert words(matcher.match) == words(reference.match)


@pytest.mark.slow
@pytest.mark.parametrize("where", [[], ["e", "ctrl+s"]])   # home, and an exam (whose quit key is ctrl+q)
async def test_ctrl_c_says_how_to_quit_in_korean(tmp_path, where):
    """A reflexive ctrl+c does not quit; the note saying which key does is in the learner's language
    (it was Textual's English "Do you want to quit?")."""
    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in where:
            await pilot.press(key)
            await pilot.pause()
        await pilot.press("ctrl+c")
        await pilot.pause()
        notes = [n for n in app._notifications if "끝" in (n.title or "")]
        assert notes, [(n.title, n.message) for n in app._notifications]
        assert "키를 누르면 끝납니다" in notes[-1].message
        assert not re.search("[A-Za-z]{3,}", notes[-1].title + notes[-1].message.replace("ctrl", ""))


@pytest.mark.asyncio
@pytest.mark.parametrize("size", [(40, 12), (80, 24), (300, 80)])
async def test_glossary_columns_all_show_at_every_width(data_dir, size):
    """At 40 columns the names took their full width and the third column (the forms to avoid) was
    off the right edge: there, the forms are under the English name, and every column is on screen."""
    from tutor.sheet import glossary_rows

    app = create_app(data_dir=data_dir, lang="ko")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        widths = [c.get_render_width(table) for c in table.columns.values()]
        assert sum(widths) <= table.scrollable_content_region.width, (widths, size)
        shown = "\n".join(str(c) for r in range(table.row_count) for c in table.get_row_at(r))
        for ko, en, avoid in glossary_rows(app.screen._glossary):   # every name and form is in a cell on screen
            assert ko in shown and en in shown and all(a in shown for a in avoid.split(", ") if a)
        assert len(widths) == (2 if size[0] < 80 else 3)
        search = app.screen.query_one(Input)   # a search that leaves a few rows, then the whole list again
        search.value = "우도"
        await pilot.pause()
        search.value = ""
        await pilot.pause()
        await pilot.pause()
        widths = [c.get_render_width(table) for c in table.columns.values()]
        assert sum(widths) <= table.scrollable_content_region.width, (widths, size, "after a search")
