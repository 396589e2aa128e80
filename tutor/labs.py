"""Labs (the core, no textual): one lab per engine algorithm.

A lab is the algorithm's YAML inputs (edited by the learner, checked here with a size cap before
the engine runs), presets (the engine's example, a random variant, an edge case), the engine's
trace cut into *frames* the learner steps through, and the data a picture needs (every number
comes from an engine run; :mod:`tutor.plots` only draws). Screens display and forward.

Edited inputs persist per lab as settings (``lab.<name>``).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any

from tutor.lab_input import (  # noqa: F401 - the text ↔ inputs side of a lab, re-exported
    CAPS,
    CAPS_PER_LAB,
    MAX_TEXT,
    MAX_VALUES,
    LabError,
    PictureError,
    parse,
    to_text,
)
from tutor.lab_names import (  # noqa: F401 - the names of a lab, re-exported
    ACTIVATIONS,
    MATH,
    _t,
    activation_names,
    lab_math_names,
    localised,
    math_name,
    names_for,
    sentences,
    shown_name,
)

# the order labs are offered in: the most visual first; any algorithm the engine adds later follows
ORDER = (
    "kmeans", "em-coins", "gradient-descent", "optimizer", "descent-2d", "activation", "attention", "pca", "gmm-em",
    "dbscan", "knn", "ols", "logistic", "classification-metrics", "softmax", "information",
    "positional-encoding", "multihead-attention", "conv2d", "mlp", "rnn-bptt", "lstm-cell", "gru-cell",
    "perceptron", "arima", "regression-metrics", "mle", "batching", "mlm-masking", "wordpiece",
)


SETTING = "lab.{}"
CURRENT = "lab.current"


# ----------------------------------------------------------------------------- names


def names() -> list[str]:
    from engine.registry import algorithms

    algs = algorithms()
    return [n for n in ORDER if n in algs] + [n for n in algs if n not in ORDER]


def title(name: str, lang: str) -> str:
    from engine.registry import get_algorithm

    return get_algorithm(name).title[lang]


# allowed values or range of each input, beside it (math notation: the same in both languages)
HINTS: dict[str, dict[str, str]] = {
    "activation": {"name": "sigmoid | tanh | relu | leaky_relu | elu | gelu | softplus | swish | step | linear",
                   "x": "ℝ or [ℝ, …]", "alpha": "ℝ (leaky_relu, elu)", "approximate": "none | tanh (gelu)"},
    "arima": {"series": "[y₁ … y_N]", "phi": "[φ₁ … φ_p]", "theta": "[θ₁ … θ_q]", "d": "0, 1, 2 …", "c": "ℝ"},
    "attention": {"q": "n_q×d", "k": "n×d", "v": "n×d_v", "score": "dot | scaled | general | additive",
                  "mask": "none | causal | n_q×n of 0/1", "w_a": "d_q×d_k (general)"},
    "batching": {"n": "≥ 1", "batch_size": "≥ 1", "epochs": f"1 … {CAPS['epochs']}", "drop_last": "true | false"},
    "classification-metrics": {"y_true": "[0|1, …]", "y_pred": "[0|1, …]", "scores": "[ℝ, …]",
                               "threshold": "ℝ", "tp": "≥ 0", "fp": "≥ 0", "fn": "≥ 0", "tn": "≥ 0"},
    "conv2d": {"input": "H×W | C×H×W", "kernel": "k_h×k_w | out×C×k_h×k_w", "stride": "≥ 1", "padding": "≥ 0",
               "pool": "{type: max | avg, size: k, stride: s}", "bias": "[ℝ, …]"},
    "dbscan": {"points": "n×d", "eps": "ε > 0", "min_samples": "minPts ≥ 1"},
    "em-coins": {"rounds": "[\"HTH…\", …]", "theta_a": "θ_A ∈ (0, 1)", "theta_b": "θ_B ∈ (0, 1)",
                 "iterations": f"1 … {CAPS['iterations']}", "labels": "[A | B, …]"},
    "gmm-em": {"x": "n | n×d", "means": "k | k×d", "vars": "σ² > 0 (1-D)", "covs": "k×d×d (d-D)",
               "weights": "π_k ≥ 0, Σ = 1", "iterations": f"1 … {CAPS['iterations']}"},
    "gradient-descent": {"derivative": "L′(w), e.g. 4*w^3", "w0": "ℝ", "lr": "η > 0",
                         "steps": f"1 … {CAPS['steps']}"},
    "gru-cell": {"x": "D", "h_prev": "H", "w_ih": "3H×D", "w_hh": "3H×H", "b_ih": "3H", "b_hh": "3H"},
    "information": {"p": "p_i ≥ 0, Σ = 1", "q": "q_i ≥ 0, Σ = 1", "base": "2 | e | 10"},
    "kmeans": {"points": "n×d", "centroids": "k×d", "iterations": f"1 … {CAPS['iterations']}"},
    "knn": {"points": "n×d", "labels": "n labels", "query": "d", "k": "1 ≤ k ≤ n"},
    "logistic": {"x": "n×p", "y": "[0|1, …]", "w": "p", "b": "ℝ", "lr": "η > 0", "steps": f"1 … {CAPS['steps']}"},
    "lstm-cell": {"f": "∈ [0, 1]", "i": "∈ [0, 1]", "o": "∈ [0, 1]", "c_tilde": "∈ [−1, 1]", "c_prev": "H"},
    "mle": {"data": "[ℝ, …]", "family": "bernoulli | binomial | normal | exponential | poisson", "n": "≥ 1 (binomial)"},
    "mlm-masking": {"tokens": "[\"tok\", …]", "n": f"1 … {CAPS_PER_LAB['mlm-masking']['n']}", "rate": "∈ (0, 1]",
                    "seed": "integer"},
    "mlp": {"x": "d", "w_hidden": "p×d", "b_hidden": "p", "w_out": "m×p", "b_out": "m", "t": "m", "lr": "η > 0"},
    "multihead-attention": {"x": "n×d_model", "num_heads": "h | d_model", "w_q": "d_model×d_model",
                            "w_k": "d_model×d_model", "w_v": "d_model×d_model", "w_o": "d_model×d_model",
                            "mask": "none | causal | n×m of 0/1"},
    "ols": {"x": "n | n×p", "y": "n", "intercept": "true | false", "x_new": "p | m×p"},
    "optimizer": {"optimizer": "sgd | momentum | adagrad | rmsprop | adam", "derivative": "L′(w)", "w0": "ℝ",
                  "lr": "η > 0", "steps": f"1 … {CAPS['steps']}", "momentum": "μ ∈ [0, 1)",
                  "beta1": "β₁ ∈ [0, 1)", "beta2": "β₂ ∈ [0, 1)", "rho": "ρ ∈ [0, 1)", "eps": "ε > 0"},
    "pca": {"x": "n×p, n ≥ 2", "cov": "p×p", "k": "1 ≤ k ≤ p", "whiten": "true | false"},
    "perceptron": {"gate": "and | or | nand | nor | xor | xnor", "w": "[w₁, w₂]", "b": "ℝ",
                   "epochs": f"1 … {CAPS['epochs']}", "lr": "η > 0"},
    "positional-encoding": {"positions": "integer ≥ 0 | [pos, …]", "d_model": f"1 … {CAPS['d_model']}",
                            "base": "> 0"},
    "regression-metrics": {"y_true": "[ℝ ≠ 0, …]", "y_pred": "[ℝ, …], same length"},
    "rnn-bptt": {"xs": "T×d", "h0": "H", "w_xh": "H×d", "w_hh": "H×H", "w_hy": "m×H", "targets": "T×m"},
    "softmax": {"x": "[ℝ, …] | rows", "temperature": "T > 0"},
    "wordpiece": {"text": "text", "vocab": "[piece, ##piece, …, [UNK]]"},
}

# the edge case of each lab: a tie, a saturated function, a divergence, a degenerate fit …
EDGE: dict[str, dict] = {
    "activation": {"name": "sigmoid", "x": [-10, -5, 0, 5, 10]},
    "arima": {"series": [5, 5, 5, 5, 5, 5], "phi": [0.9], "theta": [], "d": 1},
    "attention": {"q": [[1, 0]], "k": [[1, 1], [1, 1], [1, 1]], "v": [[1, 0], [0, 1], [1, 1]], "score": "scaled"},
    "batching": {"n": 1000, "batch_size": 64, "epochs": 1, "drop_last": True},
    "classification-metrics": {"y_true": [1, 1, 0, 0, 1, 0], "y_pred": [1, 1, 1, 1, 1, 1],
                               "scores": [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]},
    "conv2d": {"input": [[1, 2, 3], [4, 5, 6], [7, 8, 9]], "kernel": [[1, 1], [1, 1]], "stride": 2, "padding": 1},
    "dbscan": {"points": [[1, 1], [1.5, 1], [4, 4], [6, 1]], "eps": 0.4, "min_samples": 2},
    "em-coins": {"rounds": ["HHTH", "TTHT", "HTHH"], "theta_a": 0.5, "theta_b": 0.5, "iterations": 5},
    "gmm-em": {"x": [1, 2, 3, 6, 7, 8], "means": [4, 4], "vars": [1, 1], "iterations": 5},
    "gradient-descent": {"derivative": "2*w", "w0": 1, "lr": 1.1, "steps": 20},
    "gru-cell": {"x": [10.0, -10.0], "h_prev": [0.5, -0.5],
                 "w_ih": [[1, 1], [1, -1], [2, 0], [0, 2], [1, 0], [0, 1]],
                 "w_hh": [[1, 0], [0, 1], [1, 0], [0, 1], [1, 0], [0, 1]]},
    "information": {"p": [0.5, 0.5, 0], "q": [1, 0, 0], "base": 2},
    "kmeans": {"points": [[0, 0], [1, 0], [0, 1], [5, 5]], "centroids": [[0, 0], [20, 20]], "iterations": 5},
    "knn": {"points": [[0, 0], [2, 0], [1, 1], [1, -1]], "labels": ["A", "B", "A", "B"], "query": [1, 0], "k": 2},
    "logistic": {"x": [[0.0], [1.0], [3.0], [4.0]], "y": [0, 0, 1, 1], "w": [0.0], "b": 0.0, "lr": 5.0, "steps": 10},
    "lstm-cell": {"f": [1, 1, 0], "i": [0, 1, 1], "o": [1, 1, 1], "c_tilde": [0.9, 0.9, 0.9], "c_prev": [2, 2, 2]},
    "mle": {"data": [1, 1, 1, 1], "family": "bernoulli"},
    "mlm-masking": {"n": 8, "rate": 0.15, "seed": 3},
    "mlp": {"x": [5, 5], "w_hidden": [[3, 3], [-3, -3]], "b_hidden": [0, 0], "w_out": [[4, 4]], "b_out": [0],
            "t": [0.0], "lr": 0.5},
    "multihead-attention": {"x": [[1, 0, 1, 0], [1, 0, 1, 0], [1, 0, 1, 0]], "num_heads": 2,
                            "w_q": [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]],
                            "w_k": [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]],
                            "w_v": [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]],
                            "w_o": [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], "mask": "none"},
    "ols": {"x": [1, 2, 3, 4], "y": [3, 5, 7, 9]},
    "optimizer": {"optimizer": "sgd", "derivative": "2*w", "w0": 1, "lr": 1.1, "steps": 20},
    "pca": {"x": [[1, 2], [2, 4], [3, 6], [4, 8]]},
    "perceptron": {"gate": "xor", "epochs": 10, "lr": 0.1},
    "positional-encoding": {"positions": list(range(16)), "d_model": 16},
    "regression-metrics": {"y_true": [1, 2, 3, 4], "y_pred": [1, 2, 3, 4]},
    "rnn-bptt": {"xs": [[1], [0], [0], [0], [0], [0], [0], [0]], "w_xh": [[1]], "w_hh": [[0.3]], "w_hy": [[1]],
                 "targets": [[0], [0], [0], [0], [0], [0], [0], [1]]},
    "softmax": {"x": [1, 1, 1], "temperature": 1},
    "wordpiece": {"text": "unbelievable dogs xyz", "vocab": ["[UNK]", "un", "##believ", "##able", "dog", "##s"]},
}

PRESETS = ("example", "random", "edge")
PRESET_TITLES = {"example": _t("example", "예제"), "random": _t("random", "무작위"), "edge": _t("edge case", "극단적 경우")}

# integer/label inputs a random preset keeps as they are (the numbers around them are jittered)
_KEEP = {"iterations", "steps", "epochs", "k", "min_samples", "d", "num_heads", "y", "y_true", "y_pred",
         "labels", "positions", "d_model", "n", "seed", "gate", "t", "targets", "mask", "family", "rate", "base",
         "weights", "stride", "padding", "size", "batch_size"}


# the few words among the hints' math notation, in Korean (longest first)
_HINT_KO = ((", e.g. ", ", 예: "), (", or a list", " 또는 그 리스트"), (", same length", ", 길이가 같게"),
            (", or ", " 또는 "), ("ℝ or [", "ℝ 또는 ["), (" of 0/1", " (0/1)"), ("n labels", "라벨 n개"),
            ("| rows", "| 행렬(행마다)"), ("integer", "정수"), ("text", "텍스트"))


def hints(name: str, lang: str = "en") -> dict[str, str]:
    """Allowed values or range of each input: declared by the algorithm (``Algorithm.ranges``),
    else this module's table (the algorithms written before the field existed); math notation,
    its few words in ``lang``."""
    from engine.registry import get_algorithm

    found = dict(get_algorithm(name).ranges or HINTS.get(name) or {})
    if lang == "ko":
        for key, h in found.items():
            for en, ko in _HINT_KO:
                h = h.replace(en, ko)
            found[key] = h
    return found


def describe(name: str, key: str, lang: str = "en") -> str | None:
    """What the input ``key`` of lab ``name`` is, in ``lang`` (the algorithm's own description,
    :attr:`engine.core.Algorithm.inputs_ko` in Korean); None for a key it does not have."""
    from engine.registry import get_algorithm

    alg = get_algorithm(name)
    docs = (alg.inputs_ko or alg.inputs) if lang == "ko" else alg.inputs
    return docs.get(key)


def edge(name: str) -> dict | None:
    from engine.registry import get_algorithm

    found = get_algorithm(name).edge or EDGE.get(name)
    return json.loads(json.dumps(dict(found))) if found else None


def example(name: str) -> dict:
    from engine.registry import get_algorithm

    return json.loads(json.dumps(dict(get_algorithm(name).example)))


def preset(name: str, which: str, seed: int | None = None) -> dict:
    """The inputs of a preset: ``example`` (the engine's, as in the notes), ``random``, ``edge``."""
    if which == "edge":
        return edge(name) or example(name)
    if which == "random":
        return _random(name, random.Random(seed))
    return example(name)


def _random(name: str, rng: random.Random) -> dict:
    """The example with its numbers jittered (kept only if the engine accepts it; else the example)."""
    from engine.core import InputError
    from engine.registry import get_algorithm

    base = example(name)
    if name == "em-coins":
        return {**base, "rounds": ["".join(rng.choice("HT") for _ in range(10)) for _ in range(5)],
                "theta_a": round(rng.uniform(0.2, 0.8), 2), "theta_b": round(rng.uniform(0.2, 0.8), 2)}
    if name == "mlm-masking":
        return {**base, "seed": rng.randrange(1000)}
    if name == "information":
        def dist(k):
            w = [rng.randint(1, 9) for _ in range(k)]
            p = [round(x / sum(w), 2) for x in w[:-1]]
            return p + [round(1 - sum(p), 2)]
        k = rng.randint(2, 5)
        return {**base, "p": dist(k), "q": dist(k)}
    if name == "positional-encoding":
        return {**base, "positions": sorted(rng.sample(range(50), 4)), "d_model": rng.choice((4, 6, 8, 12))}
    if name == "batching":
        return {**base, "n": rng.randint(100, 5000), "batch_size": rng.choice((16, 32, 50, 64, 100, 128))}
    if name == "wordpiece":
        words = str(base["text"]).rstrip(".").split()
        rng.shuffle(words)
        return {**base, "text": " ".join(words)}
    if name == "regression-metrics":
        return {**base, "y_pred": [round(y * rng.uniform(0.8, 1.2), 1) for y in base["y_true"]]}

    def jitter(v, key):
        if key in _KEEP or isinstance(v, bool):
            return v
        if isinstance(v, (int, float)):
            return round(v * rng.uniform(0.6, 1.4) + rng.uniform(-0.5, 0.5) * (abs(v) < 1 and 0.2 or 1), 2)
        if isinstance(v, list):
            return [jitter(x, key) for x in v]
        if isinstance(v, dict):
            return {k: jitter(x, k) for k, x in v.items()}
        return v

    alg = get_algorithm(name)
    for _ in range(20):
        cand = {k: jitter(v, k) for k, v in base.items()}
        try:
            alg.run(cand)
            return cand
        except (InputError, ValueError, ArithmeticError):
            continue
    return base


# ----------------------------------------------------------------------------- running


@dataclass
class LabRun:
    out: dict | None
    error: LabError | None
    extras: dict = field(default_factory=dict)   # further engine runs the picture needs


def run(name: str, text: str) -> LabRun:
    """Parse, bound, run the engine; never raises for bad input (the error names the key)."""
    from engine.core import InputError, jsonable
    from engine.registry import get_algorithm

    try:
        inputs = parse(name, text)
        alg = get_algorithm(name)
        for _ in range(len(inputs) + 1):
            try:
                with _quiet():
                    out = jsonable(alg.run(inputs))
                break
            except InputError as e:
                # a number as written in an exercise ("０.６", "3/5", "60%"): YAML left it text
                if not e.message.startswith(("expected a number", "expected an integer")) \
                        or not _has_text(inputs.get(e.key)):
                    raise
                inputs = {**inputs, e.key: _as_numbers(e.key, inputs[e.key])}
        else:   # pragma: no cover - every key converted at most once
            raise LabError("inputs", "cannot be computed with these inputs")
        with _quiet():
            run = LabRun(out, None, extras(name, inputs, out))
        return _drawable(name, inputs, run)
    except LabError as e:
        return LabRun(None, e)
    except InputError as e:
        return LabRun(None, LabError(e.key, e.message))
    except (ValueError, TypeError, OverflowError, ArithmeticError, RecursionError, MemoryError) as e:
        return LabRun(None, LabError("inputs", f"cannot be computed with these inputs ({type(e).__name__}: "
                                               f"{str(e)[:200]})"))


def _has_text(value) -> bool:
    return isinstance(value, str) or (isinstance(value, list) and any(_has_text(v) for v in value))


def _as_numbers(key: str, value):
    """``value`` (text, or lists holding text) read as the exercises read a typed number
    (:func:`tutor.number_input.parse_number`: full-width digits, fractions, %, "0,6" explained);
    a :class:`LabError` in both languages when one cannot be read."""
    from tutor.number_input import FormatError, parse_number

    if isinstance(value, list):
        return [_as_numbers(key, v) for v in value]
    if not isinstance(value, str):
        return value
    try:
        return parse_number(value)
    except FormatError as e:
        raise LabError(key, e.text["en"], texts=e.text) from None


def _quiet():
    """numpy's overflow warnings (an exp of a huge logit) belong to the trace as inf, not on the
    terminal (``np.errstate`` is per thread: the lab's worker only)."""
    import numpy as np

    return np.errstate(all="ignore")


def _drawable(name: str, inputs: dict, run: LabRun) -> LabRun:
    """``run``, or a :class:`PictureError` when a step's picture holds a value that cannot be drawn:
    the lab then keeps the last good picture, as for an input error (a saved input never crashes)."""
    from tutor import plots

    try:
        plots.check_picture(name, inputs, run.out, sorted({f.index for f in frames(name, run.out)}), run.extras)
    except plots.PlotError as e:
        return LabRun(None, PictureError(e))
    return run


def run_inputs(name: str, inputs: dict) -> LabRun:
    return run(name, to_text(inputs))


def extras(name: str, inputs: dict, out: dict) -> dict:
    """More engine runs for the picture: the activation over a range, the optimizers side by side."""
    from engine.core import InputError, jsonable
    from engine.registry import get_algorithm

    try:
        if name == "activation":
            grid = [round(-6 + 0.25 * i, 2) for i in range(49)]
            args = {k: v for k, v in inputs.items() if k != "x"}
            return {"curve": jsonable(get_algorithm(name).run({**args, "x": grid}))}
        if name == "optimizer" and inputs.get("derivative") is not None:
            alg = get_algorithm(name)
            base = {k: inputs[k] for k in ("derivative", "w0", "lr", "steps") if k in inputs}
            runs = {o: alg.run({**base, "optimizer": o}) for o in ("momentum", "adam") if o != inputs.get("optimizer")}
            return {"compare": {o: jsonable(r["w"]) for o, r in runs.items()},
                    "compare_diverged": {o: bool(r["diverged"]) for o, r in runs.items()}}
        if name == "descent-2d":
            from engine.algorithms.descent_2d import contour

            return {"contour": contour(out)}
        if name == "softmax":
            alg = get_algorithm(name)
            x = inputs.get("x")
            return {"temperatures": {t: jsonable(alg.run({"x": x, "temperature": t}))["p"] for t in (0.5, 1, 2, 5)}}
    except (InputError, ValueError, ArithmeticError, TypeError, KeyError):
        return {}
    return {}


# ----------------------------------------------------------------------------- frames (steps)


@dataclass
class Frame:
    title: dict                              # {"en", "ko"}
    rows: list[tuple[str, Any]]              # (math name, value) shown beside the picture
    index: int = 0                           # the picture's step (iteration, cell, query …)


def _records(out: dict, key: str, label: tuple[str, str], skip: tuple[str, ...] = (), own: dict | None = None) -> list[Frame]:
    recs = out.get(key) or []
    frames = []
    for i, r in enumerate(recs):
        rows = [(math_name(k, own), v) for k, v in r.items() if k not in skip]
        frames.append(Frame(_t(f"{label[0]} {i + 1}", f"{label[1]} {i + 1}"), rows, i))
    return frames


def _reveal(out: dict, groups: list[tuple[dict, tuple[str, ...]]], own: dict | None = None) -> list[Frame]:
    frames, shown = [], []
    for i, (t, keys) in enumerate(groups):
        shown = shown + [(math_name(k, own), out[k]) for k in keys if k in out]
        frames.append(Frame(t, list(shown), i))
    return frames


STAGES: dict[str, list[tuple[dict, tuple[str, ...]]]] = {
    "mlp": [(_t("forward: hidden layer", "순전파: 은닉층"), ("net_hidden", "h")),
            (_t("forward: output", "순전파: 출력층"), ("net_out", "o", "loss")),
            (_t("output deltas", "출력층 델타"), ("delta_out",)),
            (_t("hidden deltas", "은닉층 델타"), ("delta_hidden",)),
            (_t("gradients", "기울기"), ("grad_w_out", "grad_b_out", "grad_w_hidden", "grad_b_hidden")),
            (_t("update", "갱신"), ("w_out_new", "b_out_new", "w_hidden_new", "b_hidden_new"))],
    "lstm-cell": [(_t("gates", "게이트"), ("f", "i", "o", "c_tilde")),
                  (_t("forget and input products", "망각·입력 곱"), ("f_c", "i_c")),
                  (_t("new cell state", "새 셀 상태"), ("c",)),
                  (_t("output", "출력"), ("tanh_c", "h"))],
    "gru-cell": [(_t("pre-activations", "활성화 전 값"), ("a_r", "a_z", "a_n")),
                 (_t("reset and update gates", "리셋·업데이트 게이트"), ("r", "z")),
                 (_t("candidate", "후보 상태"), ("h_n", "n")),
                 (_t("new hidden state", "새 은닉 상태"), ("h",))],
    "pca": [(_t("centre the data", "데이터 중심화"), ("mean",)),
            (_t("covariance", "공분산"), ("cov",)),
            (_t("eigen-decomposition", "고윳값 분해"), ("eigenvalues", "components", "explained_ratio")),
            (_t("projection", "사영"), ("projected", "whitened"))],
    "information": [(_t("entropy H(P)", "엔트로피 H(P)"), ("entropy_terms", "entropy")),
                    (_t("cross-entropy H(P,Q)", "교차 엔트로피 H(P,Q)"), ("cross_entropy_terms", "cross_entropy")),
                    (_t("KL divergences", "KL 발산"), ("kl_pq", "kl_qp"))],
    "softmax": [(_t("divide by T", "T로 나누기"), ("temperature", "z")),
                (_t("subtract the max", "최댓값 빼기"), ("shifted", "exp_shifted", "sum_exp")),
                (_t("probabilities", "확률"), ("p", "log_p"))],
    "ols": [(_t("normal equations XᵀX, Xᵀy", "정규방정식 XᵀX, Xᵀy"), ("xtx", "xty")),
            (_t("solution β", "해 β"), ("coef", "intercept")),
            (_t("fit and residuals", "적합값과 잔차"), ("fitted", "residuals")),
            (_t("R²", "R²"), ("rss", "tss", "r2"))],
    "regression-metrics": [(_t("errors", "오차"), ("errors", "abs_errors", "sq_errors")),
                           (_t("MAE, MSE, RMSE", "MAE, MSE, RMSE"), ("mae", "mse", "rmse")),
                           (_t("MAPE and R²", "MAPE와 R²"), ("mape", "r2"))],
    "batching": [(_t("batches per epoch", "에포크당 배치 수"), ("full_batches", "remainder", "batches_per_epoch")),
                 (_t("last batch", "마지막 배치"), ("last_batch", "dropped")),
                 (_t("iterations", "반복 횟수"), ("iterations", "formula"))],
    "mle": [(_t("sufficient statistic", "충분통계량"), ("sum",)),
            (_t("estimates", "추정값"), ("estimates", "log_likelihood"))],
    "positional-encoding": [(_t("frequencies", "주파수"), ("exponent", "inv_freq")),
                            (_t("angles", "각도"), ("angles",)), (_t("PE", "PE"), ("pe",))],
}


def frames(name: str, out: dict) -> list[Frame]:
    """The trace cut into the steps the learner moves through (never empty). Its values as they
    are in ``out``: give :func:`localised` output for the learner's words."""
    fs: list[Frame] = []
    own = names_for(name, out)
    if name in STAGES:
        fs = _reveal(out, STAGES[name], own)
    elif name in ("kmeans", "gmm-em", "em-coins"):
        fs = _records(out, "iterations", ("iteration", "반복"), skip=("distances", "lik_a", "lik_b"), own=own)
    elif name == "optimizer":
        fs = _records(out, "trace", ("t =", "t ="), own=own)
    elif name == "logistic":
        fs = _records(out, "steps", ("t =", "t ="), skip=("z",), own=own)
    elif name == "perceptron":
        fs = _records(out, "trace", ("update", "갱신"), own=own)
    elif name == "wordpiece":
        fs = _records(out, "trace", ("word", "단어"), skip=("steps",), own=own)
    elif name == "gradient-descent":
        ws, gs = out.get("w") or [], out.get("grad") or []
        fs = [Frame(_t(f"t = {i}", f"t = {i}"),
                    [("w_t", ws[i]), ("L′(w_t)", g), ("wₜ₊₁", ws[i + 1] if i + 1 < len(ws) else None)], i)
              for i, g in enumerate(gs)]
    elif name == "descent-2d":
        from tutor.plots_lab import paths_2d

        runs = paths_2d(out)
        n = max(len(rows) for rows in runs.values()) - 1
        fs = []
        for t in range(n + 1):
            rows = []
            for o, rs in runs.items():
                r = rs[min(t, len(rs) - 1)]
                rows += [(f"{o}: (x_t, y_t)", [r["x"], r["y"]]), (f"{o}: f(x_t, y_t)", r["f"]),
                         (f"{o}: ∇f", [r["g_x"], r["g_y"]])]
            fs.append(Frame(_t(f"t = {t}", f"t = {t}"), rows, t))
    elif name == "activation":
        value, deriv = activation_names(out)
        fs = [Frame(_t(f"value {value}", f"함숫값 {value}"), [("x", out["x"]), (value, out["value"])], 0),
              Frame(_t(f"derivative {deriv}", f"도함수 {deriv}"),
                    [("x", out["x"]), (value, out["value"]), (deriv, out["derivative"])], 1)]
    elif name == "classification-metrics":
        fs = _records(out, "roc", ("threshold", "임계값"), own=own)
    elif name == "dbscan":
        n = len(out.get("labels") or [])
        fs = [Frame(_t(f"point {i + 1}", f"점 {i + 1}"),
                    [("N_ε", out["neighbors"][i]), ("|N_ε|", out["n_neighbors"][i]), (_t("core point", "핵심점"), out["is_core"][i]),
                     (_t("cluster", "군집"), out["labels"][i])], i) for i in range(n)]
    elif name == "knn":
        order = out.get("order") or []
        fs = [Frame(_t(f"neighbour {r + 1}", f"이웃 {r + 1}"),
                    [("i", i + 1), ("d", out["distances"][i])] + ([(math_name("votes"), out["votes"]),
                     ("ŷ", out["prediction"])] if r == len(out["neighbors"]) - 1 else []), r)
              for r, i in enumerate(order)]
    elif name in ("attention",):
        w = out.get("weights") or []
        fs = [Frame(_t(f"query {i + 1}", f"쿼리 {i + 1}"),
                    [(math_name("scores"), out["scores"][i]), (_t("weights α", "가중치 α"), row), (math_name("output"), out["output"][i])], i)
              for i, row in enumerate(w)]
    elif name == "multihead-attention":
        w = out.get("weights") or []
        fs = [Frame(_t(f"head {h + 1}", f"헤드 {h + 1}"),
                    [("Q", out["q"][h]), ("K", out["k"][h]), (_t("weights α", "가중치 α"), m), (_t("head output", "헤드 출력"), out["heads"][h])], h)
              for h, m in enumerate(w)] + [Frame(_t("concat and W_o", "연결과 W_o"),
                                                 [(math_name("concat"), out["concat"]), (math_name("output"), out["output"])], len(w))]
    elif name == "conv2d":
        o = out.get("output") or []
        cells = [(r, c) for r in range(len(o)) for c in range(len(o[0]) if o and isinstance(o[0], list) else 0)]
        fs = [Frame(_t(f"output cell ({r + 1}, {c + 1})", f"출력 칸 ({r + 1}, {c + 1})"),
                    [("y", o[r][c])], k) for k, (r, c) in enumerate(cells)]
        if "pooled" in out:
            fs.append(Frame(_t("pooling", "풀링"), [(math_name("pooled"), out["pooled"])], len(cells)))
    elif name == "rnn-bptt":
        hs = out.get("h") or []
        fs = [Frame(_t(f"time step t = {t + 1}", f"시점 t = {t + 1}"),
                    [("h_t", hs[t]), ("ŷ_t", out["y_hat"][t]), ("L_t", out["losses"][t]),
                     (math_name("jacobian_norms"), out["jacobian_norms"][t])], t) for t in range(len(hs))]
        fs.append(Frame(_t("gradients (BPTT)", "기울기 (BPTT)"),
                        [(math_name(k), out[k]) for k in ("loss", "grad_w_hh", "grad_w_xh", "jacobian_norm_product")],
                        len(hs)))
    elif name == "arima":
        p = out.get("predictions") or []
        fs = [Frame(_t(f"t = {t + 1}", f"t = {t + 1}"),
                    [("y′_t", out["differenced"][t]), ("ŷ′_t", v), ("e_t", out["residuals"][t])], t)
              for t, v in enumerate(p)]
        fs.append(Frame(_t("forecast", "예측"), [(math_name("forecast"), out.get("forecast")), ("SSE", out.get("sse"))], len(p)))
    elif name == "mlm-masking":
        pos = out.get("positions") or []
        fs = [Frame(_t(f"selected {i + 1}", f"선택 {i + 1}"),
                    [(_t("position", "위치"), p + 1), (_t("token", "토큰"), out["tokens"][p]), ("→", out["output"][p])], i)
              for i, p in enumerate(pos)]
    if not fs:   # anything else: the summary values one at a time
        from engine.registry import get_algorithm

        keys = list(get_algorithm(name).summary) or list(out)
        fs = [Frame(_t(shown_name(math_name(k, own), "en"), shown_name(math_name(k, own), "ko")),
                    [(math_name(k2, own), out[k2]) for k2 in keys[: i + 1] if k2 in out], i)
              for i, k in enumerate(keys)]
    return fs or [Frame(_t("result", "결과"), [(math_name(k, own), v) for k, v in out.items()], 0)]


def summary_rows(name: str, out: dict) -> list[tuple[str, Any]]:
    from engine.registry import get_algorithm

    own = names_for(name, out)
    return [(math_name(k, own), out[k]) for k in get_algorithm(name).summary if k in out]


# ----------------------------------------------------------------------------- persistence


def saved_text(store, name: str) -> str | None:
    v = store.get_setting(SETTING.format(name))
    return v if isinstance(v, str) else None


def save_text(store, name: str, text: str) -> None:
    if len(text) <= MAX_TEXT and saved_text(store, name) != text:
        store.set_setting(SETTING.format(name), text)


def initial_text(store, name: str) -> str:
    return saved_text(store, name) or to_text(example(name))
