"""descent-2d: gradient descent and the optimizers on a 2-D loss surface, against closed forms and
torch.optim; its contour points; the lab's picture draws the trace's values, side by side when wide."""

from __future__ import annotations

import numpy as np
import pytest

from engine.algorithms.descent_2d import contour
from engine.core import InputError
from engine.registry import get_algorithm
from tutor import labs, plots

ALG = get_algorithm("descent-2d")


def _path(out, opt):
    return [(r["x"], r["y"]) for r in out["trace"] if r["optimizer"] == opt]


def test_sgd_on_a_quadratic_follows_the_closed_form():
    # f = a x² + b y²: x_t = x₀ (1 − 2aη)^t, y_t = y₀ (1 − 2bη)^t
    a, b, lr, (x0, y0) = 1.5, 8.0, 0.05, (-3.0, 2.0)
    out = ALG.run({"surface": "quadratic", "a": a, "b": b, "start": [x0, y0], "optimizer": "sgd", "lr": lr,
                   "steps": 25})
    t = np.arange(26)
    np.testing.assert_allclose(np.array(_path(out, "sgd")),
                               np.c_[x0 * (1 - 2 * a * lr) ** t, y0 * (1 - 2 * b * lr) ** t], rtol=1e-12, atol=1e-15)
    rows = [r for r in out["trace"]]
    np.testing.assert_allclose([r["f"] for r in rows], [a * r["x"] ** 2 + b * r["y"] ** 2 for r in rows])
    assert out["diverged"] == [False] and out["minimum"] == {"x": 0.0, "y": 0.0}


def test_a_learning_rate_too_large_diverges_and_the_edge_preset_shows_it():
    out = ALG.run(labs.preset("descent-2d", "edge"))
    assert out["diverged"] == [True] and "exceeded" in out["reason"][0]
    ys = [y for _, y in _path(out, "sgd")]
    # y_t = y₀ (1 − 2bη)^t with |1 − 2bη| > 1: it flips sign and grows every step
    assert all(abs(b) > abs(a) and a * b < 0 for a, b in zip(ys, ys[1:]))
    ok = ALG.run({**labs.preset("descent-2d", "edge"), "lr": 0.09})   # 2bη < 2: converges
    assert ok["diverged"] == [False] and ok["f_final"][0] < 1e-3


@pytest.mark.slow
@pytest.mark.parametrize("surface", ["quadratic", "rosenbrock"])
@pytest.mark.parametrize("opt", ["sgd", "momentum", "adagrad", "rmsprop", "adam"])
def test_every_optimizer_agrees_with_torch_optim(surface, opt):
    torch = pytest.importorskip("torch")
    a, b = (1.0, 10.0) if surface == "quadratic" else (1.0, 5.0)
    start, lr, steps = [-1.2, 1.0], {"sgd": 0.01, "momentum": 0.005, "adagrad": 0.3, "rmsprop": 0.01,
                                      "adam": 0.05}[opt], 30
    out = ALG.run({"surface": surface, "a": a, "b": b, "start": start, "optimizer": opt, "lr": lr, "steps": steps})
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    make = {"sgd": lambda: torch.optim.SGD([p], lr=lr), "momentum": lambda: torch.optim.SGD([p], lr=lr, momentum=0.9),
            "adagrad": lambda: torch.optim.Adagrad([p], lr=lr, eps=1e-10),
            "rmsprop": lambda: torch.optim.RMSprop([p], lr=lr, alpha=0.99, eps=1e-8),
            "adam": lambda: torch.optim.Adam([p], lr=lr, betas=(0.9, 0.999), eps=1e-8)}[opt]
    o = make()
    ref = [tuple(p.detach().tolist())]
    for _ in range(steps):
        o.zero_grad()
        x, y = p[0], p[1]
        f = a * x ** 2 + b * y ** 2 if surface == "quadratic" else (a - x) ** 2 + b * (y - x ** 2) ** 2
        f.backward()
        o.step()
        ref.append(tuple(p.detach().tolist()))
    np.testing.assert_allclose(np.array(_path(out, opt)), np.array(ref), rtol=1e-9, atol=1e-12)


