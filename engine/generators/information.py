"""Information-theory exercises: the entropy of a distribution, cross-entropy and KL divergence
between two, and the cross-entropy loss of a small batch with one-hot targets (the study notes'
table).

Error carried forward: KL(P‖Q) is graded as the learner's own H(P, Q) − H(P); the batch total
as the sum of the learner's own per-example losses.
"""

from __future__ import annotations

import math
from typing import Mapping

import numpy as np

from engine.algorithms.information import MISTAKES, information
from engine.core import (
    ChainGenerator,
    Degenerate,
    Field,
    Generator,
    Int,
    Mistake,
    OneOf,
    Step,
    Table,
    Tolerance,
    Variant,
    fmt,
)
from engine.generators._common import T, by_id
from engine.generators.softmax import LOG10
from engine.korean import josa
from engine.registry import generator

H_TOL = Tolerance(atol=0.005)
BASES = {"2": 2.0, "e": math.e}
LOG_NAME = {"2": ("log₂", "bits"), "e": ("ln", "nats")}


def _dist(rng: np.random.Generator, n: int, step: int = 10) -> list[float]:
    """n probabilities, multiples of 1/step, none zero."""
    while True:
        cuts = np.sort(rng.choice(np.arange(1, step), size=n - 1, replace=False))
        parts = np.diff(np.concatenate([[0], cuts, [step]]))
        if np.all(parts > 0):
            return [round(float(x) / step, 4) for x in parts]


def _log(base: str):
    b = BASES[base]
    return lambda x: math.log(x) / math.log(b)


@generator
class Entropy(Generator):
    name = "information.entropy"
    title = {"en": "Entropy of a distribution", "ko": "확률분포의 엔트로피"}
    defaults = {"base": "2"}
    limits = {"base": OneOf(*BASES)}
    mistakes_catalog = by_id(MISTAKES, "information.no-minus", "information.log-base")

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        base = str(params["base"])
        if base not in BASES:
            base = "2"
        n = int(rng.choice([3, 4]))
        p = _dist(rng, n, int(rng.choice([8, 10, 20])))
        if max(p) > 0.9:
            raise Degenerate("nearly certain")
        ps = ", ".join(f"{x:g}" for x in p)
        lg, unit = LOG_NAME[base]
        return Variant(
            generator=self.name, seed=0, params=dict(params), data={"p": p, "base": base},
            prompt={"en": f"A random variable takes {n} values with probabilities P = ({ps}). Give its entropy "
                          f"H(P) = −Σ p_i {lg} p_i in {unit}.",
                    "ko": f"확률변수가 {n}개의 값을 {josa(f'확률 P = ({ps})', '로')} 가집니다. 엔트로피 H(P) = −Σ p_i {lg} p_i를 "
                          f"{unit} 단위로 구하세요."},
            fields=[Field("entropy", {"en": f"H(P) in {unit}", "ko": f"H(P) ({unit})"}, tol=H_TOL)],
            hints=[
                {"en": f"Each outcome contributes −p {lg} p (a positive number, since {lg} p < 0).",
                 "ko": f"각 값은 −p {lg} p 만큼 기여합니다({lg} p < 0이므로 양수)."},
                {"en": f"log₂ x = ln x / ln 2. The entropy is at most {lg} {n} (uniform distribution).",
                 "ko": f"log₂ x = ln x / ln 2입니다. 엔트로피는 {lg} {n}(균등분포) 이하입니다."},
            ],
        )

    def _h(self, v: Variant, mistake: str | None = None) -> float:
        base = BASES[v.data["base"]]
        return information(np.array(v.data["p"]), None, base, mistake=mistake)["entropy"]

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        return {"entropy": self._h(v)}

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        return {m.id: {"entropy": self._h(v, m.id)} for m in self.mistakes_catalog}

    def solution(self, v: Variant) -> list[Step]:
        lg, unit = LOG_NAME[v.data["base"]]
        log = _log(v.data["base"])
        terms = [-p * log(p) for p in v.data["p"]]
        parts = " + ".join(f"{p:g}·{lg}(1/{p:g})" for p in v.data["p"])
        text = f"H = {parts} = {' + '.join(fmt(t, 4) for t in terms)} = {fmt(sum(terms), 4)} {unit}"
        return [Step({"en": text, "ko": text}, ("entropy",))]


