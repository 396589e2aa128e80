"""Attention: score functions, masking, softmax weights, the weighted sum of values; multi-head.

    scores  = score(Q, K)                 (n_q, n)   one row per query, one column per key
      dot:      Q Kᵀ
      scaled:   Q Kᵀ / √d_k               d_k = number of columns of K (the key dimension)
      general:  Q W_a Kᵀ                  (Luong's multiplicative score)
      additive: v_aᵀ tanh(W_q q_i + W_k k_j)   (Bahdanau)
    masked  = scores with −∞ where a query may not look (causal: key j > query i)
    weights = softmax over the keys (each row sums to 1)
    output  = weights V                   (n_q, d_v)   the context vectors Σ_j α_ij v_j

Multi-head self-attention (Vaswani et al. 2017), with weights applied as x @ W:
    Q = x W_q + b_q, K = x W_k + b_k, V = x W_v + b_v        (n, d_model)
    split the columns into h heads of d_head = d_model / h
    head_j = softmax(Q_j K_jᵀ / √d_head) V_j                   (n, d_head)
    output = concat(head_1 … head_h) W_o + b_o                (n, d_model)
"""

from __future__ import annotations

import math
from typing import Any, Mapping

import numpy as np

from engine.algorithms._common import check_mistake
from engine.core import Algorithm, InputError, Mistake, as_array, as_choice, as_int
from engine.registry import algorithm


