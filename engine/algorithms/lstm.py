"""One LSTM cell step, in the gate-table form of the notes or from torch-layout weights.

    f_t = σ(W_f x_t + U_f h_{t−1} + b_f)         forget gate
    i_t = σ(W_i x_t + U_i h_{t−1} + b_i)         input gate
    o_t = σ(W_o x_t + U_o h_{t−1} + b_o)         output gate
    c̃_t = tanh(W_g x_t + U_g h_{t−1} + b_g)      candidate cell
    c_t = f_t ⊙ c_{t−1} + i_t ⊙ c̃_t
    h_t = o_t ⊙ tanh(c_t)

Weights follow ``torch.nn.LSTMCell``: ``w_ih`` (4H×D) and ``w_hh`` (4H×H) stack the rows of the
gates in the order i, f, g (= c̃), o; ``b_ih`` and ``b_hh`` (4H) are both added.

Optional peephole connections (Gers & Schmidhuber 2000; the notes' W_ch): the input and forget
gates also see c_{t−1}, the output gate sees the new c_t. Each peephole weight is a vector
(diagonal, the usual choice) or an H×H matrix.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from engine.algorithms._common import check_mistake, sigmoid
from engine.core import Algorithm, InputError, Mistake, as_array
from engine.registry import algorithm

# ----------------------------------------------------------------------------- the math


def cell_state(f_t, i_t, c_tilde, c_prev, mistake: str | None = None) -> dict:
    """c_t = f_t ⊙ c_{t−1} + i_t ⊙ c̃_t (all arrays of shape (H,))."""
    if mistake == "lstm.forget-on-candidate":
        f_c, i_c = f_t * c_tilde, i_t * c_prev      # the gates multiply the wrong things
    elif mistake == "lstm.no-forget":
        f_c, i_c = np.array(c_prev, dtype=float), i_t * c_tilde
    else:
        f_c, i_c = f_t * c_prev, i_t * c_tilde      # f⊙c_{t−1}, i⊙c̃_t
    f_c, i_c = f_c + 0.0, i_c + 0.0                 # no −0.0 in the table
    c_t = f_c + i_c
    return {"f_c": f_c, "i_c": i_c, "c": c_t}


def hidden_state(o_t, c_t, c_prev, mistake: str | None = None) -> dict:
    """h_t = o_t ⊙ tanh(c_t)."""
    if mistake == "lstm.no-tanh":
        tanh_c = np.array(c_t, dtype=float)         # squashing forgotten
    elif mistake == "lstm.old-cell-output":
        tanh_c = np.tanh(c_prev)                    # the old cell state used for the output
    else:
        tanh_c = np.tanh(c_t)
    return {"tanh_c": tanh_c, "h": o_t * tanh_c}


def lstm_from_gates(f_t, i_t, o_t, c_tilde, c_prev, mistake: str | None = None) -> dict:
    """The notes' table form: gate values are given, the cell and hidden state are computed."""
    f_t, i_t, o_t, c_tilde, c_prev = np.broadcast_arrays(*(np.asarray(a, dtype=float)
                                                           for a in (f_t, i_t, o_t, c_tilde, c_prev)))
    cs = cell_state(f_t, i_t, c_tilde, c_prev, mistake)
    hs = hidden_state(o_t, cs["c"], c_prev, mistake)
    return {"f": f_t, "i": i_t, "o": o_t, "c_tilde": c_tilde, "c_prev": c_prev, **cs, **hs}


def lstm_cell(x, h_prev, c_prev, w_ih, w_hh, b_ih, b_hh, peephole: Mapping[str, np.ndarray] | None = None,
              mistake: str | None = None) -> dict:
    """One step of torch.nn.LSTMCell (gate rows i, f, g, o), with optional peepholes."""
    peephole = peephole or {}
    gates_pre = w_ih @ x + b_ih + w_hh @ h_prev + b_hh          # (4H,)
    a_i, a_f, a_g, a_o = np.split(gates_pre, 4)                  # (H,) each
    if mistake == "lstm.if-swapped":                              # rows read as f, i, g, o
        a_i, a_f = a_f, a_i
    if "i" in peephole:
        a_i = a_i + _peep(peephole["i"], c_prev)
    if "f" in peephole:
        a_f = a_f + _peep(peephole["f"], c_prev)
    i_t, f_t = sigmoid(a_i), sigmoid(a_f)
    c_tilde = sigmoid(a_g) if mistake == "lstm.sigmoid-candidate" else np.tanh(a_g)
    cs = cell_state(f_t, i_t, c_tilde, c_prev, mistake)
    if "o" in peephole:                                           # the output gate peeks at the new c_t
        a_o = a_o + _peep(peephole["o"], cs["c"])
    o_t = sigmoid(a_o)
    hs = hidden_state(o_t, cs["c"], c_prev, mistake)
    return {"gates_pre": gates_pre, "a_i": a_i, "a_f": a_f, "a_g": a_g, "a_o": a_o,
            "f": f_t, "i": i_t, "o": o_t, "c_tilde": c_tilde, "c_prev": c_prev, **cs, **hs}


