"""MLE exercises: the normal mean and variance (1/n!), the binomial success probability."""

from __future__ import annotations

import math
from typing import Mapping

import numpy as np

from engine.algorithms.mle import MISTAKES as MLE_MISTAKES
from engine.algorithms.mle import mle
from engine.core import Degenerate, Field, Generator, Int, Mistake, Step, Tolerance, Variant, fmt, paren
from engine.generators._common import T, given, numbers, reject_coincident
from engine.korean import josa
from engine.registry import generator

TOL = Tolerance(atol=0.01)

NO_CENTRE = Mistake("mle.var-no-centring", {
    "en": "You averaged the squares x² without subtracting the mean. The variance is the mean squared deviation "
          "from the mean: (1/n) Σ (x − x̄)² (= mean of x² minus x̄²).",
    "ko": "평균을 빼지 않고 x²의 평균을 냈습니다. 분산은 평균으로부터의 편차 제곱의 평균입니다: "
          "(1/n) Σ (x − x̄)² (= x²의 평균 − x̄²).",
})
ODDS = Mistake("mle.successes-over-failures", {
    "en": "You divided successes by failures. That is the odds p/(1 − p); the probability divides by all trials.",
    "ko": "성공 횟수를 실패 횟수로 나눴습니다. 그것은 오즈 p/(1 − p)이고, 확률은 전체 시행 횟수로 나눕니다.",
})


@generator
class MLENormal(Generator):
    name = "mle.normal"
    title = T("MLE of a normal distribution's mean and variance", "정규분포 평균과 분산의 최대우도추정")
    defaults = {"n": 5}
    limits = {"n": Int(3, 12)}
    mistakes_catalog = (MLE_MISTAKES[0], NO_CENTRE)

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        n = int(params["n"])
        mu = int(rng.integers(2, 20))
        data = (mu + rng.integers(-4, 5, size=n)).astype(float)
        v = Variant(
            generator=self.name, seed=0, params=dict(params),
            data={"data": data.tolist()},
            prompt=T(
                f"The values [{numbers(data)}] are modelled as independent draws from N(μ, σ²). Give the "
                "maximum-likelihood estimates μ̂ and σ̂², and σ̂ = √σ̂².",
                f"값 {josa(f'[{numbers(data)}]', '을')} N(μ, σ²)에서 독립적으로 뽑은 표본으로 봅니다. 최대우도추정값 μ̂, σ̂²과 "
                "σ̂ = √σ̂²을 구하세요."),
            fields=[Field("mean", T("μ̂", "μ̂"), tol=TOL), Field("var", T("σ̂² (MLE)", "σ̂² (MLE)"), tol=TOL),
                    Field("std", T("σ̂", "σ̂"), tol=TOL)],
            hints=[T("Setting ∂ℓ/∂μ = 0 gives the sample mean.", "∂ℓ/∂μ = 0으로 두면 표본평균이 나옵니다."),
                   T("Setting ∂ℓ/∂σ² = 0 gives σ̂² = (1/n) Σ (x − μ̂)²: divide by n, not n − 1.",
                     "∂ℓ/∂σ² = 0으로 두면 σ̂² = (1/n) Σ (x − μ̂)²: n − 1이 아니라 n으로 나눕니다.")],
        )
        if np.all(data == data[0]):
            raise Degenerate("constant data")
        reject_coincident(v, self.expected(v), self.mistakes(v))
        return v

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        x = np.array(v.data["data"])
        est = mle("normal", x)["estimates"]
        out = {"mean": est["mean"], "var": est["var"], "std": est["std"]}
        m = given(answers, "mean")
        if m is not None:                     # error carried forward: spread around the learner's mean
            out["var"] = float(np.mean((x - m[0]) ** 2))
            out["std"] = math.sqrt(out["var"])
        s = given(answers, "var")
        if s is not None and s[0] >= 0:
            out["std"] = math.sqrt(s[0])
        return out

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        x = np.array(v.data["data"])
        n = x.size
        ss = float(np.sum((x - x.mean()) ** 2))
        raw = float(np.mean(x ** 2))
        return {"mle.var-unbiased": {"var": ss / (n - 1), "std": math.sqrt(ss / (n - 1))},
                "mle.var-no-centring": {"var": raw, "std": math.sqrt(raw)}}

    def solution(self, v: Variant) -> list[Step]:
        x = np.array(v.data["data"])
        n = x.size
        e = mle("normal", x)["estimates"]
        dev = " + ".join(f"{paren(d)}²" for d in x - e["mean"])
        return [
            Step(T(f"μ̂ = ({' + '.join(fmt(a) for a in x)})/{n} = {fmt(e['mean'])}",
                   f"μ̂ = ({' + '.join(fmt(a) for a in x)})/{n} = {fmt(e['mean'])}"), ("mean",)),
            Step(T(f"σ̂² = ({dev})/{n} = {fmt(e['var'] * n)}/{n} = {fmt(e['var'])} "
                   f"(the unbiased s² = {fmt(e['var_unbiased'])} divides by n − 1 and is not the MLE)",
                   f"σ̂² = ({dev})/{n} = {fmt(e['var'] * n)}/{n} = {fmt(e['var'])} "
                   f"(불편추정량 s² = {josa(fmt(e['var_unbiased']), '은')} n − 1로 나누며 MLE가 아닙니다)"), ("var",)),
            Step(T(f"σ̂ = √{fmt(e['var'])} = {fmt(e['std'])}", f"σ̂ = √{fmt(e['var'])} = {fmt(e['std'])}"), ("std",)),
        ]


