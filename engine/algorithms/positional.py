"""Sinusoidal positional encoding of the Transformer (Vaswani et al. 2017; notes 004).

    PE(pos, 2i)   = sin(pos / 10000^(2i / d_model))
    PE(pos, 2i+1) = cos(pos / 10000^(2i / d_model))

Dimensions come in pairs (2i, 2i+1) that share one frequency ω_i = 10000^(−2i/d_model); i is the
PAIR index, not the dimension index. Angles are in radians.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from engine.algorithms._common import check_mistake
from engine.core import Algorithm, InputError, Int, Mistake, as_float, as_int
from engine.registry import algorithm


def positional_encoding(positions, d_model: int, base: float = 10000.0, mistake: str | None = None) -> dict:
    positions = np.asarray(positions, dtype=float)              # (P,)
    dim = np.arange(d_model)                                    # j = 0 … d_model−1
    pair = dim // 2                                             # i with j = 2i or 2i+1
    if mistake == "pe.dim-index-exponent":
        exponent = 2 * dim / d_model                            # 2j/d: j used as if it were i
    elif mistake == "pe.odd-own-exponent":
        exponent = dim / d_model                                # j/d: the odd dimension gets its own frequency
    else:
        exponent = 2 * pair / d_model                           # 2i/d
    inv_freq = base ** (-exponent)                              # ω_i, (d_model,)
    angles = positions[:, None] * inv_freq[None, :]             # pos · ω_i, (P, d_model)
    if mistake == "pe.degrees":
        angles_used = np.deg2rad(angles)                        # calculator left in degree mode
    else:
        angles_used = angles
    even = dim % 2 == 0
    if mistake == "pe.sin-cos-swapped":
        even = ~even
    pe = np.where(even[None, :], np.sin(angles_used), np.cos(angles_used))
    return {"pair_index": pair, "exponent": exponent, "inv_freq": inv_freq, "angles": angles, "pe": pe}


MISTAKES = (
    Mistake("pe.sin-cos-swapped", {
        "en": "You swapped sine and cosine. Even dimensions 2i use sin, odd dimensions 2i+1 use cos "
              "(so PE(0) = [0, 1, 0, 1, …]).",
        "ko": "sin과 cos을 바꿨습니다. 짝수 차원 2i에는 sin, 홀수 차원 2i+1에는 cos을 씁니다 "
              "(그래서 PE(0) = [0, 1, 0, 1, …]).",
    }),
    Mistake("pe.dim-index-exponent", {
        "en": "You put the dimension index j into 2i/d_model, i.e. used 2j/d_model. In the formula i is the PAIR "
              "index: dimensions 2i and 2i+1 share the exponent 2i/d_model (for dimension j it is 2⌊j/2⌋/d_model).",
        "ko": "지수 2i/d_model에 차원 번호 j를 넣어 2j/d_model로 계산했습니다. 식의 i는 '쌍'의 번호입니다: "
              "차원 2i와 2i+1이 같은 지수 2i/d_model를 씁니다 (차원 j 라면 2⌊j/2⌋/d_model).",
    }),
    Mistake("pe.odd-own-exponent", {
        "en": "You gave each dimension j the exponent j/d_model, so the cosine dimension 2i+1 got its own "
              "frequency. The sin and cos of a pair share one angle: exponent 2i/d_model for both.",
        "ko": "차원 j마다 지수 j/d_model를 써서, cos 차원 2i+1이 다른 주파수를 갖게 됐습니다. 한 쌍의 sin과 cos은 "
              "같은 각도를 씁니다: 둘 다 지수 2i/d_model.",
    }),
    Mistake("pe.degrees", {
        "en": "Your calculator was in degree mode. The angle pos / 10000^(2i/d_model) is in radians.",
        "ko": "계산기가도(degree) 모드였습니다. 각도 pos / 10000^(2i/d_model)는 라디안(radian) 단위입니다.",
    }),
)


def parse(inputs: Mapping[str, Any]) -> dict:
    if not isinstance(inputs, Mapping):
        raise InputError("inputs", "expected an object")
    raw = inputs.get("positions")
    if raw is None:
        raise InputError("positions", "missing")
    flat = not isinstance(raw, (list, tuple))
    items = [raw] if flat else list(raw)
    if not items:
        raise InputError("positions", "empty")
    positions = [as_int({"positions": p}, "positions", lo=0, hi=10**9) for p in items]
    d_model = as_int(inputs, "d_model", lo=1, hi=65536)
    if len(positions) * d_model > 2_000_000:
        raise InputError("positions", "too many values: keep positions × d_model ≤ 2,000,000")
    base = as_float(inputs, "base", default=10000.0, lo=1.0, open_lo=True)
    return {"positions": positions, "d_model": d_model, "base": base, "flat": flat}


def run(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, MISTAKES)
    args = parse(inputs)
    flat = args.pop("flat")
    out = positional_encoding(**args, mistake=mistake)
    if flat:
        out["angles"], out["pe"] = out["angles"][0], out["pe"][0]
    return out


ALGORITHM = algorithm(Algorithm(
    name="positional-encoding",
    title={"en": "Sinusoidal positional encoding", "ko": "사인파 위치 인코딩"},
    run=run,
    limits={"d_model": Int(1, 1024)},
    max_values=1000,
    inputs={
        "positions": "a position (integer ≥ 0) or a list of positions",
        "d_model": "model dimension (number of PE values per position)",
        "base": "optional, default 10000",
    },
    inputs_ko={
        "positions": "위치 하나(0 이상의 정수) 또는 위치의 리스트",
        "d_model": "모델 차원(위치마다 PE 값의 개수)",
        "base": "선택, 기본 10000",
    },
    example={"positions": [0, 1, 2, 3], "d_model": 8},
    mistakes=MISTAKES,
    summary=("pe",),
))
