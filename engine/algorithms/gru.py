"""One GRU cell step with torch.nn.GRUCell's weights and conventions.

    r_t = σ(W_ir x_t + b_ir + W_hr h_{t−1} + b_hr)              reset gate
    z_t = σ(W_iz x_t + b_iz + W_hz h_{t−1} + b_hz)              update gate
    n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t−1} + b_hn))   candidate (h̃_t in the notes)
    h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}

``w_ih`` (3H×D) and ``w_hh`` (3H×H) stack the gate rows in the order r, z, n.

Two conventions meet here. The notes (002, "GRU") write the form of Chung et al. (2014) and
Colah's blog: h_t = (1 − z_t) ⊙ h_{t−1} + z_t ⊙ h̃_t and h̃_t = tanh(W x_t + U (r_t ⊙ h_{t−1}) + b). torch, like Cho et al.
(2014, eq. 7), swaps the roles of z and 1 − z, and applies r_t after the matrix product. Both are GRUs, but with torch's
weights only torch's formulas give torch's numbers; the two other readings are mistake variants here.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from engine.algorithms._common import check_mistake, sigmoid
from engine.algorithms.lstm import _matrix, _vector
from engine.core import Algorithm, InputError, Mistake
from engine.registry import algorithm


def gru_cell(x, h_prev, w_ih, w_hh, b_ih, b_hh, mistake: str | None = None) -> dict:
    gi = w_ih @ x + b_ih                          # (3H,) input part of every gate
    gh = w_hh @ h_prev + b_hh                     # (3H,) recurrent part
    i_r, i_z, i_n = np.split(gi, 3)
    h_r, h_z, h_n = np.split(gh, 3)
    a_r, a_z = i_r + h_r, i_z + h_z
    if mistake == "gru.rz-swapped":               # rows read as z, r, n
        a_r, a_z = a_z, a_r
    r_t, z_t = sigmoid(a_r), sigmoid(a_z)
    hidden = h_prev.shape[0]
    if mistake == "gru.reset-before-matmul":      # the paper's form: W_hn (r ⊙ h) + b_hn
        w_hn, b_hn = w_hh[2 * hidden:], b_hh[2 * hidden:]
        a_n = i_n + w_hn @ (r_t * h_prev) + b_hn
    elif mistake == "gru.no-reset":
        a_n = i_n + h_n
    else:
        a_n = i_n + r_t * h_n
    n_t = np.tanh(a_n)
    if mistake == "gru.z-swapped":                # notes' convention with torch's weights
        h_t = z_t * n_t + (1.0 - z_t) * h_prev
    else:
        h_t = (1.0 - z_t) * n_t + z_t * h_prev
    return {"gi": gi, "gh": gh, "a_r": a_r, "a_z": a_z, "a_n": a_n, "h_n": h_n,
            "r": r_t, "z": z_t, "n": n_t, "h": h_t}


MISTAKES = (
    Mistake("gru.z-swapped", {
        "en": "You mixed with z and 1 − z the other way round: h_t = z ⊙ n + (1 − z) ⊙ h_{t−1}. That is the "
              "convention of the notes (Chung et al. 2014), but torch.nn.GRUCell (like Cho et al. 2014) uses h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}: "
              "there z is how much of the OLD state is kept.",
        "ko": "z와 1 − z를 반대로 섞었습니다: h_t = z ⊙ n + (1 − z) ⊙ h_{t−1}. 이는 강의 노트(Chung 등 2014)의 표기법인데, "
              "torch.nn.GRUCell은(Cho 등 2014와 같이) h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}을 씁니다. 여기서 z는 '이전' 상태를 얼마나 "
              "유지할지를 뜻합니다.",
    }),
    Mistake("gru.reset-before-matmul", {
        "en": "You applied the reset gate to h_{t−1} before the matrix product: W_hn (r ⊙ h_{t−1}) + b_hn. "
              "torch.nn.GRUCell applies it after: r ⊙ (W_hn h_{t−1} + b_hn), so r also scales the bias b_hn.",
        "ko": "리셋 게이트(reset gate)를 행렬곱 전에 h_{t−1}에 곱했습니다: W_hn (r ⊙ h_{t−1}) + b_hn. "
              "torch.nn.GRUCell은 행렬곱 뒤에 곱합니다: r ⊙ (W_hn h_{t−1} + b_hn). 그래서 편향 b_hn도 r로 줄어듭니다.",
    }),
    Mistake("gru.no-reset", {
        "en": "You left out the reset gate in the candidate: n = tanh(W_in x + b_in + W_hn h_{t−1} + b_hn). "
              "The recurrent part is multiplied by r: n = tanh(W_in x + b_in + r ⊙ (W_hn h_{t−1} + b_hn)).",
        "ko": "후보값 n에서 리셋 게이트(reset gate)를 빠뜨렸습니다. 순환 부분에 r을 곱해야 합니다: "
              "n = tanh(W_in x + b_in + r ⊙ (W_hn h_{t−1} + b_hn)).",
    }),
    Mistake("gru.rz-swapped", {
        "en": "You read the stacked weight rows in the order z, r, n. torch.nn.GRUCell stacks them as r, z, n: "
              "the first H rows belong to the reset gate.",
        "ko": "쌓인 가중치 행을 z, r, n 순서로 읽었습니다. torch.nn.GRUCell은 r, z, n 순서입니다: "
              "처음 H개 행이 리셋 게이트(reset gate)입니다.",
    }),
)


def parse(inputs: Mapping[str, Any]) -> dict:
    if not isinstance(inputs, Mapping):
        raise InputError("inputs", "expected an object")
    w_hh = _matrix(inputs, "w_hh", None, None, "3H×H")
    if w_hh.shape[0] != 3 * w_hh.shape[1]:
        raise InputError("w_hh", f"expected shape 3H×H (rows r, z, n), got {w_hh.shape[0]}×{w_hh.shape[1]}")
    hidden = w_hh.shape[1]
    x = _vector(inputs, "x")
    return {
        "x": x, "w_hh": w_hh,
        "w_ih": _matrix(inputs, "w_ih", 3 * hidden, x.shape[0], f"3H×D with H={hidden}, D={x.shape[0]}"),
        "h_prev": _vector(inputs, "h_prev", hidden, default=np.zeros(hidden)),
        "b_ih": _vector(inputs, "b_ih", 3 * hidden, default=np.zeros(3 * hidden)),
        "b_hh": _vector(inputs, "b_hh", 3 * hidden, default=np.zeros(3 * hidden)),
    }


def run(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, MISTAKES)
    return gru_cell(**parse(inputs), mistake=mistake)


ALGORITHM = algorithm(Algorithm(
    name="gru-cell",
    title={"en": "GRU cell (one step, torch conventions)", "ko": "GRU 셀 한 단계 (torch 규약)"},
    run=run,
    inputs={
        "x": "input vector x_t (D values)",
        "h_prev": "previous hidden state h_{t−1} (H values, default zeros)",
        "w_ih": "3H×D input weights, rows stacked as r, z, n (torch.nn.GRUCell)",
        "w_hh": "3H×H recurrent weights, same row order",
        "b_ih, b_hh": "3H biases each (default zeros); b_hn sits inside r ⊙ (…)",
    },
    inputs_ko={
        "x": "입력 벡터 x_t(값 D개)",
        "h_prev": "이전 은닉 상태 h_{t−1}(값 H개, 기본 0)",
        "w_ih": "3H×D 입력 가중치, 행을 r, z, n 순서로 쌓음(torch.nn.GRUCell)",
        "w_hh": "3H×H 순환 가중치, 행 순서는 같음",
        "b_ih, b_hh": "각각 편향 3H개(기본 0); b_hn은 r ⊙ (…) 안에 들어감",
    },
    example={
        "x": [1.0, 0.5], "h_prev": [0.2, -0.4],
        "w_ih": [[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1], [0.4, 0.4], [0.7, -0.2], [0.3, 0.9]],
        "w_hh": [[0.1, 0.6], [-0.5, 0.2], [0.3, 0.3], [0.8, -0.1], [0.5, 0.4], [-0.2, 0.6]],
        "b_ih": [0.1, 0.0, -0.1, 0.2, 0.0, 0.1], "b_hh": [0.0, 0.1, 0.2, 0.0, -0.3, 0.2],
    },
    mistakes=MISTAKES,
    summary=("r", "z", "n", "h"),
))
