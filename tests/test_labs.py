"""Labs: one per engine algorithm (inputs, limits, presets, frames, pictures from the trace,
persistence), the lab screen in both languages and two sizes, `tutor solve --plot`, stats plots."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime, timedelta

import pytest
from textual.widgets import Static, TextArea

from engine.registry import algorithms
from tutor import labs, plots, plots_lab
from tutor.app import create_app

NAMES = labs.names()
# labs whose picture is a Rich grid (heatmap, sliding window, network table, tokens), not a chart
RICH_PICTURES = {"attention", "multihead-attention", "positional-encoding", "conv2d", "mlp", "batching",
                 "mlm-masking", "wordpiece"}


def test_every_engine_algorithm_has_a_lab_with_hints_and_three_working_presets():
    assert set(NAMES) == set(algorithms()) and len(NAMES) == len(set(NAMES))
    for name in NAMES:
        assert labs.hints(name), name            # allowed values or range beside every lab's inputs
        for which in labs.PRESETS:
            run = labs.run_inputs(name, labs.preset(name, which, seed=3))
            assert run.error is None and run.out is not None, (name, which, run.error)
            assert labs.frames(name, run.out), (name, which)
    # the edge case differs from the example (a tie, a saturated sigmoid, a divergence …)
    assert sum(labs.preset(n, "edge") != labs.preset(n, "example") for n in NAMES) == len(NAMES)
    assert sum(labs.preset(n, "random", seed=5) != labs.preset(n, "example") for n in NAMES) >= len(NAMES) - 4


def test_bad_input_names_the_key_and_never_raises():
    r = labs.run("em-coins", "rounds: [HHT]\ntheta_a: 1.5\ntheta_b: 0.5\n")
    assert r.out is None and r.error.key == "theta_a"
    r = labs.run("kmeans", "points: [oops")
    assert r.error.key == "YAML"
    r = labs.run("kmeans", "- just a list")
    assert r.error.key == "inputs"
    r = labs.run("gradient-descent", "derivative: 2*w\nw0: 1\nlr: 0.1\nsteps: 100000\n")
    assert r.error.key == "steps" and "2000" in r.error.message          # the lab's cap, before the engine
    bomb = "a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n" \
           "points: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    assert labs.run("kmeans", bomb).error.key == "points"
    assert labs.run("kmeans", "x" * (labs.MAX_TEXT + 1)).error.key == "inputs"


def test_a_lab_reads_numbers_as_an_exercise_does():
    """Exercises accept "０.６", "3/5" and "60%" and explain "0,6"; the EM lab said only "write a
    number" to each. The engine still decides which inputs are numbers."""
    rounds = 'rounds: ["HTTTHHTHTH", "HHHHTHHHHH"]\ntheta_b: 0.5\n'
    want = labs.run("em-coins", rounds + "theta_a: 0.6\n").out
    for typed in ("０.６", "3/5", "60%", '"0.6"', "약 0.6"):
        r = labs.run("em-coins", rounds + f"theta_a: {typed}\n")
        assert r.error is None and r.out == want, (typed, r.error and r.error.shown("en"))
    r = labs.run("kmeans", "points: [[1, 1], [1.5, 2], ['３', '4']]\ncentroids: [[1, 1], [3, 4]]\n")
    assert r.error is None, r.error.shown("en")
    comma = labs.run("em-coins", rounds + "theta_a: 0,6\n").error
    assert comma.key == "theta_a" and "0.5" in comma.shown("ko") and "소수점" in comma.shown("ko")
    assert "decimal" in comma.shown("en")
    assert labs.run("em-coins", rounds + "theta_a: HT\n").error.key == "theta_a"
    assert labs.run("em-coins", 'rounds: ["HT", 5]\ntheta_a: 0.6\ntheta_b: 0.5\n').error.key.startswith("rounds")