def _peep(w, c):
    return w * c if w.ndim == 1 else w @ c


# ----------------------------------------------------------------------------- mistakes


MISTAKES = (
    Mistake("lstm.no-tanh", {
        "en": "You computed h_t = o_t ⊙ c_t. The cell state is squashed first: h_t = o_t ⊙ tanh(c_t), "
              "so h_t always stays between −1 and 1.",
        "ko": "h_t = o_t ⊙ c_t로 계산했습니다. 셀 상태(cell state)는 먼저 tanh로 눌러 줘야 합니다: "
              "h_t = o_t ⊙ tanh(c_t). 그래서 h_t는 항상 −1과 1 사이에 있습니다.",
    }),
    Mistake("lstm.forget-on-candidate", {
        "en": "You applied the forget gate to the new candidate c̃_t and the input gate to the old cell "
              "c_{t−1}. The forget gate decides how much of the OLD cell to keep: c_t = f_t ⊙ c_{t−1} + i_t ⊙ c̃_t.",
        "ko": "망각 게이트(forget gate)를 새 후보값 c̃_t에, 입력 게이트(input gate)를 이전 셀 c_{t−1}에 곱했습니다. "
              "망각 게이트는 '이전' 셀을 얼마나 남길지 정하는 값입니다: c_t = f_t ⊙ c_{t−1} + i_t ⊙ c̃_t.",
    }),
    Mistake("lstm.no-forget", {
        "en": "You added i_t ⊙ c̃_t to the whole old cell c_{t−1}, without multiplying it by the forget gate "
              "first: c_t = f_t ⊙ c_{t−1} + i_t ⊙ c̃_t.",
        "ko": "이전 셀 c_{t−1}에 망각 게이트(forget gate)를 곱하지 않고 그대로 i_t ⊙ c̃_t에 더했습니다. "
              "c_t = f_t ⊙ c_{t−1} + i_t ⊙ c̃_t입니다.",
    }),
    Mistake("lstm.old-cell-output", {
        "en": "You used the old cell state for the output: h_t = o_t ⊙ tanh(c_{t−1}). Update the cell first, "
              "then h_t = o_t ⊙ tanh(c_t) with the NEW c_t.",
        "ko": "출력에 이전 셀 상태를 썼습니다: h_t = o_t ⊙ tanh(c_{t−1}). 셀을 먼저 갱신한 뒤, 새 c_t로 "
              "h_t = o_t ⊙ tanh(c_t)를 계산해야 합니다.",
    }),
    Mistake("lstm.if-swapped", {
        "en": "You read the stacked weight rows in the order f, i, g, o. torch.nn.LSTMCell stacks them as "
              "i, f, g, o: the first H rows belong to the input gate, the next H to the forget gate.",
        "ko": "쌓여 있는 가중치 행을 f, i, g, o 순서로 읽었습니다. torch.nn.LSTMCell은 i, f, g, o 순서입니다: "
              "처음 H개 행이 입력 게이트(input gate), 그다음 H개가 망각 게이트(forget gate)입니다.",
    }),
    Mistake("lstm.sigmoid-candidate", {
        "en": "You squashed the candidate c̃_t with a sigmoid. The gates use σ (values 0…1), but the candidate "
              "uses tanh (values −1…1), so it can also lower the cell state.",
        "ko": "후보 셀 값 c̃_t에 시그모이드(sigmoid)를 썼습니다. 게이트는 σ(0~1)를 쓰지만 후보값은 tanh(−1~1)를 "
              "써서 셀 상태를 줄이는 방향으로도 움직일 수 있어야 합니다.",
    }),
)
WEIGHTS_ONLY = {"lstm.if-swapped", "lstm.sigmoid-candidate"}


# ----------------------------------------------------------------------------- inputs

GATE_KEYS = ("f", "i", "o", "c_tilde", "c_prev")


