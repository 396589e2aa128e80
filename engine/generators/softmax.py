"""Softmax exercises: probabilities from logits (with a temperature), and the cross-entropy loss
of one example from its logits.

Error carried forward: the loss −ln p_c is graded from the learner's own p_c.
"""

from __future__ import annotations

import math
from typing import Mapping

import numpy as np

from engine.algorithms.information import MISTAKES as INFO_MISTAKES
from engine.algorithms.softmax import MISTAKES, softmax_trace
from engine.core import ChainGenerator, Degenerate, Field, Generator, Int, Mistake, Step, Tolerance, Variant, fmt
from engine.generators._common import by_id
from engine.korean import josa
from engine.registry import generator

P_TOL = Tolerance(atol=0.003)
LOSS_TOL = Tolerance(atol=0.005)
LOGITS = np.arange(-4, 7) / 2          # −2, −1.5, …, 3


def _logits(rng: np.random.Generator, n: int) -> list[float]:
    x = rng.choice(LOGITS, size=n, replace=False)
    return [float(v) for v in x]


def _p(x: list[float], temperature: float, mistake: str | None = None) -> np.ndarray:
    return softmax_trace(np.array(x, dtype=float), temperature, mistake=mistake)["p"]


def _shift_text(x: list[float], t: float) -> str:
    z = [v / t for v in x]
    m = max(z)
    return ", ".join(fmt(v - m, 4) for v in z)


@generator
class SoftmaxProbs(Generator):
    name = "softmax.probs"
    title = {"en": "Softmax probabilities", "ko": "소프트맥스 확률"}
    defaults = {"classes": 3}
    limits = {"classes": Int(2, 6)}
    mistakes_catalog = by_id(MISTAKES, "softmax.no-exp", "softmax.temperature-multiplied", "softmax.ignored-temperature")

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        n = int(params["classes"])
        x = _logits(rng, n)
        t = float(rng.choice([1, 1, 2, 0.5]))
        if max(_p(x, t)) > 0.98:
            raise Degenerate("one class takes (almost) everything")
        xs = ", ".join(f"{v:g}" for v in x)
        temp_en = "" if t == 1 else f" at temperature T = {t:g} (softmax of x / T)"
        temp_ko = "" if t == 1 else f" 온도 T = {t:g}에서(x / T의 소프트맥스)"
        return Variant(
            generator=self.name, seed=0, params=dict(params), data={"x": x, "temperature": t},
            prompt={"en": f"The logits are x = ({xs}). Give the softmax probabilities{temp_en}.",
                    "ko": f"로짓(logit)은 x = ({xs})입니다.{temp_ko} 소프트맥스 확률을 구하세요."},
            fields=[Field(f"p[{i}]", {"en": f"p{i + 1}", "ko": f"p{i + 1}"}, tol=P_TOL) for i in range(n)],
            hints=[
                {"en": "Divide by the temperature first (if any), then subtract the largest value: the "
                       "probabilities do not change, the exponentials stay small.",
                 "ko": "온도가 있으면 먼저 T로 나누고, 가장 큰 값을 빼세요: 확률은 그대로이고 지수값이 작게 유지됩니다."},
                {"en": "p_i = e^{z_i} / Σ_j e^{z_j}: exponentiate every entry, then divide by the sum.",
                 "ko": "p_i = e^{z_i} / Σ_j e^{z_j}: 모든 값을 지수화한 뒤 그 합으로 나눕니다."},
                {"en": "Check: the probabilities are positive and sum to 1, and the largest logit gets the largest p.",
                 "ko": "확인: 확률은 모두 양수이고 합이 1이며, 가장 큰 로짓이 가장 큰 확률을 받습니다."},
            ],
        )

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        p = _p(v.data["x"], v.data["temperature"])
        return {f"p[{i}]": float(q) for i, q in enumerate(p)}

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        x, t = v.data["x"], v.data["temperature"]
        ids = ["softmax.no-exp"] if abs(sum(x)) >= 1 else []
        if t != 1:
            ids += ["softmax.temperature-multiplied", "softmax.ignored-temperature"]
        return {mid: {f"p[{i}]": float(q) for i, q in enumerate(_p(x, t, mid))} for mid in ids}

    def solution(self, v: Variant) -> list[Step]:
        x, t = v.data["x"], v.data["temperature"]
        z = [a / t for a in x]
        m = max(z)
        e = [math.exp(a - m) for a in z]
        s = sum(e)
        steps = []
        if t != 1:
            text = f"z = x / {t:g} = ({', '.join(fmt(a, 4) for a in z)})"
            steps.append(Step({"en": text, "ko": text}))
        text_en = f"Subtract the max {fmt(m, 4)}: ({_shift_text(x, t)}); e^(·) = ({', '.join(fmt(a, 4) for a in e)}), sum {fmt(s, 4)}"
        text_ko = f"최댓값 {fmt(m, 4)} 빼기: ({_shift_text(x, t)}); e^(·) = ({', '.join(fmt(a, 4) for a in e)}), 합 {fmt(s, 4)}"
        steps.append(Step({"en": text_en, "ko": text_ko}))
        for i, a in enumerate(e):
            text = f"p{i + 1} = {fmt(a, 4)} / {fmt(s, 4)} = {fmt(a / s, 4)}"
            steps.append(Step({"en": text, "ko": text}, (f"p[{i}]",)))
        return steps