@generator
class KLDivergence(ChainGenerator):
    name = "information.kl"
    title = {"en": "Cross-entropy and KL divergence", "ko": "크로스 엔트로피와 KL 발산"}
    defaults = {"classes": 3}
    limits = {"classes": Int(2, 6)}
    mistakes_catalog = by_id(MISTAKES, "information.kl-swapped", "information.kl-as-cross-entropy",
                             "information.no-minus", "information.log-base")

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        n = int(params["classes"])
        p, q = _dist(rng, n), _dist(rng, n)
        base = str(rng.choice(["2", "e"]))
        if p == q:
            raise Degenerate("P = Q")
        lg, unit = LOG_NAME[base]
        ps, qs = ", ".join(f"{x:g}" for x in p), ", ".join(f"{x:g}" for x in q)
        return Variant(
            generator=self.name, seed=0, params=dict(params), data={"p": p, "q": q, "base": base},
            prompt={"en": f"The true distribution is P = ({ps}) and a model predicts Q = ({qs}). Using {lg} "
                          f"({unit}), give the entropy H(P), the cross-entropy H(P, Q) and the KL divergence KL(P‖Q).",
                    "ko": f"실제 분포는 P = ({ps}), 모델의 예측 분포는 Q = ({qs})입니다. {lg}({unit})를 써서 "
                          "엔트로피 H(P), 크로스 엔트로피 H(P, Q), KL 발산 KL(P‖Q)를 구하세요."},
            fields=[Field("entropy", {"en": "H(P)", "ko": "H(P)"}, part="entropy", tol=H_TOL),
                    Field("cross_entropy", {"en": "H(P, Q)", "ko": "H(P, Q)"}, part="cross-entropy", tol=H_TOL),
                    Field("kl_pq", {"en": "KL(P‖Q)", "ko": "KL(P‖Q)"}, part="kl", tol=H_TOL)],
            hints=[
                {"en": f"H(P) = −Σ p_i {lg} p_i;  H(P, Q) = −Σ p_i {lg} q_i (weights from P, logs of Q).",
                 "ko": f"H(P) = −Σ p_i {lg} p_i;  H(P, Q) = −Σ p_i {lg} q_i (가중치는 P, 로그는 Q)."},
                {"en": "KL(P‖Q) = H(P, Q) − H(P) = Σ p_i log(p_i / q_i) ≥ 0. It is not symmetric.",
                 "ko": "KL(P‖Q) = H(P, Q) − H(P) = Σ p_i log(p_i / q_i) ≥ 0이고, 대칭이 아닙니다."},
            ],
        )

    def _chain(self, v: Variant, answers, mistake=None) -> dict:
        d = v.data
        r = information(np.array(d["p"]), np.array(d["q"]), BASES[d["base"]], mistake=mistake)
        out = {"entropy": r["entropy"], "cross_entropy": r["cross_entropy"]}
        ans = answers or {}
        h = ans["entropy"] if ans.get("entropy") is not None else out["entropy"]
        ce = ans["cross_entropy"] if ans.get("cross_entropy") is not None else out["cross_entropy"]
        if mistake == "information.kl-swapped":
            out["kl_pq"] = r["kl_pq"]                    # the algorithm already reports KL(Q‖P) here
        elif mistake == "information.kl-as-cross-entropy":
            out["kl_pq"] = ce
        else:
            out["kl_pq"] = ce - h
        return out

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        lg, unit = LOG_NAME[d["base"]]
        r = self.expected(v)
        log = _log(d["base"])
        h_terms = " + ".join(f"{p:g}·{lg}(1/{p:g})" for p in d["p"])
        ce_terms = " + ".join(f"{p:g}·{lg}(1/{q:g})" for p, q in zip(d["p"], d["q"]))
        kl_qp = sum(q * log(q / p) for p, q in zip(d["p"], d["q"]))
        return [
            Step({"en": f"H(P) = {h_terms} = {fmt(r['entropy'], 4)} {unit}",
                  "ko": f"H(P) = {h_terms} = {fmt(r['entropy'], 4)} {unit}"}, ("entropy",)),
            Step({"en": f"H(P, Q) = {ce_terms} = {fmt(r['cross_entropy'], 4)} {unit}",
                  "ko": f"H(P, Q) = {ce_terms} = {fmt(r['cross_entropy'], 4)} {unit}"}, ("cross_entropy",)),
            Step({"en": f"KL(P‖Q) = H(P, Q) − H(P) = {fmt(r['cross_entropy'], 4)} − {fmt(r['entropy'], 4)} = "
                        f"{fmt(r['kl_pq'], 4)} {unit} (the other direction, KL(Q‖P) = {fmt(kl_qp, 4)}, differs)",
                  "ko": f"KL(P‖Q) = H(P, Q) − H(P) = {fmt(r['cross_entropy'], 4)} − {fmt(r['entropy'], 4)} = "
                        f"{fmt(r['kl_pq'], 4)} {unit} (반대 방향 KL(Q‖P) = {josa(fmt(kl_qp, 4), '와')} 다릅니다)"},
                 ("kl_pq",)),
        ]


WRONG_CLASS = Mistake("information.ce-wrong-class", {
    "en": "You took the largest predicted probability of each row. With a one-hot target the loss uses the "
          "probability of the TRUE class: −ln p_true, however small it is.",
    "ko": "각 행에서 가장 큰 예측 확률을 썼습니다. 원-핫 목표에서는 정답 클래스의 확률을 씁니다: "
          "그 값이 작더라도 −ln p_정답입니다.",
})
MEAN = Mistake("information.ce-mean-not-sum", {
    "en": "You averaged the losses. The question asks for the total, L = −Σ_n Σ_i t_ni ln p_ni (the sum over "
          "the examples, as in the notes); frameworks often report the mean instead.",
    "ko": "손실을 평균냈습니다. 문제는 합계 L = −Σ_n Σ_i t_ni ln p_ni (노트처럼 샘플에 대한 합)를 묻습니다. "
          "프레임워크는 보통 평균을 보고합니다.",
})


