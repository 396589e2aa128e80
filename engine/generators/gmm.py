"""GMM-EM exercises in 1-D with two components: the E-step (responsibilities) and the M-step."""

from __future__ import annotations

import math
from typing import Mapping

import numpy as np

from engine.algorithms.gmm import MISTAKES as GMM_MISTAKES
from engine.algorithms.gmm import e_step, m_step
from engine.core import Degenerate, Field, Generator, Int, Mistake, Step, Table, Tolerance, Variant, fmt, paren
from engine.generators._common import T, given, numbers, reject_coincident, sub
from engine.registry import generator

R_TOL = Tolerance(atol=0.01)


def normal_pdf(x: float, mu: float, var: float) -> float:
    return math.exp(-(x - mu) ** 2 / (2 * var)) / math.sqrt(2 * math.pi * var)


VAR_AS_STD = Mistake("gmm.var-as-std", {
    "en": "You put the variance where the standard deviation belongs (σ = σ²). In N(x | μ, σ²) = "
          "exp(−(x−μ)²/(2σ²))/√(2πσ²) the given number is σ² already.",
    "ko": "분산을 표준편차 자리에 넣었습니다(σ = σ²). N(x | μ, σ²) = exp(−(x−μ)²/(2σ²))/√(2πσ²)에서 주어진 값은 "
          "이미 σ²입니다.",
})
IGNORE_WEIGHTS = Mistake("gmm.ignore-weights", {
    "en": "You left out the mixing weights. The responsibility is π₁N₁(x) / (π₁N₁(x) + π₂N₂(x)); the π's only "
          "cancel when they are equal.",
    "ko": "혼합 가중치를 빠뜨렸습니다. 책임값은 π₁N₁(x) / (π₁N₁(x) + π₂N₂(x))이고, π가 같을 때만 약분됩니다.",
})
MEAN_OVER_N = Mistake("gmm.mean-over-n", {
    "en": "You divided the weighted sums by n, the number of points. In the M-step divide by the component's "
          "effective count N_k = Σ_i γ_ik: μ_k = Σ γ_ik x_i / N_k.",
    "ko": "가중합을 점의 개수 n으로 나눴습니다. M-단계에서는 성분의 유효 개수 N_k = Σ_i γ_ik로 나눕니다: "
          "μ_k = Σ γ_ik x_i / N_k.",
})


