"""Labs and ``tutor solve`` on hostile input: pictures that cannot be drawn, scientific notation,
every engine input message in Korean, softmax beyond the float range."""

from __future__ import annotations

import ast
import math
import re
from pathlib import Path

import pytest
from test_labs import _plain, _settle  # the lab screen's test helpers
from textual.widgets import Static, TextArea

from tutor import labs, plots
from tutor.app import create_app
from tutor.cli import main
from tutor.input_messages import message_in

ENGINE = Path(__file__).resolve().parents[1] / "engine"
HANGUL = re.compile(r"[\uac00-\ud7a3]")
HUGE_KMEANS = "points: [[1e308, 1], [1, 1e308], [-1e308, 2]]\ncentroids: [[1, 1], [5, 7]]\n"
HUGE_KMEANS_JSON = '{"points":[[1e308,1],[1,1e308],[-1e308,2]],"centroids":[[1,1],[5,7]],"iterations":10}'


def _solve(args, capsys):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


# ----------------------------------------------------------------------------- 1. pictures that cannot be drawn


def test_a_chart_with_values_beyond_drawing_raises_plot_error_only():
    for xs in ([1e308, 1, -1e308], [10**400, 1, 2], [1e200, 0, 1]):
        ch = plots.Chart("t", [plots.Series("scatter", xs, [1, 2, 3])])
        with pytest.raises(plots.PlotError) as e:
            plots.render_chart(ch, 60, 12, False)
        assert "그림을 그릴 수 없습니다" in e.value.text("ko") and "cannot be drawn" in e.value.text("en")
    # a nan point (a mean over nothing) is left out, as before; the rest is drawn
    ch = plots.Chart("t", [plots.Series("scatter", [0, 1, math.nan], [0, 1, 2])])
    assert plots.render_chart(ch, 60, 12, False)


def test_any_plotext_failure_becomes_a_plot_error(monkeypatch):
    import plotext

    monkeypatch.setattr(plotext, "build", lambda: 1 / 0)
    with pytest.raises(plots.PlotError):
        plots.render_chart(plots.Chart("t", [plots.Series("line", [0, 1], [0, 1])]), 60, 12, False)


@pytest.mark.parametrize("name, text", [
    ("kmeans", HUGE_KMEANS),
    ("gradient-descent", "derivative: 4*w^3\nw0: 1.0e+308\nlr: 1.0e+308\n"),
])
def test_a_run_whose_picture_cannot_be_drawn_is_a_lab_error(name, text):
    run = labs.run(name, text)
    assert run.out is None and isinstance(run.error, labs.PictureError)
    assert run.error.shown("ko").startswith("그림을 그릴 수 없습니다")
    assert "cannot be drawn" in run.error.shown("en")


