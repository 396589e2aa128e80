"""GRU exercise: one step of a one-unit torch.nn.GRUCell by hand.

Error carried forward: n is graded from the learner's own r, and h from the learner's own z and n.
"""

from __future__ import annotations

import math
from typing import Mapping

import numpy as np

from engine.algorithms._common import sigmoid
from engine.algorithms.gru import MISTAKES
from engine.core import Degenerate, Field, Generator, Step, Table, Tolerance, Variant, fmt, paren
from engine.generators._common import T, given, reject_coincident
from engine.registry import generator

TOL = Tolerance(atol=0.01)
GATES = ("r", "z", "n")


@generator
class GRUStep(Generator):
    name = "gru.step"
    title = {"en": "One GRU step (torch.nn.GRUCell)", "ko": "GRU 한 단계 (torch.nn.GRUCell)"}
    defaults = {}
    mistakes_catalog = MISTAKES

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        r1 = lambda *shape: np.round(rng.uniform(-1.0, 1.0, shape), 1)  # noqa: E731
        x = np.round(rng.uniform(-2.0, 2.0, 2), 1)
        data = {"x": x.tolist(), "h_prev": float(np.round(rng.uniform(-0.9, 0.9), 1)),
                "w_ih": r1(3, 2).tolist(), "w_hh": r1(3).tolist(), "b_ih": r1(3).tolist(), "b_hh": r1(3).tolist()}
        if data["h_prev"] == 0 or data["b_hh"][2] == 0:
            raise Degenerate("h_prev or b_hn is zero")
        w = "; ".join(f"{g}: W_ih row [{fmt(data['w_ih'][k][0])}, {fmt(data['w_ih'][k][1])}], W_hh {fmt(data['w_hh'][k])}, "
                      f"b_ih {fmt(data['b_ih'][k])}, b_hh {fmt(data['b_hh'][k])}" for k, g in enumerate(GATES))
        v = Variant(
            generator=self.name, seed=0, params=dict(params), data=data,
            prompt={
                "en": f"A one-unit GRU (H = 1, input size 2) in torch.nn.GRUCell's layout: rows r, z, n — {w}. "
                      f"With x = [{fmt(x[0])}, {fmt(x[1])}] and h_prev = {fmt(data['h_prev'])}, compute "
                      "r = σ(W_ir x + b_ir + W_hr h + b_hr), z (same with the z row), "
                      "n = tanh(W_in x + b_in + r·(W_hn h + b_hn)) and h = (1 − z)·n + z·h_prev.",
                "ko": f"유닛 1개(H = 1, 입력 크기 2)인 GRU가 torch.nn.GRUCell 배치로 가중치를 가집니다: 행 순서 r, z, n — "
                      f"{w.replace('W_ih row', 'W_ih 행')}. "
                      f"x = [{fmt(x[0])}, {fmt(x[1])}], h_prev = {fmt(data['h_prev'])}일 때 "
                      "r = σ(W_ir x + b_ir + W_hr h + b_hr), z (z 행으로 같은 계산), "
                      "n = tanh(W_in x + b_in + r·(W_hn h + b_hn)), h = (1 − z)·n + z·h_prev를 구하세요.",
            },
            fields=[Field("r", {"en": "reset gate r", "ko": "리셋 게이트 r"}, part="gates", tol=TOL),
                    Field("z", {"en": "update gate z", "ko": "업데이트 게이트 z"}, part="gates", tol=TOL),
                    Field("n", {"en": "candidate n", "ko": "후보값 n"}, part="candidate", tol=TOL),
                    Field("h", {"en": "new hidden state h", "ko": "새 은닉 상태 h"}, part="hidden", tol=TOL)],
            hints=[
                {"en": "Row order r, z, n. The gates add both biases: a_r = W_ir·x + b_ir + W_hr·h_prev + b_hr.",
                 "ko": "행 순서는 r, z, n입니다. 게이트에는 두 편향을 모두 더합니다: a_r = W_ir·x + b_ir + W_hr·h_prev + b_hr."},
                {"en": "In n the reset gate multiplies the whole recurrent part, bias included: r·(W_hn·h_prev + b_hn).",
                 "ko": "n에서 리셋 게이트는 편향을 포함한 순환 부분 전체에 곱합니다: r·(W_hn·h_prev + b_hn)."},
                {"en": "torch mixes as h = (1 − z)·n + z·h_prev: z is the share of the OLD state.",
                 "ko": "torch는 h = (1 − z)·n + z·h_prev로 섞습니다: z는 '이전' 상태의 몫입니다."},
            ],
        )
        v.tables = [Table(title={"en": "Weights (torch.nn.GRUCell order)", "ko": "가중치 (torch.nn.GRUCell 순서)"},
                          rows=list(GATES), cols=["W_ih[·,1]", "W_ih[·,2]", "W_hh", "b_ih", "b_hh", T("value", "값")],
                          cells=[[data["w_ih"][k][0], data["w_ih"][k][1], data["w_hh"][k], data["b_ih"][k],
                                  data["b_hh"][k], g] for k, g in enumerate(GATES)])]
        right = self.expected(v)
        if abs(right["r"] - right["z"]) < 0.05:
            raise Degenerate("r and z almost equal")
        reject_coincident(v, right, self.mistakes(v), margin=2.0, same_fields_only=True)
        return v

    def _parts(self, v: Variant):
        d = v.data
        gi = np.array(d["w_ih"]) @ np.array(d["x"]) + np.array(d["b_ih"])     # (3,)
        gh = np.array(d["w_hh"]) * d["h_prev"] + np.array(d["b_hh"])          # (3,)
        return gi, gh

    def _compute(self, v, answers, mistake=None):
        d = v.data
        h_prev = d["h_prev"]
        gi, gh = self._parts(v)
        a_r, a_z = gi[0] + gh[0], gi[1] + gh[1]
        if mistake == "gru.rz-swapped":
            a_r, a_z = a_z, a_r
        r, z = float(sigmoid(a_r)), float(sigmoid(a_z))
        carry = mistake not in ("gru.rz-swapped",)
        mine_r = given(answers, "r") if carry else None
        r_used = mine_r[0] if mine_r else r
        if mistake == "gru.reset-before-matmul":
            a_n = gi[2] + d["w_hh"][2] * (r_used * h_prev) + d["b_hh"][2]
        elif mistake == "gru.no-reset":
            a_n = gi[2] + gh[2]
        else:
            a_n = gi[2] + r_used * gh[2]
        n = math.tanh(a_n)
        mine_zn = given(answers, "z", "n") if carry else None
        z_used, n_used = mine_zn if mine_zn else (z, n)
        if mistake == "gru.z-swapped":
            h = z_used * n_used + (1 - z_used) * h_prev
        else:
            h = (1 - z_used) * n_used + z_used * h_prev
        return {"r": r, "z": z, "n": n, "h": h, "a_r": a_r, "a_z": a_z, "a_n": a_n}

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        out = self._compute(v, answers)
        return {k: float(out[k]) for k in ("r", "z", "n", "h")}

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        out = {}
        for m in self.mistakes_catalog:
            vals = self._compute(v, answers, m.id)
            keys = ("r", "z", "n", "h") if m.id == "gru.rz-swapped" else \
                ("h",) if m.id == "gru.z-swapped" else ("n", "h")
            out[m.id] = {k: float(vals[k]) for k in keys}
        return out

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        gi, gh = self._parts(v)
        s = self._compute(v, None)
        lines = []
        for k, g in enumerate(("r", "z")):
            a = gi[k] + gh[k]
            txt = (f"a_{g} = {fmt(d['w_ih'][k][0])}·{paren(d['x'][0])} + {paren(d['w_ih'][k][1])}·{paren(d['x'][1])} "
                   f"+ {paren(d['b_ih'][k])} + {paren(d['w_hh'][k])}·{paren(d['h_prev'])} + {paren(d['b_hh'][k])} "
                   f"= {fmt(a)}; {g} = σ({fmt(a)}) = {fmt(s[g])}")
            lines.append(Step({"en": txt, "ko": txt}, (g,)))
        txt = (f"W_in·x + b_in = {fmt(gi[2])}, W_hn·h_prev + b_hn = {paren(d['w_hh'][2])}·{paren(d['h_prev'])} + "
               f"{paren(d['b_hh'][2])} = {fmt(gh[2])}; n = tanh({fmt(gi[2])} + {fmt(s['r'])}·{paren(gh[2])}) = "
               f"tanh({fmt(s['a_n'])}) = {fmt(s['n'])}")
        lines.append(Step({"en": txt, "ko": txt}, ("n",)))
        txt = (f"h = (1 − z)·n + z·h_prev = {fmt(1 - s['z'])}·{paren(s['n'])} + {fmt(s['z'])}·{paren(d['h_prev'])} "
               f"= {fmt(s['h'])}")
        lines.append(Step({"en": txt, "ko": txt}, ("h",)))
        return lines
