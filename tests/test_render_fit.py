"""Trace tables show math names and fit the width they get; CLI output to a pipe is never cut."""

import os
import subprocess
import sys

import pytest
from rich.console import Console, Group

from engine.core import jsonable
from engine.registry import algorithms
from tutor.render import fit, label, trace_renderables


def _em():
    alg = algorithms()["em-coins"]
    return alg, jsonable(alg.run(alg.example))


def _render(parts, width: int) -> str:
    c = Console(width=width, force_terminal=False, color_system=None)
    with c.capture() as cap:
        c.print(Group(*parts))
    return cap.get()


def test_trace_keys_show_math_names_in_both_languages():
    assert label("theta_a") == "θ_A" and label("log_likelihood") == "log L"
    assert label("iterations", "ko") == "반복" and label("no_such_key") == "no_such_key"
    alg, out = _em()
    text = _render(trace_renderables(out, summary=alg.summary, lang="ko"), 300)
    assert "θ_A" in text and "log L" in text and "theta_a" not in text and "log_likelihood" not in text


def test_a_wide_table_is_split_into_column_groups_at_80_and_40_columns_not_cut():
    alg, out = _em()
    for width in (80, 40):
        text = _render(fit(trace_renderables(out, summary=alg.summary)), width)
        assert "…" not in text
        assert max(len(line) for line in text.splitlines()) <= width
        assert "▸" in text   # the cue that the table goes on
        assert "-31.5702" in text   # the last log L, whole
    wide = _render(fit(trace_renderables(out, summary=alg.summary)), 300)
    assert "▸" not in wide


@pytest.mark.slow
def test_solve_to_a_pipe_is_full_width(tmp_path):
    p = subprocess.run([sys.executable, "-m", "tutor", "solve", "em-coins", "--input",
                        '{"rounds": ["HTTTHHTHTH", "HHHHTHHHHH"], "theta_a": 0.6, "theta_b": 0.5}'],
                       capture_output=True, text=True, timeout=60, env={**os.environ, "COLUMNS": "40"})
    assert p.returncode == 0, p.stderr
    assert "…" not in p.stdout and "θ_A" in p.stdout and "-11.5351" in p.stdout


def test_vectors_of_one_length_share_a_table_one_row_per_index():
    import io

    from rich.console import Console

    from tutor.render import trace_renderables

    out = {"labels": ["B", "A", "A"], "heads": [5, 9, 8], "tails": [5, 1, 2], "theta_a": 0.8}
    parts = trace_renderables(out, lang="en")
    assert len(parts) == 2                        # θ_A in the key–value table, the rounds side by side
    buf = io.StringIO()
    Console(file=buf, width=80, color_system=None).print(*parts)
    rows = [ln for ln in buf.getvalue().splitlines() if ln.startswith("│")]
    assert any("2" in r.split("│")[1] and "A" in r and "9" in r and "1" in r for r in rows), rows


def _rich_text(specs, width):
    from tutor.render import to_rich

    return _render([to_rich(s) for s in specs], width)


def _boxes(text):
    return [line.rstrip() for line in text.splitlines() if line[:1] and line[0] in "┏┃┡│└┌"]


@pytest.mark.parametrize("name", sorted(algorithms()))
def test_plain_tables_draw_what_rich_draws_for_every_algorithm(name):
    """`tutor solve` draws its tables without Rich (start-up budget): the same text as Rich's."""
    from tutor.tables import plain_text, trace_tables

    alg = algorithms()[name]
    out = jsonable(alg.run(alg.example))
    for lang in ("en", "ko"):
        specs = trace_tables(out, summary=alg.summary, lang=lang)
        # the boxes line for line (Rich wraps a title wider than its table; plain text does not)
        assert _boxes(plain_text(specs)) == _boxes(_rich_text(specs, 100_000))


def test_plain_tables_fit_a_terminal_width_split_into_column_groups_not_cut():
    from tutor.tables import cells, plain_text, trace_tables

    alg, out = _em()
    for width in (80, 40):
        text = plain_text(trace_tables(out, summary=alg.summary), width)
        assert max(cells(line) for line in text.splitlines()) <= width
        assert "▸" in text and "…" not in text and "-31.5702" in text
    assert "▸" not in plain_text(trace_tables(out, summary=alg.summary))


def test_plain_tables_line_up_korean_by_display_width():
    from tutor.tables import TableSpec, cells, plain_lines

    t = TableSpec("", ["항목", "값"], ["left", "right"], [["앞면 수", "5"], ["θ_A", "0.5"], ["c̃ₜ", "1"]])
    lines = plain_lines(t)
    assert len({cells(line) for line in lines}) == 1, lines
    assert cells("한글") == 4 and cells("c̃") == 1 and cells("abc") == 3


@pytest.mark.parametrize("lang,word", [("en", "columns"), ("ko", "열")])
def test_a_split_table_says_which_columns_each_part_shows_in_the_learners_language(lang, word):
    """A part was titled "◂ 1–6 / 9 ▸": not said to count columns, and in no language."""
    import re

    from tutor.tables import plain_text, trace_tables

    alg, out = _em()
    rich_text = _render(fit(trace_renderables(out, summary=alg.summary, lang=lang), lang), 60)
    plain = plain_text(trace_tables(out, summary=alg.summary, lang=lang), 60, lang)
    for text in (rich_text, plain):
        titles = re.findall(r"◂[^▸]*▸", text)   # Rich may wrap a title wider than its part
        words = r"columns? (\d+)(?:–(\d+))? of (\d+)" if lang == "en" else r"열 (\d+)(?:–(\d+))? / (\d+)"
        found = [re.fullmatch(f"◂ {words} ▸", " ".join(t.split())) for t in titles]
        assert all(found), titles
        parts = [(int(m[1]), int(m[2] or m[1]), int(m[3])) for m in found]
        assert len(parts) >= 2 and word in text, text
        tables = []   # each split table's parts, in order: they cover its columns once each
        for part in parts:
            if part[0] == 1:
                tables.append([])
            tables[-1].append(part)
        for t in tables:
            assert t[0][0] == 1 and t[-1][1] == t[0][2] and len({p[2] for p in t}) == 1, t
            assert all(b[0] == a[1] + 1 for a, b in zip(t, t[1:])), t


def _lesson_tables(topic: str, lang: str) -> str:
    from tutor.content import load_catalog, run_compute
    from tutor.screens.lesson import card_tables

    out = []
    for card in load_catalog().topics[topic].cards:
        if card.show:
            runs = run_compute(card.compute) if card.compute else {}
            out.append(_render(card_tables(card, runs, lang), 200))
    return "\n".join(out)


def test_lesson_tables_name_keys_as_their_algorithm_does_and_speak_the_learners_language():
    """A lesson's tables showed attention weights as "π / 가중치" (the GMM's mixing weights), an
    LSTM warning in English in a Korean lesson, and the row "gates_pre"."""
    attention = _lesson_tables("attention", "ko")
    assert "가중치 α" in attention and "π" not in attention
    lstm = _lesson_tables("lstm", "ko")
    assert "범위 밖입니다" in lstm and "is outside" not in lstm
    assert "gates_pre" not in lstm and "게이트 활성화 전 값" in lstm
    assert "is outside" in _lesson_tables("lstm", "en")