@generator
class MLEBinomial(Generator):
    name = "mle.binomial"
    title = T("MLE of a binomial success probability", "이항분포 성공확률의 최대우도추정")
    defaults = {"experiments": 4}
    limits = {"experiments": Int(2, 8)}
    mistakes_catalog = (MLE_MISTAKES[1], ODDS)

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        m = int(params["experiments"])
        trials = int(rng.choice([5, 8, 10, 12, 20]))
        p = float(rng.choice([0.2, 0.3, 0.4, 0.6, 0.7, 0.8]))
        k = rng.binomial(trials, p, size=m).astype(float)
        v = Variant(
            generator=self.name, seed=0, params=dict(params),
            data={"data": k.tolist(), "n": trials},
            prompt=T(
                f"A coin was tossed {trials} times in each of {m} experiments; the numbers of heads were "
                f"[{numbers(k)}]. Model each count as Binomial(n = {trials}, p). Give the total number of heads and "
                "the maximum-likelihood estimate p̂.",
                f"동전을 한 실험에 {trials}번씩, {m}번의 실험에서 던졌고 앞면 수는 [{numbers(k)}]였습니다. 각 횟수를 "
                f"Binomial(n = {trials}, p)로 모델링할 때, 전체 앞면 수와 최대우도추정값 p̂를 구하세요."),
            fields=[Field("total", T("total heads", "전체 앞면 수"), tol=Tolerance(atol=0.1)),
                    Field("p", T("p̂", "p̂"), tol=Tolerance(atol=0.005))],
            hints=[T("ℓ(p) = Σ [k_i log p + (n − k_i) log(1 − p)] + const; set dℓ/dp = 0.",
                     "ℓ(p) = Σ [k_i log p + (n − k_i) log(1 − p)] + 상수; dℓ/dp = 0으로 두세요."),
                   T("p̂ = (all heads) / (all tosses).", "p̂ = (전체 앞면 수) / (전체 던진 횟수).")],
        )
        if k.sum() in (0, m * trials):
            raise Degenerate("p̂ would be 0 or 1")
        reject_coincident(v, self.expected(v), self.mistakes(v))
        return v

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        d = v.data
        r = mle("binomial", np.array(d["data"]), d["n"])
        out = {"total": r["sum"], "p": r["estimates"]["p"]}
        t = given(answers, "total")
        if t is not None:                     # error carried forward: p̂ from the learner's total
            out["p"] = t[0] / (len(d["data"]) * d["n"])
        return out

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        d = v.data
        total = float(np.sum(d["data"]))
        t = given(answers, "total")
        if t is not None:
            total = t[0]
        all_trials = len(d["data"]) * d["n"]
        out = {"mle.binomial-forgot-trials": {"p": total / len(d["data"])}}
        if all_trials > total:
            out["mle.successes-over-failures"] = {"p": total / (all_trials - total)}
        return out

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        k, n = d["data"], d["n"]
        r = mle("binomial", np.array(k), n)
        return [
            Step(T(f"total heads = {' + '.join(fmt(a) for a in k)} = {fmt(r['sum'])}",
                   f"전체 앞면 수 = {' + '.join(fmt(a) for a in k)} = {fmt(r['sum'])}"), ("total",)),
            Step(T(f"p̂ = {fmt(r['sum'])}/({len(k)}·{n}) = {fmt(r['sum'])}/{len(k) * n} = {fmt(r['estimates']['p'])}",
                   f"p̂ = {fmt(r['sum'])}/({len(k)}·{n}) = {fmt(r['sum'])}/{len(k) * n} = {fmt(r['estimates']['p'])}"),
                 ("p",)),
        ]