def test_plotted_points_are_the_engines_values():
    name = "kmeans"
    inputs = labs.example(name)
    run = labs.run_inputs(name, inputs)
    its = run.out["iterations"]
    for i, it in enumerate(its):
        [ch] = plots.charts(name, inputs, run.out, i, run.extras)
        mu = next(s for s in ch.series if s.label == "μ")
        assert list(zip(mu.x, mu.y)) == [tuple(c) for c in it["centroids"]]
        # the points of cluster c are exactly the ones the engine assigned to c in that iteration
        for c in range(len(it["centroids"])):
            pts = next(s for s in ch.series if s.label == str(c + 1))
            want = [tuple(p) for p, a in zip(inputs["points"], it["assign"]) if a == c]
            assert list(zip(pts.x, pts.y)) == want
    # EM: the θ path is the engine's iterations; GMM means; ROC curve
    run = labs.run_inputs("em-coins", labs.example("em-coins"))
    th, ll = plots.charts("em-coins", {}, run.out, 0, {})
    ta = next(s for s in th.series if s.label == "θ_A")
    assert ta.y[1:] == [r["theta_a"] for r in run.out["iterations"]]
    assert next(s for s in ll.series if s.label == "log L").y == [r["log_likelihood"] for r in run.out["iterations"]]
    inp = labs.example("classification-metrics")
    run = labs.run_inputs("classification-metrics", inp)
    [roc] = plots.charts("classification-metrics", inp, run.out, 0, {})
    assert roc.series[0].x == run.out["fpr_curve"] and roc.series[0].y == run.out["tpr_curve"]
    # activation curves come from the engine run over a range, not from a formula in the UI
    inp = labs.example("activation")
    run = labs.run_inputs("activation", inp)
    [act] = plots.charts("activation", inp, run.out, 0, run.extras)
    assert act.series[0].y == run.extras["curve"]["value"]


@pytest.mark.parametrize("name", NAMES)
def test_every_lab_draws_a_picture_in_both_languages(name):
    import io

    from rich.console import Console

    inputs = labs.example(name)
    run = labs.run_inputs(name, inputs)
    fs = labs.frames(name, run.out)
    for lang in ("ko", "en"):
        for width in (80, 38):
            for f in (fs[0], fs[-1]):
                pic = plots.picture(name, inputs, run.out, f.index, run.extras, width=width, height=12, lang=lang)
                assert pic is not None, (name, lang, width)
                console = Console(file=io.StringIO(), width=width + 2, color_system=None)
                console.print(pic)
                assert console.file.getvalue().strip(), (name, lang)


def _drawn(pic, width: int) -> list[str]:
    """A picture as the terminal shows it at ``width`` columns, colours stripped."""
    import io

    from rich.console import Console

    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(pic)
    return console.file.getvalue().rstrip("\n").split("\n")


def _frame_problems(lines: list[str], width: int) -> list[str]:
    """Lines wider than ``width`` cells, and charts whose frame is bent: in each block of lines
    drawn with a frame, the left border (│ ┤ ┌ └) and the right border (│ ┐ ┘ ┤) each in one column."""
    from tutor.tables import cells

    bad = [f"{cells(line)} cells: {line}" for line in lines if cells(line) > width]
    left: set[int] = set()
    right: set[int] = set()
    for line in lines + [""]:
        ls = [cells(line[:k]) for k, ch in enumerate(line) if ch in "│┤┌└"]
        rs = [cells(line[:k]) for k, ch in enumerate(line) if ch in "│┐┘┤"]
        if rs:
            left.add(ls[0])
            right.add(rs[-1])
        elif right:
            if len(left) > 1 or len(right) > 1:
                bad.append(f"frame columns left {sorted(left)} right {sorted(right)}")
            left, right = set(), set()
    return bad


@pytest.mark.parametrize("name", NAMES)
def test_korean_pictures_fit_the_width_with_a_straight_frame(name):
    """A Hangul character takes two cells: legends (핵심, 이웃, 사영), titles and ticks in Korean
    keep every line within the width and the chart's frame in line."""
    inputs = labs.example(name)
    run = labs.run_inputs(name, inputs)
    fs = labs.frames(name, run.out)
    for width in (80, 40):
        for f in (fs[0], fs[-1]):
            pic = plots.picture(name, inputs, run.out, f.index, run.extras, width=width, height=16, lang="ko",
                                color=False)
            lines = _drawn(pic, width)
            assert not _frame_problems(lines, width), (name, width, f.index, "\n".join(lines))


