"""2-D convolution layer (cross-correlation, as in deep learning libraries) and pooling.

    input  (C×H×W)  — a plain H×W matrix is one channel
    kernel (F×C×K_h×K_w) — a plain K_h×K_w matrix is one filter over one channel
    out[f, i, j] = bias[f] + Σ_c Σ_u Σ_v  x_pad[c, i·S + u, j·S + v] · kernel[f, c, u, v]

The kernel is NOT flipped (that would be the mathematical convolution); this is what
``torch.nn.functional.conv2d`` computes. Output size, per side (floor, as PyTorch does):

    H_out = ⌊(H + 2P − K) / S⌋ + 1,    W_out = ⌊(W + 2P − K) / S⌋ + 1,    channels = F

Pooling (optional, on each output channel): windows of ``size`` moved by ``stride``
(default = size), taking the max or the average; its size follows the same formula with P = 0.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from engine.algorithms._common import check_mistake
from engine.core import Algorithm, InputError, Ints, Mistake, as_array, as_choice, as_int
from engine.registry import algorithm


def out_size(n: int, k: int, s: int, p: int, *, mistake: str | None = None) -> int:
    if mistake == "conv.no-padding-in-size":
        p = 0
    if mistake == "conv.padding-once":
        return (n + p - k) // s + 1
    if mistake == "conv.forgot-plus-one":
        return (n + 2 * p - k) // s
    return (n + 2 * p - k) // s + 1


def conv2d(x: np.ndarray, kernel: np.ndarray, bias: np.ndarray, stride: tuple[int, int],
           padding: tuple[int, int], *, mistake: str | None = None) -> dict:
    """x (C×H×W), kernel (F×C×Kh×Kw), bias (F) -> output (F×H_out×W_out)."""
    c, h, w = x.shape
    f, _, kh, kw = kernel.shape
    (sh, sw), (ph, pw) = stride, padding
    if mistake == "conv.flipped-kernel":
        kernel = kernel[:, :, ::-1, ::-1]          # true convolution: kernel rotated by 180°
    elif mistake == "conv.transposed-kernel":
        kernel = np.swapaxes(kernel, 2, 3)
        kh, kw = kw, kh
    if mistake == "conv.no-bias":
        bias = np.zeros_like(bias)
    if mistake == "conv.no-padding-in-size":
        ph = pw = 0
    top, left = ph, pw
    bottom, right = ph, pw
    if mistake == "conv.padding-once":              # zeros only on the top and left
        bottom = right = 0
    x_pad = np.pad(x, ((0, 0), (top, bottom), (left, right)))  # (C, H + top + bottom, W + left + right)
    h_out = (x_pad.shape[1] - kh) // sh + 1
    w_out = (x_pad.shape[2] - kw) // sw + 1
    if mistake == "conv.forgot-plus-one":
        h_out, w_out = h_out - 1, w_out - 1
    h_out, w_out = max(h_out, 0), max(w_out, 0)
    # every Kh×Kw window at once: windows[c, i, j] = x_pad[c, i·sh : i·sh+Kh, j·sw : j·sw+Kw]
    windows = np.lib.stride_tricks.sliding_window_view(x_pad, (kh, kw), axis=(1, 2))[:, ::sh, ::sw]
    windows = windows[:, :h_out, :w_out]                                      # (C×H_out×W_out×Kh×Kw)
    out = np.einsum("fcab,cijab->fij", kernel, windows) + bias[:, None, None]  # Σ_c,a,b K·x + b
    out = out.reshape(f, h_out, w_out)                        # (F, H_out, W_out)
    return {"x_pad": x_pad, "output": out, "output_shape": [f, h_out, w_out]}


def pool2d(x: np.ndarray, kind: str, size: int, stride: int) -> np.ndarray:
    """x (F×H×W) -> (F×H_p×W_p), windows of size×size moved by stride."""
    f, h, w = x.shape
    hp, wp = max((h - size) // stride + 1, 0), max((w - size) // stride + 1, 0)
    if hp == 0 or wp == 0:
        return np.zeros((f, hp, wp))
    windows = np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(1, 2))[:, ::stride, ::stride]
    windows = windows[:, :hp, :wp]                                            # (F×H_p×W_p×size×size)
    return windows.max(axis=(3, 4)) if kind == "max" else windows.mean(axis=(3, 4))


def _pair(inputs: Mapping[str, Any], key: str, default: int, lo: int) -> tuple[int, int]:
    raw = inputs.get(key, default)
    if isinstance(raw, (list, tuple)):
        if len(raw) != 2:
            raise InputError(key, "expected one integer or a pair [vertical, horizontal]")
        return (as_int({key: raw[0]}, key, lo=lo), as_int({key: raw[1]}, key, lo=lo))
    v = as_int({key: raw}, key, lo=lo)
    return v, v


def parse(inputs: Mapping[str, Any]) -> dict:
    x = as_array(inputs, "input", ndim=(2, 3))
    plain = x.ndim == 2
    if plain:
        x = x[None]
    kernel = as_array(inputs, "kernel", ndim=(2, 4))
    if kernel.ndim == 2:
        if not plain and x.shape[0] != 1:
            raise InputError("kernel", f"the input has {x.shape[0]} channels: give the kernel as "
                                       f"out×{x.shape[0]}×k_h×k_w")
        kernel = kernel[None, None]
    else:
        plain = False
        if kernel.shape[1] != x.shape[0]:
            raise InputError("kernel", f"expected out×{x.shape[0]}×k_h×k_w (one slice per input channel), "
                                       f"got {'×'.join(map(str, kernel.shape))}")
    stride = _pair(inputs, "stride", 1, 1)
    padding = _pair(inputs, "padding", 0, 0)
    f = kernel.shape[0]
    bias = as_array(inputs, "bias", ndim=(0, 1), default=np.zeros(f)).reshape(-1)
    if bias.shape[0] != f:
        raise InputError("bias", f"expected {f} value(s), one per output channel")
    for axis, name in ((1, "height"), (2, "width")):
        if x.shape[axis] + 2 * padding[axis - 1] < kernel.shape[axis + 1]:
            raise InputError("kernel", f"kernel {name} {kernel.shape[axis + 1]} is larger than the padded "
                                       f"input {name} {x.shape[axis] + 2 * padding[axis - 1]}")
    pool = None
    if inputs.get("pool") is not None:
        raw = inputs["pool"]
        if not isinstance(raw, Mapping):
            raise InputError("pool", "expected {\"type\": \"max\" or \"avg\", \"size\": k, \"stride\": s}")
        kind = as_choice({"pool.type": raw.get("type", "max")}, "pool.type", ("max", "avg"))
        size = as_int({"pool.size": raw.get("size", 2)}, "pool.size", lo=1)
        pstride = as_int({"pool.stride": raw.get("stride", size)}, "pool.stride", lo=1)
        pool = {"type": kind, "size": size, "stride": pstride}
    return {"x": x, "kernel": kernel, "bias": bias, "stride": stride, "padding": padding, "plain": plain,
            "pool": pool}


def formula_text(h: int, w: int, kh: int, kw: int, stride, padding, f: int, mistake=None) -> str:
    (sh, sw), (ph, pw) = stride, padding
    ho = out_size(h, kh, sh, ph, mistake=mistake)
    wo = out_size(w, kw, sw, pw, mistake=mistake)
    return (f"H_out = ⌊(H + 2P − K)/S⌋ + 1 = ⌊({h} + 2·{ph} − {kh})/{sh}⌋ + 1 = {ho}; "
            f"W_out = ⌊({w} + 2·{pw} − {kw})/{sw}⌋ + 1 = {wo}; channels = {f}")


def run(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, MISTAKES)
    a = parse(inputs)
    x, kernel = a["x"], a["kernel"]
    res = conv2d(x, kernel, a["bias"], a["stride"], a["padding"], mistake=mistake)
    _, h, w = x.shape
    f, _, kh, kw = kernel.shape
    out = res["output"]
    result = {
        "output": out[0] if a["plain"] else out,
        "output_shape": res["output_shape"][1:] if a["plain"] else res["output_shape"],
        "formula": formula_text(h, w, kh, kw, a["stride"], a["padding"], f),
        "padded_input": res["x_pad"][0] if a["plain"] else res["x_pad"],
        "stride": list(a["stride"]), "padding": list(a["padding"]),
    }
    if a["pool"] is not None:
        p = a["pool"]
        pooled = pool2d(out, p["type"], p["size"], p["stride"])
        result["pooled"] = pooled[0] if a["plain"] else pooled
        result["pooled_shape"] = list(pooled.shape[1:]) if a["plain"] else list(pooled.shape)
        result["pool"] = p
    return result


MISTAKES = (
    Mistake("conv.no-padding-in-size", {
        "en": "You ignored the padding: the zeros added on both sides make the input H + 2P tall, so "
              "H_out = (H + 2P − K)/S + 1.",
        "ko": "패딩(padding)을 무시했습니다: 양쪽에 0을 덧대면 입력의 높이가 H + 2P가 되므로 "
              "H_out = (H + 2P − K)/S + 1입니다.",
    }),
    Mistake("conv.forgot-plus-one", {
        "en": "You forgot the +1. (H + 2P − K)/S counts the steps the kernel moves; the first position "
              "before any step counts too: H_out = (H + 2P − K)/S + 1.",
        "ko": "+1을 빠뜨렸습니다. (H + 2P − K)/S는 커널이 이동하는 횟수이고, 이동하기 전 첫 위치도 세야 "
              "하므로 H_out = (H + 2P − K)/S + 1입니다.",
    }),
    Mistake("conv.padding-once", {
        "en": "You added the padding once. P zeros go on both sides (top and bottom, left and right): "
              "use H + 2P.",
        "ko": "패딩을 한 번만 더했습니다. 0은 양쪽(위·아래, 왼쪽·오른쪽)에 P개씩 붙으므로 H + 2P를 써야 합니다.",
    }),
    Mistake("conv.flipped-kernel", {
        "en": "You flipped the kernel (the textbook convolution). Deep learning layers compute the "
              "cross-correlation: the kernel is laid on the patch as it is, element by element.",
        "ko": "커널을 180° 뒤집었습니다(수학의 컨볼루션). 딥러닝의 합성곱층은 교차상관(cross-correlation)을 "
              "계산하므로 커널을 그대로 패치에 겹쳐 원소끼리 곱해 더합니다.",
    }),
    Mistake("conv.transposed-kernel", {
        "en": "You laid the kernel on the patch transposed (its rows along the patch's columns). Match row "
              "with row and column with column.",
        "ko": "커널을 전치해서(행을 열 방향으로) 겹쳤습니다. 행은 행끼리, 열은 열끼리 맞춰 곱해야 합니다.",
    }),
    Mistake("conv.no-bias", {
        "en": "You left out the bias: every output value is Σ (patch ⊙ kernel) + b.",
        "ko": "편향(bias)을 빠뜨렸습니다: 출력값은 모두 Σ (패치 ⊙ 커널) + b입니다.",
    }),
)



ALGORITHM = algorithm(Algorithm(
    name="conv2d",
    title={"en": "2-D convolution and pooling", "ko": "2차원 합성곱과 풀링"},
    run=run,
    limits={"stride": Ints(1, 64), "padding": Ints(0, 16)},
    inputs={
        "input": "H×W matrix, or C×H×W (channels first)",
        "kernel": "k_h×k_w matrix, or out×C×k_h×k_w",
        "stride": "integer or [vertical, horizontal] (default 1)",
        "padding": "zeros added on every side: integer or [vertical, horizontal] (default 0)",
        "bias": "optional: one bias per output channel (default 0)",
        "pool": "optional: {\"type\": \"max\" or \"avg\", \"size\": k, \"stride\": s (default k)}",
    },
    inputs_ko={
        "input": "H×W 행렬 또는 C×H×W(채널이 맨 앞)",
        "kernel": "k_h×k_w 행렬 또는 out×C×k_h×k_w",
        "stride": "정수 또는 [세로, 가로](기본 1)",
        "padding": "모든 가장자리에 덧대는 0의 수: 정수 또는 [세로, 가로](기본 0)",
        "bias": "선택: 출력 채널마다 편향 하나(기본 0)",
        "pool": "선택: {\"type\": \"max\" 또는 \"avg\", \"size\": k, \"stride\": s (기본 k)}",
    },
    # the notes: a 6×6×1 image and a 3×3 filter give a 4×4×1 feature map (the pixel values are the
    # well-known vertical-edge example; the notes show the shapes only)
    example={"input": [[3, 0, 1, 2, 7, 4], [1, 5, 8, 9, 3, 1], [2, 7, 2, 5, 1, 3],
                       [0, 1, 3, 1, 7, 8], [4, 2, 1, 6, 2, 8], [2, 4, 5, 2, 3, 9]],
             "kernel": [[1, 0, -1], [1, 0, -1], [1, 0, -1]], "stride": 1, "padding": 0,
             "pool": {"type": "max", "size": 2, "stride": 2}},
    mistakes=MISTAKES,
    summary=("output_shape", "output", "pooled"),
))