@generator
class GMMEStep(Generator):
    name = "gmm.e-step"
    title = T("GMM E-step: responsibilities of two 1-D Gaussians", "GMM E-단계: 1차원 가우시안 두 개의 책임값")
    defaults = {"n": 3}
    limits = {"n": Int(2, 8)}
    mistakes_catalog = (GMM_MISTAKES[0], GMM_MISTAKES[2], VAR_AS_STD, IGNORE_WEIGHTS)

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        n = int(params["n"])
        mu1 = float(rng.integers(0, 4))
        mu2 = mu1 + float(rng.integers(2, 6))
        var = rng.choice([0.5, 1.0, 2.0, 4.0], size=2)
        pi1 = float(rng.choice([0.3, 0.4, 0.6, 0.7]))
        x = np.sort(rng.choice(np.arange(2 * (mu1 - 1), 2 * (mu2 + 1) + 1) / 2, size=n, replace=False))
        v = Variant(
            generator=self.name, seed=0, params=dict(params),
            data={"x": x.tolist(), "means": [mu1, mu2], "vars": var.tolist(), "weights": [pi1, 1 - pi1]},
            prompt=T(
                f"A two-component Gaussian mixture: π₁ = {pi1:g}, N(μ₁ = {mu1:g}, σ₁² = {var[0]:g}); "
                f"π₂ = {1 - pi1:g}, N(μ₂ = {mu2:g}, σ₂² = {var[1]:g}). For the points x = [{numbers(x)}] give the "
                "responsibility γ₁(x) = P(component 1 | x) of each, then the updated weight π₁ = mean of γ₁.",
                f"성분이 두 개인 가우시안 혼합: π₁ = {pi1:g}, N(μ₁ = {mu1:g}, σ₁² = {var[0]:g}); "
                f"π₂ = {1 - pi1:g}, N(μ₂ = {mu2:g}, σ₂² = {var[1]:g}). 점 x = [{numbers(x)}] 각각의 책임값 "
                "γ₁(x) = P(성분 1 | x)와, 갱신된 가중치 π₁ = γ₁의 평균을 구하세요."),
            fields=[Field(f"resp[{i}]", T(f"γ₁(x = {x[i]:g})", f"γ₁(x = {x[i]:g})"), part="e-step", tol=R_TOL)
                    for i in range(n)]
            + [Field("pi1", T("new π₁", "새 π₁"), part="m-step", tol=R_TOL)],
            hints=[T("N(x | μ, σ²) = exp(−(x−μ)²/(2σ²)) / √(2πσ²); σ² is given, not σ.",
                     "N(x | μ, σ²) = exp(−(x−μ)²/(2σ²)) / √(2πσ²); 주어진 값은 σ가 아니라 σ²입니다."),
                   T("γ₁(x) = π₁N₁(x) / (π₁N₁(x) + π₂N₂(x)).", "γ₁(x) = π₁N₁(x) / (π₁N₁(x) + π₂N₂(x)).")],
        )
        r = self._resp(v)
        if not np.any((r > 0.1) & (r < 0.9)):
            raise Degenerate("every point clearly belongs to one component")
        if np.any(np.abs(r - 0.5) < 0.03):
            raise Degenerate("a responsibility too close to 1/2")
        reject_coincident(v, self.expected(v), self.mistakes(v))
        return v

    def _resp(self, v: Variant, var_scale=False, weights=None, normalise=True, hard=False) -> np.ndarray:
        d = v.data
        var = np.array(d["vars"]) ** 2 if var_scale else np.array(d["vars"])
        w = np.array(weights if weights is not None else d["weights"])
        e = e_step(np.array(d["x"])[:, None], np.array(d["means"])[:, None], var[:, None, None], w,
                   normalise=normalise, hard=hard)
        return e["resp"][:, 0]

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        r = self._resp(v)
        out = {f"resp[{i}]": float(x) for i, x in enumerate(r)}
        out["pi1"] = float(np.mean(r))
        mine = given(answers, *(f"resp[{i}]" for i in range(r.size)))
        if mine is not None:                  # error carried forward: π₁ from the learner's γ
            out["pi1"] = float(np.mean(mine))
        return out

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        out = {}
        for mid, kw in (("gmm.unnormalised", {"normalise": False}), ("gmm.hard-assignment", {"hard": True}),
                        ("gmm.var-as-std", {"var_scale": True}), ("gmm.ignore-weights", {"weights": [0.5, 0.5]})):
            r = self._resp(v, **kw)
            vals = {f"resp[{i}]": float(x) for i, x in enumerate(r)}
            vals["pi1"] = float(np.mean(r))
            out[mid] = vals
        return out

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        (mu1, mu2), (v1, v2), (p1, p2) = d["means"], d["vars"], d["weights"]
        r = self._resp(v)
        steps = []
        for i, x in enumerate(d["x"]):
            n1, n2 = normal_pdf(x, mu1, v1), normal_pdf(x, mu2, v2)
            txt = (f"x = {x:g}: π₁N₁ = {p1:g}·{fmt(n1, 5)} = {fmt(p1 * n1, 5)}, π₂N₂ = {p2:g}·{fmt(n2, 5)} = "
                   f"{fmt(p2 * n2, 5)}; γ₁ = {fmt(p1 * n1, 5)}/({fmt(p1 * n1, 5)} + {fmt(p2 * n2, 5)}) = {fmt(r[i])}")
            steps.append(Step(T(txt, txt), (f"resp[{i}]",)))
        steps.append(Step(T(f"π₁ = ({' + '.join(fmt(x) for x in r)})/{r.size} = {fmt(np.mean(r))}",
                            f"π₁ = ({' + '.join(fmt(x) for x in r)})/{r.size} = {fmt(np.mean(r))}"), ("pi1",)))
        return steps