async def test_the_app_keeps_the_last_good_picture_and_survives_a_restart_with_the_bad_input(tmp_path):
    data = tmp_path / "d"
    app = create_app(data_dir=data, lang="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await _settle(app, pilot)
        lab = app.screen
        assert lab.lab_name == "kmeans"
        good = lab.run
        assert good is not None and good.out is not None
        picture = _plain(lab.query_one("#lab-output", Static))
        lab.query_one("#lab-input", TextArea).load_text(HUGE_KMEANS)
        await _settle(app, pilot)
        assert lab.run is good and isinstance(lab.error, labs.PictureError)
        shown = _plain(lab.query_one("#lab-error", Static))
        assert "그림을 그릴 수 없습니다" in shown and "그림은 마지막으로 올바른 입력입니다" in shown
        assert _plain(lab.query_one("#lab-output", Static)) == picture
    assert app.return_code in (None, 0)
    app = create_app(data_dir=data, lang="ko")   # the bad input was saved: it opens again, no crash
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await _settle(app, pilot)
        lab = app.screen
        assert "1e308" in lab.query_one("#lab-input", TextArea).text
        assert lab.run is None and isinstance(lab.error, labs.PictureError)
        assert "그림을 그릴 수 없습니다" in _plain(lab.query_one("#lab-error", Static))
    assert app.return_code in (None, 0)


def test_solve_plot_of_values_too_large_prints_the_trace_and_one_line(capsys):
    code, out, err = _solve(["--lang", "ko", "solve", "kmeans", "--input", HUGE_KMEANS_JSON, "--plot"], capsys)
    assert code == 1 and "kmeans" in out
    assert err.strip() == "tutor solve kmeans: " + plots.PlotError("too_large", limit="1e+150").text("ko")
    assert "Traceback" not in err and "RuntimeWarning" not in err


# ----------------------------------------------------------------------------- 2. scientific notation


def test_scientific_notation_is_a_number_in_a_lab():
    got = labs.parse("gradient-descent", "a: 1e-3\nb: 1E5\nc: -2e+3\nd: .5e2\ne: 1e\nf: 2.5E-1\n")
    assert got == {"a": 0.001, "b": 100000.0, "c": -2000.0, "d": 50.0, "e": "1e", "f": 0.25}
    run = labs.run("gradient-descent", "derivative: 4*w^3\nw0: 2\nlr: 1e-3\nsteps: 10\n")
    assert run.error is None and run.out["lr"] == 0.001


def test_the_lab_yaml_stays_safe():
    run = labs.run("kmeans", "points: !!python/object/apply:os.system ['echo hi']\n")
    assert run.out is None and run.error.key == "YAML"


# ----------------------------------------------------------------------------- 3. Korean, all of it


def _sample(node: ast.AST, src: str) -> str | None:
    """A message the raise site can produce: each filled-in value as a sample."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        out = []
        for v in node.values:
            if isinstance(v, ast.Constant):
                out.append(v.value)
            else:
                code, value = ast.get_source_segment(src, v.value), v.value
                if isinstance(value, ast.IfExp) and isinstance(value.body, ast.Constant):   # '>' if … else '≥'
                    out.append(str(value.body.value))
                else:
                    out.append("'X'" if v.conversion == ord("r") else "a, b" if "join" in code else "3")
        return "".join(out)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _sample(node.left, src), _sample(node.right, src)
        return None if left is None or right is None else left + right
    if isinstance(node, ast.Call):   # ", ".join(...)
        return "a, b"
    return None


# raise sites whose message is not written there: the expression parser's and the limits' (both below)
PASSED_ON = {("algorithms/gradient_descent.py", "e.args[0]"), ("limits.py", "*problems[0]")}


def engine_input_messages() -> list[tuple[str, str]]:
    """(where, message) for every InputError / TooMuchWork the engine raises."""
    found = []
    for path in sorted(ENGINE.rglob("*.py")):
        src = path.read_text(encoding="utf-8")
        rel = path.relative_to(ENGINE).as_posix()
        for node in ast.walk(ast.parse(src)):
            if not (isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute))):
                continue
            fn = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
            if fn not in ("InputError", "TooMuchWork") or path.name == "errors.py":
                continue
            arg = node.args[1] if len(node.args) == 2 else node.args[0] if node.args else None
            msg = _sample(arg, src) if len(node.args) == 2 else None
            if msg is None:
                assert (rel, ast.get_source_segment(src, arg)) in PASSED_ON, f"{rel}:{node.lineno}: a message to check"
                continue
            found.append((f"{rel}:{node.lineno}", msg))
    return found


def limit_messages() -> list[str]:
    from engine.limits import Limit, check_limits

    out = [Limit("int", 0, 5).problem(v) for v in ("a", math.inf, 1.5, 9)]
    out += [Limit("num", 0, 5).problem("a"), Limit("choice", choices=("a", "b")).problem("c"),
            Limit("flag").problem(1), Limit("values", hi=3).problem([1, 2, 3, 4])]
    names = Limit("names", hi=1, choices=("a", "b"))
    out += [names.problem([]), names.problem(["a", "b"]), names.problem(["z"])]
    out += [m for _, m in check_limits({}, {"x": list(range(20))}, max_values=5)]
    return out


def expression_messages() -> list[str]:
    from engine.expr import KO_MESSAGES, ExprError, parse

    out = list(KO_MESSAGES)
    for bad in ("1 $", "foo(1)", "sqrt 2", "w" * 3000, "(1", "1,5", "2w", ""):
        with pytest.raises(ExprError) as e:
            parse(bad, ("w",))
        out.append(e.value.args[0])
    return out


def test_every_engine_input_message_has_a_korean_form():
    messages = engine_input_messages()
    assert len(messages) > 120          # the scan finds the raise sites
    messages += [("limits", m) for m in limit_messages()] + [("expr", m) for m in expression_messages()]
    missing = [(where, m) for where, m in messages if not HANGUL.search(message_in(m, "ko"))]
    assert not missing, "\n".join(f"{w}: {m}" for w, m in missing)
    assert all(message_in(m, "en") == m for _, m in messages)
    assert message_in("", "ko") == ""     # a run that did not stop early has no reason


@pytest.mark.parametrize("text", [
    "x" * (labs.MAX_TEXT + 1),
    "- just a list",
    "derivative: 2*w\nw0: 1\nlr: 0.1\nsteps: 100000\n",
    "derivative: 2*w\nw0: 1\nlr: 0.1\nstesp: 10\n",
    "a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "derivative: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n",
    "derivative: 2*w\nw0: 1\nlr: [1e-3\n",
    "derivative: 1/w $\nw0: 1\nlr: 0.1\n",
], ids=["too-long", "a-list", "over-the-cap", "typo", "alias-bomb", "yaml-syntax", "expression"])
def test_lab_errors_are_korean_and_never_show_an_internal_key(text):
    err = labs.run("gradient-descent", text).error
    shown = err.shown("ko")
    assert HANGUL.search(err.text("ko")) and err.text("ko") != err.message, shown
    assert not re.search(r"\binputs\b|\bwhile parsing\b|\bexpected\b", shown), shown


def test_a_yaml_syntax_error_is_a_sentence_with_its_line():
    err = labs.run("kmeans", "iterations: 3\npoints: [[1, 2],\ncentroids: [[1, 1]]\n").error
    assert err.key == "YAML" and err.line == 3
    assert err.shown("ko") == "입력 오류: 3번째 줄: YAML 형식이 맞지 않습니다(콜론, 괄호, 따옴표, 들여쓰기를 확인하세요)"
    assert err.shown("en").startswith("Input problem: line 3: not valid YAML")


def test_hints_are_math_notation_with_korean_words():
    assert labs.hints("gradient-descent", "ko")["derivative"] == "L′(w), 예: 4*w^3"
    assert labs.hints("gradient-descent")["derivative"] == "L′(w), e.g. 4*w^3"
    assert labs.hints("perceptron", "ko")["gate"] == labs.hints("perceptron")["gate"]   # values as typed


@pytest.mark.parametrize("name, payload, korean", [
    ("em-coins", '{"rounds": ["HXT"], "theta_a": 0.5, "theta_b": 0.4}',
     "rounds[0]: 알 수 없는 문자 'X'입니다(H와 T만 쓰세요)"),
    ("em-coins", '{"rounds": [], "theta_a": 0.5, "theta_b": 0.4}', "rounds: H와 T로 된 문자열의 리스트를 쓰세요"),
    ("gradient-descent", '{"w0": 1, "lr": 0.1}', "derivative: 값이 없습니다(w에 대한 식을 쓰세요. 예: 4*w^3)"),
    ("information", '{"p": [0.5, 0.6], "q": [0.5, 0.5]}', "p: 확률의 합이 1이어야 합니다(지금 합: 1.1)"),
    ("kmeans", '{"points": "abc", "centroids": [[1, 1]]}', "points: 숫자나 숫자의 (중첩) 리스트를 쓰세요"),
])
def test_solve_errors_in_korean(name, payload, korean, capsys):
    code, _, err = _solve(["--lang", "ko", "solve", name, "--input", payload], capsys)
    assert code == 2 and err.startswith(f"tutor solve {name}: {korean}"), err


def test_solve_says_why_a_run_stopped_in_korean(capsys):
    payload = '{"derivative": "1/(w-2)", "w0": 2, "lr": 0.1}'
    code, out, _ = _solve(["--lang", "ko", "solve", "gradient-descent", "--input", payload], capsys)
    assert code == 0 and "멈춘 이유" in out and "w = 2에서 L′(w)를 계산할 수 없습니다: 0으로 나눌 수 없습니다" in out
    assert "reason" not in out and "cannot be evaluated" not in out
    code, out, _ = _solve(["solve", "gradient-descent", "--input", payload], capsys)
    assert "L′(w) cannot be evaluated at w = 2: division by zero" in out


# ----------------------------------------------------------------------------- 4. softmax beyond the float range


def test_softmax_refuses_x_over_t_beyond_the_float_range_and_stays_right_otherwise():
    from engine.core import InputError
    from engine.registry import get_algorithm

    alg = get_algorithm("softmax")
    with pytest.raises(InputError) as e:
        alg.run({"x": [1.0e308, -1.0e308, 0], "temperature": 1.0e-300})
    assert e.value.key == "temperature" and HANGUL.search(message_in(e.value.message, "ko"))
    out = alg.run({"x": [1.0e308, -1.0e308, 0]})   # finite z: the stable softmax still works
    assert list(out["p"]) == [1.0, 0.0, 0.0]
    p = alg.run({"x": [1.0, 2.0, 3.0], "temperature": 2.0})["p"]
    ref = [math.exp(v / 2) for v in (1.0, 2.0, 3.0)]
    assert all(math.isclose(a, b / sum(ref)) for a, b in zip(p, ref))


def test_solve_softmax_has_no_runtime_warning_and_a_note_about_softmax(capsys):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)    # a numpy warning would fail the run
        code, _, err = _solve(["--lang", "ko", "solve", "softmax", "--input",
                               '{"x": [1.0e+308, -1.0e+308, 0], "temperature": 1.0e-300}'], capsys)
        assert code == 2 and "x / T가 너무 큽니다" in err
        code, _, err = _solve(["--lang", "ko", "solve", "softmax", "--input", '{"x": [1.0e+308, -1.0e+308, 0]}'],
                              capsys)
    assert code == 0 and "RuntimeWarning" not in err
    assert "동전" not in err and "군집" not in err and "최댓값을 먼저 뺍니다" in err
    from tutor.commands_solve import _nan_note

    assert "군집" in _nan_note("kmeans", ["centroids"], "ko")    # an empty cluster's mean: that note stays
    assert "군집" not in _nan_note("softmax", ["p"], "ko") and "군집" not in _nan_note("ols", ["coef"], "ko")


def test_softmax_lab_refuses_the_input_in_korean():
    run = labs.run("softmax", "x: [1.0e+308, -1.0e+308, 0]\ntemperature: 1.0e-300\n")
    assert run.out is None and run.error.key == "temperature"
    assert run.error.shown("ko") == "입력 오류: temperature: x / T가 너무 큽니다: 온도 T를 키우거나 로짓 x를 줄이세요"