def _vector(inputs: Mapping[str, Any], key: str, size: int | None = None, default: Any = None) -> np.ndarray:
    arr = as_array(inputs, key, ndim=(0, 1), default=default)
    arr = np.atleast_1d(arr)
    if size is not None and arr.shape[0] != size:
        raise InputError(key, f"expected {size} values, got {arr.shape[0]}")
    return arr


def _matrix(inputs: Mapping[str, Any], key: str, rows: int | None, cols: int | None, what: str) -> np.ndarray:
    arr = as_array(inputs, key, ndim=(1, 2))
    if arr.ndim == 1:                       # one column written flat, e.g. w_hh of a 1-unit cell
        arr = arr[:, None]
    if (rows is not None and arr.shape[0] != rows) or (cols is not None and arr.shape[1] != cols):
        want = f"{'?' if rows is None else rows}×{'?' if cols is None else cols}"
        raise InputError(key, f"expected shape {want} ({what}), got {arr.shape[0]}×{arr.shape[1]}")
    return arr


def parse_gates(inputs: Mapping[str, Any]) -> dict:
    arrs = {k: as_array(inputs, k, ndim=(0, 1)) for k in GATE_KEYS}
    sizes = {k: a.shape[0] for k, a in arrs.items() if a.ndim == 1}
    n = max(sizes.values()) if sizes else 1
    for k, s in sizes.items():
        if s != n:
            longest = max(sizes, key=sizes.get)
            raise InputError(k, f"has {s} values but {longest} has {n}: give one value per unit")
    return {"f_t": arrs["f"], "i_t": arrs["i"], "o_t": arrs["o"], "c_tilde": arrs["c_tilde"], "c_prev": arrs["c_prev"]}


def range_warnings(out: Mapping[str, np.ndarray]) -> list[str]:
    """Values a real cell cannot produce (gates are sigmoids, c̃ is a tanh): one line per key,
    naming every unit out of range."""
    warns = []
    for k, lo, what in (("f", 0.0, "a sigmoid gate"), ("i", 0.0, "a sigmoid gate"), ("o", 0.0, "a sigmoid gate"),
                        ("c_tilde", -1.0, "c̃ = tanh(…)")):
        vals = np.atleast_1d(out[k])
        bad = np.flatnonzero((vals < lo) | (vals > 1))
        if bad.size:
            listed = ", ".join(f"{k}[{j}] = {vals[j]:g}" for j in bad)
            bound = "[0, 1]" if lo == 0 else "[−1, 1]"
            warns.append(f"{listed} {'is' if bad.size == 1 else 'are'} outside {bound}: {what} cannot take "
                         f"{'that value' if bad.size == 1 else 'those values'}")
    return warns


def parse_weights(inputs: Mapping[str, Any]) -> dict:
    w_hh = _matrix(inputs, "w_hh", None, None, "4H×H")
    if w_hh.shape[0] != 4 * w_hh.shape[1]:
        raise InputError("w_hh", f"expected shape 4H×H (rows i, f, g, o), got {w_hh.shape[0]}×{w_hh.shape[1]}")
    hidden = w_hh.shape[1]
    x = _vector(inputs, "x")
    w_ih = _matrix(inputs, "w_ih", 4 * hidden, x.shape[0], f"4H×D with H={hidden}, D={x.shape[0]}")
    args = {
        "x": x, "w_ih": w_ih, "w_hh": w_hh,
        "h_prev": _vector(inputs, "h_prev", hidden, default=np.zeros(hidden)),
        "c_prev": _vector(inputs, "c_prev", hidden, default=np.zeros(hidden)),
        "b_ih": _vector(inputs, "b_ih", 4 * hidden, default=np.zeros(4 * hidden)),
        "b_hh": _vector(inputs, "b_hh", 4 * hidden, default=np.zeros(4 * hidden)),
    }
    peep = inputs.get("peephole")
    if peep is not None:
        if not isinstance(peep, Mapping):
            raise InputError("peephole", "expected an object with any of the keys i, f, o")
        unknown = sorted(set(peep) - {"i", "f", "o"})
        if unknown:
            raise InputError("peephole", f"unknown gate {unknown[0]!r} (use i, f, o)")
        out = {}
        for g, w in peep.items():
            arr = as_array({g: w}, g, ndim=(0, 1, 2))
            key = f"peephole.{g}"
            if arr.ndim == 0:
                arr = np.full(hidden, float(arr))
            if arr.shape not in ((hidden,), (hidden, hidden)):
                raise InputError(key, f"expected {hidden} values (diagonal) or an {hidden}×{hidden} matrix")
            out[g] = arr
        args["peephole"] = out
    return args