@generator
class BatchCrossEntropy(ChainGenerator):
    name = "information.cross-entropy"
    title = {"en": "Cross-entropy loss with one-hot targets", "ko": "원-핫 목표의 크로스 엔트로피 손실"}
    defaults = {"rows": 4, "classes": 3}
    limits = {"rows": Int(2, 8), "classes": Int(2, 6)}
    mistakes_catalog = (*by_id(MISTAKES, "information.no-minus"), LOG10, WRONG_CLASS, MEAN)

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        n, k = int(params["rows"]), int(params["classes"])
        probs = [_dist(rng, k) for _ in range(n)]
        target = [int(rng.integers(0, k)) for _ in range(n)]
        if all(int(np.argmax(p)) == t for p, t in zip(probs, target)):
            raise Degenerate("every prediction right")
        if any(list(p).count(max(p)) > 1 for p in probs):
            raise Degenerate("tied maximum")
        fields = [Field(f"loss[{i}]", {"en": f"loss of example {i + 1}", "ko": f"샘플 {i + 1}의 손실"},
                        part="rows", tol=H_TOL) for i in range(n)]
        fields.append(Field("total", {"en": "total loss L", "ko": "전체 손실 L"}, part="total", tol=H_TOL))
        table = Table(
            title={"en": "Predicted probabilities and one-hot targets", "ko": "예측 확률과 원-핫 목표"},
            rows=[str(i + 1) for i in range(n)],
            cols=[f"p{j + 1}" for j in range(k)] + [f"t{j + 1}" for j in range(k)] + [T("loss", "손실")],
            cells=[list(p) + [1 if j == t else 0 for j in range(k)] + [f"loss[{i}]"]
                   for i, (p, t) in enumerate(zip(probs, target))],
        )
        rows_en = "; ".join(f"example {i + 1}: p = ({', '.join(f'{x:g}' for x in p)}), true class {t + 1}"
                            for i, (p, t) in enumerate(zip(probs, target)))
        rows_ko = "; ".join(f"샘플 {i + 1}: p = ({', '.join(f'{x:g}' for x in p)}), 정답 클래스 {t + 1}"
                            for i, (p, t) in enumerate(zip(probs, target)))
        return Variant(
            generator=self.name, seed=0, params=dict(params), data={"probs": probs, "target": target},
            prompt={"en": f"A {k}-class classifier predicts, for {n} examples — {rows_en}. With one-hot targets, give "
                          "each example's cross-entropy −Σ_i t_i ln p_i and the total L over the examples (their sum).",
                    "ko": f"{k}-클래스 분류기의 {n}개 샘플에 대한 예측입니다 — {rows_ko}. 원-핫 목표로 각 샘플의 "
                          "크로스 엔트로피 −Σ_i t_i ln p_i와 전체 손실 L(샘플들의 합)을 구하세요."},
            fields=fields, tables=[table],
            hints=[
                {"en": "With a one-hot target only one term survives per example: −ln p_true.",
                 "ko": "원-핫 목표에서는 샘플마다 한 항만 남습니다: −ln p_정답."},
                {"en": "Use the natural log ln (not log₁₀). Then add the examples up.",
                 "ko": "자연로그 ln을 쓰세요(log₁₀ 아님). 그리고 샘플들을 더하세요."},
            ],
        )

    def _chain(self, v: Variant, answers, mistake=None) -> dict:
        probs, target = v.data["probs"], v.data["target"]
        n = len(probs)
        out = {}
        for i, (p, t) in enumerate(zip(probs, target)):
            q = max(p) if mistake == WRONG_CLASS.id else p[t]
            if mistake == LOG10.id:
                out[f"loss[{i}]"] = -math.log10(q)
            elif mistake == "information.no-minus":
                out[f"loss[{i}]"] = math.log(q)
            else:
                out[f"loss[{i}]"] = -math.log(q)
        ans = answers or {}
        own = [ans.get(f"loss[{i}]") for i in range(n)]
        rows = own if all(x is not None for x in own) else [out[f"loss[{i}]"] for i in range(n)]
        out["total"] = float(sum(rows)) / (n if mistake == MEAN.id else 1)
        return out

    def solution(self, v: Variant) -> list[Step]:
        r = self.expected(v)
        steps = []
        for i, (p, t) in enumerate(zip(v.data["probs"], v.data["target"])):
            text = f"{i + 1}: −ln p{t + 1} = −ln {p[t]:g} = {fmt(r[f'loss[{i}]'], 4)}"
            steps.append(Step({"en": text, "ko": text}, (f"loss[{i}]",)))
        n = len(v.data["probs"])
        text = f"L = {' + '.join(fmt(r[f'loss[{i}]'], 4) for i in range(n))} = {fmt(r['total'], 4)}"
        steps.append(Step({"en": text, "ko": text}, ("total",)))
        return steps