def test_several_optimizers_run_from_one_start_with_their_own_learning_rates():
    out = ALG.run(ALG.example)
    assert out["optimizers"] == ["momentum", "adam"] and out["lrs"] == [0.02, 0.3]
    for opt in out["optimizers"]:
        alone = ALG.run({**ALG.example, "optimizer": opt, "lr": out["lrs"][out["optimizers"].index(opt)]})
        assert _path(alone, opt) == _path(out, opt)
        assert _path(out, opt)[0] == (-4.0, 2.0)


@pytest.mark.parametrize("bad, key", [
    ({"optimizer": "newton"}, "optimizer"), ({"lr": [0.1, 0.2, 0.3]}, "lr"), ({"lr": -1}, "lr"),
    ({"start": [1, 2, 3]}, "start"), ({"surface": "saddle"}, "surface"), ({"a": 0}, "a"),
    ({"optimizer": ["adam", "adam"]}, "optimizer"),
])
def test_bad_input_names_the_key(bad, key):
    with pytest.raises(InputError) as e:
        ALG.run({**ALG.example, **bad})
    assert e.value.key == key


def test_contour_points_lie_on_the_levels_of_the_surface():
    for inputs in (ALG.example, {"surface": "rosenbrock", "start": [-1.5, 2], "optimizer": "adam", "lr": 0.05}):
        out = ALG.run(inputs)
        nx, ny = 64, 32
        c = contour(out, nx=nx, ny=ny)
        a, b = out["a"], out["b"]

        def f(x, y, a=a, b=b, quad=out["surface"] == "quadratic"):   # the surface again, not the engine's loss()
            return a * x ** 2 + b * y ** 2 if quad else (a - x) ** 2 + b * (y - x ** 2) ** 2
        dx = (c["xlim"][1] - c["xlim"][0]) / (nx - 1)
        dy = (c["ylim"][1] - c["ylim"][0]) / (ny - 1)
        x, y = np.array(c["x"]), np.array(c["y"])
        level = np.array(c["levels"])[c["level"]]
        # each point is a grid node with its level between it and one of its four neighbours
        side = f(x, y) - level
        across = np.zeros(len(x), dtype=bool)
        for ox, oy in ((dx, 0), (-dx, 0), (0, dy), (0, -dy)):
            across |= side * (f(x + ox, y + oy) - level) <= 0
        assert len(x) > 100 and across.all()
        assert np.all(np.abs(side) <= np.abs(f(x, y) - f(x + dx, y)) + np.abs(f(x, y) - f(x, y + dy))
                      + np.abs(f(x, y) - f(x - dx, y)) + np.abs(f(x, y) - f(x, y - dy)))
        assert c["levels"] == sorted(c["levels"], reverse=True)
        for px, py in ((p["x"], p["y"]) for p in (out["start"], out["minimum"])):
            assert c["xlim"][0] < px < c["xlim"][1] and c["ylim"][0] < py < c["ylim"][1]


def test_the_plotted_path_markers_are_the_engines_iterates():
    inputs = labs.example("descent-2d")
    run = labs.run_inputs("descent-2d", inputs)
    out = run.out
    for i in (0, 7, 40):
        *panels, loss = plots.charts("descent-2d", inputs, out, i, run.extras)
        assert len(panels) == 2
        for k, (opt, ch) in enumerate(zip(out["optimizers"], panels)):
            path = _path(out, opt)[: i + 1]
            marks = next(s for s in ch.series if s.kind == "scatter" and s.marker == plots.PATH_MARKERS[k])
            assert list(zip(marks.x, marks.y)) == path
            con = ch.series[0]
            assert (con.x, con.y) == (run.extras["contour"]["x"], run.extras["contour"]["y"])
            assert ch.xlim == tuple(run.extras["contour"]["xlim"])
            f = next(s for s in loss.series if s.label == opt)
            assert f.y == [r["f"] for r in out["trace"] if r["optimizer"] == opt]