def run(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, MISTAKES)
    if not isinstance(inputs, Mapping):
        raise InputError("inputs", "expected an object")
    if "w_ih" in inputs or "w_hh" in inputs:
        return {**lstm_cell(**parse_weights(inputs), mistake=mistake), "form": "weights"}
    if mistake in WEIGHTS_ONLY:
        raise InputError("mistake", f"{mistake} only applies when the gates are computed from weights (w_ih, w_hh)")
    out = lstm_from_gates(**parse_gates(inputs), mistake=mistake)
    out["warnings"] = range_warnings(out)
    out["form"] = "gates"
    return out


# The table of the notes (002, "LSTM training process"), with the typo c̃ = 6 read as 0.6 (the notes'
# own product i⊙c̃ = 0.48 = 0.8 × 0.6). Unit 8 keeps the notes' c̃ = 2.1, which no tanh can give:
# the output carries a warning about it.
SEED_TABLE = {
    "f": [0, 0.2, 0.9, 0.1, 1, 0.2, 0.1, 0.9, 0.4, 0.1],
    "c_prev": [-0.2, 0.1, 0.5, 0.7, 0.9, -0.3, -1.1, 2.0, 0.6, 0.7],
    "i": [0.1, 0, 0.8, 0.2, 0.8, 0.7, 1, 0.9, 0.2, 0.4],
    "c_tilde": [-0.1, 0.3, 0.6, 0.2, 0.9, 0.1, 0.4, 2.1, 0.6, 0.9],
    "o": [0.5, 0.4, 0.1, 0.9, 0.2, 0.3, 0.8, 0.7, 0.1, 0.9],
}

# The example: the table with c̃ of unit 8 read as 0.21 (as 6 was read as 0.6), so that every value is one
# a real cell can produce (the hint says c̃ ∈ [−1, 1]); SEED_TABLE keeps the notes' 2.1 and its warning.
EXAMPLE = {**SEED_TABLE, "c_tilde": [-0.1, 0.3, 0.6, 0.2, 0.9, 0.1, 0.4, 0.21, 0.6, 0.9]}

ALGORITHM = algorithm(Algorithm(
    name="lstm-cell",
    title={"en": "LSTM cell (one step)", "ko": "LSTM 셀 한 단계"},
    run=run,
    inputs={
        "f, i, o": "gate form: forget, input and output gate values (scalars or one value per unit)",
        "c_tilde": "gate form: candidate cell values c̃_t = tanh(...)",
        "c_prev": "previous cell state c_{t−1} (H values; default zeros in the weights form)",
        "x": "weights form: input vector x_t (D values)",
        "h_prev": "weights form: previous hidden state h_{t−1} (H values, default zeros)",
        "w_ih": "weights form: 4H×D input weights, rows stacked as gates i, f, g, o (torch.nn.LSTMCell)",
        "w_hh": "weights form: 4H×H recurrent weights, same row order",
        "b_ih, b_hh": "weights form: 4H biases each (default zeros); both are added",
        "peephole": "optional, weights form: {\"i\": w_ci, \"f\": w_cf, \"o\": w_co}, vectors (diagonal) or H×H; "
                    "i and f see c_{t−1}, o sees c_t",
    },
    inputs_ko={
        "f, i, o": "게이트 형식: 망각·입력·출력 게이트 값(스칼라 또는 유닛마다 값 하나)",
        "c_tilde": "게이트 형식: 후보 셀 값 c̃_t = tanh(...)",
        "c_prev": "이전 셀 상태 c_{t−1}(값 H개; 가중치 형식에서는 기본 0)",
        "x": "가중치 형식: 입력 벡터 x_t(값 D개)",
        "h_prev": "가중치 형식: 이전 은닉 상태 h_{t−1}(값 H개, 기본 0)",
        "w_ih": "가중치 형식: 4H×D 입력 가중치, 행을 게이트 i, f, g, o 순서로 쌓음(torch.nn.LSTMCell)",
        "w_hh": "가중치 형식: 4H×H 순환 가중치, 행 순서는 같음",
        "b_ih, b_hh": "가중치 형식: 각각 편향 4H개(기본 0); 둘 다 더해짐",
        "peephole": "선택, 가중치 형식: {\"i\": w_ci, \"f\": w_cf, \"o\": w_co}, 벡터(대각) 또는 H×H; "
                    "i와 f는 c_{t−1}을, o는 c_t를 봄",
    },
    example=EXAMPLE,
    mistakes=MISTAKES,
    summary=("f_c", "i_c", "c", "tanh_c", "h"),
))
