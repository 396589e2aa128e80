"""EM coin exercise: one EM iteration by hand (E-step responsibilities, then the M-step θ).

Error carried forward: the M-step fields are graded against θ computed from the learner's
own responsibilities, so one slip in the E-step does not cost the M-step.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

from engine.algorithms.em_coins import MISTAKE_STEPS, MISTAKES, em_coins, m_step
from engine.core import Degenerate, Field, Generator, Int, Step, Table, Tolerance, Variant, fmt
from engine.registry import generator

RESP_TOL = Tolerance(atol=0.01)
THETA_TOL = Tolerance(atol=0.01)


@generator
class EMCoins(Generator):
    name = "em.coins"
    title = {"en": "One EM iteration for two coins", "ko": "두 동전 EM 한 번 반복"}
    defaults = {"rounds": 5, "flips": 10}
    limits = {"rounds": Int(2, 8), "flips": Int(3, 20)}
    mistakes_catalog = MISTAKES

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        n_rounds = int(params["rounds"])
        flips = int(params["flips"])
        true = rng.choice([0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], size=2, replace=False)
        coins = rng.integers(0, 2, size=n_rounds)
        rounds = ["".join("H" if rng.random() < true[c] else "T" for _ in range(flips)) for c in coins]
        theta_a, theta_b = (float(x) for x in rng.choice([0.3, 0.4, 0.5, 0.6, 0.7, 0.8], size=2, replace=False))
        v = Variant(
            generator=self.name, seed=0, params=dict(params),
            data={"rounds": rounds, "theta_a": theta_a, "theta_b": theta_b},
            prompt={
                "en": f"Coins A and B were flipped in {n_rounds} rounds of {flips}; which coin made each "
                      f"round is hidden. Start from θ_A = {theta_a:g}, θ_B = {theta_b:g} (each coin equally "
                      "likely a priori). Do one EM iteration: give P(A | round) for every round (E-step), "
                      "then the new θ_A and θ_B (M-step).",
                "ko": f"동전 A와 B로 {flips}번씩 {n_rounds}라운드를 던졌고, 각 라운드에 어떤 동전을 썼는지는 "
                      f"숨겨져 있습니다. θ_A = {theta_a:g}, θ_B = {theta_b:g}에서 시작해(사전확률은 각각 1/2) "
                      "EM을 한 번 반복하세요: 각 라운드의 P(A | 라운드)(E-단계)와 새 θ_A, θ_B(M-단계)를 구하세요.",
            },
            fields=[Field(f"resp_a[{i}]", {"en": f"P(A | round {i + 1})", "ko": f"P(A | 라운드 {i + 1})"},
                          part="e-step", tol=RESP_TOL) for i in range(n_rounds)]
            + [Field("theta_a", {"en": "new θ_A", "ko": "새 θ_A"}, part="m-step", tol=THETA_TOL),
               Field("theta_b", {"en": "new θ_B", "ko": "새 θ_B"}, part="m-step", tol=THETA_TOL)],
            hints=[
                {"en": "Count heads h and tails t in each round. The likelihood of a round under coin A is "
                       "θ_A^h (1−θ_A)^t.",
                 "ko": "각 라운드의 앞면 수 h와 뒷면 수 t를 세세요. 동전 A에서 그 라운드의 가능도는 θ_A^h (1−θ_A)^t입니다."},
                {"en": "P(A | round) = L_A / (L_A + L_B): the priors of ½ cancel.",
                 "ko": "P(A | 라운드) = L_A / (L_A + L_B): 사전확률 ½은 약분됩니다."},
                {"en": "M-step: θ_A = Σ P(A|i)·h_i / Σ P(A|i)·(h_i + t_i); the same with P(B|i) = 1 − P(A|i) for θ_B.",
                 "ko": "M-단계: θ_A = Σ P(A|i)·h_i / Σ P(A|i)·(h_i + t_i); θ_B는 P(B|i) = 1 − P(A|i)로 같은 계산."},
            ],
        )
        v.tables = [self._table(v)]
        self._reject_degenerate(v)
        return v

    # ------------------------------------------------------------------ grading
    def _trace(self, v: Variant, **mistake) -> dict:
        d = v.data
        return em_coins(d["rounds"], d["theta_a"], d["theta_b"], 1, **mistake)["iterations"][0]

    def _learner_resp(self, v: Variant, answers: Mapping[str, float] | None) -> np.ndarray | None:
        if not answers:
            return None
        n = len(v.data["rounds"])
        vals = [answers.get(f"resp_a[{i}]") for i in range(n)]
        if any(x is None for x in vals):
            return None
        return np.clip(np.array(vals, dtype=float), 0.0, 1.0)

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        it = self._trace(v)
        out = {f"resp_a[{i}]": float(r) for i, r in enumerate(it["resp_a"])}
        resp = self._learner_resp(v, answers)
        if resp is None:
            out.update(theta_a=it["theta_a"], theta_b=it["theta_b"])
        else:  # error carried forward: M-step from the learner's own E-step
            heads = np.array([r.count("H") for r in v.data["rounds"]], float)
            tails = np.array([r.count("T") for r in v.data["rounds"]], float)
            m = m_step(heads, tails, resp, 1.0 - resp)
            out.update(theta_a=m["theta_a"], theta_b=m["theta_b"])
        return out

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        out = {}
        for mid, kw in MISTAKE_STEPS.items():
            it = self._trace(v, **kw)
            vals = {f"resp_a[{i}]": float(r) for i, r in enumerate(it["resp_a"])}
            vals.update(theta_a=it["theta_a"], theta_b=it["theta_b"])
            if mid == "em.m-step-all-flips":
                resp = self._learner_resp(v, answers)
                if resp is not None:  # the M-step slip applied to the learner's own E-step
                    heads = np.array([r.count("H") for r in v.data["rounds"]], float)
                    total = float(sum(len(r) for r in v.data["rounds"]))
                    vals.update(theta_a=float(resp @ heads) / total, theta_b=float((1 - resp) @ heads) / total)
            out[mid] = vals
        return out

    def _reject_degenerate(self, v: Variant) -> None:
        right = self.expected(v)
        resp = np.array([right[f"resp_a[{i}]"] for i in range(len(v.data["rounds"]))])
        if np.all(np.abs(resp - 0.5) < 0.1):
            raise Degenerate("responsibilities all near 1/2")

    # ------------------------------------------------------------------ display
    def _table(self, v: Variant) -> Table:
        rounds = v.data["rounds"]
        return Table(
            title={"en": "Rounds", "ko": "라운드"},
            rows=[str(i + 1) for i in range(len(rounds))],
            cols=[{"en": "flips", "ko": "결과"}, "H", "T", {"en": "P(A | round)", "ko": "P(A | 라운드)"}],
            cells=[[r, r.count("H"), r.count("T"), f"resp_a[{i}]"] for i, r in enumerate(rounds)],
        )

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        ta, tb = d["theta_a"], d["theta_b"]
        it = self._trace(v)
        steps = []
        for i, r in enumerate(d["rounds"]):
            h, t = r.count("H"), r.count("T")
            la, lb, p = it["lik_a"][i], it["lik_b"][i], it["resp_a"][i]
            expr = (f"L_A = {ta:g}^{h}·{1 - ta:g}^{t} = {fmt(la, 6)}, L_B = {tb:g}^{h}·{1 - tb:g}^{t} = {fmt(lb, 6)}; "
                    f"P(A|{i + 1}) = {fmt(la, 6)} / ({fmt(la, 6)} + {fmt(lb, 6)}) = {fmt(p, 3)}")
            steps.append(Step({"en": f"Round {i + 1} ({h}H {t}T): {expr}",
                               "ko": f"라운드 {i + 1} ({h}H {t}T): {expr}"}, (f"resp_a[{i}]",)))
        steps.append(Step({
            "en": f"Expected counts: coin A {fmt(it['heads_a'], 2)} H, {fmt(it['tails_a'], 2)} T; "
                  f"coin B {fmt(it['heads_b'], 2)} H, {fmt(it['tails_b'], 2)} T",
            "ko": f"기대 횟수: 동전 A 앞면 {fmt(it['heads_a'], 2)}, 뒷면 {fmt(it['tails_a'], 2)}; "
                  f"동전 B 앞면 {fmt(it['heads_b'], 2)}, 뒷면 {fmt(it['tails_b'], 2)}"}))
        steps.append(Step({
            "en": f"θ_A = {fmt(it['heads_a'], 2)} / ({fmt(it['heads_a'], 2)} + {fmt(it['tails_a'], 2)}) = {fmt(it['theta_a'], 3)}",
            "ko": f"θ_A = {fmt(it['heads_a'], 2)} / ({fmt(it['heads_a'], 2)} + {fmt(it['tails_a'], 2)}) = {fmt(it['theta_a'], 3)}"},
            ("theta_a",)))
        steps.append(Step({
            "en": f"θ_B = {fmt(it['heads_b'], 2)} / ({fmt(it['heads_b'], 2)} + {fmt(it['tails_b'], 2)}) = {fmt(it['theta_b'], 3)}",
            "ko": f"θ_B = {fmt(it['heads_b'], 2)} / ({fmt(it['heads_b'], 2)} + {fmt(it['tails_b'], 2)}) = {fmt(it['theta_b'], 3)}"},
            ("theta_b",)))
        return steps