def test_momentum_and_adam_side_by_side_when_wide_stacked_at_80_columns():
    for name in ("descent-2d", "optimizer"):
        inputs = labs.example(name)
        run = labs.run_inputs(name, inputs)
        chs = plots.charts(name, inputs, run.out, 3, run.extras)
        titles = [c.title.split(":")[0] for c in chs]
        assert any("momentum" in t for t in titles) and any("adam" in t for t in titles), titles
        wide, narrow = plots.layout(chs, 160), plots.layout(chs, 79)
        assert len(wide[0]) >= 2 and {"momentum", "adam"} <= {c.title.split(",")[0].split(":")[0] for c in wide[0]}
        assert all(len(row) == 1 for row in narrow)
        from rich.console import Console

        console = Console(width=161, record=True, color_system=None)
        console.print(plots.picture(name, inputs, run.out, 3, run.extras, width=160, height=20))
        first = next(line for line in console.export_text().splitlines() if "momentum" in line)
        assert "adam" in first                        # both panel titles on one line: side by side


def test_without_colour_every_series_has_a_marker_of_its_own(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    ch = plots.Chart("two series", [plots.Series("scatter", [0, 1, 2], [0, 1, 2], "A", "red", "dot"),
                                    plots.Series("scatter", [0, 1, 2], [2, 1, 0], "B", "blue", "dot")])
    text = plots.render_chart(ch, 40, 12)
    assert "\x1b[" not in text
    a, b = plots.mono_markers(ch.series)
    assert a != b and a in text and b in text
    # with colour the two may share a marker (the colour tells them apart)
    monkeypatch.delenv("NO_COLOR")
    assert "\x1b[" in plots.render_chart(ch, 40, 12)
    # a whole lab picture: θ_A and θ_B, both lines, no colour codes and two markers in the legend
    monkeypatch.setenv("NO_COLOR", "1")
    inputs = labs.example("em-coins")
    run = labs.run_inputs("em-coins", inputs)
    from rich.console import Console

    console = Console(width=81, record=True, force_terminal=True, color_system="truecolor")
    console.print(plots.picture("em-coins", inputs, run.out, 2, run.extras, width=80, height=20))
    out = console.export_text(styles=True)
    assert "\x1b[" not in out.replace("\x1b[0m", "")
    legend = [line for line in out.splitlines() if "┤" in line and (" θ_A" in line or " θ_B" in line)]
    marks = {line.split(" θ_")[0][-1] for line in legend}          # "┤ ⢕⢕ θ_A": the legend's marker
    assert len(marks) == 2, legend


def test_the_monochrome_theme_and_no_color_draw_pictures_without_colour(tmp_path, monkeypatch):
    from tutor.app import create_app
    from tutor.screens.labs import lab_view

    app = create_app(data_dir=tmp_path / "d", lang="en")
    assert app.pictures_in_color()
    app.theme = "tutor-mono"
    assert not app.pictures_in_color()
    inputs = labs.example("descent-2d")
    run = labs.run_inputs("descent-2d", inputs)
    parts, _ = lab_view("descent-2d", inputs, run, 3, "en", 60, color=app.pictures_in_color())
    spans = [sp for p in parts for t in getattr(p, "renderables", [p]) for sp in getattr(t, "spans", [])]
    assert spans == []                          # no styled (coloured) span anywhere in the picture
    parts, _ = lab_view("descent-2d", inputs, run, 3, "en", 60, color=True)
    spans = [sp for p in parts for t in getattr(p, "renderables", [p]) for sp in getattr(t, "spans", [])]
    assert any("color(" in str(sp.style) for sp in spans)     # with colour the same picture has colours