def test_hangul_and_combining_marks_take_their_cells_in_every_chart_text():
    """Title, legend, tick and bar labels with Hangul (two cells) and θ̂ (a combining mark, one
    cell) come out whole, within the width, the frame straight."""
    ch = plots.Chart("핵심점과 경계점", xlabel="반복 횟수", yticks=([0, 1], ["영", "일"]))
    ch.series += [plots.Series("scatter", [0, 1, 2], [0, 1, 0], "핵심", "green", "dot"),
                  plots.Series("line", [0, 2], [1, 0], "θ̂_A", "red"),
                  plots.Series("scatter", [1], [0.5], "잡음점", "red", "x")]
    bars = plots.Chart("막대", [plots.Series("bar", ["가", "나다"], [1, 2], "개수", "cyan")])
    for chart in (ch, bars):
        for width in (80, 40, 23):
            for color in (True, False):
                lines = plots._uncolor(plots.render_chart(chart, width, 12, color)).split("\n")
                assert not _frame_problems(lines, width), (width, color, "\n".join(lines))
                text = "\n".join(lines)
                assert "\ue000" not in text and "\uf8ff" not in text
    text = plots.render_chart(ch, 60, 12, False)
    for word in ("핵심점과 경계점", "반복 횟수", "핵심", "θ̂_A", "잡음점", "영", "일"):
        assert word in text, word
    assert "나다" in plots.render_chart(bars, 60, 12, False)


def test_an_activation_names_its_own_derivative():
    """σ′(x) for the sigmoid, ReLU′(x) for ReLU (never the L′(w) of gradient descent): in the
    frames, the result rows and the picture's legend, in both languages."""
    for fn, want in (("sigmoid", "σ′(x)"), ("tanh", "tanh′(x)"), ("relu", "ReLU′(x)"), ("gelu", "GELU′(x)")):
        inputs = {"name": fn, "x": [0.5, 1.0]}
        run = labs.run_inputs("activation", inputs)
        fs = labs.frames("activation", run.out)
        assert want in [k for k, _ in fs[-1].rows] and want in fs[-1].title["ko"] and want in fs[-1].title["en"]
        assert dict(labs.summary_rows("activation", run.out))[want] == run.out["derivative"]
        for lang in ("ko", "en"):
            [ch] = plots.charts("activation", inputs, run.out, 1, run.extras, lang)
            assert want in [s.label for s in ch.series]
            drawn = "\n".join(_drawn(plots.picture("activation", inputs, run.out, 1, run.extras, lang=lang), 80))
            assert want in drawn and "L′" not in drawn and fn not in drawn.replace("tanh", "")
        assert all("L′" not in k for f in fs for k, _ in f.rows)
    assert labs.math_name("derivative") == "L′(w)"     # gradient descent's input is a loss's derivative


def test_pictures_stay_readable_in_a_small_panel():
    """What a student saw at 80×24: a diverging optimizer's y ticks short (not 22 digits), whole
    steps on a step axis (1, 2, 3, not 2.5), every legend kept in a short chart (the T of each
    softmax curve, γ and μ ± σ of a 1-D GMM), the MLE estimate by its math name."""
    def drawn(name, inputs, index=-1, width=46, height=12):
        run = labs.run_inputs(name, inputs)
        f = labs.frames(name, run.out)[index]
        return _drawn(plots.picture(name, inputs, run.out, f.index, run.extras, width=width, height=height,
                                    lang="ko", color=False), width)

    lines = drawn("optimizer", labs.example("optimizer"), 0)
    assert "발산" in "\n".join(lines)
    assert all(len(line.split("┤")[0].strip()) <= 9 for line in lines if "┤" in line), "\n".join(lines)
    lines = drawn("em-coins", labs.example("em-coins"))
    ticks = [tick for axis, tick, label in zip(lines, lines[1:], lines[2:]) if "┬" in axis and "반복" in label]
    assert len(ticks) == 2 and all("." not in t for t in ticks), "\n".join(lines)
    text = "\n".join(drawn("softmax", labs.example("softmax")))
    assert all(f"T={t:g}" in text for t in (0.5, 1, 2, 5)), text
    text = "\n".join(drawn("gmm-em", labs.example("gmm-em"), 1))
    assert "γ_1" in text and "μ±σ 2" in text, text
    text = "\n".join(drawn("mle", {"data": [4.1, 5.0, 5.6], "family": "normal"}))
    assert "μ̂ = " in text and "mean" not in text, text