LOG10 = Mistake("softmax.ce-log10", {
    "en": "You used log₁₀ (the calculator's “log” key). The cross-entropy loss uses the natural log: −ln p.",
    "ko": "log₁₀(계산기의 “log” 버튼)을 썼습니다. 크로스 엔트로피 손실은 자연로그를 씁니다: −ln p.",
})
PREDICTED = Mistake("softmax.ce-predicted-class", {
    "en": "You took the probability of the predicted (largest) class. The loss uses the probability the model "
          "gives the TRUE class: −ln p_true.",
    "ko": "가장 큰 확률(예측한 클래스)을 썼습니다. 손실은 모델이 정답 클래스에 준 확률로 계산합니다: −ln p_정답.",
})
(NO_MINUS,) = by_id(INFO_MISTAKES, "information.no-minus")


@generator
class SoftmaxCrossEntropy(ChainGenerator):
    name = "softmax.cross-entropy"
    title = {"en": "Cross-entropy loss from logits", "ko": "로짓에서 크로스 엔트로피 손실"}
    defaults = {"classes": 3}
    limits = {"classes": Int(2, 6)}
    mistakes_catalog = (LOG10, PREDICTED, NO_MINUS, *by_id(MISTAKES, "softmax.no-exp"))

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        n = int(params["classes"])
        x = _logits(rng, n)
        c = int(rng.integers(0, n))
        xs = ", ".join(f"{v:g}" for v in x)
        onehot = ", ".join("1" if i == c else "0" for i in range(n))
        if max(_p(x, 1.0)) > 0.97:
            raise Degenerate("too confident")
        return Variant(
            generator=self.name, seed=0, params=dict(params), data={"x": x, "target": c},
            prompt={"en": f"A classifier outputs the logits ({xs}) for {n} classes; the true class is class {c + 1} "
                          f"(one-hot target ({onehot})). Give the softmax probability of the true class and the "
                          "cross-entropy loss L = −Σ t_i ln p_i.",
                    "ko": f"분류기가 {n}개 클래스에 대해 로짓 {josa(f'({xs})', '을')} 출력했고, 정답은 클래스 {c + 1}입니다"
                          f"(원-핫 목표 ({onehot})). 정답 클래스의 소프트맥스 확률과 크로스 엔트로피 손실 "
                          "L = −Σ t_i ln p_i를 구하세요."},
            fields=[Field("p_true", {"en": f"p{c + 1} (true class)", "ko": f"p{c + 1} (정답 클래스)"}, part="prob",
                          tol=P_TOL),
                    Field("loss", {"en": "loss L", "ko": "손실 L"}, part="loss", tol=LOSS_TOL)],
            hints=[
                {"en": "Softmax: p_i = e^{x_i} / Σ_j e^{x_j} (subtracting the max first keeps numbers small).",
                 "ko": "소프트맥스: p_i = e^{x_i} / Σ_j e^{x_j} (먼저 최댓값을 빼면 숫자가 작아집니다)."},
                {"en": "With a one-hot target only the true class survives the sum: L = −ln p_true.",
                 "ko": "원-핫 목표에서는 합에서 정답 클래스 항만 남습니다: L = −ln p_정답."},
            ],
        )

    def _chain(self, v: Variant, answers, mistake=None) -> dict:
        x, c = v.data["x"], v.data["target"]
        p = _p(x, 1.0, "softmax.no-exp" if mistake == "softmax.no-exp" else None)
        pc = float(p[int(np.argmax(p))] if mistake == PREDICTED.id else p[c])
        own = answers.get("p_true") if answers else None
        q = own if own is not None and 0 < own <= 1 else pc
        if mistake == LOG10.id:
            loss = -math.log10(q)
        elif mistake == NO_MINUS.id:
            loss = math.log(q)
        else:
            loss = -math.log(q)
        return {"p_true": pc, "loss": loss}

    def mistake_ids(self, v: Variant) -> list[str]:
        x, c = v.data["x"], v.data["target"]
        ids = [LOG10.id, NO_MINUS.id]
        if int(np.argmax(x)) != c:
            ids.append(PREDICTED.id)
        q = _p(x, 1.0, "softmax.no-exp")[c]
        if abs(sum(x)) >= 1 and 0 < q < 1:
            ids.append("softmax.no-exp")
        return ids

    def solution(self, v: Variant) -> list[Step]:
        x, c = v.data["x"], v.data["target"]
        m = max(x)
        e = [math.exp(a - m) for a in x]
        s = sum(e)
        pc = e[c] / s
        exps = f"e^(x − {m:g}) = ({', '.join(fmt(a, 4) for a in e)})"
        ratio = f"p{c + 1} = {fmt(e[c], 4)} / {fmt(s, 4)} = {fmt(pc, 4)}"
        s2 = f"L = −ln p{c + 1} = −ln {fmt(pc, 4)} = {fmt(-math.log(pc), 4)}"
        return [Step({"en": f"{exps}, sum {fmt(s, 4)}; {ratio}", "ko": f"{exps}, 합 {fmt(s, 4)}; {ratio}"}, ("p_true",)),
                Step({"en": s2, "ko": s2}, ("loss",))]
