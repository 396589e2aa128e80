"""Transformer exercises: a sinusoidal positional-encoding pair; multi-head attention bookkeeping.

Error carried forward: PE values are graded from the learner's own angle; the scale from the
learner's own d_head.
"""

from __future__ import annotations

import math
from typing import Mapping

import numpy as np

from engine.algorithms.attention import MHA_MISTAKES
from engine.algorithms.positional import MISTAKES as PE_MISTAKES
from engine.core import Field, Generator, Mistake, Step, Tolerance, Variant, fmt
from engine.generators._common import by_id, given, reject_coincident
from engine.korean import josa
from engine.registry import generator

ANGLE_TOL = Tolerance(rtol=0.005, atol=1e-4)
PE_TOL = Tolerance(atol=0.005)


@generator
class Positional(Generator):
    name = "transformer.positional"
    title = {"en": "Sinusoidal positional encoding", "ko": "사인파 위치 인코딩"}
    defaults = {}
    mistakes_catalog = PE_MISTAKES

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        d_model = int(rng.choice([8, 16, 32, 64, 128, 512]))
        pair = int(rng.integers(1, min(d_model // 2, 6)))
        pos = int(rng.integers(1, 61))
        data = {"d_model": d_model, "pair": pair, "pos": pos}
        j0, j1 = 2 * pair, 2 * pair + 1
        v = Variant(
            generator=self.name, seed=0, params=dict(params), data=data,
            prompt={
                "en": f"Sinusoidal positional encoding with d_model = {d_model}: PE(pos, 2i) = sin(pos/10000^(2i/d_model)), "
                      f"PE(pos, 2i+1) = cos(pos/10000^(2i/d_model)), dimensions counted from 0. For position "
                      f"pos = {pos} and pair i = {pair} (dimensions {j0} and {j1}) give the angle "
                      f"pos/10000^(2i/d_model) in radians, PE({pos}, {j0}) and PE({pos}, {j1}).",
                "ko": f"d_model = {d_model}인 사인파 위치 인코딩: PE(pos, 2i) = sin(pos/10000^(2i/d_model)), "
                      f"PE(pos, 2i+1) = cos(pos/10000^(2i/d_model)), 차원 번호는 0부터 셉니다. 위치 pos = {pos}, "
                      f"쌍 번호 i = {pair} (차원 {j0}, {j1})에 대해 각도 pos/10000^(2i/d_model) (라디안), "
                      f"PE({pos}, {j0}), {josa(f'PE({pos}, {j1})', '를')} 구하세요.",
            },
            fields=[Field("angle", {"en": "angle (radians)", "ko": "각도 (라디안)"}, part="angle", tol=ANGLE_TOL),
                    Field("pe_sin", {"en": f"PE({pos}, {j0})", "ko": f"PE({pos}, {j0})"}, part="pe", tol=PE_TOL),
                    Field("pe_cos", {"en": f"PE({pos}, {j1})", "ko": f"PE({pos}, {j1})"}, part="pe", tol=PE_TOL)],
            hints=[
                {"en": f"2i/d_model = {2 * pair}/{d_model}; 10000^({2 * pair}/{d_model}) = "
                       f"e^({2 * pair}/{d_model}·ln 10000).",
                 "ko": f"2i/d_model = {2 * pair}/{d_model}; 10000^({2 * pair}/{d_model}) = "
                       f"e^({2 * pair}/{d_model}·ln 10000)."},
                {"en": "Both dimensions of a pair use the same angle: sin for the even one, cos for the odd one. "
                       "Set the calculator to radians.",
                 "ko": "한 쌍의 두 차원은 같은 각도를 씁니다: 짝수 차원은 sin, 홀수 차원은 cos. 계산기는 라디안 모드로."},
            ],
        )
        reject_coincident(v, self.expected(v), self.mistakes(v), margin=2.0, same_fields_only=True)
        return v

    def _angle(self, v, exponent):
        return v.data["pos"] / 10000 ** exponent

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        d = v.data
        angle = self._angle(v, 2 * d["pair"] / d["d_model"])
        mine = given(answers, "angle")
        a = mine[0] if mine else angle
        return {"angle": angle, "pe_sin": math.sin(a), "pe_cos": math.cos(a)}

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        d = v.data
        i, dm = d["pair"], d["d_model"]
        angle = self._angle(v, 2 * i / dm)
        mine = given(answers, "angle")
        a = mine[0] if mine else angle
        wrong_even = self._angle(v, 2 * (2 * i) / dm)           # 2j/d with j = 2i
        wrong_odd = self._angle(v, 2 * (2 * i + 1) / dm)        # 2j/d with j = 2i+1
        return {
            "pe.sin-cos-swapped": {"pe_sin": math.cos(a), "pe_cos": math.sin(a)},
            "pe.dim-index-exponent": {"angle": wrong_even, "pe_sin": math.sin(wrong_even),
                                      "pe_cos": math.cos(wrong_odd)},
            "pe.odd-own-exponent": {"pe_sin": math.sin(a), "pe_cos": math.cos(self._angle(v, (2 * i + 1) / dm))},
            "pe.degrees": {"pe_sin": math.sin(math.radians(a)), "pe_cos": math.cos(math.radians(a))},
        }

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        i, dm, pos = d["pair"], d["d_model"], d["pos"]
        denom = 10000 ** (2 * i / dm)
        angle = pos / denom
        head = f"10000^({2 * i}/{dm}) = {fmt(denom)}; "
        tail = f" = {pos}/{fmt(denom)} = {fmt(angle, 5)}"
        return [Step({"en": head + "angle" + tail, "ko": head + "각도" + tail}, ("angle",)),
                Step({"en": f"PE({pos}, {2 * i}) = sin({fmt(angle, 5)}) = {fmt(math.sin(angle))}",
                      "ko": f"PE({pos}, {2 * i}) = sin({fmt(angle, 5)}) = {fmt(math.sin(angle))}"}, ("pe_sin",)),
                Step({"en": f"PE({pos}, {2 * i + 1}) = cos({fmt(angle, 5)}) = {fmt(math.cos(angle))}",
                      "ko": f"PE({pos}, {2 * i + 1}) = cos({fmt(angle, 5)}) = {fmt(math.cos(angle))}"}, ("pe_cos",))]


FULL_SIZE_HEADS = Mistake("multihead.full-size-per-head", {
    "en": "You gave every head its own d_model×d_model W_q, W_k and W_v. The heads share the projections: each "
          "head uses a d_model×d_head slice, so W_q, W_k, W_v, W_o are d_model×d_model in total (4·d_model² weights).",
    "ko": "헤드마다 d_model×d_model 크기의 W_q, W_k, W_v를 따로 두었습니다. 헤드들은 투영 행렬을 나눠 씁니다: 각 "
          "헤드는 d_model×d_head 조각을 쓰므로 W_q, W_k, W_v, W_o는 모두 합쳐 d_model×d_model입니다 "
          "(가중치 4·d_model² 개).",
})


@generator
class MultiheadShapes(Generator):
    name = "transformer.multihead-shapes"
    title = {"en": "Multi-head attention: shapes and sizes", "ko": "멀티헤드 어텐션: 크기 계산"}
    defaults = {}
    mistakes_catalog = (*by_id(MHA_MISTAKES, "multihead.no-split", "multihead.scale-d-model"), FULL_SIZE_HEADS)

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        d_model = int(rng.choice([64, 128, 256, 512, 768, 1024]))
        heads = [h for h in (2, 4, 8, 12, 16) if d_model % h == 0 and d_model // h >= 16]
        num_heads = int(rng.choice(heads))
        n = int(rng.integers(3, 13))
        data = {"d_model": d_model, "num_heads": num_heads, "n": n}
        int_tol = Tolerance(atol=0.5)
        v = Variant(
            generator=self.name, seed=0, params=dict(params), data=data,
            prompt={
                "en": f"A multi-head self-attention layer has d_model = {d_model} and h = {num_heads} heads and reads "
                      f"a sequence of n = {n} tokens. Give d_head, the factor √d_k each head divides its scores by, the "
                      "total number of attention scores (all heads together), and the number of weights in "
                      "W_q, W_k, W_v and W_o together (no biases).",
                "ko": f"멀티헤드 셀프 어텐션 층이 d_model = {d_model}, 헤드 h = {num_heads} 개이고 토큰 n = {n} 개인 "
                      "시퀀스를 읽습니다. d_head, 각 헤드가 점수를 나누는 값 √d_k, 모든 헤드를 합친 어텐션 점수의 "
                      "총 개수, 그리고 W_q, W_k, W_v, W_o의 가중치 수 합계(편향 제외)를 구하세요.",
            },
            fields=[Field("d_head", {"en": "d_head", "ko": "d_head"}, part="split", tol=int_tol),
                    Field("scale", {"en": "√d_k", "ko": "√d_k"}, part="split", tol=Tolerance(atol=0.01)),
                    Field("n_scores", {"en": "number of scores", "ko": "점수 개수"}, part="sizes", tol=int_tol),
                    Field("params", {"en": "number of weights", "ko": "가중치 수"}, part="sizes",
                          tol=Tolerance(atol=0.5))],
            hints=[
                {"en": "Each head works on d_head = d_model / h columns of Q, K and V.",
                 "ko": "각 헤드는 Q, K, V의 d_model / h 개 열(d_head)을 맡습니다."},
                {"en": "Each head has its own n×n score matrix.",
                 "ko": "헤드마다 n×n 점수 행렬이 하나씩 있습니다."},
                {"en": "The four projections are each d_model×d_model, shared by the heads.",
                 "ko": "투영 행렬 네 개는 각각 d_model×d_model이고 헤드들이 나눠 씁니다."},
            ],
        )
        reject_coincident(v, self.expected(v), self.mistakes(v), margin=2.0, same_fields_only=True)
        return v

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        d = v.data
        d_head = d["d_model"] // d["num_heads"]
        mine = given(answers, "d_head")
        scale_from = mine[0] if mine and mine[0] > 0 else d_head
        return {"d_head": float(d_head), "scale": math.sqrt(scale_from),
                "n_scores": float(d["num_heads"] * d["n"] ** 2), "params": float(4 * d["d_model"] ** 2)}

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        d = v.data
        dm, h, n = d["d_model"], d["num_heads"], d["n"]
        mine = given(answers, "d_head")
        scale_from = mine[0] if mine and mine[0] > 0 else dm      # √ of their own d_head
        return {
            "multihead.no-split": {"d_head": float(dm), "scale": math.sqrt(scale_from), "n_scores": float(n * n)},
            "multihead.scale-d-model": {"scale": math.sqrt(dm)},
            FULL_SIZE_HEADS.id: {"params": float(3 * h * dm * dm + dm * dm)},
        }

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        dm, h, n = d["d_model"], d["num_heads"], d["n"]
        d_head = dm // h
        return [
            Step({"en": f"d_head = d_model / h = {dm} / {h} = {d_head}", "ko": f"d_head = d_model / h = {dm} / {h} = {d_head}"},
                 ("d_head",)),
            Step({"en": f"each head scales by √d_head = √{d_head} = {fmt(math.sqrt(d_head))} (not √d_model)",
                  "ko": f"각 헤드는 √d_head = √{d_head} = {josa(fmt(math.sqrt(d_head)), '로')} 나눕니다 (√d_model이 아님)"},
                 ("scale",)),
            Step({"en": f"scores: h·n·n = {h}·{n}·{n} = {h * n * n}", "ko": f"점수: h·n·n = {h}·{n}·{n} = {h * n * n}"},
                 ("n_scores",)),
            Step({"en": f"weights: 4·d_model² = 4·{dm}² = {4 * dm * dm}", "ko": f"가중치: 4·d_model² = 4·{dm}² = {4 * dm * dm}"},
                 ("params",)),
        ]