def test_inputs_persist_per_lab(tmp_path):
    from tutor.store import Store

    s = Store.open(tmp_path)
    assert labs.initial_text(s, "kmeans") == labs.to_text(labs.example("kmeans"))
    labs.save_text(s, "kmeans", "points: [[0, 0], [1, 1]]\ncentroids: [[0, 0]]\n")
    s.close()
    s = Store.open(tmp_path)
    assert labs.initial_text(s, "kmeans").startswith("points: [[0, 0], [1, 1]]")
    assert labs.initial_text(s, "em-coins") == labs.to_text(labs.example("em-coins"))
    s.close()


def test_startup_imports_no_plotext(tmp_path):
    code = f"""
import asyncio, pathlib, sys
from tutor.app import create_app
app = create_app(data_dir=pathlib.Path({str(tmp_path)!r}), lang='en')
async def main():
    async with app.run_test() as pilot:
        await pilot.pause()
        assert 'plotext' not in sys.modules and 'tutor.plots' not in sys.modules
        await pilot.press('a')
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert 'plotext' in sys.modules
asyncio.run(main())
"""
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


test_startup_imports_no_plotext = pytest.mark.slow(test_startup_imports_no_plotext)


# ----------------------------------------------------------------------------- the screen (Pilot)


async def _settle(app, pilot):
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def _plain(widget: Static) -> str:
    import io

    from rich.console import Console

    console = Console(file=io.StringIO(), width=200, color_system=None)
    console.print(widget.content)
    return console.file.getvalue()


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_every_lab_opens_edits_steps_and_draws(tmp_path, lang, size):
    app = create_app(data_dir=tmp_path / "d", lang=lang)
    async with app.run_test(size=size) as pilot:
        await pilot.press("a")
        await _settle(app, pilot)
        lab = app.screen
        for k, name in enumerate(lab.names):
            if k:
                await pilot.press("f5")
                await _settle(app, pilot)
            assert lab.lab_name == name and lab.out is not None and lab.error is None, name
            # a plotext chart (boxed), a Rich picture, or (an algorithm without a picture of its own)
            # its main outputs as shaded matrices, headed by their math names
            shown = _plain(lab.query_one("#lab-output", Static))
            assert "┌" in shown or lab.lab_name in RICH_PICTURES or (
                name not in plots_lab._CHARTS and plots.generic_picture(name, lab.out) is not None), name
            # an edit (append a comment line: valid YAML) re-runs the engine
            area = lab.query_one("#lab-input", TextArea)
            before = lab.run
            area.insert("\n# edited\n", area.document.end)
            await _settle(app, pilot)
            assert lab.run is not before and lab.error is None, name
            if lab.n_steps > 1:
                await pilot.press("f3")
                assert lab.step == 1, name
                await pilot.press("f2")
                assert lab.step == 0, name


@pytest.mark.slow
async def test_bad_input_keeps_the_last_good_picture_and_names_the_key_and_inputs_persist(tmp_path):
    data = tmp_path / "d"
    app = create_app(data_dir=data, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a")
        await _settle(app, pilot)
        lab = app.screen
        lab.action_next_lab(lab.names.index("em-coins") - lab.lab_index)
        await _settle(app, pilot)
        area = lab.query_one("#lab-input", TextArea)
        area.load_text(area.text.replace("theta_a: 0.6", "theta_a: 0.3"))
        await _settle(app, pilot)
        good = lab.run
        assert good.out["iterations"][0]["theta_a_before"] == 0.3
        picture = _plain(lab.query_one("#lab-output", Static))
        assert "θ_A" in picture
        area.load_text(area.text.replace("theta_a: 0.3", "theta_a: 7"))
        await _settle(app, pilot)
        assert lab.error.key == "theta_a" and lab.run is good
        assert "theta_a" in _plain(lab.query_one("#lab-error", Static))
        assert _plain(lab.query_one("#lab-output", Static)) == picture
        area.load_text(area.text.replace("theta_a: 7", "theta_a: 0.35"))
        await _settle(app, pilot)
        # a preset replaces the text (and is remembered too)
        await pilot.press("f5")   # to kmeans' neighbour and back: inputs survive a visit
        await _settle(app, pilot)
        await pilot.press("f8")
        await _settle(app, pilot)
        assert "theta_a: 0.35" in lab.query_one("#lab-input", TextArea).text
    app = create_app(data_dir=data, lang="ko")   # … and a restart
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a")
        await _settle(app, pilot)
        lab = app.screen
        assert lab.lab_name == "em-coins"
        assert "theta_a: 0.35" in lab.query_one("#lab-input", TextArea).text
        assert lab.out["iterations"][0]["theta_a_before"] == 0.35
        await pilot.press("f9")   # preset: random
        await _settle(app, pilot)
        assert "theta_a: 0.35" not in lab.query_one("#lab-input", TextArea).text and lab.error is None


@pytest.mark.slow
@pytest.mark.parametrize("name", ["kmeans", "attention"])
def test_lab_snapshot(snap_compare, tmp_path, name):
    app = create_app(data_dir=tmp_path / "d", lang="en", seed=7)

    async def go(pilot):
        await pilot.press("a")
        await _settle(pilot.app, pilot)
        lab = pilot.app.screen
        lab.action_next_lab(lab.names.index(name) - lab.lab_index)
        await _settle(pilot.app, pilot)
        await pilot.press("f3")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=go)


