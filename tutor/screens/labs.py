"""Labs: edit an algorithm's inputs and watch its trace update; step through the trace.

Four labs: EM coins, MLP backprop, LSTM cell, attention. Inputs are YAML (safe-loaded);
the engine runs in a worker thread, so typing never waits for it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Static, TextArea

from engine.core import fmt
from tutor.i18n import tr
from tutor.render import fmt_value, matrix_table, records_table
from tutor.screens.base import LangScreen


@dataclass(frozen=True)
class Lab:
    algorithm: str
    title: dict
    steps: tuple[tuple[dict, tuple[str, ...]], ...]   # (step title, output keys revealed at that step)
    inputs: dict | None = None                         # default inputs (else the algorithm's example)
    heatmaps: tuple[str, ...] = ()


def _t(en: str, ko: str) -> dict:
    return {"en": en, "ko": ko}


LABS = (
    Lab("em-coins", _t("EM coins", "EM 동전"), (), None),   # steps = iterations (see _em_steps)
    Lab("mlp", _t("MLP backprop", "MLP 역전파"), (
        (_t("forward: hidden layer", "순전파: 은닉층"), ("net_hidden", "h")),
        (_t("forward: output", "순전파: 출력층"), ("net_out", "o", "loss")),
        (_t("output deltas", "출력층 델타"), ("delta_out",)),
        (_t("hidden deltas", "은닉층 델타"), ("delta_hidden",)),
        (_t("gradients", "기울기"), ("grad_w_out", "grad_b_out", "grad_w_hidden", "grad_b_hidden")),
        (_t("update", "갱신"), ("w_out_new", "b_out_new", "w_hidden_new", "b_hidden_new")),
    ), {"x": [2, 3], "w_hidden": [[0.1, 0.3], [0.2, 0.4]], "b_hidden": [0.5, 0.6], "w_out": [[0.1, 0.2]],
        "b_out": [0.3], "t": [1.0], "lr": 0.5}),
    Lab("lstm-cell", _t("LSTM cell", "LSTM 셀"), (
        (_t("gates", "게이트"), ("f", "i", "o", "c_tilde")),
        (_t("forget and input products", "망각·입력 곱"), ("f_c", "i_c")),
        (_t("new cell state", "새 셀 상태"), ("c",)),
        (_t("output", "출력"), ("tanh_c", "h")),
    )),
    Lab("attention", _t("Attention", "어텐션"), (
        (_t("scores", "점수"), ("scores",)),
        (_t("softmax weights", "소프트맥스 가중치"), ("weights",)),
        (_t("output (context)", "출력(문맥 벡터)"), ("output",)),
    ), {"q": [[1, 0], [0, 1], [1, 1], [0, 0.5]], "k": [[1, 0], [0, 1], [1, 1], [-1, 0]],
        "v": [[1, 2], [3, 4], [5, 6], [7, 8]], "score": "scaled", "mask": "none"},
        heatmaps=("scores", "weights")),
)


def heatmap(title: str, m: list[list[float]]) -> Table:
    """A matrix with each cell's background shaded by its value; the number is always shown."""
    finite = [x for row in m for x in row if isinstance(x, (int, float))]
    lo, hi = (min(finite), max(finite)) if finite else (0.0, 1.0)
    tab = Table(title=title, title_justify="left", header_style="bold")
    tab.add_column("")
    for j in range(len(m[0]) if m else 0):
        tab.add_column(str(j + 1), justify="right")
    for i, row in enumerate(m):
        cells = []
        for x in row:
            if not isinstance(x, (int, float)):
                cells.append(Text(fmt_value(x), style="dim"))
                continue
            a = 0.0 if hi == lo else (x - lo) / (hi - lo)
            g = int(40 + 160 * a)
            cells.append(Text(f" {fmt(x, 3)} ", style=f"bold {'black' if a > 0.55 else 'white'} on rgb({g // 3},{g},{g // 2})"))
        tab.add_row(str(i + 1), *cells)
    return tab


def lab_view(lab: Lab, out: dict, step: int, lang: str) -> tuple[list[RenderableType], int]:
    """Renderables for ``out`` up to ``step``; returns them and the number of steps."""
    if lab.algorithm == "em-coins":
        its = out.get("iterations", [])
        n = max(1, len(its))
        step = min(step, n - 1)
        shown = its[: step + 1]
        parts: list[RenderableType] = [
            Text(tr("labs.step", lang, i=step + 1, n=n, name=f"θ: {fmt(shown[-1]['theta_a_before'], 3)}, "
                    f"{fmt(shown[-1]['theta_b_before'], 3)} → {fmt(shown[-1]['theta_a'], 3)}, "
                    f"{fmt(shown[-1]['theta_b'], 3)}") if shown else "", style="bold"),
            records_table("θ path", shown, keys=["theta_a_before", "theta_b_before", "theta_a", "theta_b",
                                                 "log_likelihood"]),
        ]
        if shown:
            cur = shown[-1]
            parts.append(matrix_table("E-step", [list(x) for x in zip(out["heads"], out["tails"], cur["lik_a"],
                                                                     cur["lik_b"], cur["resp_a"], cur["resp_b"])],
                                      rows=[str(i + 1) for i in range(len(out["heads"]))],
                                      cols=["H", "T", "L_A", "L_B", "P(A|i)", "P(B|i)"]))
        return parts, n
    n = len(lab.steps)
    step = min(step, n - 1)
    title, _ = lab.steps[step]
    parts = [Text(tr("labs.step", lang, i=step + 1, n=n, name=title[lang]), style="bold")]
    for k in range(step + 1):
        for key in lab.steps[k][1]:
            if key not in out:
                continue
            v = out[key]
            if key in lab.heatmaps and isinstance(v, list) and v and isinstance(v[0], list):
                parts.append(heatmap(key, v))
            elif isinstance(v, list) and v and isinstance(v[0], list):
                parts.append(matrix_table(key, v))
            else:
                parts.append(Text(f"{key} = {fmt_value(v)}"))
    return parts, n