def softmax(z: Any, axis: int = -1) -> np.ndarray:
    """exp(z) / Σ exp(z) along ``axis``; −∞ entries get weight 0 (a slice of all −∞ gives zeros)."""
    z = np.asarray(z, dtype=float)
    m = np.max(z, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    e = np.exp(z - m)
    s = e.sum(axis=axis, keepdims=True)
    return np.divide(e, s, out=np.zeros_like(e), where=s > 0)


def causal_keep(n_q: int, n_k: int) -> np.ndarray:
    """True where query i may attend to key j: j ≤ i (top-left aligned, as torch's is_causal)."""
    return np.tril(np.ones((n_q, n_k), dtype=bool))


def attention(q, k, v, score: str = "scaled", keep=None, w_a=None, w_q=None, w_k=None, v_a=None,
              mistake: str | None = None) -> dict:
    """q (n_q, d_q), k (n, d_k), v (n, d_v); ``keep`` (n_q, n) booleans or None."""
    n_q, n_k = q.shape[0], k.shape[0]
    d_k = k.shape[1]
    if score == "additive":
        # e_ij = v_aᵀ tanh(W_q q_i + W_k k_j)
        proj_q = q @ w_q.T                                       # (n_q, d_a)
        proj_k = k @ w_k.T                                       # (n, d_a)
        raw = np.tanh(proj_q[:, None, :] + proj_k[None, :, :]) @ v_a   # (n_q, n)
    elif score == "general":
        raw = q @ w_a @ k.T                                      # (n_q, n)
    else:
        raw = q @ k.T                                            # (n_q, n)
    scale = 1.0
    if score == "scaled":
        scale = 1.0 / math.sqrt(d_k)
        if mistake == "attention.no-scale":
            scale = 1.0
        elif mistake == "attention.divide-by-dk":
            scale = 1.0 / d_k
        elif mistake == "attention.dk-is-seq-len":
            scale = 1.0 / math.sqrt(n_k)
    scores = raw * scale
    if keep is None:
        keep = np.ones((n_q, n_k), dtype=bool)
    fill = 0.0 if mistake == "attention.mask-zero" else -np.inf
    masked = np.where(keep, scores, fill)
    weights = softmax(masked, axis=0 if mistake == "attention.softmax-columns" else 1)
    output = weights @ v                                         # (n_q, d_v)
    return {"raw_scores": raw, "scale": scale, "d_k": d_k, "scores": masked, "weights": weights,
            "output": output, "mask": keep}


def multihead(x, num_heads, w_q, w_k, w_v, w_o, b_q, b_k, b_v, b_o, x_kv=None, keep=None,
              mistake: str | None = None) -> dict:
    """x (n, d_model), x_kv (m, d_model) for cross-attention (default x), W's (d_model, d_model)."""
    x_kv = x if x_kv is None else x_kv
    n, d_model = x.shape
    n_kv = x_kv.shape[0]
    heads_n = 1 if mistake == "multihead.no-split" else num_heads
    d_head = d_model // heads_n
    q_all = x @ w_q + b_q                                        # (n, d_model)
    k_all = x_kv @ w_k + b_k                                     # (m, d_model)
    v_all = x_kv @ w_v + b_v                                     # (m, d_model)
    q = q_all.reshape(n, heads_n, d_head).transpose(1, 0, 2)     # (h, n, d_head)
    k = k_all.reshape(n_kv, heads_n, d_head).transpose(1, 0, 2)  # (h, m, d_head)
    v = v_all.reshape(n_kv, heads_n, d_head).transpose(1, 0, 2)  # (h, m, d_head)
    scale = 1.0 / math.sqrt(d_model if mistake == "multihead.scale-d-model" else d_head)
    scores = q @ k.transpose(0, 2, 1) * scale                    # (h, n, m)
    if keep is not None:
        scores = np.where(keep[None], scores, -np.inf)
    weights = softmax(scores, axis=-1)                           # (h, n, m)
    heads = weights @ v                                          # (h, n, d_head)
    concat = heads.transpose(1, 0, 2).reshape(n, d_model)        # (n, d_model)
    output = concat if mistake == "multihead.no-output-projection" else concat @ w_o + b_o
    return {"d_head": d_head, "scale": scale, "q_proj": q_all, "k_proj": k_all, "v_proj": v_all,
            "q": q, "k": k, "v": v, "scores": scores, "weights": weights, "heads": heads,
            "concat": concat, "output": output}


# ----------------------------------------------------------------------------- mistakes

MISTAKES = (
    Mistake("attention.no-scale", {
        "en": "You forgot to divide the scores by √d_k. Scaled dot-product attention uses Q Kᵀ / √d_k; "
              "without it the softmax becomes too peaked when d_k is large.",
        "ko": "점수를 √d_k로 나누는 것을 빠뜨렸습니다. 스케일된 내적 어텐션(scaled dot-product attention)은 "
              "Q Kᵀ / √d_k를 씁니다. 나누지 않으면 d_k가 클 때 softmax가 한쪽으로 너무 쏠립니다.",
    }),
    Mistake("attention.divide-by-dk", {
        "en": "You divided the scores by d_k itself. The scale is the SQUARE ROOT: Q Kᵀ / √d_k "
              "(it keeps the variance of a dot product of d_k unit-variance terms at 1).",
        "ko": "점수를 d_k 자체로 나눴습니다. 나누는 값은 제곱근 √d_k입니다: Q Kᵀ / √d_k "
              "(분산 1인 항 d_k 개를 더한 내적의 분산을 1로 맞추기 위해서입니다).",
    }),
    Mistake("attention.dk-is-seq-len", {
        "en": "You took d_k as the number of keys (the sequence length). d_k is the dimension of each key "
              "vector: the number of COLUMNS of K. For Q and K of shape 4×2, d_k = 2, not 4.",
        "ko": "d_k를 키의 개수(시퀀스 길이)로 잡았습니다. d_k는 키 벡터 하나의 차원, 즉 K의 '열' 개수입니다. "
              "Q, K가 4×2 라면 d_k = 2이지 4가 아닙니다.",
    }),
    Mistake("attention.softmax-columns", {
        "en": "You took the softmax down the columns (over the queries). Each query distributes its attention "
              "over the keys: softmax along each ROW, so that every row of weights sums to 1.",
        "ko": "softmax를 열 방향(쿼리들에 걸쳐)으로 계산했습니다. 쿼리 하나가 키들에 주의를 나눠 주는 것이므로 "
              "각 '행'을 따라 softmax 해야 하고, 그러면 가중치의 각 행의 합이 1이 됩니다.",
    }),
    Mistake("attention.mask-zero", {
        "en": "You masked the future positions by setting their scores to 0. A score of 0 still gets weight "
              "e⁰ = 1 in the softmax; masked scores must be −∞ so that their weight is exactly 0.",
        "ko": "미래 위치를 가릴 때 점수를 0으로 두었습니다. 점수 0도 softmax에서 e⁰ = 1의 가중치를 받습니다. "
              "가려야 할 점수는 −∞로 두어야 가중치가 정확히 0이 됩니다.",
    }),
)
SCALED_ONLY = {"attention.no-scale", "attention.divide-by-dk", "attention.dk-is-seq-len"}

MHA_MISTAKES = (
    Mistake("multihead.no-split", {
        "en": "You did not split Q, K and V into heads: one big head of size d_model, scaled by √d_model. "
              "Multi-head attention cuts the d_model columns into h blocks of d_head = d_model / h and runs "
              "attention in each block separately.",
        "ko": "Q, K, V를 헤드로 나누지 않고 d_model 크기의 큰 헤드 하나로 계산했습니다. 멀티헤드 어텐션(multi-head "
              "attention)은 d_model 개의 열을 d_head = d_model / h 크기의 블록 h개로 나눠 블록마다 따로 어텐션을 "
              "계산합니다.",
    }),
    Mistake("multihead.scale-d-model", {
        "en": "You scaled each head's scores by √d_model. Inside a head the dot products have d_head terms, so "
              "the scale is √d_head = √(d_model / h).",
        "ko": "각 헤드의 점수를 √d_model로 나눴습니다. 한 헤드 안의 내적은 d_head 개 항의 합이므로 "
              "√d_head = √(d_model / h)로 나눠야 합니다.",
    }),
    Mistake("multihead.no-output-projection", {
        "en": "You stopped at the concatenated heads. The output of multi-head attention is concat(heads) W_o: "
              "the output projection mixes the heads.",
        "ko": "헤드를 이어 붙인(concat) 데서 멈췄습니다. 멀티헤드 어텐션의 출력은 concat(heads) W_o입니다: "
              "출력 투영(output projection)이 헤드들을 섞어 줍니다.",
    }),
)


# ----------------------------------------------------------------------------- inputs


def _rows(inputs, key, cols=None, what=""):
    """A matrix of row vectors; a flat list is one row."""
    arr = as_array(inputs, key, ndim=(1, 2))
    flat = arr.ndim == 1
    arr = np.atleast_2d(arr)
    if cols is not None and arr.shape[1] != cols:
        raise InputError(key, f"expected {cols} columns{what}, got {arr.shape[1]}")
    return arr, flat


def _exact(inputs, key, shape, what):
    arr = as_array(inputs, key, ndim=len(shape))
    if arr.shape != shape:
        raise InputError(key, f"expected shape {'×'.join(map(str, shape))} ({what}), "
                              f"got {'×'.join(map(str, arr.shape))}")
    return arr


def _mask(inputs, n_q, n_k):
    raw = inputs.get("mask", "none")
    if raw is None or raw == "none":
        return None
    if raw == "causal":
        return causal_keep(n_q, n_k)
    if isinstance(raw, str):
        raise InputError("mask", "must be none, causal, or a matrix of 1 (attend) / 0 (masked)")
    try:
        arr = np.asarray(raw, dtype=float)
    except (TypeError, ValueError):
        raise InputError("mask", "must be none, causal, or a matrix of 1 (attend) / 0 (masked)") from None
    if arr.shape != (n_q, n_k) or not np.all((arr == 0) | (arr == 1)):
        raise InputError("mask", f"expected an {n_q}×{n_k} matrix of 1 (attend) / 0 (masked)")
    keep = arr.astype(bool)
    empty = np.flatnonzero(~keep.any(axis=1))
    if empty.size:
        raise InputError("mask", f"row {empty[0]} masks every key: that query has nothing to attend to")
    return keep


def parse_attention(inputs: Mapping[str, Any]) -> dict:
    if not isinstance(inputs, Mapping):
        raise InputError("inputs", "expected an object")
    q, flat_q = _rows(inputs, "q")
    k, _ = _rows(inputs, "k")
    n_k = k.shape[0]
    v_raw = as_array(inputs, "v", ndim=(1, 2))
    flat_v = v_raw.ndim == 1
    v = v_raw[:, None] if flat_v else v_raw
    if v.shape[0] != n_k:
        raise InputError("v", f"expected {n_k} rows (one value per key), got {v.shape[0]}")
    score = as_choice(inputs, "score", ("dot", "scaled", "general", "additive"), default="scaled")
    args: dict[str, Any] = {"q": q, "k": k, "v": v, "score": score}
    if score in ("dot", "scaled") and q.shape[1] != k.shape[1]:
        raise InputError("q", f"queries have {q.shape[1]} columns but keys have {k.shape[1]}: a dot product "
                              "needs the same dimension (use score general or additive otherwise)")
    if score == "general":
        args["w_a"] = _exact(inputs, "w_a", (q.shape[1], k.shape[1]), "d_q×d_k")
    if score == "additive":
        w_q = as_array(inputs, "w_q", ndim=2)
        if w_q.shape[1] != q.shape[1]:
            raise InputError("w_q", f"expected {q.shape[1]} columns (d_a×d_q), got {w_q.shape[1]}")
        d_a = w_q.shape[0]
        args.update(w_q=w_q, w_k=_exact(inputs, "w_k", (d_a, k.shape[1]), "d_a×d_k"),
                    v_a=_exact(inputs, "v_a", (d_a,), "d_a"))
    args["keep"] = _mask(inputs, q.shape[0], n_k)
    return {"args": args, "flat_q": flat_q, "flat_v": flat_v}


def run_attention(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, MISTAKES)
    p = parse_attention(inputs)
    args = p["args"]
    if mistake in SCALED_ONLY and args["score"] != "scaled":
        raise InputError("mistake", f"{mistake} only applies to score = scaled")
    if mistake == "attention.mask-zero" and args["keep"] is None:
        raise InputError("mistake", "attention.mask-zero only applies with a mask")
    out = attention(**args, mistake=mistake)
    if p["flat_v"]:
        out["output"] = out["output"][:, 0]
    if p["flat_q"]:                          # one query given as a flat vector
        for key in ("raw_scores", "scores", "weights", "output", "mask"):
            out[key] = out[key][0]
    return out


def parse_multihead(inputs: Mapping[str, Any]) -> dict:
    if not isinstance(inputs, Mapping):
        raise InputError("inputs", "expected an object")
    x = as_array(inputs, "x", ndim=2)
    n, d_model = x.shape
    num_heads = as_int(inputs, "num_heads", lo=1, hi=d_model)
    if d_model % num_heads:
        raise InputError("num_heads", f"must divide d_model = {d_model} (got {num_heads})")
    x_kv = None
    if inputs.get("x_kv") is not None:
        x_kv = as_array(inputs, "x_kv", ndim=2)
        if x_kv.shape[1] != d_model:
            raise InputError("x_kv", f"expected {d_model} columns (d_model), got {x_kv.shape[1]}")
    n_kv = n if x_kv is None else x_kv.shape[0]
    sq = (d_model, d_model)
    args = {"x": x, "x_kv": x_kv, "num_heads": num_heads}
    for key in ("w_q", "w_k", "w_v", "w_o"):
        args[key] = _exact(inputs, key, sq, "d_model×d_model, applied as x @ W")
    for key in ("b_q", "b_k", "b_v", "b_o"):
        if inputs.get(key) is None:
            args[key] = np.zeros(d_model)
        else:
            args[key] = _exact(inputs, key, (d_model,), "d_model")
    args["keep"] = _mask(inputs, n, n_kv)
    return args


def run_multihead(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, MHA_MISTAKES)
    args = parse_multihead(inputs)
    if mistake == "multihead.no-split" and args["num_heads"] == 1:
        raise InputError("mistake", "multihead.no-split needs num_heads > 1")
    return multihead(**args, mistake=mistake)


# Q and K of 4 tokens × 2 dimensions, as in the figure of the notes (004, "Scaled Dot-Product
# Attention"): d_k is 2 (columns of K), so the scores are divided by √2.
ATTENTION = algorithm(Algorithm(
    name="attention",
    title={"en": "Attention (scores, softmax weights, context)", "ko": "어텐션 (점수, softmax 가중치, 문맥 벡터)"},
    run=run_attention,
    inputs={
        "q": "queries, n_q×d (a flat list is one query)",
        "k": "keys, n×d",
        "v": "values, n×d_v (a flat list: one number per key)",
        "score": "dot | scaled (÷√d_k, d_k = columns of k; default) | general (q W_a kᵀ) | additive",
        "w_a": "general: d_q×d_k matrix",
        "w_q, w_k, v_a": "additive: d_a×d_q, d_a×d_k and d_a; score = v_aᵀ tanh(W_q q + W_k k)",
        "mask": "none (default) | causal (key j > query i is masked with −∞) | n_q×n matrix of 1 attend / 0 mask",
    },
    inputs_ko={
        "q": "쿼리, n_q×d(1차원 리스트는 쿼리 하나)",
        "k": "키, n×d",
        "v": "값, n×d_v(1차원 리스트: 키마다 수 하나)",
        "score": "dot | scaled(÷√d_k, d_k = k의 열 수; 기본) | general(q W_a kᵀ) | additive",
        "w_a": "general: d_q×d_k 행렬",
        "w_q, w_k, v_a": "additive: 각각 d_a×d_q, d_a×d_k, d_a; score = v_aᵀ tanh(W_q q + W_k k)",
        "mask": "none(기본) | causal(키 j > 쿼리 i이면 −∞로 가림) | 1 = 주목 / 0 = 가림인 n_q×n 행렬",
    },
    example={
        "q": [[1, 0], [0, 1], [1, 1], [0, 2]],
        "k": [[1, 1], [0, 1], [2, 0], [1, 0]],
        "v": [[1, 0], [0, 1], [1, 1], [2, 0]],
        "score": "scaled",
    },
    mistakes=MISTAKES,
    summary=("scale", "scores", "weights", "output"),
))

MULTIHEAD = algorithm(Algorithm(
    name="multihead-attention",
    title={"en": "Multi-head self-attention", "ko": "멀티헤드 셀프 어텐션"},
    run=run_multihead,
    inputs={
        "x": "token vectors, n×d_model",
        "num_heads": "number of heads h (must divide d_model)",
        "w_q, w_k, w_v, w_o": "d_model×d_model projections, applied as x @ W",
        "b_q, b_k, b_v, b_o": "optional biases (d_model values, default zeros)",
        "x_kv": "optional: keys/values come from these rows (cross-attention); default x",
        "mask": "none (default) | causal | n×m matrix of 1 attend / 0 mask",
    },
    inputs_ko={
        "x": "토큰 벡터, n×d_model",
        "num_heads": "헤드 수 h(d_model의 약수여야 함)",
        "w_q, w_k, w_v, w_o": "d_model×d_model 투영 행렬, x @ W로 적용",
        "b_q, b_k, b_v, b_o": "선택: 편향(값 d_model개, 기본 모두 0)",
        "x_kv": "선택: 키/값을 이 행들에서 만듦(교차 어텐션); 기본 x",
        "mask": "none(기본) | causal | 1 = 주목 / 0 = 가림인 n×m 행렬",
    },
    example={
        "x": [[1, 0, 1, 0], [0, 2, 0, 2], [1, 1, 1, 1]],
        "num_heads": 2,
        "w_q": [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]],
        "w_k": [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]],
        "w_v": [[0.5, 0, 0, 0], [0, 0.5, 0, 0], [0, 0, 0.5, 0], [0, 0, 0, 0.5]],
        "w_o": [[1, 0, 0.5, 0], [0, 1, 0, 0.5], [0.5, 0, 1, 0], [0, 0.5, 0, 1]],
        "mask": "causal",
    },
    mistakes=MHA_MISTAKES,
    summary=("d_head", "scale", "concat", "output"),
))