# ----------------------------------------------------------------------------- tutor solve --plot


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("name", NAMES)
def test_solve_plot_prints_a_picture_never_cut(name, lang, tmp_path):
    """Piped: plain text after the trace, within the console's 100 columns, no blank tails, the
    frame straight and the chart titles whole (Hangul too)."""
    env = {**__import__("os").environ, "TUTOR_DATA_DIR": str(tmp_path)}
    args = [sys.executable, "-m", "tutor", "solve", name, "--input", json.dumps(labs.example(name)), "--lang", lang]
    r = subprocess.run(args + ["--plot"], capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stderr
    plain = subprocess.run(args, capture_output=True, text=True, timeout=120, env=env).stdout
    assert r.stdout.startswith(plain.rstrip("\n")[:200])
    picture = r.stdout[len(plain):]
    assert picture.strip() and "no picture" not in picture
    assert "\x1b[" not in r.stdout and "…" not in picture     # piped: plain text, not cut
    lines = picture.rstrip("\n").split("\n")
    assert not _frame_problems(lines, 100), picture
    run = labs.run_inputs(name, labs.example(name))
    charts = plots.charts(name, labs.example(name), run.out, labs.frames(name, run.out)[-1].index, run.extras, lang)
    for ch in charts:
        assert ch.title in picture, (ch.title, picture)
    if charts:     # a chart's centred title and tick line end with their text
        assert all(line == line.rstrip() for line in lines), picture


# ----------------------------------------------------------------------------- stats plots


def test_stats_charts_show_the_stats_numbers():
    days = [("12-01", 0), ("12-02", 3), ("12-03", 5)]
    charts = plots.stats_charts(days, [4, 0, 2], [("2026-12-01", 50.0), ("2026-12-03", 80.0)], lang="ko")
    assert [c.series[0].y for c in charts] == [[0, 3, 5], [4, 0, 2], [50.0, 80.0]]
    assert plots.stats_charts([("12-01", 0)], [0], [], lang="en") == []
    # counts are whole numbers on the axis too (the per-day chart's axis said 3.33, 2.67, 0.67)
    for c in charts[:2]:
        assert c.yticks and all(isinstance(t, int) for t in c.yticks[0]), c.title
    text = plots.render_chart(charts[0], 60, 12, color=False)
    assert not re.search(r"\d\.\d+┤", text), text


@pytest.mark.slow
async def test_stats_screen_draws_plots(tmp_path):
    from tutor.schedule import GOOD, Scheduler
    from tutor.store import Store

    noon = datetime(2026, 12, 7, 12, 0)
    s = Store.open(tmp_path)
    sched = Scheduler(s, fuzz=False)
    for k in range(5):
        sched.review(f"x.{k}", "x", GOOD, now=noon - timedelta(days=k))
    s.close()
    app = create_app(data_dir=tmp_path, lang="en")
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        text = _plain(app.screen.query_one("#stats", Static))
        assert "cards rated per day" in text and "┌" in text


def test_the_numbers_beside_every_lab_picture_have_learner_names_not_trace_keys():
    """Issue 17/19: `cluster`, `empty`, `running_mean`, `abs_errors` … were shown as they are in the
    trace. Every row label is a math name or a word in the learner's language."""
    import re

    def internal(label: str, key: str) -> bool:
        # a trace key shown as it is, for want of a name: snake_case words, or one English word
        # (a math symbol such as h, W or tanh is its own name)
        from tutor.tables import KEY_LABELS

        return label == key and key not in labs.MATH and key not in KEY_LABELS and (
            re.fullmatch(r"[a-z]+(_[a-z0-9]+)+", key) is not None
            or (key.isalpha() and len(key) >= 3 and key not in {"tanh", "exp", "log"}))

    for name in labs.names():
        run = labs.run(name, labs.to_text(labs.example(name)) + "\n")
        assert run.out is not None, name
        keys = set(run.out) | {k for v in run.out.values() if isinstance(v, list) for r in v if isinstance(r, dict)
                               for k in r}
        rows = [r for f in labs.frames(name, run.out) for r in f.rows] + labs.summary_rows(name, run.out)
        for lang in ("ko", "en"):
            bad = sorted({labs.shown_name(n, lang) for n, _ in rows
                          if any(internal(labs.shown_name(n, lang), k) for k in keys)})
            assert not bad, (name, lang, bad)


def test_a_lab_step_header_says_the_position_once():
    """The header is "Step 2 of 3: <what this step is>"; a frame title that counted again read
    "단계 2/3: 단계 2/3" (gradient descent, optimizers) or "반복 2/5" after "단계 2/5"."""
    import re

    from tutor.i18n import tr

    for name in labs.names():
        run = labs.run_inputs(name, labs.example(name))
        fs = labs.frames(name, run.out)
        for i, f in enumerate(fs):
            for lang in ("ko", "en"):
                header = tr("labs.step", lang, i=i + 1, n=len(fs), name=f.title[lang])
                assert not re.search(r"\d+\s*/\s*\d+|\bof \d+", f.title[lang]), (name, lang, header)


@pytest.mark.parametrize("width, height", [(78, 20), (40, 12), (120, 30)])
def test_points_in_a_plane_have_one_scale_so_a_circle_is_round(width, height):
    """PCA's perpendicular axes looked skewed and DBSCAN's ε-circles were ellipses: x and y were
    each stretched to fill the plot. A chart of points in a plane now gives both axes the same
    scale on screen (a cell is about twice as tall as wide)."""
    import math

    circle = plots.Series("line", [3 + 2 * math.cos(2 * math.pi * k / 64) for k in range(65)],
                          [-1 + 2 * math.sin(2 * math.pi * k / 64) for k in range(65)], "", None, "braille")
    far = plots.Series("scatter", [-4.0, 20.0], [0.0, 0.5], "", None, "x")    # a wide cloud beside it
    ch = plots.Chart("c", [far, circle], equal=True)
    (x0, x1), (y0, y1) = plots.equal_limits(ch, width, height)
    cols, rows = width - plots.PLOT_MARGIN[0], height - plots.PLOT_MARGIN[1]
    assert (x1 - x0) / cols == pytest.approx((y1 - y0) / (plots.CELL_ASPECT * rows))
    assert x0 < -4 and x1 > 20 and y0 < -3 and y1 > 1           # every point in view
    # on screen: the circle's drawn width in columns is about twice its height in rows
    text = plots.render_chart(plots.Chart("c", [circle], equal=True), width, height, color=False)
    cells = [(r, c) for r, line in enumerate(text.split("\n")) for c, ch_ in enumerate(line) if "\u2801" <= ch_ <= "\u28ff"]
    w = max(c for _, c in cells) - min(c for _, c in cells) + 1
    h = max(r for r, _ in cells) - min(r for r, _ in cells) + 1
    assert 0.7 < w / (plots.CELL_ASPECT * h) < 1.4, (w, h, text)
    # PCA and DBSCAN draw with one scale
    for name in ("pca", "dbscan", "kmeans", "knn"):
        inp = labs.example(name)
        run = labs.run_inputs(name, inp)
        assert any(c.equal for c in plots.charts(name, inp, run.out, 0, run.extras)), name


def test_no_lab_row_label_is_an_english_word_in_korean():
    """DBSCAN showed "core ✓ / cluster 0", attention "scores / weights / output" beside Korean rows:
    literal labels in the frames skipped the label table. Math names (w_t, h_t, log p) are fine."""
    import re

    math_words = {"log p", "tanh", "exp", "log", "softmax"}
    for name in labs.names():
        run = labs.run(name, labs.to_text(labs.example(name)) + "\n")
        rows = [r for f in labs.frames(name, run.out) for r in f.rows] + labs.summary_rows(name, run.out)
        words = {labs.shown_name(n, "ko") for n, _ in rows}
        english = sorted(w for w in words if re.fullmatch(r"[a-z][a-z ]{2,}", w) and w not in math_words)
        assert not english, (name, english)


def test_a_misspelled_input_is_named_with_the_input_meant_not_silently_ignored():
    """"iteratiQons: 3" was ignored by the engine: the old result stayed, unexplained."""
    from tutor import labs as core

    text = core.to_text(core.example("em-coins")) + "\niteratiQons: 3\n"
    run = core.run("em-coins", text)
    assert run.out is None and run.error.key == "iteratiQons"
    assert "iterations" in run.error.text("en") and "iterations의 오타" in run.error.text("ko")


def test_no_preset_of_any_lab_is_taken_for_a_typo():
    from tutor import labs as core

    for name in core.names():
        for which in ("example", "random", "edge"):
            run = core.run_inputs(name, core.preset(name, which, seed=1))
            assert run.error is None or "unknown input" not in run.error.message, (name, which, run.error)


@pytest.mark.parametrize("line,ko", [("theta_b: 1.5", "1보다 작아야 합니다"), ("theta_a: [1, 2]", "숫자를 쓰세요"),
                                     ("iterations: 1000000000", "실험실에서는 200 이하여야 합니다")])
def test_input_problems_are_said_in_korean(line, ko):
    """The lab screen speaks the learner's language: the engine's "must be < 1" was shown as it is."""
    from tutor import labs as core

    key = line.split(":")[0]
    kept = [ln for ln in core.to_text(core.example("em-coins")).splitlines() if not ln.startswith(key + ":")]
    run = core.run("em-coins", "\n".join(kept + [line]))
    assert run.error.key == key and run.error.text("ko") == ko
    assert run.error.text("en") == run.error.message


@pytest.mark.slow
async def test_the_lab_counter_shows_whatever_the_title_length(tmp_path):
    """"실험실 — 옵티마이저: SGD, 모멘텀, Adagrad, RMSprop,…" lost its "(4/31)" at 80 columns: the
    counter comes before the title, which is the part the header cuts."""
    app = create_app(data_dir=tmp_path / "d", lang="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        screen = app.screen
        for _ in range(len(screen.names)):
            assert screen.sub_title.startswith(f"실험실 {screen.lab_index + 1}/{len(screen.names)} — ")
            await pilot.press("f5")
            await pilot.pause()


@pytest.mark.slow
async def test_every_labs_input_hints_can_be_read_whole_at_80x24(tmp_path):
    """The optimizers' hints ended at "momentum: μ ∈ [0, 1)": beta1, beta2, rho and eps were cut off
    without a sign, and nothing scrolled them."""
    from tutor.app import create_app

    app = create_app(data_dir=tmp_path / "d", lang="ko", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        screen = app.screen
        scrolled = 0
        for _ in range(len(screen.names)):
            box = screen.query_one("#lab-hints-box")
            hints = screen.query_one("#lab-hints")
            if hints.region.height > box.region.height:
                assert box.show_vertical_scrollbar and box.can_focus, screen.lab_name
                box.scroll_end(animate=False)
                await pilot.pause()
                assert box.scroll_y == box.max_scroll_y > 0
                scrolled += 1
            await pilot.press("f5")
            await pilot.pause()
        assert scrolled, "some lab has more hints than the box shows at once"


@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_the_input_on_the_cursors_line_says_what_it_is(tmp_path, lang):
    """A lab listed its inputs by key and range only ("c_prev: H", "theta_a: (0, 1)"): the input on
    the cursor's line also says what it is, in the learner's language (the algorithm's own words)."""
    from engine.registry import get_algorithm

    app = create_app(data_dir=tmp_path / "d", lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await _settle(app, pilot)
        lab = app.screen
        while lab.lab_name != "em-coins":
            await pilot.press("f5")
            await _settle(app, pilot)
        area = lab.query_one("#lab-input", TextArea)
        row = next(k for k, line in enumerate(area.text.splitlines()) if line.startswith("theta_a:"))
        area.focus()
        area.move_cursor((row, 0))
        await pilot.pause()
        alg = get_algorithm("em-coins")
        want = (alg.inputs_ko if lang == "ko" else alg.inputs)["theta_a"]
        hints = _plain(lab.query_one("#lab-hints", Static))
        assert want in " ".join(hints.split()), hints
        assert alg.inputs["theta_b"] not in hints and alg.inputs_ko["theta_b"] not in hints   # only that input's