@generator
class GMMMStep(Generator):
    name = "gmm.m-step"
    title = T("GMM M-step: weights, means and variances from responsibilities",
              "GMM M-단계: 책임값으로 가중치, 평균, 분산 구하기")
    defaults = {"n": 4}
    limits = {"n": Int(3, 8)}
    mistakes_catalog = (GMM_MISTAKES[1], GMM_MISTAKES[2], MEAN_OVER_N)

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        n = int(params["n"])
        x = np.sort(rng.choice(np.arange(0, 11), size=n, replace=False)).astype(float)
        resp = np.sort(rng.choice(np.arange(1, 10), size=n, replace=True))[::-1] / 10.0   # γ₁, high for small x
        old = [float(rng.integers(0, 4)), float(rng.integers(6, 11))]
        v = Variant(
            generator=self.name, seed=0, params=dict(params),
            data={"x": x.tolist(), "resp": resp.tolist(), "old_means": old},
            prompt=T(
                f"EM for a two-component 1-D Gaussian mixture. The previous means were μ₁ = {old[0]:g}, "
                f"μ₂ = {old[1]:g}; the E-step gave, for x = [{numbers(x)}], the responsibilities γ₁ = "
                f"[{numbers(resp)}] (and γ₂ = 1 − γ₁). Do the M-step: give π₁, μ₁, σ₁², μ₂, σ₂².",
                f"성분이 두 개인 1차원 가우시안 혼합의 EM. 이전 평균은 μ₁ = {old[0]:g}, μ₂ = {old[1]:g} 였고, "
                f"E-단계에서 x = [{numbers(x)}]의 책임값 γ₁ = [{numbers(resp)}] (γ₂ = 1 − γ₁)을 얻었습니다. "
                "M-단계를 하세요: π₁, μ₁, σ₁², μ₂, σ₂²을 구하세요."),
            fields=[Field("pi1", T("π₁", "π₁"), tol=R_TOL),
                    Field("mu1", T("μ₁", "μ₁"), tol=R_TOL),
                    Field("var1", T("σ₁²", "σ₁²"), tol=Tolerance(atol=0.02)),
                    Field("mu2", T("μ₂", "μ₂"), tol=R_TOL),
                    Field("var2", T("σ₂²", "σ₂²"), tol=Tolerance(atol=0.02))],
            tables=[Table(T("E-step result", "E-단계 결과"), rows=[str(i + 1) for i in range(n)],
                          cols=["x", "γ₁", "γ₂"],
                          cells=[[float(a), float(g), round(1 - float(g), 10)] for a, g in zip(x, resp)])],
            hints=[T("N₁ = Σγ₁, N₂ = Σγ₂ = n − N₁; π₁ = N₁/n.", "N₁ = Σγ₁, N₂ = Σγ₂ = n − N₁; π₁ = N₁/n."),
                   T("μ_k = Σ γ_k x / N_k.", "μ_k = Σ γ_k x / N_k."),
                   T("σ_k² = Σ γ_k (x − μ_k)² / N_k with the new μ_k.", "σ_k² = Σ γ_k (x − μ_k)² / N_k (새 μ_k 사용).")],
        )
        if resp.min() == resp.max():
            raise Degenerate("equal responsibilities")
        if resp.max() < 0.7 or resp.min() > 0.3:
            raise Degenerate("want a clear member for each component (and none empty when rounded)")
        reject_coincident(v, self.expected(v), self.mistakes(v))
        return v

    def _m(self, v: Variant, resp=None, old_mean_var=False) -> dict:
        d = v.data
        g = np.array(d["resp"] if resp is None else resp)
        R = np.stack([g, 1 - g], axis=1)
        m = m_step(np.array(d["x"])[:, None], R, np.array(d["old_means"])[:, None], old_mean_var=old_mean_var)
        return {"pi1": float(m["weights"][0]), "mu1": float(m["means"][0, 0]), "var1": float(m["covs"][0, 0, 0]),
                "mu2": float(m["means"][1, 0]), "var2": float(m["covs"][1, 0, 0])}

    def _var_around(self, v: Variant, mu: float, k: int, denom: str = "nk") -> float:
        x, g = np.array(v.data["x"]), np.array(v.data["resp"])
        gk = g if k == 0 else 1 - g
        return float(np.sum(gk * (x - mu) ** 2) / (gk.sum() if denom == "nk" else x.size))

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        out = self._m(v)
        for k in (0, 1):                     # error carried forward: σ_k² around the learner's μ_k
            mu = given(answers, f"mu{k + 1}")
            if mu is not None:
                out[f"var{k + 1}"] = self._var_around(v, mu[0], k)
        return out

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        x, g = np.array(v.data["x"]), np.array(v.data["resp"])
        over_n = {"pi1": float(g.mean())}
        for k in (0, 1):
            gk = g if k == 0 else 1 - g
            mu = float(gk @ x / x.size)
            over_n[f"mu{k + 1}"] = mu
            over_n[f"var{k + 1}"] = self._var_around(v, mu, k, denom="n")
        old = self._m(v, old_mean_var=True)
        return {"gmm.var-old-mean": {"var1": old["var1"], "var2": old["var2"]},
                "gmm.hard-assignment": self._m(v, resp=(g >= 0.5).astype(float)),
                "gmm.mean-over-n": over_n}

    def solution(self, v: Variant) -> list[Step]:
        x, g = np.array(v.data["x"]), np.array(v.data["resp"])
        e = self._m(v)
        steps = []
        n1, n2 = float(g.sum()), float((1 - g).sum())
        steps.append(Step(T(f"N₁ = Σγ₁ = {fmt(n1)}, N₂ = {fmt(n2)}; π₁ = {fmt(n1)}/{x.size} = {fmt(e['pi1'])}",
                            f"N₁ = Σγ₁ = {fmt(n1)}, N₂ = {fmt(n2)}; π₁ = {fmt(n1)}/{x.size} = {fmt(e['pi1'])}"),
                          ("pi1",)))
        for k, (gk, nk) in enumerate(((g, n1), (1 - g, n2))):
            mu, var = e[f"mu{k + 1}"], e[f"var{k + 1}"]
            s1 = " + ".join(f"{fmt(a)}·{fmt(b)}" for a, b in zip(gk, x))
            steps.append(Step(T(f"μ{sub(k + 1)} = ({s1})/{fmt(nk)} = {fmt(mu)}", f"μ{sub(k + 1)} = ({s1})/{fmt(nk)} = {fmt(mu)}"),
                              (f"mu{k + 1}",)))
            s2 = " + ".join(f"{fmt(a)}·{paren(b - mu)}²" for a, b in zip(gk, x))
            steps.append(Step(T(f"σ{sub(k + 1)}² = ({s2})/{fmt(nk)} = {fmt(var)}",
                                f"σ{sub(k + 1)}² = ({s2})/{fmt(nk)} = {fmt(var)}"), (f"var{k + 1}",)))
        return steps