class LabScreen(LangScreen):
    KEYS = [
        ("f2", "step(-1)", "key.step_back", True),
        ("f3", "step(1)", "key.step_fwd", True),
        ("f5", "next_lab", "key.next_lab", True),
        ("escape", "app.pop_screen", "key.back", True),
        ("f4", "app.toggle_lang", "key.lang", True),
    ]

    def __init__(self, lab_index: int = 0):
        super().__init__()
        self.lab_index = lab_index
        self.step = 0
        self.out: dict | None = None
        self.error: str | None = None
        self.n_steps = 1

    @property
    def lab(self) -> Lab:
        return LABS[self.lab_index]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="lab-help", classes="muted")
        with Horizontal(id="lab-body"):
            yield TextArea(id="lab-input", language=None, soft_wrap=True)
            with VerticalScroll(id="lab-trace"):
                yield Static(id="lab-output")
        yield Footer()

    def on_mount(self) -> None:
        self._load_lab()

    def _load_lab(self) -> None:
        from engine.registry import get_algorithm

        alg = get_algorithm(self.lab.algorithm)
        inputs = self.lab.inputs or dict(alg.example)
        self.step = 0
        self.query_one("#lab-input", TextArea).load_text(_to_yaml(inputs))
        self.refresh_text()
        self.compute(self.query_one("#lab-input", TextArea).text)

    def refresh_text(self) -> None:
        lang = self.app.lang
        self.sub_title = f"{tr('labs.title', lang)} — {self.lab.title[lang]}  ({self.lab_index + 1}/{len(LABS)})"
        self.query_one("#lab-help", Static).update(tr("labs.help", lang))
        self._show_trace()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.compute(event.text_area.text)

    @work(thread=True, exclusive=True, group="lab")
    def compute(self, text: str) -> None:
        import yaml

        from engine.core import InputError, jsonable
        from engine.registry import get_algorithm

        try:
            inputs = yaml.safe_load(text) if len(text) < 200_000 else None
            if not isinstance(inputs, dict):
                raise InputError("inputs", "write the inputs as `key: value` lines (YAML)")
            if _expanded_size(inputs, {}) > MAX_LAB_VALUES:   # YAML aliases: 9 lines can mean 10^9 numbers
                raise InputError("inputs", f"more than {MAX_LAB_VALUES:,} values (aliases are counted expanded)")
            out, err = jsonable(get_algorithm(self.lab.algorithm).run(inputs)), None
        except yaml.YAMLError as e:
            out, err = None, f"YAML: {str(e).splitlines()[0]}"
        except InputError as e:
            out, err = None, f"{e.key}: {e.message}"
        except (ValueError, TypeError, OverflowError, ArithmeticError, RecursionError) as e:
            out, err = None, f"{type(e).__name__}: {e}"
        self.app.call_from_thread(self._set_result, out, err)

    def _set_result(self, out: dict | None, err: str | None) -> None:
        if out is not None:
            self.out = out
        self.error = err
        self._show_trace()

    def _show_trace(self) -> None:
        lang = self.app.lang
        parts: list[RenderableType] = []
        if self.error:
            parts.append(Text(f"⚠ {tr('labs.error', lang)}: {self.error}", style="yellow"))
        if self.out is not None:
            view, self.n_steps = lab_view(self.lab, self.out, self.step, lang)
            self.step = min(self.step, self.n_steps - 1)
            parts.extend(view)
        self.query_one("#lab-output", Static).update(Group(*parts))

    def action_step(self, delta: int) -> None:
        self.step = max(0, min(self.n_steps - 1, self.step + delta))
        self._show_trace()

    def action_next_lab(self) -> None:
        self.lab_index = (self.lab_index + 1) % len(LABS)
        self.out = None
        self._load_lab()


MAX_LAB_VALUES = 100_000


def _expanded_size(obj, memo: dict) -> int:
    """Number of values in ``obj`` with shared (aliased) lists and mappings counted every time."""
    if not isinstance(obj, (list, dict)):
        return 1
    if id(obj) not in memo:
        memo[id(obj)] = 1     # a recursive alias counts once here; the algorithm rejects it
        items = obj.values() if isinstance(obj, dict) else obj
        memo[id(obj)] = 1 + sum(_expanded_size(x, memo) for x in items)
    return memo[id(obj)]


def _to_yaml(inputs: dict) -> str:
    # one key per line, values as JSON (valid YAML flow style), easy to edit
    return "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in inputs.items()) + "\n"
